"""The data and timeline pages: what they count and glue, from small known inputs."""

import math

import pandas as pd
import pytest

from rare_earth_exports.chapters.data import coverage
from rare_earth_exports.chapters.data import text as data_text
from rare_earth_exports.chapters.timeline import events as timeline
from rare_earth_exports.chapters.timeline import text as timeline_text
from rare_earth_exports.core.load import BookData, load_events
from rare_earth_exports.present.page import Page

from series_helpers import observations

EVENTS_HEADER = "event_id,date,kind,status,actor,title,affects,licence_class,source_ids,note\n"


@pytest.fixture
def glued(monkeypatch):
    values = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display=True: values.__setitem__(key, value))
    return values


def keyed_rows(page: Page) -> dict:
    rows = page.frame()
    return dict(zip(rows["glue_key"], rows["value"]))


# --- data ---------------------------------------------------------------------------------------

@pytest.fixture
def small_data(tmp_path):
    obs = observations(tmp_path, [
        ("2025-01", "WLD", 10), ("2025-02", "WLD", 20), ("2025-01/2025-02", "WLD", 30),   # agrees
        ("2025-03", "WLD", 10), ("2025-04", "WLD", 10), ("2025-03/2025-04", "WLD", 40),   # off by half
        ("2025-05", "WLD", 5), ("2025-05/2025-06", "WLD", 12),                            # incomplete
        ("2025-01", "USA", 12),                                                           # above the world
        ("2025-06", "USA", 7, "derived"),
    ])
    reconciliation = pd.DataFrame({"decision": ["used", "merged", "excluded", "excluded"],
                                   "reason": ["", "same figure", "out of scope: gallium", "duplicate page: wrong month"]})
    return BookData(observations=obs, prices=pd.DataFrame(), events=pd.DataFrame(),
                    sources=pd.DataFrame({"source_id": ["a", "b", "c"]}), products=pd.DataFrame(),
                    partners=pd.DataFrame(), reconciliation=reconciliation)


def test_consistency_checks_keep_complete_totals_and_find_a_destination_above_the_world(small_data):
    checks = coverage.consistency_checks(small_data.observations)
    assert checks.complete["period"].tolist() == ["2025-01/2025-02", "2025-03/2025-04"]
    assert checks.complete["status"].tolist() == ["agrees", "contradicts"]
    assert len(checks.above_world) == 1 and "USA" in checks.above_world[0].hint


def test_excluded_rows_leave_out_rows_out_of_scope(small_data):
    assert coverage.excluded_rows(small_data.reconciliation)["reason"].tolist() == ["duplicate page: wrong month"]


def test_data_page_glues_its_counts_with_metrics_rows(small_data, glued):
    page = Page(chapter="data", page="data")
    data_text.glue_page(page, small_data, coverage.consistency_checks(small_data.observations))
    counts = {"data_n_observations": 10, "data_n_reported": 9, "data_n_derived": 1, "data_n_sources": 3,
              "data_n_input_rows": 4, "data_n_span_checks": 2, "data_n_span_agree": 1, "data_n_partner_above_world": 1}
    assert {k: glued[k] for k in counts} == counts
    assert keyed_rows(page) == counts
    assert set(page.frame()["period"]) == {"2025-06"}
    assert glued["data_newest_month"] == "June 2025"
    assert (glued["data_agreement_pct"], glued["data_rounding_per_part"], glued["data_contradiction_pct"]) == ("0.5 %", "0.5", "5 %")


# --- timeline -----------------------------------------------------------------------------------

@pytest.fixture
def events(tmp_path):
    rows = [("old", "2022-12-01", "control", "CHN", "Before the window", "gallium;all"),
            ("c1", "2023-07-03", "control", "CHN", "Gallium and germanium", "gallium;all"),
            ("t1", "2025-10-30", "truce", "USA;CHN", "Busan", "magnets;all"),
            ("s1", "2025-12", "statement", "EU", "Licences slow", "magnets;EU"),
            ("late", "2026-01-05", "control", "CHN", "After the window", "magnets;all")]
    text = EVENTS_HEADER + "".join(f'{i},{d},{k},happened,{a},"{t}",{f},,src-{i},\n' for i, d, k, a, t, f in rows)
    (tmp_path / "events.csv").write_text(text, encoding="utf-8")
    return load_events(tmp_path)


def test_timeline_keeps_the_events_of_its_months_and_names_their_years(events):
    shown = timeline.between(events, "2023-01", "2025-12")
    assert shown["event_id"].tolist() == ["c1", "t1", "s1"]
    assert timeline.years(shown) == "2023–2025"
    assert timeline.actors_of(shown) == ["CHN", "EU", "USA"]


def test_timeline_page_glues_its_counts_and_months(events, glued):
    page = Page(chapter="timeline", page="timeline")
    timeline_text.glue_page(page, timeline.between(events, "2023-01", "2025-12"), "2025-12")
    assert keyed_rows(page) == {"timeline_n_events": 3, "timeline_n_controls": 1}
    assert (glued["timeline_first"], glued["timeline_last"]) == ("July 2023", "December 2025")
    assert not any(isinstance(v, float) and math.isnan(v) for v in glued.values())
