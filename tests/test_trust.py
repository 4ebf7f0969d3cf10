"""Trust: the audited values, the tiers of the pages, their titles and who a figure is credited to.

Each audited value has two tests: the rule on a small hand-made input, and the value in the
committed data/ (which the byte-for-byte curation test ties to the rules).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from rare_earth_exports.core.series import price_premium
from rare_earth_exports.core.load import load_prices
from rare_earth_exports.curate.errors import CurationError
from rare_earth_exports.curate.provenance import SourceRules, title_from_address
from rare_earth_exports.curate.rules import source_id_for

from test_reconcile import fig, log_of, run  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def table(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def price(period, value, url, market="EU27", product="dysprosium", **kw):
    return fig(period, value, url, partner=market, product=product, metric="price_usd_per_kg", unit="USD/kg", **kw)


# --- US magnets, August 2025: 590 t, not 589 t -----------------------------------------------------

def test_a_trailing_zero_is_a_digit_and_the_figure_more_stories_report_wins(run):
    rows = [fig("2025-08", "589", f"https://minority{i}.example/x", partner="USA") for i in range(2)]
    rows += [fig("2025-08", "590", f"https://reprint{i}.example/x", partner="USA") for i in range(8)]
    t = run(rows)
    (row,) = t["observations"]
    assert row["value"] == "590"
    assert log_of(t)[2]["reason"] == "variant of 590 within one unit, which more stories report"


def test_reprints_of_one_excerpt_are_one_story(run):
    """Eight pages of one excerpt (one quote_ref) are one story; two independent pages are two."""
    rows = [dict(fig("2025-08", "590", f"https://reprint{i}.example/x", partner="USA"), quote_ref="aaaaaaaa") for i in range(8)]
    rows += [fig("2025-08", "589", f"https://own{i}.example/x", partner="USA") for i in range(2)]
    (row,) = run(rows)["observations"]
    assert row["value"] == "589"


def test_a_rounding_is_support_for_the_precise_figure(run):
    """6,150 t on eight pages is 6,149.95 rounded: the precise figure keeps the value."""
    rows = [fig("2025-11", "6150", f"https://r{i}.example/x") for i in range(8)] + [fig("2025-11", "6149.95", "https://p.example/x")]
    t = run(rows)
    assert t["observations"][0]["value"] == "6149.95"
    assert log_of(t)[2]["reason"] == "rounding variant of 6149.95"


def test_us_magnets_august_2025_is_590_t():
    (row,) = [o for o in table("observations") if (o["period"], o["partner"], o["product"], o["unit"]) == ("2025-08", "USA", "magnets", "t")]
    assert row["value"] == "590"


# --- yttrium oxide, Europe, September 2025: two weekly quotes ----------------------------------------

def test_an_excerpt_with_two_ranges_stays_two_quotes(run):
    rows = [dict(price("2025-09", v, "https://weekly.example/y", product="dysprosium"), quote_ref="84c7c5f4")
            for v in ("90", "105", "150", "200")]
    t = run(rows)
    assert sorted((p["low"], p["high"]) for p in t["prices"]) == [("150", "200"), ("90", "105")]


def test_an_odd_number_of_rows_in_one_excerpt_stops_curation(run):
    rows = [dict(price("2025-09", v, "https://weekly.example/y"), quote_ref="84c7c5f4") for v in ("90", "105", "150")]
    with pytest.raises(CurationError, match=r"reported_magnets_world.csv:2,3,4: 3 price rows of one excerpt do not pair up"):
        run(rows)


def test_a_lone_end_of_a_range_joins_its_range(run):
    """gmteight's 250 t filed alone in one file is the low end of 250-310 filed in another."""
    rows = [dict(price("2025-04", v, "https://g.example/1"), quote_ref="a051e636") for v in ("250", "310")]
    t = run([rows, [dict(price("2025-04", "250", "https://g.example/1"), quote_ref="a051e636")]])
    (quote,) = t["prices"]
    assert (quote["low"], quote["high"]) == ("250", "310")
    (alone,) = [r for r in t["reconciliation"] if r["input_file"] == "reported_more_1.csv"]
    assert alone["decision"] == "merged" and alone["reason"].endswith("an end of the same excerpt's range, filed alone | same quote")


def test_yttrium_oxide_europe_september_2025_is_two_weekly_quotes():
    quotes = sorted((p["low"], p["high"]) for p in table("prices") if (p["product"], p["market"], p["period"]) == ("y_oxide", "EU27", "2025-09"))
    assert quotes == [("150", "200"), ("90", "105")]


# --- a relabel keeps its reason through the merge -------------------------------------------------

def test_a_correction_keeps_its_reason_when_the_row_merges(run):
    correction = {"source_url_contains": "wow.example", "period": "2025-10", "partner": "WLD", "product": "magnets",
                  "value": "4343.5", "action": "set_product", "new_value": "rare_earths", "reason": "Mislabelled category."}
    t = run([fig("2025-10", "4343.5", "https://wow.example/1"), fig("2025-10", "4343.5", "https://a.example/1", product="rare_earths")],
            corrections=[correction], weak=["wow.example"])
    assert log_of(t)[2]["reason"] == "correction: Mislabelled category. | weak source agreeing with reliable sources"


def test_the_wownews24x7_relabel_keeps_its_reason():
    (row,) = [r for r in table("reconciliation") if r["source_id"].startswith("wownews24x7")]
    assert row["reason"].startswith("correction: Mislabelled category: 4,343.5 t is China's total rare-earth")


# --- prices: one market per quote, bounds, weak sites, export quotes --------------------------------

def test_one_quote_under_two_markets_stops_curation(run):
    rows = [dict(price("2025", "224", "https://adamas.example/p", market="WLD"), quote_ref="e67863e8"),
            dict(price("2025", "224", "https://adamas.example/p", market="UNSPEC"), quote_ref="e67863e8")]
    with pytest.raises(CurationError, match=r"is filed under markets WLD .* and UNSPEC; exclude the wrong one"):
        run(rows)


def test_no_quote_is_filed_under_two_markets():
    seen = {}
    for p in table("prices"):
        for sid in p["source_ids"].split(";"):
            key = (p["product"], p["period"], p["low"], p["high"], sid)
            assert seen.setdefault(key, p["market"]) == p["market"], key


def test_a_bound_keeps_its_qualifier_and_is_no_price(run):
    t = run([dict(price("2025", "1100", "https://adamas.example/p"), qualifier="ask price; over")])
    (quote,) = t["prices"]
    assert quote["qualifier"] == "ask price; over"


def test_the_ask_price_surpassing_1100_is_a_bound_left_out_of_premiums(tmp_path):
    (quote,) = [p for p in table("prices") if (p["product"], p["market"], p["period"]) == ("dy_oxide", "EU27", "2025")]
    assert (quote["low"], quote["qualifier"]) == ("1100", "ask price; over")
    lines = ["product,market,period,low,high,unit,qualifier,source_ids,reliability,note",
             "y_oxide,EU27,2025-12,350,350,USD/kg,ask price; over,a,relay,", "y_oxide,CHN,2025-12,7,7,USD/kg,,b,relay,"]
    (tmp_path / "prices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert price_premium(load_prices(tmp_path), "y_oxide").empty


def test_a_quote_only_weak_pages_give_is_not_kept(run):
    t = run([price("2025-05", "30", "https://raremetals.example/sm"), price("2025-05", "35", "https://raremetals.example/sm")],
            weak=["raremetals.example"])
    assert t["prices"] == []
    assert {r["reason"] for r in t["reconciliation"]} == {"product map: The quotes are for the oxide. | only sources flagged weak report this quote"}


def test_samarium_prices_resting_on_a_weak_site_are_gone_and_every_quote_has_a_reliable_page():
    assert not [p for p in table("prices") if p["product"] == "sm_oxide"]
    tiers = {s["source_id"]: s["reliability"] for s in table("sources")}
    for p in table("prices"):
        assert any(tiers[i] not in ("weak", "excluded") for i in p["source_ids"].split(";")), p


def test_smm_dollar_quotes_are_export_quotes_not_prices_inside_china():
    smm = [p for p in table("prices") if "news-metal-com" in p["source_ids"] and p["product"] in ("nd_oxide", "dy_oxide")]
    assert smm and {p["market"] for p in smm} == {"CHNFOB", "EU27"}


# --- tiers, exclusions, titles -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def source_rules():
    return SourceRules.load(ROOT / "curation")


@pytest.mark.parametrize("url, tier", [
    ("http://3.127.128.221/2025/08/07/china-rare-earth-exports-2", "excluded"),
    ("https://appwritefunc.yet-another-testing-domain.com/api/grab?url=x", "excluded"),
    ("https://test.daily8.com/en/article/033fe4570446f8db877ad583755ff528", "excluded"),
    ("https://main.d358xbzettaslu.amplifyapp.com/en/article/e0c6", "excluded"),
    ("https://www.mexc.co/en-IN/news/mbit-casino-leads-bitcoin-gaming/104882", "excluded"),
    ("https://www.tradingkey.com/es/news/cryptocurrencies/251123467-cryptopolitan", "excluded"),
    ("https://scmp.sxfx.eu.org/economy/article/3337346/x", "excluded"),
    ("https://www.samarium.dev/news/x", "weak"),
    ("https://www.dailymail.co.uk/wires/reuters/article-1/China-May.html", "agency"),
    ("https://news.metal.com/newscontent/103692906/x", "trade press"),
    ("https://www.tradingkey.com/news/commodities/261489648-reuters", "relay"),
    ("https://udn.com/news/story/7333/9020185", "relay"),
])
def test_tiers_follow_the_rules(source_rules, url, tier):
    assert source_rules.tier_of(url).tier == tier


@pytest.mark.parametrize("url, credits, product, body", [
    ("https://www.dailymail.co.uk/wires/reuters/article-1/x.html", "", "magnets", "Reuters"),
    ("https://www.kitco.com/news/off-the-wire/2025-08-20/chinas-rare-earth-magnet-exports", "", "magnets", "Reuters"),
    ("https://www.tradingkey.com/news/commodities/261489648-reuters", "", "magnets", "Reuters"),
    ("https://a.example/1", "China customs; Bloomberg", "rare_earths", "Bloomberg"),
    ("https://news.az/x", "", "re_products_incl_magnets", "Bloomberg"),
    ("https://news.metal.com/newscontent/1/x", "", "nd_oxide", "SMM"),
    ("https://a.example/1", "China customs", "magnets", None),
])
def test_credited_bodies_follow_the_rules(source_rules, url, credits, product, body):
    credit = source_rules.credit_of(url, credits, product)
    assert (credit.body if credit else None) == body


def test_an_address_date_is_read_where_the_vintage_has_none(source_rules):
    assert source_rules.date_in("https://www.kitco.com/news/off-the-wire/2025-08-20/x") == "2025-08-20"
    assert source_rules.date_in("https://gbc1.net/index.php/2026/01/12/x") == "2026-01-12"
    assert source_rules.date_in("https://udn.com/news/story/7333/9020185") == ""


@pytest.mark.parametrize("url, title", [
    ("https://tw.news.yahoo.com/%E4%B8%AD%E5%9C%8B11%E6%9C%88%E7%A8%80%E5%9C%9F-1", "中國11月稀土"),
    ("https://www.globalbankingandfinance.com/CHINA-EU-RAREEARTHS-bfa1cd5b-671d-4960-94a3-e9bf95a60bcb", "China EU rareearths"),
    ("https://wiobs.com/u-s-rare-earth-magnet-imports-from-china-skyrocket-in-june/amp", "US rare earth magnet imports from China skyrocket in june"),
    ("https://thereport.be/article?u=https%3A%2F%2Fwww.yahoo.com%2Fnews%2Fchina-rare-earth-magnet-exports-1.html", "China rare earth magnet exports"),
    ("https://udn.com/news/story/7333/9020185", ""),
    ("https://www.fastmarkets.com/?p=57207", ""),
])
def test_titles_from_addresses(url, title):
    assert title_from_address(url) == title


def test_every_source_has_a_real_title():
    for s in table("sources"):
        assert not s["title"].startswith("Page on"), s["source_id"]
        assert "%" not in s["title"] or s["title"].startswith("["), s["source_id"]
        assert s["title"].strip(), s["source_id"]
    described = [s for s in table("sources") if s["title"].startswith("[")]
    assert all(s["title"].endswith(f"; published by {s['publisher']}]") for s in described)


def test_excluded_pages_set_nothing_and_are_never_cited():
    tiers = {s["source_id"]: s["reliability"] for s in table("sources")}
    for name in ("observations", "prices"):
        for row in table(name):
            assert not [i for i in row["source_ids"].split(";") if tiers[i] == "excluded"], row
    for r in table("reconciliation"):
        if tiers[r["source_id"]] == "excluded":
            assert r["decision"] == "excluded" and r["reason"].startswith("excluded source: ")


def test_weak_pages_never_set_a_value():
    tiers = {s["source_id"]: s["reliability"] for s in table("sources")}
    for r in table("reconciliation"):
        if tiers[r["source_id"]] == "weak":
            assert r["decision"] != "used", r


def test_figures_record_their_originator_apart_from_their_relays():
    obs = table("observations")
    assert {o["originator"] for o in obs} == {"China customs"}
    bloomberg = [o for o in obs if o["product"] == "re_products_incl_magnets"]
    assert bloomberg and {o["agency"] for o in bloomberg} == {"Bloomberg"}
    for o in obs:
        if o["story_date"]:
            assert o["agency"], o
    assert source_id_for("https://www.dailymail.co.uk/") not in {i for o in obs for i in o["source_ids"].split(";")}


@pytest.mark.parametrize("file, text, message", [
    ("source_tiers.csv", "match,pattern,tier,reason\ndomain,a.example,weak,why\n",
     "the last rule must be `any`"),
    ("source_tiers.csv", "match,pattern,tier,reason\nsite,a.example,weak,why\nany,,relay,why\n",
     r"source_tiers.csv:2: match 'site'; expected one of domain, host, address, any"),
    ("source_tiers.csv", "match,pattern,tier,reason\ndomain,a.example,official,why\nany,,relay,why\n",
     r"source_tiers.csv:2: tier 'official'.*official is for customs downloads"),
    ("source_tiers.csv", "match,pattern,tier,reason\nhost,(unclosed,excluded,why\nany,,relay,why\n",
     r"source_tiers.csv:2: pattern '\(unclosed' is not a regular expression"),
    ("source_tiers.csv", "match,pattern,tier,reason\ndomain,a.example,weak,\nany,,relay,why\n",
     r"source_tiers.csv:2: a tier needs its reason"),
    ("attribution.csv", "match,pattern,body,role,reason\ncredits,Reuters,Reuters,wire,why\n",
     r"attribution.csv:2: expected match one of credits, address, domain, product, role one of agency, assessor"),
])
def test_a_malformed_source_rule_is_named_with_its_line(tmp_path, file, text, message):
    import shutil

    for name in ("source_tiers.csv", "attribution.csv", "address_dates.csv"):
        shutil.copyfile(ROOT / "curation" / name, tmp_path / name)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=message):
        SourceRules.load(tmp_path)
