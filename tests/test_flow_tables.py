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
    # dysprosium: five months of 2025 are not a year, and 2024 has no figure at all
    assert t.at["Dysprosium products", "How 2025 is known"] == "not known: figures for 5 of 12 months"
    assert t.at["Dysprosium products", "How 2024 is known"] == "no figure"
    assert t.at["Dysprosium products", "2025"] == "—"


def test_gap_table_names_the_pairs_and_the_months_in_words(page):
    t = read(tables.gaps(*page))
    dy = t[t["Pair"] == "Magnets vs dysprosium products"].set_index("Phase")
    assert dy.at["under the controls", "Months with both figures"] == "May to June 2025"
    # ln(140 / 300) - ln(30 / 150) = ln(7 / 3), shown only on the row after the truce
    assert dy.at["after the truce", "Gap moved since the controls (log points)"] == "+0.85"
    assert dy.at["under the controls", "Gap moved since the controls (log points)"] == "—"
    yt = t[t["Pair"] == "Magnets vs yttrium products"]
    assert set(yt["Months with both figures"]) == {"—"}


def test_destination_table_sets_the_figure_against_the_world(page):
    t = read(tables.destinations(*page))
    assert t.iloc[0].to_dict() == {"Product": "Yttrium products", "Period": "June 2025", "Destination": "the United States",
                                   "Figure": "1", "Unit": "t", "World, same period": "—", "Share, %": "—", "Note": ""}


def test_premium_table_names_who_reported_the_quotes(page):
    t = read(tables.premiums(*page))
    assert list(t["Product"]) == ["Yttrium oxide", "Neodymium oxide"]
    assert list(t["Reported by"]) == ["china.example, europe.example"] * 2
    assert list(t["Premium, low"]) == ["20.00", "1.20"]


def test_the_pages_year_is_the_last_full_year_before_its_last_month():
    scope = dataclasses.replace(SCOPE, end="2026-03")
    assert (scope.year, scope.prior, scope.year_end) == (2025, 2024, "2025-12")
    assert (SCOPE.year, SCOPE.year_end) == (2025, "2025-12")
