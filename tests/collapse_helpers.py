"""Pages of the collapse chapter measured from small hand-made series (see `series_helpers`)."""

from __future__ import annotations

import pandas as pd

from rare_earth_exports.chapters.collapse.measures import PageMeasures, page_measures
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import BookData
from rare_earth_exports.present.page import Page

from series_helpers import observations

CONTROL = "2025-04-04"
YEAR = Window("2024", "2024-01", "2024-12", "the last full year before the controls")
QUARTER = Window("Q1 2025", "2025-01", "2025-03", "the three months before the controls")
WINDOWS = {"base": YEAR, "alt": QUARTER}
FLOORS = {"t": 10.0}
NAMES = {"WLD": "All destinations", "USA": "United States", "DEU": "Germany", "JPN": "Japan"}

# The world series of test_recovery: a 2024 total, then January to August 2025, low in May.
WORLD_2025 = [100, 60, 110, 50, 20, 60, 105, 95]
# One destination with figures before the controls (a tenth of the world total then) ...
USA_2025 = [10, 6, 11, 5, 2, 6, 21, 19]
# ... and one whose figures start after them, with gaps.
DEU_AFTER = [("2025-04", "DEU", 5), ("2025-06", "DEU", 12), ("2025-08", "DEU", 19)]
# A year of ordinary months before the controls, for the swings.
WORLD_2024_MONTHS = [100, 90, 100, 105, 100, 110, 100, 105, 100, 110, 105, 100]


def monthly(partner: str, first: str, values: list) -> list[tuple]:
    """Observation tuples for consecutive months from `first`; None leaves a month out."""
    start = pd.Period(first, "M")
    return [(str(start + k), partner, v) for k, v in enumerate(values) if v is not None]


def small_world(usa: bool = True) -> list[tuple]:
    """The world series, Germany and (unless told) the United States."""
    rows = [("2024", "WLD", 1200), *monthly("WLD", "2025-01", WORLD_2025), *DEU_AFTER]
    return rows + (monthly("USA", "2025-01", USA_2025) if usa else [])


def book(obs: pd.DataFrame, events: pd.DataFrame | None = None, sources: pd.DataFrame | None = None) -> BookData:
    """A data package of `obs` with the product and partner names the pages use."""
    return BookData(observations=obs, prices=pd.DataFrame(), events=events if events is not None else pd.DataFrame(),
                    sources=sources if sources is not None else pd.DataFrame({"source_id": [], "published": []}),
                    products=pd.DataFrame({"product": ["magnets"], "name": ["Rare-earth permanent magnets"]}),
                    partners=pd.DataFrame({"partner": list(NAMES), "name": list(NAMES.values())}),
                    reconciliation=pd.DataFrame())


def measured(tmp_path, rows: list[tuple], partner: str = "WLD", end: str = "2025-08", windows=None,
             floors=None) -> PageMeasures:
    """The page of `partner` from 2024-01 to `end`, controls on 4 April 2025, January and February
    seasonal, the 2024 pattern, a floor of 10 t."""
    obs = observations(tmp_path, rows)
    return page_measures(book(obs), "magnets", partner, CONTROL, windows or WINDOWS, YEAR, "2024-01", end, [1, 2],
                         FLOORS if floors is None else floors)


def page_of(p: PageMeasures) -> Page:
    return Page(chapter="collapse", page="collapse")


# 2024 as a total, 2025 month by month (May on 5 t: a base under the floor), January-February 2026
# published as one figure, and March 2026.
SPAN_ROWS = [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 60, 110, 50, 5, 60, 105, 95, 100, 100, 100, 100]),
             ("2026-01/2026-02", "WLD", 176), ("2026-03", "WLD", 99)]
