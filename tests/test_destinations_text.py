"""The destinations page on a small hand-made data package: its measures, one test per branch of
each sentence, and what the page glues."""

from __future__ import annotations

import json
import math
import re

import pandas as pd
import pytest

from rare_earth_exports.chapters.destinations import charts, tables, text
from rare_earth_exports.chapters.destinations.measures import destinations_page
from rare_earth_exports.core.load import BookData, load_observations
from rare_earth_exports.present.page import METRICS_KEY, Page

from collapse_helpers import CONTROL, FLOORS, QUARTER, YEAR, monthly
from series_helpers import HEADER

P = lambda text: pd.Period(text, "M")  # noqa: E731
REFERENCE = re.compile(r"\{glue:text\}`([^`:]+)(?::([^`]*))?`")
RULE = {"product": "magnets", "min_months": 3, "since": "2025-01", "exclude": ["WLD"]}
SECTIONS = ["USA", "EU27", "DEU"]
NAMES = {"USA": "the United States", "EU27": "the European Union", "DEU": "Germany", "EUROPE": "Europe"}

WORLD = [("2024", "WLD", 1200), *monthly("WLD", "2025-01", [100, 60, 110, 50, 20, 60, 105, 95, 100, 110, 120, 100]),
         ("2026-01/2026-02", "WLD", 176), ("2026-03", "WLD", 99)]
# Q1 2025: 11 a month; May 2 (June's change on it is under the 10 t floor); November falls while the total
# rises; January-February 2026 against 24 a year before; March 2026 the lowest since May 2025, against a
# March 2025 under the floor.
USA = [*monthly("USA", "2025-01", [15, 9, 9, 5, 2, 6, 21, 19, 19, 19, 15, 14]), ("2026-01/2026-02", "USA", 18),
       ("2026-03", "USA", 5)]
DEU = [("2025-04", "DEU", 5), ("2025-06", "DEU", 12), ("2025-08", "DEU", 19)]
EU27 = [("2025-06", "EU27", 40), ("2025-07", "EU27", 42), ("2025-08", "EU27", 38)]   # 120 of 260: 46.2 %


def events() -> pd.DataFrame:
    rows = [("c", "2025-04-04", "control", "CHN", "Licences for seven rare earths", "magnets"),
            ("t1", "2025-04-10", "tariff", "USA", "US tariffs at 145%", "tariffs;CHN"),
            ("t2", "2025-04-11", "tariff", "CHN", "China tariffs at 125%", "tariffs;USA"),
            ("g", "2025-05-12", "truce", "USA;CHN", "Geneva tariff truce", "tariffs;USA"),
            ("b", "2025-10-30", "truce", "USA;CHN", "Busan deal", "rare earths;magnets;all")]
    frame = pd.DataFrame(rows, columns=["event_id", "date", "kind", "actor", "title", "affects"])
    frame["day"] = pd.to_datetime(frame["date"])
    frame["month"] = frame["day"].dt.to_period("M")
    return frame


def package(tmp_path, rows: list[tuple], europe: float | None = 44, with_events: bool = True) -> BookData:
    lines = [f"{p},CHN,{partner},export,magnets,t,{v},reported,src-{partner}-{p},\n" for p, partner, v in rows]
    if europe is not None:
        lines.append(f"2026-01/2026-02,CHN,EUROPE,export,magnets,pct,{europe},reported,src-europe,\n")
    (tmp_path / "observations.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    names = {"WLD": "All destinations", "USA": "United States", "EU27": "European Union (27)", "DEU": "Germany",
             "EUROPE": "Europe (as reported)"}
    return BookData(observations=load_observations(tmp_path), prices=pd.DataFrame(),
                    events=events() if with_events else events().iloc[0:0],
                    sources=pd.DataFrame({"source_id": [], "published": []}),
                    products=pd.DataFrame({"product": ["magnets"], "name": ["Rare-earth permanent magnets"]}),
                    partners=pd.DataFrame({"partner": list(names), "name": list(names.values())}),
                    reconciliation=pd.DataFrame())


def page(tmp_path, rows=None, europe: float | None = 44, with_events: bool = True, end: str = "2026-03"):
    data = package(tmp_path, WORLD + USA + DEU + EU27 if rows is None else rows, europe, with_events)
    return destinations_page(data, "magnets", CONTROL, [YEAR, QUARTER], YEAR, "2024-01", end, [1, 2], FLOORS, RULE,
                             SECTIONS, NAMES, "EUROPE", "EU27")


def dest(pg, partner):
    return next(d for d in pg.destinations if d.partner == partner)


def glue(pg, glued) -> dict:
    text.glue_page(pg, SECTIONS, Page(chapter="destinations", page="destinations"))
    return glued


# --- measures -----------------------------------------------------------------------------------------

def test_the_sections_come_first_and_each_destination_gets_its_first_covered_window(tmp_path):
    pg = page(tmp_path)
    assert [d.partner for d in pg.destinations] == ["USA", "EU27", "DEU"] and pg.others == ()
    usa = dest(pg, "USA")
    assert usa.baseline.window.name == "Q1 2025" and usa.baseline.base.mean == pytest.approx(11)
    assert dest(pg, "DEU").baseline is None
    assert (usa.apart.month, usa.apart.change.pct, usa.apart.world.pct) == (
        P("2025-11"), pytest.approx(15 / 19 * 100 - 100), pytest.approx(100 / 11))
    assert usa.tariffs["event_id"].tolist() == ["t1", "t2"] and usa.truces["event_id"].tolist() == ["g"]
    assert dest(pg, "DEU").tariffs.empty


def test_the_wider_group_s_share_is_bounded_by_the_narrower_one_inside_it(tmp_path):
    e = page(tmp_path, europe=50).europe
    assert (e.name, e.period, e.pct, e.narrower) == ("Europe", "2026-01/2026-02", 50.0, "the European Union")
    assert e.narrower_share.pct == pytest.approx(120 / 260 * 100) and e.narrower_share.figures == 3
    assert e.rise_at_most == pytest.approx(50 - 120 / 260 * 100)
    assert page(tmp_path, europe=None).europe is None


# --- a destination's section ----------------------------------------------------------------------------

def test_low_pinned_with_a_rebound_on_a_base_under_the_floor(tmp_path, glued):
    pg = page(tmp_path)
    assert text.low_sentence(dest(pg, "USA")) == (
        "Its exports bottomed out in {glue:text}`dest_USA_low_words` at {glue:text}`dest_USA_low_level:,.0f` t; every "
        "month from {glue:text}`dest_control_month` to {glue:text}`dest_USA_low_after_words` has a figure. In "
        "{glue:text}`dest_USA_rebound_words` exports came back to {glue:text}`dest_USA_rebound_level:,.0f` t; the change "
        "on the month before is not meaningful (its base is under {glue:text}`dest_floor:,.0f` t).")
    g = glue(pg, glued)
    assert (g["dest_USA_low_words"], g["dest_USA_low_level"], g["dest_USA_rebound_level"], g["dest_floor"]) == (
        "May 2025", 2.0, 6.0, 10.0)
    assert "dest_USA_rebound_mom" not in g


def test_low_pinned_with_a_rebound_that_has_a_base(tmp_path):
    rows = WORLD + [*monthly("USA", "2025-01", [30, 20, 30, 25, 12, 24, 30])] + DEU
    assert text.low_sentence(dest(page(tmp_path, rows, europe=None), "USA")).endswith(
        "In {glue:text}`dest_USA_rebound_words` exports came back to {glue:text}`dest_USA_rebound_level:,.0f` t, a change "
        "of {glue:text}`dest_USA_rebound_mom:+.1f` %.")


def test_low_with_gaps_around_it(tmp_path):
    pg = page(tmp_path)
    assert text.low_sentence(dest(pg, "DEU")) == (
        "Its lowest reported month after the controls is {glue:text}`dest_DEU_low_words` "
        "({glue:text}`dest_DEU_low_level:,.0f` t), but {glue:text}`dest_DEU_low_unknown` has no figure, so the trough "
        "may have been deeper or at another time.")
    assert "{glue:text}`dest_EU27_low_n_unknown:,.0f` of the months from {glue:text}`dest_control_month` to " \
           "{glue:text}`dest_EU27_low_after_words` have no figure" in text.low_sentence(dest(pg, "EU27"))


def test_no_figure_after_the_controls(tmp_path):
    rows = WORLD + USA + EU27 + [("2025-01", "DEU", 5), ("2025-02", "DEU", 6), ("2025-03", "DEU", 7)]
    assert text.low_sentence(dest(page(tmp_path, rows), "DEU")) == (
        "No month from {glue:text}`dest_control_month` on has a figure of its own, so its fall and recovery are not in "
        "the data.")


def test_a_baseline_regained_or_not_and_none(tmp_path, glued):
    pg = page(tmp_path)
    assert text.baseline_sentence(dest(pg, "USA")) == (
        "Its baseline is {glue:text}`dest_USA_base_name` ({glue:text}`dest_USA_base_reason`): "
        "{glue:text}`dest_USA_base_mean:,.0f` t a month. In {glue:text}`dest_USA_low_words` its exports were "
        "{glue:text}`dest_USA_low_index:.1f` % of that level. They regained it in {glue:text}`dest_USA_regained_words`, "
        "and were at or above it in {glue:text}`dest_USA_held:,.0f` of the {glue:text}`dest_USA_since:,.0f` months "
        "published on their own from then on. In {glue:text}`dest_USA_newest_words` they stood at "
        "{glue:text}`dest_USA_newest_index:.1f` % of it.")
    assert text.baseline_sentence(dest(pg, "DEU")) == (
        "Its figures cover none of the book's baseline windows ({glue:text}`dest_window_names`), so the fall itself is "
        "not in the data: this section shows its level and share since the controls.")
    g = glue(pg, glued)
    # regained in July (21 >= 11); at or above 11 from July to December, not in March 2026: 6 of 7 months
    assert (g["dest_USA_regained_words"], g["dest_USA_held"], g["dest_USA_since"]) == ("July 2025", 6.0, 7.0)
    assert g["dest_USA_newest_index"] == pytest.approx(5 / 11 * 100, abs=1e-4)
    assert g["dest_window_names"] == "2024 and Q1 2025"
    rows = WORLD + [*monthly("USA", "2025-01", [15, 9, 9, 5, 2, 6, 5])] + DEU + EU27
    assert " They had not regained it by {glue:text}`dest_USA_newest_words`." in text.baseline_sentence(
        dest(page(tmp_path, rows), "USA"))


def test_the_cost_against_the_destination_s_baseline(tmp_path, glued):
    pg = page(tmp_path)
    assert text.cost_sentence(dest(pg, "USA")) == (
        "Against a counterfactual from {glue:text}`dest_USA_base_name`, spread over the months by the seasonal pattern "
        "of China's total in {glue:text}`dest_pattern_words` (a destination has none of its own), its exports fell "
        "short by {glue:text}`dest_USA_shortfall_recovery_t:,.0f` t from {glue:text}`dest_control_month` to "
        "{glue:text}`dest_USA_regained_words` and by {glue:text}`dest_USA_shortfall_t:,.0f` t from "
        "{glue:text}`dest_control_month` to {glue:text}`dest_USA_newest_words`, net of the months above it.")
    assert text.cost_sentence(dest(pg, "DEU")) == ""
    g = glue(pg, glued)
    # a flat 2024 pattern: 11 a month; April to July 6 + 9 + 5 - 10 = 10; then August to October -8 each,
    # November -4, December -3, January-February 2026 22 - 18 = 4, March 6
    assert g["dest_USA_shortfall_recovery_t"] == pytest.approx(10)
    assert g["dest_USA_shortfall_t"] == pytest.approx(10 - 24 - 4 - 3 + 4 + 6)


def test_the_cost_with_a_gap_or_before_the_recovery(tmp_path):
    gap = WORLD + [r for r in USA if r[0] != "2025-09"] + DEU + EU27
    assert text.cost_sentence(dest(page(tmp_path, gap), "USA")) == (
        "Months after the controls lack a figure, so its shortfall cannot be summed.")
    early = WORLD + [*monthly("USA", "2025-01", [15, 9, 9, 5, 2, 6, 5])] + DEU + EU27
    assert "{glue:text}`dest_USA_regained_words`" not in text.cost_sentence(dest(page(tmp_path, early), "USA"))


def test_tariff_moves_named_as_a_second_cause(tmp_path, glued):
    pg = page(tmp_path)
    assert text.tariff_sentence(dest(pg, "USA")) == (
        "The controls were not the only cause of its fall. In the same weeks tariffs rose on both sides: "
        "{glue:text}`dest_USA_tariff_words`; then {glue:text}`dest_USA_truce_words`. Its baseline, "
        "{glue:text}`dest_USA_base_name`, holds the months before them, when buyers may have brought orders forward. "
        "The figures cannot tell how much of the fall each cause made.")
    assert text.tariff_sentence(dest(pg, "DEU")) == ""
    g = glue(pg, glued)
    assert g["dest_USA_tariff_words"] == "US tariffs at 145% (10 April 2025) and China tariffs at 125% (11 April 2025)"
    assert g["dest_USA_truce_words"] == "Geneva tariff truce (12 May 2025)"
    assert text.tariff_sentence(dest(page(tmp_path, with_events=False), "USA")) == ""


def test_shares_before_after_and_since(tmp_path, glued):
    pg = page(tmp_path)
    assert text.share_sentence(dest(pg, "USA")) == (
        "Before the controls it took {glue:text}`dest_USA_share_before:.1f` % of China's exports of these goods "
        "({glue:text}`dest_USA_share_before_words`, pooled over the figures both have); over "
        "{glue:text}`dest_after_words`, {glue:text}`dest_USA_share_after:.1f` %; over "
        "{glue:text}`dest_USA_share_latest_words`, {glue:text}`dest_USA_share_latest:.1f` %.")
    assert text.share_sentence(dest(pg, "DEU")) == (
        "No figure before the controls gives its share of China's exports then; over {glue:text}`dest_after_words`, "
        "{glue:text}`dest_DEU_share_after:.1f` %.")
    g = glue(pg, glued)
    assert g["dest_USA_share_before"] == pytest.approx(33 / 270 * 100, abs=1e-4)
    assert g["dest_USA_share_after"] == pytest.approx(120 / 760 * 100, abs=1e-4)
    assert g["dest_USA_share_latest"] == pytest.approx(23 / 275 * 100, abs=1e-4)
    assert (g["dest_USA_share_before_words"], g["dest_after_words"], g["dest_USA_share_latest_words"]) == (
        "January to March 2025", "April to December 2025", "January to March 2026")


def test_the_newest_figures_like_with_like_and_how_low(tmp_path, glued):
    pg = page(tmp_path)
    assert text.latest_sentence(dest(pg, "USA")) == (
        "Its figures since: {glue:text}`dest_USA_2026_01_2026_02_words`, {glue:text}`dest_USA_2026_01_2026_02_level:,.0f` "
        "t (one figure for both months), {glue:text}`dest_USA_2026_01_2026_02_yoy:+.1f` % on the same months a year "
        "before; {glue:text}`dest_USA_2026_03_words`, {glue:text}`dest_USA_2026_03_level:,.0f` t, a change on a year "
        "before that is not meaningful. {glue:text}`dest_USA_newest_words` was its lowest month since "
        "{glue:text}`dest_USA_low_since_words`: a low of {glue:text}`dest_USA_low_since_months:,.0f` months.")
    assert text.latest_sentence(dest(pg, "DEU")) == (
        "Its newest figure is for {glue:text}`dest_DEU_newest_words`: {glue:text}`dest_DEU_newest_level:,.0f` t.")
    g = glue(pg, glued)
    assert g["dest_USA_2026_01_2026_02_yoy"] == pytest.approx(-25)
    assert (g["dest_USA_low_since_words"], g["dest_USA_low_since_months"]) == ("May 2025", 10.0)


def test_a_newest_figure_with_a_year_before_and_no_firm_low(tmp_path):
    rows = WORLD + [*monthly("USA", "2025-03", [30, 20, 12, 24, 30, 30, 30, 30, 30, 30]), ("2026-03", "USA", 29)] + DEU + EU27
    assert text.latest_sentence(dest(page(tmp_path, rows), "USA")) == (
        "Its figures since: {glue:text}`dest_USA_2026_03_words`, {glue:text}`dest_USA_2026_03_level:,.0f` t, "
        "{glue:text}`dest_USA_2026_03_yoy:+.1f` % on the same months a year before.")  # January-February 2026: a gap


def test_a_newest_figure_without_a_year_before(tmp_path):
    rows = WORLD + [*monthly("USA", "2025-04", [30, 20, 12, 24, 30, 30, 30, 30, 30]), ("2026-03", "USA", 29)] + DEU + EU27
    assert text.latest_sentence(dest(page(tmp_path, rows), "USA")) == (
        "Its figures since: {glue:text}`dest_USA_2026_03_words`, {glue:text}`dest_USA_2026_03_level:,.0f` t.")


APART = ("In {glue:text}`dest_USA_apart_words` its exports changed by {glue:text}`dest_USA_apart_mom:+.1f` % while "
         "China's total rose by {glue:text}`dest_USA_apart_world_mom:+.1f` %: of the months after the controls in which "
         "it fell while the total rose, the one with the widest gap. One month cannot tell a change of treatment from "
         "an ordinary swing")


def test_the_month_it_fell_while_the_total_rose(tmp_path, glued):
    pg = page(tmp_path)
    assert text.apart_sentence(dest(pg, "USA"), pg.world.measures.swing) == APART + "."  # no yardstick: 2024 is a total
    assert text.apart_sentence(dest(pg, "DEU"), pg.world.measures.swing) == ""
    months_2024 = monthly("WLD", "2024-04", [100, 104, 98, 101, 99, 103, 100, 97, 102])
    with_swings = page(tmp_path, WORLD + months_2024 + USA + DEU + EU27)
    assert text.apart_sentence(dest(with_swings, "USA"), with_swings.world.measures.swing) == APART + (
        ": China's total itself moved by a standard deviation of {glue:text}`dest_swing_sd:.1f` percentage points from "
        "month to month before the controls, and a single destination moves more.")
    g = glue(pg, glued)
    assert g["dest_USA_apart_words"] == "November 2025"
    row = pd.DataFrame(json.loads(g[METRICS_KEY])).set_index("glue_key").loc["dest_USA_apart_world_mom"]
    assert (row["partner"], row["period"], row["basis"]) == ("WLD", "2025-11", "while USA fell")


# --- the page --------------------------------------------------------------------------------------------

def test_overview_with_and_without_a_destination_known_before(tmp_path, glued):
    pg = page(tmp_path)
    assert text.overview(pg) == (
        "{glue:text}`dest_n_destinations:,.0f` destinations have at least {glue:text}`dest_min_months:,.0f` monthly "
        "figures of their own since {glue:text}`dest_since_words`: {glue:text}`dest_names`. Only "
        "{glue:text}`dest_with_before_words` has figures from before the controls, so only there can the fall itself "
        "be measured; for the others the page shows the level and the share of China's total since.")
    g = glue(pg, glued)
    assert (g["dest_n_destinations"], g["dest_names"], g["dest_with_before_words"]) == (
        3.0, "The United States, the European Union and Germany", "the United States")
    after = page(tmp_path, WORLD + DEU + EU27)
    assert "None has figures from before the controls" in text.overview(after)


def test_overview_names_destinations_without_a_section(tmp_path):
    rows = WORLD + USA + DEU + EU27 + [("2025-04", "JPN", 3), ("2025-05", "JPN", 4), ("2025-06", "JPN", 5)]
    pg = page(tmp_path, rows)
    assert [d.partner for d in pg.others] == ["JPN"]
    assert text.overview(pg).endswith(
        " {glue:text}`dest_others_words` qualifies by the same rule but has no section yet: see the table and the small "
        "multiples.")


def test_what_changed_the_first_section_s_share_and_the_wider_group(tmp_path, glued):
    pg = page(tmp_path, europe=50)
    assert text.latest_prose(pg) == (
        "The United States' share of China's exports fell again over {glue:text}`dest_USA_share_latest_words`: "
        "{glue:text}`dest_USA_share_latest:.1f` %, against {glue:text}`dest_USA_share_after:.1f` % over "
        "{glue:text}`dest_after_words` and {glue:text}`dest_USA_share_before:.1f` % before the controls.\n\n"
        "The press reported that {glue:text}`dest_europe_name` took {glue:text}`dest_europe_pct:.0f` % of China's "
        "exports in {glue:text}`dest_europe_words`. That share is for the group as reported, wider than "
        "{glue:text}`dest_eu_name`, whose own share the book has only after the controls: over "
        "{glue:text}`dest_eu_words`, {glue:text}`dest_eu_share:.1f` %, pooled over {glue:text}`dest_eu_figures:,.0f` "
        "monthly figures. The wider group's share then was at least that large, so its rise is at most "
        "{glue:text}`dest_europe_rise_max:.1f` percentage points, and the figures cannot say whether there was one.")
    g = glue(pg, glued)
    assert (g["dest_europe_name"], g["dest_eu_name"], g["dest_eu_words"], g["dest_europe_pct"]) == (
        "Europe", "the European Union", "June to August 2025", 50.0)
    assert g["dest_europe_rise_max"] == pytest.approx(50 - 120 / 260 * 100, abs=1e-4)


def test_what_changed_when_the_wider_share_is_no_larger_and_the_first_share_did_not_fall(tmp_path):
    rows = WORLD + [r for r in USA if not r[0].startswith("2026")] + [("2026-03", "USA", 40)] + DEU + EU27
    prose = text.latest_prose(page(tmp_path, rows, europe=44))
    assert "share of China's exports did not fall further over" in prose
    assert prose.endswith(" Even the wider group's share is no larger than the narrower one's was: by these figures it "
                          "did not rise.")
    assert text.latest_prose(page(tmp_path, rows, europe=None)).count("\n\n") == 0


@pytest.mark.parametrize("europe", [44, None])
def test_every_reference_is_glued_and_every_number_is_one_metrics_row(tmp_path, glued, europe):
    pg = page(tmp_path, europe=europe)
    g = glue(pg, glued)
    blocks = [str(g[k]) for k in g if k.startswith("dest_md_")]
    assert {k for k in g if k.startswith("dest_md_")} == {"dest_md_overview", "dest_md_latest", "dest_md_USA",
                                                            "dest_md_EU27", "dest_md_DEU"}
    metrics = pd.DataFrame(json.loads(g[METRICS_KEY]))
    by_key = metrics[metrics["glue_key"] != ""].groupby("glue_key")
    for key, fmt in REFERENCE.findall("\n".join(blocks)):
        assert key in g, f"the prose refers to {key}, which is not glued"
        if fmt:
            assert isinstance(g[key], float) and math.isfinite(g[key]), f"{key} = {g[key]!r}"
            assert len(by_key.get_group(key)) == 1 and by_key.get_group(key)["value"].iloc[0] == g[key]


def test_a_section_whose_destination_no_longer_qualifies_says_so(tmp_path, glued):
    pg = page(tmp_path, WORLD + USA + EU27)
    g = glue(pg, glued)
    assert g["dest_md_DEU"] == "This destination no longer has enough monthly figures of its own for a section."


# --- table and charts -------------------------------------------------------------------------------------

def test_the_table_has_a_row_per_destination(tmp_path):
    from test_collapse_charts_tables import cells

    rows = cells(tables.destinations_table(page(tmp_path)).markup)
    assert rows[0] == ["Destination", "Months with a figure", "Lowest after the controls (t)", "Newest (t)", "Baseline",
                       "Share before (%)", "Share to Dec 2025 (%)", "Share since (%)"]
    assert rows[1] == ["United States", "13", "2 in May 2025", "5 in March 2026", "Q1 2025", "12.2", "15.8", "8.4"]
    assert rows[3] == ["Germany", "3", "5 in Apr 2025 (gaps around it)", "19 in August 2025", "—", "—", "17.6", "—"]


def test_the_small_multiples_put_china_s_total_first(tmp_path):
    pg = page(tmp_path)
    fig = charts.panels_chart(pg, events())
    assert fig.panels == ["All destinations", "United States", "European Union", "Germany"] and len(fig.charts) == 4
    us = fig.data[(fig.data["Destination"] == "United States") & (fig.data["Period"] == "2026-01/2026-02")].iloc[0]
    assert us["Share of China's total (%)"] == pytest.approx(18 / 176 * 100, abs=0.01)
    assert [m.kind for m in fig.markers] == ["control"]


def test_a_section_chart_marks_the_destination_s_tariff_moves_and_its_counterfactual(tmp_path):
    pg = page(tmp_path)
    fig = charts.section_chart(dest(pg, "USA"), events())
    assert [m.kind for m in fig.markers] == ["control", "tariff", "truce", "truce"] and fig.name == "exports-usa"
    cost = charts.section_cost_chart(dest(pg, "USA"))
    assert cost.data.loc[cost.data["Period"] == "2025-04", "Counterfactual from Q1 2025"].iloc[0] == pytest.approx(11)
    assert charts.section_cost_chart(dest(pg, "DEU")) is None   # no baseline: no counterfactual


def test_the_home_page_s_note_on_the_newest_figure(tmp_path, glued):
    g = glue(page(tmp_path), glued)
    assert g["dest_USA_low_since_note"] == ", the lowest since May 2025" and g["dest_DEU_low_since_note"] == ""


def test_the_home_page_s_texts_on_the_newest_year(tmp_path, glued):
    """What the home page says of the newest year, with its numbers as the home page writes them."""
    g = glue(page(tmp_path, europe=50), glued)
    assert g["dest_USA_share_latest_lead"] == ("The United States' share kept falling: 8.4% of China's magnet exports over "
                                               "January to March 2026. ")
    assert g["dest_europe_note"] == (
        "The press reported that Europe took 50% in January to February 2026. That is Europe as a whole, wider than "
        "the European Union, which took 46.2% over June to August 2025 (the months the book has for it): Europe's "
        "rise was at most 3.8 percentage points.")
    assert g["dest_DEU_share_latest_lead"] == ""   # no figure since December


def test_the_home_page_s_texts_when_the_share_did_not_fall_or_rise(tmp_path):
    rows = WORLD + [r for r in USA if not r[0].startswith("2026")] + [("2026-03", "USA", 40)] + DEU + EU27
    pg = page(tmp_path, rows, europe=44)
    assert text.home_share_lead(dest(pg, "USA")).startswith("The United States' share did not fall further: ")
    assert text.home_europe_note(pg).endswith("(the months the book has for it): by these figures Europe's share did "
                                              "not rise.")


def test_the_home_page_s_texts_when_the_data_end_with_a_full_year(tmp_path):
    """Data through December: no month of a newer year, no share reported for Europe; the home page
    still has its texts, so it builds."""
    rows = [r for r in WORLD + USA + DEU + EU27 if not r[0].startswith("2026")]
    pg = page(tmp_path, rows, europe=None, end="2025-12")
    usa = dest(pg, "USA")
    assert text.home_share_lead(usa) == ""
    assert text.home_europe_note(pg) == "No share reported for Europe as a whole is in the data."
