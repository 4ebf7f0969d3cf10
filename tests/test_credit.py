"""core/sources.py: source ids split and joined in one place; the credit line a reader sees."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earth_exports.core.sources import credit_line, join_ids, named_ids, publishers, split_ids
from rare_earth_exports.core.words import date_words
from rare_earth_exports.present.series import source_line
from rare_earth_exports.present.tables import sources_table


def sources(*rows) -> pd.DataFrame:
    """rows: (source_id, publisher, tier, originator, agency, published[, title])."""
    cols = ["source_id", "publisher", "reliability", "originator", "agency", "published", "title"]
    full = [r + (f"Story on {r[1]}",) if len(r) == 6 else r for r in rows]
    frame = pd.DataFrame(full, columns=cols)
    frame["url"] = "https://" + frame["publisher"] + "/" + frame["source_id"]
    return frame


REUTERS_STORY = sources(
    ("k", "kitco.com", "trade press", "China customs", "Reuters", "2025-06-20"),
    ("d", "dailymail.co.uk", "agency", "China customs", "Reuters", "2025-06-21"),
    ("u", "udn.com", "relay", "China customs", "", ""),
    ("a", "asiacity.news", "relay", "China customs", "", "", "[Exports of magnets; published by asiacity.news]"),
    ("z", "zeta.example", "relay", "China customs", "", "2025-06-22"),
    ("w", "samarium.dev", "weak", "China customs", "Reuters", "2025-06-19"),
    ("x", "3.127.128.221", "excluded", "China customs", "", "2025-06-18"),
)


@pytest.mark.parametrize("cells, ids", [
    ("b;a;b", ["a", "b"]), (["a;c", "b", ""], ["a", "b", "c"]), ("", []), (" a ; b ", ["a", "b"]),
])
def test_split_ids_sorts_and_keeps_each_once(cells, ids):
    assert split_ids(cells) == ids


def test_join_ids_is_the_inverse_of_split():
    assert join_ids(["b", "a", "b"]) == "a;b" and split_ids(join_ids(["b", "a"])) == ["a", "b"]


def test_the_credit_names_the_originator_the_agency_and_its_story_date_first():
    assert credit_line("k;d", REUTERS_STORY) == "China customs via Reuters, 20 June 2025; relayed by dailymail.co.uk and kitco.com"


def test_pages_of_no_agency_make_it_the_agency_and_others():
    assert credit_line("k;d;u;a;z;w;x", REUTERS_STORY) == (
        "China customs via Reuters and others, 20 June 2025; relayed by dailymail.co.uk, kitco.com, zeta.example and 2 more")


def test_the_credit_never_names_a_weak_or_excluded_page():
    line = credit_line("w;x;u", REUTERS_STORY)
    assert "samarium" not in line and "3.127" not in line and "Reuters" not in line
    assert line == "China customs; relayed by udn.com"
    assert credit_line("w;x", REUTERS_STORY) == ""
    assert publishers("w;x;u", REUTERS_STORY) == "udn.com" and named_ids("w;x;u", REUTERS_STORY) == ["u"]


def test_without_an_agency_the_date_is_the_earliest_relay_date():
    assert credit_line("u;z", REUTERS_STORY) == "China customs, 22 June 2025; relayed by zeta.example and udn.com"


def test_stories_of_several_months_give_no_date():
    frame = sources(("a", "a.example", "relay", "China customs", "Reuters", "2025-06-20"),
                    ("b", "b.example", "relay", "China customs", "Reuters", "2026-04-21"),
                    ("c", "c.example", "relay", "China customs", "", ""))
    assert credit_line("a;b;c", frame) == "China customs via Reuters and others; relayed by a.example, b.example and c.example"
    assert named_ids("a;b;c", frame) == ["a", "b", "c"]


def test_a_page_with_no_originator_is_reported_by_its_publisher():
    frame = sources(("e", "gov.example", "relay", "", "", ""))
    assert credit_line("e", frame) == "Reported by gov.example"


def test_relays_rank_by_tier_then_own_title_then_date():
    frame = sources(("a", "a.example", "relay", "China customs", "", "", "[Exports; published by a.example]"),
                    ("b", "b.example", "relay", "China customs", "", "2025-07-01"),
                    ("c", "c.example", "trade press", "China customs", "", "2025-08-01"),
                    ("d", "d.example", "relay", "China customs", "", "2025-06-01"))
    assert credit_line("a;b;c;d", frame, n_relays=3).endswith("relayed by c.example, d.example, b.example and 1 more")


def test_date_words():
    assert (date_words("2025-06-20"), date_words("2025-06")) == ("20 June 2025", "June 2025")


def test_the_chart_source_line_uses_the_credit():
    assert source_line(["k", "d"], REUTERS_STORY) == (
        "Source: China customs via Reuters, 20 June 2025; relayed by dailymail.co.uk and kitco.com; full list below the chart.")
    assert source_line(["w"], REUTERS_STORY).startswith("Source: China customs (GACC) as relayed by the press")


def test_the_sources_table_of_a_reader_page_lists_no_weak_or_excluded_page():
    html = sources_table(["k", "w", "x", "u"], REUTERS_STORY)
    assert "kitco.com" in html and "udn.com" in html
    assert "samarium.dev" not in html and "3.127.128.221" not in html
