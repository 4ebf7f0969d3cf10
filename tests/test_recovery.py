"""The collapse-and-recovery measures, the destination rule, and the chapter's glued numbers.

Series are small and their answers worked out by hand; the last tests read the executed pages in
book/ (the collapse page and the destinations page) and check that every number the prose shows
is glued, finite and in metrics.csv.
"""

from __future__ import annotations

import ast
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rare_earth_exports.chapters.collapse import measures as rc
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import load_observations
from rare_earth_exports.core.series import baseline, period_series, series_rows
from rare_earth_exports.present.page import METRICS_KEY
from rare_earth_exports.build.plan import build_plan, load_parameters
from rare_earth_exports.core.series import qualifying_partners

from collapse_helpers import FLOORS, QUARTER, YEAR
from series_helpers import months, observations

ROOT = Path(__file__).resolve().parents[1]
CONTROL = "2025-04-04"
P = lambda text: pd.Period(text, "M")  # noqa: E731


# --- small helpers --------------------------------------------------------------------------

def test_period_label_uses_the_data_package_notation():
    assert rc.period_label("2024-01", "2024-12") == "2024"
    assert rc.period_label("2025-01", "2025-03") == "2025-01/2025-03"
    assert rc.period_label("2025-05", "2025-05") == "2025-05"
    assert rc.month_of("2025-04-04") == P("2025-04") and rc.month_of("2025-04") == P("2025-04")


def test_change_pct():
    assert rc.change_pct(50, 100) == pytest.approx(-50)
    assert math.isnan(rc.change_pct(1, 0)) and math.isnan(rc.change_pct(float("nan"), 1))


def test_a_baseline_is_usable_only_when_figures_cover_its_window(tmp_path):
    obs = observations(tmp_path, [("2024", "WLD", 1200), ("2024-05", "USA", 689), ("2025", "KOR", 0)])
    assert rc.usable(baseline(series_rows(obs, "magnets", "WLD"), "2024-01", "2024-12"))
    assert not rc.usable(baseline(series_rows(obs, "magnets", "USA"), "2024-01", "2024-12"))  # 1 of 12 months
    assert not rc.usable(baseline(series_rows(obs, "magnets", "KOR"), "2025-01", "2025-12"))  # a zero level
    assert not rc.usable(baseline(series_rows(obs, "magnets", "DEU"), "2024-01", "2024-12"))  # no data


# --- the trough -------------------------------------------------------------------------------

def test_trough_with_figures_on_both_sides_is_pinned():
    low = rc.trough(months({"2025-03": 100, "2025-04": 60, "2025-05": 20, "2025-06": 50}), CONTROL)
    assert (low.month, low.value, low.unknown, low.pinned) == (P("2025-05"), 20.0, (), True)


def test_trough_after_a_missing_month_is_not_pinned():
    low = rc.trough(months({"2025-03": 100, "2025-04": np.nan, "2025-05": 20, "2025-06": 50}), CONTROL)
    assert low.month == P("2025-05") and low.unknown == ("2025-04",) and not low.pinned


def test_trough_in_the_last_month_may_still_be_falling():
    low = rc.trough(months({"2025-04": 60, "2025-05": 20}), CONTROL)
    assert low.month == P("2025-05") and low.unknown == ("2025-06",) and not low.pinned


def test_trough_looks_only_from_the_control_month_and_takes_the_earliest_tie():
    low = rc.trough(months({"2025-02": 5, "2025-03": 9, "2025-04": 60, "2025-05": 60, "2025-06": 80}), CONTROL)
    assert low.month == P("2025-04") and low.pinned


def test_no_figure_after_the_control_means_no_trough():
    low = rc.trough(months({"2025-02": 5, "2025-04": np.nan}), CONTROL)
    assert low.month is None and math.isnan(low.value) and not low.pinned


# --- the recovery ----------------------------------------------------------------------------

def test_recovery_counts_months_from_the_trough_and_months_held():
    v = months({"2025-05": 20, "2025-06": 50, "2025-07": 110, "2025-08": 90, "2025-09": 100})
    rec = rc.recovery(v, P("2025-05"), 100)
    assert (rec.regained, rec.months, rec.held, rec.with_figure, rec.exact) == (P("2025-07"), 2.0, 2, 3, True)


def test_recovery_after_a_gap_may_have_come_earlier():
    v = months({"2025-05": 20, "2025-06": np.nan, "2025-07": 110})
    rec = rc.recovery(v, P("2025-05"), 100)
    assert rec.regained == P("2025-07") and rec.unknown_before == ("2025-06",) and not rec.exact


def test_recovery_that_never_happened_or_has_no_baseline():
    v = months({"2025-05": 20, "2025-06": 50})
    for rec in (rc.recovery(v, P("2025-05"), 100), rc.recovery(v, P("2025-05"), float("nan")), rc.recovery(v, None, 10)):
        assert rec.regained is None and math.isnan(rec.months) and not rec.exact


# --- the year before -------------------------------------------------------------------------

def test_year_ago_uses_the_month_when_it_was_published(tmp_path):
    obs = observations(tmp_path, [("2024-05", "USA", 689), ("2025-05", "USA", 46)])
    ago = rc.year_ago(series_rows(obs, "magnets", "USA"), P("2025-05"))
    assert (ago.before_period, ago.before, ago.now_period, ago.now) == ("2024-05", 689.0, "2025-05", 46.0)
    assert ago.change_pct == pytest.approx((46 / 689 - 1) * 100)


def test_year_ago_falls_back_to_the_same_months_of_a_short_total(tmp_path):
    obs = observations(tmp_path, [("2024", "WLD", 1200), ("2024-11/2024-12", "WLD", 200, "derived"),
                                  ("2025-11", "WLD", 130), ("2025-12", "WLD", 110)])
    ago = rc.year_ago(series_rows(obs, "magnets", "WLD"), P("2025-12"))
    assert (ago.before_period, ago.before, ago.now_period, ago.now, ago.status) == (
        "2024-11/2024-12", 200.0, "2025-11/2025-12", 240.0, "derived")
    assert ago.change_pct == pytest.approx(20)


def test_year_ago_does_not_stand_a_year_total_in_for_one_month(tmp_path):
    obs = observations(tmp_path, [("2024", "WLD", 1200)] + [(f"2025-{k:02d}", "WLD", 100) for k in range(1, 13)])
    rows = series_rows(obs, "magnets", "WLD")
    assert rc.year_ago(rows, P("2025-12")) is None
    assert rc.year_ago(rows, P("2025-12"), max_months=12).before_period == "2024"


# --- shares and swings -------------------------------------------------------------------------

def test_pooled_share_uses_only_figures_both_have_and_sets_a_two_month_total_against_the_same_months(tmp_path):
    obs = observations(tmp_path, [("2025-01", "USA", 10), ("2025-02", "USA", 20), ("2025-04", "USA", 5),
                                  ("2025-01", "WLD", 100), ("2025-02", "WLD", 100), ("2025-03", "WLD", 100),
                                  ("2026-01/2026-02", "USA", 30), ("2026-01/2026-02", "WLD", 200)])
    part, whole = period_series(obs, "magnets", "USA"), period_series(obs, "magnets", "WLD")
    share = rc.pooled_share(part, whole, P("2025-01"), P("2025-04"))
    assert (share.pct, share.figures, share.months, share.period) == (pytest.approx(15), 2, 2, "2025-01/2025-02")
    assert rc.pooled_share(part, whole, P("2026-01"), P("2026-03")).pct == pytest.approx(15)
    none = rc.pooled_share(part, whole, P("2025-03"), P("2025-04"))
    assert math.isnan(none.pct) and none.figures == 0 and none.period == "2025-03/2025-04"
    shares = rc.period_shares(part, whole)
    assert (shares["2025-01"], shares["2025-02"], shares["2026-01/2026-02"]) == (10.0, 20.0, 15.0)
    assert math.isnan(shares["2025-04"])  # April has no world figure


def test_ordinary_changes_stop_before_the_control_month_and_skip_the_holiday_months():
    v = months({"2024-11": 100, "2024-12": 110, "2025-01": 121, "2025-02": 60.5, "2025-03": 121, "2025-04": 60.5})
    kept = rc.ordinary_changes(v, CONTROL, (1, 2))
    assert [str(k) for k in kept.index] == ["2024-12"] and kept.iloc[0] == pytest.approx(10)
    assert rc.ordinary_changes(v, CONTROL, ()).round(6).tolist() == [10.0, 10.0, -50.0, 100.0]


def test_lowest_since_finds_the_last_lower_figure(tmp_path):
    obs = observations(tmp_path, [("2025-06", "USA", 353), ("2025-07", "USA", 619), ("2025-12", "USA", 564),
                                  ("2026-01/2026-02", "USA", 994), ("2026-03", "USA", 406)])
    low = rc.lowest_since(period_series(obs, "magnets", "USA"))
    assert (low.lower, low.months, low.firm) == ("2025-06", 9, False)   # August to November have no figure
    full = observations(tmp_path, [("2025-06", "USA", 353), *[(f"2025-{k:02d}", "USA", 600) for k in range(7, 13)],
                                   ("2026-01/2026-02", "USA", 994), ("2026-03", "USA", 406)])
    low = rc.lowest_since(period_series(full, "magnets", "USA"))
    assert (low.lower, low.months, low.firm) == ("2025-06", 9, True)    # the two-month total counts by its mean, 497
    lowest = rc.lowest_since(period_series(full, "magnets", "USA", start="2025-07"))
    assert (lowest.lower, lowest.months, lowest.firm) == (None, 9, True)  # lower than every figure since July 2025
    two = rc.lowest_since(period_series(full, "magnets", "USA", start="2026-01"))
    assert two.firm is False                                            # lower than one figure is no low


# --- everything at once, on a series worked out by hand ------------------------------------------

@pytest.fixture
def small(tmp_path):
    world = [("2024", "WLD", 1200)] + [(f"2025-{k:02d}", "WLD", v) for k, v in
                                        zip(range(1, 9), [100, 60, 110, 50, 20, 60, 105, 95])]
    return observations(tmp_path, world + [("2025-04", "DEU", 5), ("2025-06", "DEU", 12), ("2025-08", "DEU", 19)])


def test_measure_on_a_small_world_series(small):
    pattern = rc.seasonal_pattern(series_rows(small, "magnets", "WLD"), YEAR)
    m = rc.measure(small, "magnets", "WLD", CONTROL, {"base": YEAR, "alt": QUARTER}, "2024-01", "2025-08", (1, 2),
                   FLOORS, pattern)
    assert m.low.month == P("2025-05") and m.low.pinned and m.newest == P("2025-08") and m.has_before
    assert m.falls == (P("2025-04"), P("2025-05")) and m.rebound == P("2025-06") and m.worst == P("2025-05")
    assert m.mom_at(P("2025-04")).pct == pytest.approx(-54.545454, abs=1e-5)
    base, alt = m.against["base"], m.against["alt"]
    assert base.ok and base.base.mean == pytest.approx(100) and base.low_index == pytest.approx(20)
    assert (base.recovery.regained, base.recovery.months, base.recovery.held, base.recovery.with_figure) == (P("2025-07"), 2.0, 1, 2)
    assert base.newest_index == pytest.approx(95) and base.to_recovery.tonnes == pytest.approx(165)
    assert alt.ok and alt.base.mean == pytest.approx(90) and alt.recovery.held == 2
    assert alt.newest_index == pytest.approx(95 / 90 * 100) and alt.to_newest.tonnes == pytest.approx(120)
    assert m.together.mean == pytest.approx((1200 + 270) / 15)
    # the last full year before August 2025 is 2024; 2023 has no figure
    assert m.year == 2024 and m.year_total == pytest.approx(1200) and math.isnan(m.prev_total)
    assert m.ago is None  # August 2024 exists only inside the year total
    assert m.swing.n == 0  # both changes before the controls touch February
    assert m.after_end == P("2024-12") and m.share_after.figures == 0  # no full year after the controls yet


def test_measure_of_a_destination_whose_figures_start_after_the_controls(small):
    m = rc.measure(small, "magnets", "DEU", CONTROL, {"base": YEAR}, "2024-01", "2025-08", (1, 2), FLOORS)
    assert not m.has_before and not m.against["base"].ok and m.against["base"].recovery.regained is None
    assert m.against["base"].cf is None and m.against["base"].to_newest is None
    assert m.low.month == P("2025-04") and m.low.unknown == ("2025-05",) and not m.low.pinned
    assert m.share_before.figures == 0 and math.isnan(m.share_before.pct)
    assert m.share_latest.pct == pytest.approx(36 / 205 * 100) and m.share_latest.figures == 3
    assert m.shares["2025-06"] == pytest.approx(20)


# --- which destinations get a page ------------------------------------------------------------------

def test_destination_rule_counts_monthly_figures_since_the_start(tmp_path):
    obs = observations(tmp_path, [
        ("2025-01", "WLD", 1), ("2025-02", "WLD", 1), ("2025-03", "WLD", 1),
        ("2024-05", "USA", 1), ("2025-01", "USA", 1), ("2025-02", "USA", 1),          # 2 since 2025-01
        ("2025-09", "KOR", 1), ("2025-10", "KOR", 1), ("2025-12", "KOR", 1),          # 3
        ("2025-01/2025-06", "EST", 6), ("2025-07", "EST", 1), ("2025-08", "EST", 1),  # a span is not a month
    ])
    rule = {"product": "magnets", "min_months": 3, "since": "2025-01", "exclude": ["WLD"]}
    assert qualifying_partners(obs, rule) == ["KOR"]
    assert qualifying_partners(obs, {**rule, "min_months": 2}) == ["EST", "KOR", "USA"]
    assert qualifying_partners(obs, {**rule, "since": "2024-01", "min_months": 3}) == ["KOR", "USA"]


def test_new_data_adds_a_destination_to_the_destinations_page_without_code_changes(tmp_path):
    from rare_earth_exports.chapters.destinations.measures import destinations_page
    from rare_earth_exports.core.load import load_book_data

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    spec = load_parameters(ROOT)
    rule = spec["destinations"]
    with (data / "observations.csv").open("a", encoding="utf-8") as f:
        for k in range(rule["min_months"]):
            f.write(f"2025-{k + 1:02d},CHN,THA,export,magnets,t,10,reported,test,\n")
        f.write("2025-01,CHN,SGP,export,magnets,t,10,reported,test,\n")  # one month: not followed
    job = next(j for j in build_plan(ROOT, str(data)) if j.output == "book/destinations.ipynb")
    p = job.params
    page = destinations_page(load_book_data(data), p["product"], p["control_date"],
                             [Window.from_param(w) for w in p["windows"]], Window.from_param(p["pattern_window"]),
                             p["start"], p["end"], p["seasonal_months"], p["floors"], rule, p["sections"], p["names"],
                             p["europe"], p["narrower"])
    assert [d.partner for d in page.others] == ["THA"]           # in the table and the panels, no section yet
    assert [d.partner for d in page.destinations][:len(page.sections)] == list(page.sections)
    assert page.sections[0] == "USA"


# --- the executed chapter: glued numbers, the prose that uses them, metrics.csv ------------------------

GLUE_ROLE = re.compile(r"\{glue:text\}`([^`]+)`")
NUMERIC = set("bcdoxXeEfFgGn%")


def chapter_pages() -> list[Path]:
    return [ROOT / "book" / "collapse.ipynb", ROOT / "book" / "destinations.ipynb"]


def glue_outputs(path: Path) -> dict[str, dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {o["metadata"]["scrapbook"]["name"]: o["data"] for cell in nb["cells"] for o in cell.get("outputs", [])
            if o.get("metadata", {}).get("scrapbook", {}).get("name")}


def glued_value(data: dict):
    """The glued Python value: a number, a text, NaN, or the repr of a Markdown object."""
    text = data["application/papermill.record/text/plain"]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return float("nan") if text == "nan" else text


def prose(path: Path) -> str:
    """Markdown cells plus the Markdown the page glues in: everything a reader reads."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    glued = [d["application/papermill.record/text/markdown"] for d in glue_outputs(path).values()
             if "application/papermill.record/text/markdown" in d]
    return "\n".join(cells + glued)


def page_name(path: Path) -> str:
    return path.relative_to(ROOT / "book").with_suffix("").as_posix()


@pytest.fixture(scope="module")
def metrics() -> pd.DataFrame:
    return pd.read_csv(ROOT / "book" / "results" / "metrics.csv", dtype={"glue_key": str}, keep_default_na=False,
                       na_values={"value": [""]})


def test_the_collapse_and_destinations_pages_were_built_and_the_seven_thin_pages_are_gone():
    assert all(p.exists() for p in chapter_pages())
    assert not list((ROOT / "book").glob("destinations/*.ipynb"))


@pytest.mark.parametrize("path", chapter_pages(), ids=page_name)
def test_every_number_in_the_prose_is_glued_finite_and_in_metrics(path, metrics):
    glues = glue_outputs(path)
    rows = metrics[(metrics["page"] == page_name(path)) & (metrics["glue_key"] != "")]
    by_key = {k: g for k, g in rows.groupby("glue_key")}
    references = GLUE_ROLE.findall(prose(path))
    assert references
    for ref in references:
        key, _, fmt = ref.partition(":")
        assert key in glues, f"{page_name(path)}: the prose uses {key!r}, which is not glued"
        if fmt and fmt[-1] in NUMERIC:
            value = glued_value(glues[key])
            assert isinstance(value, (int, float)) and math.isfinite(value), f"{key} = {value!r} would print as nan"
            assert key in by_key and len(by_key[key]) == 1, f"{key} is not one row of metrics.csv"
            assert by_key[key]["value"].iloc[0] == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize("path", chapter_pages(), ids=page_name)
def test_every_glued_number_equals_its_metrics_row_and_back(path, metrics):
    glues = {k: glued_value(d) for k, d in glue_outputs(path).items()
             if k != METRICS_KEY and "application/papermill.record/text/plain" in d}
    numbers = {k: v for k, v in glues.items() if isinstance(v, (int, float)) and math.isfinite(v)}
    rows = metrics[(metrics["page"] == page_name(path)) & (metrics["glue_key"] != "")]
    assert numbers and set(rows["glue_key"]) == set(numbers)
    for key, value in numbers.items():
        assert rows.loc[rows["glue_key"] == key, "value"].iloc[0] == pytest.approx(value, abs=1e-9)


def test_the_world_page_agrees_with_the_measures_on_the_data():
    job = next(j for j in build_plan(ROOT, "data") if j.output == "book/collapse.ipynb")
    p = job.params
    obs = load_observations(ROOT / "data")
    windows = {"base": Window.from_param(p["baseline"]), "alt": Window.from_param(p["alt_baseline"])}
    pattern = rc.world_pattern(obs, p["product"], Window.from_param(p["pattern_window"]))
    m = rc.measure(obs, p["product"], p["partner"], p["control_date"], windows, p["start"], p["end"],
                   tuple(p["seasonal_months"]), p["floors"], pattern)
    glues = {k: glued_value(d) for k, d in glue_outputs(ROOT / job.output).items()}
    assert glues["collapse_low_level"] == pytest.approx(m.low.value, abs=1e-4)
    assert glues["collapse_base_mean"] == pytest.approx(m.against["base"].base.mean, abs=1e-4)
    assert glues["collapse_base_low_index"] == pytest.approx(m.against["base"].low_index, abs=1e-4)
    assert glues["collapse_base_regain_months"] == m.against["base"].recovery.months
    shortfalls = sorted(a.to_newest.tonnes for a in m.against.values())
    assert (glues["collapse_shortfall_t_low"], glues["collapse_shortfall_t_high"]) == (
        pytest.approx(shortfalls[0], abs=1e-4), pytest.approx(shortfalls[1], abs=1e-4))
    assert glues["collapse_end_words"] == glues["collapse_newest_words"]  # `end: latest` reaches the newest month


def test_the_2026_span_is_one_figure_on_both_pages(metrics):
    for page, partner in (("collapse", "WLD"), ("destinations", "USA")):
        rows = metrics[(metrics["page"] == page) & (metrics["partner"] == partner) & (metrics["metric"] == "level")]
        assert "2026-01/2026-02" in set(rows["period"]) and not {"2026-01", "2026-02"} & set(rows["period"])
        moms = metrics[(metrics["page"] == page) & (metrics["partner"] == partner) & (metrics["metric"] == "mom_pct")]
        assert not {"2026-01/2026-02", "2026-03"} & set(moms["period"])   # not computable: never a number


def test_changing_the_baseline_window_changes_the_figures_and_the_prose(tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "src"))
    job = next(j for j in build_plan(ROOT, "data") if j.output == "book/collapse.ipynb")
    quarter = {"name": "Q1 2025", "start": "2025-01", "end": "2025-03", "reason": "just before the controls"}
    params = {**job.params, "data_dir": str(ROOT / "data"), "baseline": quarter}
    out = tmp_path / "collapse.ipynb"
    papermill.execute_notebook(str(ROOT / job.notebook), str(out), parameters=params, cwd=str(tmp_path),
                               kernel_name="python3", progress_bar=False, log_output=False)
    new = {k: glued_value(d) for k, d in glue_outputs(out).items() if "application/papermill.record/text/plain" in d}
    old = {k: glued_value(d) for k, d in glue_outputs(ROOT / job.output).items()}
    assert new["collapse_base_name"] == "Q1 2025" != old["collapse_base_name"]
    assert new["collapse_base_words"] == "January to March 2025"
    for key in ("collapse_base_mean", "collapse_base_low_index", "collapse_base_newest_index"):
        assert new[key] != pytest.approx(old[key], abs=1e-3)
    findings = glue_outputs(out)["collapse_md_findings"]["application/papermill.record/text/markdown"]
    assert "collapse_base_name" in findings and "collapse_base_low_index" in findings
    recorded = pd.DataFrame(json.loads(ast.literal_eval(glue_outputs(out)[METRICS_KEY]["application/papermill.record/text/plain"])))
    assert "baseline 2025-01/2025-03" in set(recorded.loc[recorded["metric"] == "index", "basis"])
