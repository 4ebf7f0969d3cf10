"""The flow page's tables say how each figure is known, in words, on the small data package of
`flow_helpers`; a gap shows as a dash."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from rare_earth_exports.chapters.flow import measures, tables

from flow_helpers import SCOPE, flow_data


@pytest.fixture
def page(tmp_path):
    data = flow_data(tmp_path)
    return measures.measure(data, SCOPE), data


def read(shown) -> pd.DataFrame:
    """The table's cells as text, as a reader sees them."""
    table = BeautifulSoup(shown.markup, "html.parser").table
    head = [th.get_text() for th in table.thead.find_all("th")]
    return pd.DataFrame([[td.get_text() for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")], columns=head)


def test_annual_table_says_how_each_year_is_known(page):
    t = read(tables.annual(*page)).set_index("Product")
    assert t.at["Rare-earth permanent magnets", "2024"] == "1,200" and t.at["Rare-earth permanent magnets", "2025"] == "1,020"
    assert t.at["Rare-earth permanent magnets", "Change, %"] == "-15.0"
    assert t.at["Rare-earth permanent magnets", "How 2024 is known"] == "covered by 2024"
    # dysprosium: six months of 2025 are not a year, one month of 2024 even less; yttrium has no world figure at all
    assert t.at["Dysprosium products", "How 2025 is known"] == "not known: figures for 6 of 12 months"
    assert t.at["Dysprosium products", "How 2024 is known"] == "not known: figures for 1 of 12 months"
    assert t.at["Yttrium products", "How 2024 is known"] == "no figure"
    assert t.at["Dysprosium products", "2025"] == "—"


def test_stretch_table_shows_each_element_with_and_without_the_spike(page):
    t = read(tables.stretches(*page))
    dy = t[t["Element"] == "Dysprosium products"].set_index("Stretch")
    assert dy.at["under the controls", "Months with both figures"] == "May, June, August and September 2025"
    assert dy.at["under the controls, without the dysprosium spike", "kg per tonne of magnets"] == "5.00"
    assert dy.at["after the truce", "kg per tonne of magnets"] == "2.14"
    assert dy.at["months picked at random as low as after the truce", "Months with both figures"] == "1 of 15 ways"
    tb = t[t["Element"] == "Terbium products"]
    assert "under the controls, without the dysprosium spike" not in set(tb["Stretch"])


def test_baseline_table_names_what_100_is(page):
    t = read(tables.baselines(*page)).set_index("Series")
    assert t.at["Dysprosium products", "100 on the chart is"] == "June 2024 = 100"
    assert t.at["Rare-earth permanent magnets", "100 on the chart is"] == "2024 average = 100"


def test_year_changes_table_compares_like_with_like_and_marks_small_bases(page):
    t = read(tables.year_changes(*page))
    rows = {(r["Destination"], r["Months"]): r for _, r in t.iterrows()}
    world = rows[("All destinations", "January to February 2026")]
    assert (world["Same months a year before"], world["Figure then"], world["Change, %"]) == ("January to February 2025", "200", "+20.0")
    assert rows[("United States", "March 2026")]["Change, %"] == "not meaningful"


def test_focus_events_table_lists_the_reports_after_the_truce(page):
    t = read(tables.focus_events(page[0]))
    assert t.to_dict("records") == [{"Date": "27 February 2026", "Kind": "Other", "Report": "Yttrium to the US still scarce",
                                     "Status": "happened"}]


def test_destination_table_sets_the_figure_against_the_world(page):
    t = read(tables.destinations(*page))
    # the products in the page's order: dysprosium (South Korea's spike), terbium, yttrium
    assert list(t["Product"]) == ["Dysprosium products", "Terbium products", "Yttrium products"]
    assert (t.iloc[0]["World, same period"], t.iloc[0]["Share, %"]) == ("800", "87.5")
    assert t.iloc[2].to_dict() == {"Product": "Yttrium products", "Period": "June 2025", "Destination": "United States",
                                   "Figure": "1", "Unit": "t", "World, same period": "—", "Share, %": "—", "Note": ""}


def test_premium_table_names_what_europe_is_set_against_and_who_reported_the_quotes(page):
    t = read(tables.premiums(*page))
    assert list(t["Product"]) == ["Yttrium oxide", "Neodymium oxide", "Neodymium oxide"]
    assert list(t["Europe against"]) == ["inside China", "inside China", "China's export price (FOB)"]
    assert list(t["Reported by"]) == ["china.example, europe.example"] * 3
    assert list(t["Premium, low"]) == ["20.00", "1.20", "1.20"]
    assert list(t["Month"]) == ["November 2025", "December 2025", "January 2026"]  # months in words, not codes


def test_same_month_table_marks_a_change_on_a_small_base():
    row = pd.Series({"meaningful": False, "yoy_pct": float("nan")})
    assert tables.change_cell(row) == "not meaningful"
    assert tables.change_cell(pd.Series({"meaningful": True, "yoy_pct": -87.5})) == "-87.5"
    assert tables.change_cell(pd.Series({"meaningful": True, "yoy_pct": float("nan")})) == "—"


def test_the_pages_year_is_the_last_full_year_before_its_last_month():
    scope = dataclasses.replace(SCOPE, end="2026-03")
    assert (scope.year, scope.prior, scope.year_end) == (2025, 2024, "2025-12")
    assert (SCOPE.year, SCOPE.year_end) == (2025, "2025-12")
