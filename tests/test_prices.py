"""Price premium outside China over inside, with ranges kept as ranges (values by hand)."""

import pandas as pd
import pytest

from rare_earth_exports.chapters.flow import prices as pg
from rare_earth_exports.core.sources import publishers
from rare_earth_exports.core.load import load_prices
from rare_earth_exports.core.series import price_premium

COLUMNS = "product,market,period,low,high,unit,source_ids,reliability,note"
SOURCES = pd.DataFrame({"source_id": ["a-1", "b-1", "c-1", "w-1"], "publisher": ["a.com", "b.org", "c.net", "weak.example"]})


def prices(tmp_path, rows: list[str]) -> pd.DataFrame:
    (tmp_path / "prices.csv").write_text("\n".join([COLUMNS, *rows]) + "\n", encoding="utf-8")
    return load_prices(tmp_path)


@pytest.fixture
def p(tmp_path):
    return prices(tmp_path, [
        # November: two European quotes (a range and a single figure) widen to 220-320; China 7.
        "y_oxide,EU27,2025-11,220,320,USD/kg,a-1,relay,",
        "y_oxide,EU27,2025-11,270,270,USD/kg,b-1,relay,",
        "y_oxide,CHN,2025-11,7,7,USD/kg,c-1,relay,",
        "y_oxide,EU27,2025-12,150,200,USD/kg,a-1,relay,",  # no Chinese quote in December
        "y_oxide,UNSPEC,2025,6.5,6.5,USD/kg,a-1,relay,",
        "nd_oxide,EU27,2025-12,30,60,USD/kg,a-1,relay,",
        "nd_oxide,CHN,2025-12,10,20,USD/kg,c-1,relay,",
        "sm_oxide,EU27,2025-05,40,45,USD/kg,w-1,weak,",
        "sm_oxide,CHN,2025-05,30,35,USD/kg,w-1,weak,",
        "dy_oxide,EU27,2025-05,700,1000,USD/kg,a-1,relay,",
        "dy_oxide,CHN,2025-12,267,307,USD/kg,c-1,relay,",
        "dy_oxide,EU27,2025,1100,1100,USD/kg,a-1,relay,",
    ])


def test_premium_keeps_ranges_as_ranges(p):
    y = price_premium(p, "y_oxide")
    assert list(y.index.astype(str)) == ["2025-11"]
    # low 220 / 7, high 320 / 7, midpoints (220 + 320) / (7 + 7)
    assert y.iloc[0]["low"] == pytest.approx(220 / 7)
    assert y.iloc[0]["high"] == pytest.approx(320 / 7)
    assert y.iloc[0]["mid"] == pytest.approx(540 / 14)
    nd = price_premium(p, "nd_oxide").iloc[0]
    # 30 / 20 = 1.5 up to 60 / 10 = 6; midpoints 45 / 15 = 3
    assert (nd["low"], nd["high"], nd["mid"]) == pytest.approx((1.5, 6.0, 3.0))


def test_premium_compares_the_same_month_only(p):
    # Dysprosium: Europe in May and for the year, China in December: no pair.
    assert price_premium(p, "dy_oxide").empty
    assert price_premium(p, "tb_oxide").empty


def test_premiums_carry_sources_and_the_weakest_reliability(p):
    prem = pg.premiums(p, ["y_oxide", "sm_oxide", "dy_oxide"])
    assert list(prem["product"]) == ["y_oxide", "sm_oxide"]
    y, sm = prem.iloc[0], prem.iloc[1]
    assert y["source_ids"] == "a-1;b-1;c-1" and y["reliability"] == "relay" and y["inside_words"] == "inside China"
    assert sm["reliability"] == "weak"
    # 40 / 35 to 45 / 30
    assert (sm["low"], sm["high"]) == pytest.approx((40 / 35, 1.5))
    assert pg.without_premium(p, ["y_oxide", "dy_oxide", "tb_oxide"]) == ["dy_oxide", "tb_oxide"]


def test_quotes_keep_market_period_and_who_said_it(p):
    q = pg.quotes(p, SOURCES, ["y_oxide"])
    assert list(q["market"]) == ["CHN", "EU27", "EU27", "EU27", "UNSPEC"]
    assert q.iloc[0]["market_label"] == "Inside China" and q.iloc[-1]["market_label"] == "Market not stated"
    year = q[q["period"] == "2025"].iloc[0]
    assert year["date"] == pd.Timestamp("2025-01-01") and year["date_end"] == pd.Timestamp("2026-01-01")
    rng = q[(q["period"] == "2025-11") & (q["low"] == 220)].iloc[0]
    assert rng["mid"] == 270 and rng["kind"] == "range" and rng["publishers"] == "a.com"


def test_publishers_sorted_once_each():
    assert publishers("c-1;a-1;a-1", SOURCES) == "a.com, c.net"
    assert publishers(["b-1;a-1", "c-1"], SOURCES) == "a.com, b.org, c.net"
    assert publishers("", SOURCES) == ""


@pytest.mark.parametrize("tiers, weakest", [(["relay", "weak"], "weak"), (["official", "trade press"], "trade press"),
                                            (["agency"], "agency"), (["relay", "unrated"], "unrated"), ([], "")])
def test_a_premium_is_as_reliable_as_its_weakest_quote(tiers, weakest):
    assert pg.weakest(tiers) == weakest


def test_premiums_against_chinas_export_price_are_kept_apart(tmp_path):
    p = prices(tmp_path, [
        "nd_oxide,EU27,2026-01,170,190,USD/kg,a-1,trade press,",
        "nd_oxide,CHNFOB,2026-01,120,140,USD/kg,c-1,trade press,",
        "nd_oxide,CHN,2025-12,100,110,USD/kg,c-1,relay,",
        "nd_oxide,EU27,2025-12,150,165,USD/kg,a-1,relay,",
    ])
    prem = pg.premiums(p, ["nd_oxide"])
    assert list(zip(prem["month"], prem["inside"])) == [("2025-12", "CHN"), ("2026-01", "CHNFOB")]
    fob = prem.iloc[1]
    # 170 / 140 to 190 / 120
    assert (fob["low"], fob["high"]) == pytest.approx((170 / 140, 190 / 120))
    assert fob["inside_words"] == "China's export price (FOB)" and fob["reliability"] == "trade press"
    evidence = pg.price_evidence(p, SOURCES, ["nd_oxide"])
    assert evidence.latest_premium("nd_oxide")["month"] == "2026-01"
    assert pg.quotes(p, SOURCES, ["nd_oxide"]).iloc[0]["market_label"] == "Inside China"
    assert set(pg.quotes(p, SOURCES, ["nd_oxide"])["market_label"]) == {"Inside China", "China, export price (FOB)", "Europe (Rotterdam)"}


def test_quotes_since_a_month_leave_out_a_years_quote(p):
    evidence = pg.price_evidence(p, SOURCES, ["y_oxide", "dy_oxide"])
    since = evidence.quotes_since("2025-12")
    assert list(zip(since["product"], since["market"], since["period"])) == [
        ("y_oxide", "EU27", "2025-12"), ("dy_oxide", "CHN", "2025-12")]
