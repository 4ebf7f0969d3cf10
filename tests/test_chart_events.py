"""The one rule that picks the events a chart labels (present/events.py), on hand-made events."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earth_exports.present import events as ev
from rare_earth_exports.present.theme import EVENT_COLOURS


def events(*rows) -> pd.DataFrame:
    """Events as core.load gives them, from (date, kind, actor, affects[, title]) tuples."""
    df = pd.DataFrame([{"event_id": f"e{i}", "date": r[0], "kind": r[1], "actor": r[2], "affects": r[3],
                        "title": r[4] if len(r) > 4 else f"{r[1]} {r[0]}", "source_ids": "s"} for i, r in enumerate(rows)])
    df["day"] = pd.to_datetime([d if len(d) == 10 else d + "-01" for d in df["date"]])
    df["month"] = df["day"].dt.to_period("M")
    return df


def chosen(frame, products=("magnets",), partners=("WLD",), start="2024-01", end="2025-12") -> list[tuple[str, str]]:
    return [(m.kind, m.events[0][0]) for m in ev.chart_markers(frame, start, end, list(products), list(partners))]


CONTROL = ("2025-04-04", "control", "CHN", "samarium;dysprosium;magnets;all", "Announcement 18")


def test_a_control_on_the_charts_product_for_all_destinations_is_labelled_on_every_chart():
    frame = events(CONTROL)
    assert chosen(frame) == [("control", "2025-04-04")]
    assert chosen(frame, partners=["USA"]) == [("control", "2025-04-04")]
    assert chosen(frame, products=["dysprosium"]) == [("control", "2025-04-04")]


def test_a_measure_on_other_products_or_another_destination_is_left_to_the_timeline():
    frame = events(("2025-02-04", "control", "CHN", "tungsten;indium;all"),
                   ("2025-06-07", "relaxation", "CHN", "rare earths;magnets;EU"))
    assert chosen(frame) == []                                         # China's total: all destinations only
    assert chosen(frame, partners=["USA"]) == []
    assert chosen(frame, partners=["EU27"]) == [("relaxation", "2025-06-07")]   # EU27 is 'EU' in events.csv


def test_a_measure_that_names_no_destination_concerns_every_destination():
    assert chosen(events(("2025-04-04", "control", "CHN", "dysprosium;terbium;magnets"))) == [("control", "2025-04-04")]


def test_heavy_rare_earths_concern_the_elements_but_not_magnets():
    frame = events(("2025-05", "relaxation", "CHN", "heavy rare earths;all"))
    assert chosen(frame) == []
    assert chosen(frame, products=["terbium"]) == [("relaxation", "2025-05")]


def test_truces_count_when_both_sides_agreed_and_a_side_is_the_charts():
    frame = events(("2025-05-12", "truce", "USA;CHN", "tariffs;USA"),
                   ("2025-08-11", "truce", "USA", "tariffs;USA;CHN"))          # one side's account: not labelled
    assert chosen(frame) == [("truce", "2025-05-12")]                   # China's total: every agreed truce
    assert chosen(frame, partners=["USA", "EU27"]) == [("truce", "2025-05-12")]
    assert chosen(frame, partners=["JPN", "KOR"]) == []


def test_statements_quotas_and_data_releases_are_never_labelled():
    frame = events(("2025-04-10", "statement", "USA", "magnets;all"), ("2025-07", "quota", "CHN", "magnets;all"),
                   ("2025-06-20", "data_release", "CHN", "magnets;all"), ("2025-06-21", "other", "CHN", "magnets;all"))
    assert chosen(frame) == []


def test_a_scheduled_date_whose_outcome_is_not_reported_is_not_labelled():
    frame = events(CONTROL, ("2025-11-10", "control", "CHN", "magnets;all", "Scheduled end of the suspension"))
    frame["status"] = ["happened", "scheduled"]
    assert chosen(frame) == [("control", "2025-04-04")]


def test_events_outside_the_charts_months_are_not_labelled():
    assert chosen(events(CONTROL), start="2025-05", end="2025-12") == []
    assert chosen(events(CONTROL), start="2024-01", end="2025-03") == []


def test_events_of_one_kind_within_forty_days_share_a_marker():
    frame = events(("2025-10-09", "control", "CHN", "magnets;all", "Announcement 61"),
                   ("2025-10-09", "control", "CHN", "magnets;all", "Five more rare earths"),
                   ("2025-11", "control", "CHN", "magnets;all", "Validated end users"),
                   ("2025-12-02", "control", "CHN", "magnets;all", "Later step"))
    markers = ev.chart_markers(frame, "2024-01", "2025-12", ["magnets"], ["WLD"])
    assert [len(m.events) for m in markers] == [3, 1]            # 9 Oct, 9 Oct, 1 Nov; then 2 Dec (54 days on)
    assert markers[0].label == ("9 October 2025: Announcement 61; 9 October 2025: Five more rare earths; "
                                "November 2025: Validated end users")


def test_at_most_six_markers_chosen_by_kind_then_date_and_numbered_by_date():
    months = ["2024-02", "2024-05", "2024-08", "2024-11", "2025-02", "2025-05", "2025-08"]
    frame = events(*[(m + "-15", "license", "CHN", "magnets;all") for m in months],
                   ("2025-11-15", "truce", "USA;CHN", "magnets;USA"), ("2025-12-20", "control", "CHN", "magnets;all"))
    markers = ev.chart_markers(frame, "2024-01", "2025-12", ["magnets"], ["WLD"])
    assert len(markers) == ev.MAX_MARKERS
    # the control and the truce first, then the four earliest licence steps; numbered in date order
    assert [(m.number, m.kind, str(m.day.date())) for m in markers] == [
        (1, "license", "2024-02-15"), (2, "license", "2024-05-15"), (3, "license", "2024-08-15"),
        (4, "license", "2024-11-15"), (5, "truce", "2025-11-15"), (6, "control", "2025-12-20")]


def test_markers_close_in_time_go_on_separate_rows():
    frame = events(CONTROL, ("2025-05-12", "truce", "USA;CHN", "tariffs;USA"), ("2025-05-20", "license", "CHN", "magnets;all"),
                   ("2025-08-11", "relaxation", "CHN", "magnets;all"))
    rows = [(m.kind, m.row) for m in ev.chart_markers(frame, "2024-01", "2025-12", ["magnets"], ["WLD"])]
    assert rows == [("control", 0), ("truce", 1), ("license", 2), ("relaxation", 0)]


def test_every_kind_has_its_own_colour():
    assert EVENT_COLOURS["truce"] != EVENT_COLOURS["relaxation"]
    labelled = [EVENT_COLOURS[k] for k in ev.LABELLED_KINDS]
    assert len(set(labelled)) == len(labelled)


def test_the_list_under_the_chart_shows_each_marker_with_its_kind_and_date():
    markers = ev.chart_markers(events(CONTROL), "2024-01", "2025-12", ["magnets"], ["WLD"])
    html = ev.markers_html(markers)
    assert html.startswith('<ol class="book-events" aria-label="Events marked on the chart">')
    assert ">1</span>" in html and ">Control</span> 4 April 2025: Announcement 18</li>" in html
    assert ev.markers_html([]) == ""


@pytest.mark.parametrize("kind", ["truce", "tariff"])
def test_trade_steps_of_a_destination_are_labelled_on_its_chart(kind):
    frame = events(("2025-04-02", kind, "USA;CHN", "tariffs;USA"))
    assert chosen(frame, partners=["USA"]) == [(kind, "2025-04-02")]
