"""Every destination measured the way the collapse page measures China's total, plus what only a
destination has: a baseline where its own figures cover a window, its share of China's total,
the months it moved against the total, the tariff moves that bear on its fall, and for a group
reported only as a share (the press's "Europe"), what that share can and cannot say.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.conventions import Change, Window
from ...core.load import BookData
from ...core.series import period_series, qualifying_partners
from ..collapse.measures import WORLD, Against, PageMeasures, Share, month_of, page_measures, pooled_share

@dataclass(frozen=True)
class Apart:
    """The month a destination moved most against China's total: it fell while the total rose."""

    month: pd.Period
    change: Change       # the destination's month-on-month change
    world: Change        # China's total's


@dataclass(frozen=True)
class Destination:
    """One destination, measured as the collapse page measures China's total, and what only it has."""

    page: PageMeasures
    words: str                       # its name in a sentence, e.g. 'the United States'
    baseline: Against | None         # the first window its own figures cover, if any
    apart: Apart | None
    tariffs: pd.DataFrame            # tariff moves that name it, from its baseline window to its low
    truces: pd.DataFrame             # tariff truces that name it, after the first of those moves, to the month after its low

    @property
    def partner(self) -> str:
        return self.page.partner


@dataclass(frozen=True)
class WiderShare:
    """A share reported only for a group wider than any destination with figures (the press's
    "Europe"), and the share of the narrower group inside it (the EU) in the months before."""

    name: str                # the group in words, e.g. 'Europe'
    period: str
    pct: float
    narrower: str            # the narrower group in words, e.g. 'the European Union'
    narrower_share: Share    # its pooled share in the last full year after the controls

    @property
    def rise_at_most(self) -> float:
        """The group contains the narrower one, so its earlier share was at least the narrower
        one's: the rise since is at most this many points (negative: it fell)."""
        return self.pct - self.narrower_share.pct


@dataclass(frozen=True)
class DestinationsPage:
    """Everything the destinations page says, computed once."""

    world: PageMeasures
    destinations: tuple[Destination, ...]   # the sections first, in their order, then the others
    sections: tuple[str, ...]               # the destinations with a section of their own
    since: str
    min_months: int
    wider: str                              # the code of the group reported only as a share ('EUROPE')
    wider_name: str                         # that group in words ('Europe'), also when no share is reported
    narrower: str                           # the code of the group inside it with figures ('EU27')
    europe: WiderShare | None

    @property
    def others(self) -> tuple[Destination, ...]:
        """Destinations that qualify by the rule but have no section (new data): table and panels only."""
        return tuple(d for d in self.destinations if d.partner not in self.sections)


def apart(world: PageMeasures, dest: PageMeasures) -> Apart | None:
    """From the control month on, the month with the widest gap between the destination's fall and
    the total's rise, both computed against a base at or above the floor."""
    best = None
    for month in dest.measures.series.index[dest.measures.series.index >= dest.control]:
        d, w = dest.measures.mom_at(month), world.measures.mom_at(month)
        if d.shown and w.shown and d.pct < 0 < w.pct and (best is None or w.pct - d.pct > best.world.pct - best.change.pct):
            best = Apart(month, d, w)
    return best


def naming(events: pd.DataFrame, partner: str) -> pd.Series:
    """Events whose actors or what they affect name `partner`."""
    return events["actor"].str.split(";").apply(lambda a: partner in a) | events["affects"].str.split(";").apply(
        lambda a: partner in a)


def tariff_moves(events: pd.DataFrame, partner: str, first: pd.Period, low: pd.Period | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tariff moves naming `partner` from `first` to its low month, and the tariff truces naming it
    from the first move to the month after the low: a second cause of a fall in the same weeks."""
    if low is None or not len(events):
        return events.iloc[0:0], events.iloc[0:0]
    named = events[naming(events, partner)]
    moves = named[(named["kind"] == "tariff") & (named["month"] >= first) & (named["month"] <= low)]
    if not len(moves):
        return moves, events.iloc[0:0]
    truces = named[(named["kind"] == "truce") & named["affects"].str.contains("tariffs")
                   & (named["day"] >= moves["day"].min()) & (named["month"] <= low + 1)]
    return moves.sort_values("day"), truces.sort_values("day")


def wider_share(data: BookData, product: str, group: str, narrower: str, world: PageMeasures,
                names: dict[str, str]) -> WiderShare | None:
    """The newest share reported for `group` (unit %), against the pooled share of `narrower` in
    the last full year from the control month on."""
    obs = data.observations
    rows = obs[(obs["partner"] == group) & (obs["product"] == product) & (obs["unit"] == "pct")]
    if not len(rows):
        return None
    row = rows.sort_values("last_month").iloc[-1]
    m = world.measures
    after_end = m.after_end
    inside = period_series(obs, product, narrower, start=world.start, end=world.end)
    share = pooled_share(inside, m.periods, world.control, after_end)
    if not share.figures:
        return None
    return WiderShare(names.get(group, data.partner_name(group)), row["period"], float(row["value"]),
                      names.get(narrower, data.partner_name(narrower)), share)


def destinations_page(data: BookData, product: str, control_date: str, windows: list[Window], pattern_window: Window,
                      start: str, end: str, seasonal_months: list[int], floors: dict[str, float], rule: dict,
                      sections: list[str], names: dict[str, str], europe: str, narrower: str) -> DestinationsPage:
    """Every destination the rule in parameters.yml qualifies, measured against each named window
    (the first its own figures cover is its baseline); the sections first, in their order."""
    keyed = {f"window {i}": w for i, w in enumerate(windows)}
    world = page_measures(data, product, WORLD, control_date, keyed, pattern_window, start, end, seasonal_months, floors)
    qualifying = qualifying_partners(data.observations, rule)
    order = [p for p in sections if p in qualifying] + [p for p in qualifying if p not in sections]
    destinations = []
    for partner in order:
        page = page_measures(data, product, partner, control_date, keyed, pattern_window, start, end, seasonal_months, floors)
        usable = [a for a in page.measures.against.values() if a.ok]
        base = usable[0] if usable else None
        first = month_of(base.window.start) if base else month_of(control_date)
        tariffs, truces = tariff_moves(data.events, partner, first, page.measures.low.month)
        destinations.append(Destination(page, names.get(partner, data.partner_name(partner)), base,
                                        apart(world, page), tariffs, truces))
    return DestinationsPage(world, tuple(destinations), tuple(p for p in sections if p in qualifying),
                            rule.get("since", start), int(rule.get("min_months", 1)), europe,
                            names.get(europe, data.partner_name(europe)), narrower,
                            wider_share(data, product, europe, narrower, world, names))

