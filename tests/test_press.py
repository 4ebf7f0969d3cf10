"""The 'Which number is right?' page: the book's own figures beside the press's percentages, a
verdict per claim, and a test per branch of the page's wording, on small hand-made data."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from rare_earth_exports.chapters.press import measures as m
from rare_earth_exports.chapters.press import tables, text
from rare_earth_exports.core.load import BookData, load_book_data, load_events, load_observations
from rare_earth_exports.present.page import Page, Prose

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "press.ipynb"
OBS_HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note,originator,agency,story_date\n"
NAMES = {"magnets": "Rare-earth permanent magnets", "rare_earths": "Rare earths (GACC headline category)",
         "re_products_incl_magnets": "Rare-earth products including magnets (Bloomberg)", "dysprosium": "Dysprosium products",
         "dy_oxide": "Dysprosium oxide"}
EXAMPLE = text.Example("2025-11", "2025-05", "USA", "2026-01/2026-02", "2026-01/2026-03", {"USA": "the United States"})


def obs_frame(tmp_path, rows) -> pd.DataFrame:
    """rows: (period, partner, product, value[, unit[, agency]])."""
    lines = [f"{r[0]},CHN,{r[1]},export,{r[2]},{r[4] if len(r) > 4 else 't'},{r[3]},reported,src-{i},,China customs,"
             f"{r[5] if len(r) > 5 else ''}," for i, r in enumerate(rows)]
    (tmp_path / "observations.csv").write_text(OBS_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return load_observations(tmp_path)


SMALL = [("2025-10", "WLD", "magnets", 5473), ("2025-11", "WLD", "magnets", 6149.95),
         ("2025-10", "WLD", "rare_earths", 4343.5), ("2025-11", "WLD", "rare_earths", 5493.9),
         ("2025-11", "WLD", "re_products_incl_magnets", 6958, "t", "Bloomberg"),
         ("2025-05", "WLD", "magnets", 1238.47), ("2025-05", "WLD", "re_products_incl_magnets", 2117, "t", "Bloomberg"),
         ("2025-07", "USA", "magnets", 619), ("2025-08", "USA", "magnets", 590), ("2025-08", "WLD", "magnets", 6146),
         ("2025-01", "USA", "magnets", 877.3), ("2025-02", "USA", "magnets", 405),
         ("2026-01/2026-02", "USA", "magnets", 994), ("2026-01/2026-02", "WLD", "magnets", 10763),
         ("2026-03", "WLD", "magnets", 5238), ("2026-01/2026-03", "WLD", "magnets", 16001)]


def stated_frame(rows) -> pd.DataFrame:
    """rows: (file, line, quote_ref, stated, compares, of_row, figure_key[, reported_key[, event_id]])."""
    cols = ["input_file", "input_line", "source_id", "quote_ref", "stated_pct", "compares", "category_words",
            "of_row_figure", "reported_key", "figure_key", "event_id"]
    out = []
    for f, line, q, s, c, of, key, *rest in rows:
        reported = rest[0] if rest else key
        event = rest[1] if len(rest) > 1 else ""
        out.append([f, str(line), f"p-{line}", q, s, c, "", of, reported, key, event])
    return pd.DataFrame(out, columns=cols)


def book(tmp_path, stated_rows=(), events=None) -> BookData:
    ev_text = "event_id,date,kind,status,actor,title,affects,licence_class,source_ids,note\n" + "".join(
        f'{i},{d},{k},happened,CHN,"{t}",rare earth mining,,src-{i},\n' for i, d, k, t in (events or []))
    (tmp_path / "events.csv").write_text(ev_text, encoding="utf-8")
    sources = pd.DataFrame({"source_id": [f"p-{i}" for i in range(1, 10)] + [f"src-{i}" for i in range(20)],
                            "publisher": [f"page{i}.example" for i in range(1, 10)] + [f"site{i}.example" for i in range(20)],
                            "reliability": "relay", "originator": "China customs", "agency": "", "published": "",
                            "title": "A story", "url": "https://x.example/"})
    products = pd.DataFrame({"product": list(NAMES), "name": list(NAMES.values()),
                             "hs_code": ["8505.11", "2805.30; 2846", "", "", ""], "scope_note": ["s"] * 5})
    partners = pd.DataFrame({"partner": ["WLD", "USA"], "name": ["All destinations", "United States"]})
    return BookData(observations=obs_frame(tmp_path, SMALL), prices=pd.DataFrame(), events=load_events(tmp_path),
                    sources=sources, products=products, partners=partners, reconciliation=pd.DataFrame(),
                    stated_percentages=stated_frame(stated_rows))


KEY_US_AUG = "2025-08|CHN|USA|export|magnets|t"


# --- levels and changes ------------------------------------------------------------------------------

def test_places_level_and_base_period(tmp_path):
    obs = obs_frame(tmp_path, SMALL)
    assert (m.places(590.0), m.places(1238.47), m.places(6149.95)) == (0, 2, 2)
    assert m.level(obs, m.Key.parse(KEY_US_AUG)) == 590
    assert m.level(obs, m.Key("2025-01/2025-02", "CHN", "USA", "export", "magnets", "t")) == pytest.approx(1282.3)
    assert math.isnan(m.level(obs, m.Key("2025-03", "CHN", "USA", "export", "magnets", "t")))
    assert m.base_period("2025-08", "mom") == "2025-07" and m.base_period("2026-01/2026-02", "mom") is None
    assert (m.base_period("2025", "yoy"), m.base_period("2026-01/2026-02", "ytd_yoy")) == ("2024", "2025-01/2025-02")
    assert m.base_period("2025-08", "share") is None


def test_a_change_and_the_range_the_levels_rounding_allows():
    pct, low, high = m.change(590, 619)
    assert pct == pytest.approx(-4.684976, abs=1e-6) and low < pct < high
    assert high - low == pytest.approx((590.5 / 618.5 - 589.5 / 619.5) * 100)
    assert all(math.isnan(v) for v in m.change(math.nan, 619))


@pytest.mark.parametrize("key, compares, missing", [
    ("2025-11|CHN|WLD|export|magnets|t", "other", "a date, a rate or a threshold"),
    ("2026-01/2026-02|CHN|EUROPE|export|magnets|pct", "share", "no figure for EUROPE as a whole"),
    ("2026-01/2026-02|CHN|USA|export|magnets|t", "mom", "published as one figure"),
    ("2025-09|CHN|USA|export|magnets|t", "mom", "no figure for September 2025"),
    ("2025-07|CHN|USA|export|magnets|t", "share", "lacks the destination's or the world's figure"),
])
def test_what_the_book_cannot_compute_says_why(tmp_path, key, compares, missing):
    fig = m.book_figure(obs_frame(tmp_path, SMALL), m.Key.parse(key), compares)
    assert math.isnan(fig.pct) and missing in fig.missing


def test_book_figures_for_each_comparison(tmp_path):
    obs = obs_frame(tmp_path, SMALL)
    assert m.book_figure(obs, m.Key.parse(KEY_US_AUG), "mom").pct == pytest.approx(-4.684976, abs=1e-6)
    assert m.book_figure(obs, m.Key.parse(KEY_US_AUG), "share").pct == pytest.approx(590 / 6146 * 100)
    span = m.book_figure(obs, m.Key.parse("2026-01/2026-02|CHN|USA|export|magnets|t"), "ytd_yoy")
    assert (span.pct, span.base, span.base_period) == (pytest.approx((994 / 1282.3 - 1) * 100), pytest.approx(1282.3), "2025-01/2025-02")


# --- verdicts -----------------------------------------------------------------------------------------

def fig(pct, low=None, high=None) -> m.Figure:
    return m.Figure(pct, pct if low is None else low, pct if high is None else high)


KEY = m.Key.parse("2025-11|CHN|WLD|export|magnets|t")


@pytest.mark.parametrize("stated, figure, reported, others, verdict, reason", [
    ("12", fig(12.3689), None, {}, "matches", "the book's levels give +12.37 %"),
    ("-4.7", fig(-4.685), None, {}, "matches", "the book's levels give -4.68 %"),
    ("660", fig(666.96, 658.6, 675.5), None, {}, "rounding", "within the levels' rounding"),
    ("14.5", fig(14.4497), None, {}, "rounding", "+14.45 %"),
    ("26.5", fig(12.3689), None, {"rare_earths": fig(26.4856)}, "different category",
     "rare earths (GACC headline category) changed +26.5 %; rare-earth permanent magnets changed +12.4 %"),
    ("8.7", fig(8.5794), None, {"rare_earths": fig(1.0)}, "error", "no rounding or other category explains"),
    ("24.1", m.Figure(math.nan, math.nan, math.nan, missing="the data holds no figure for April 2024"),
     m.Key.parse("2025-11|CHN|WLD|export|rare_earths|t"), {}, "different category",
     "the page calls the figure rare earths (GACC headline category); it is rare-earth permanent magnets"),
    ("5", m.Figure(math.nan, math.nan, math.nan, missing="the data holds no figure for November 2024"), None, {},
     "cannot check", "the data holds no figure for November 2024"),
])
def test_every_verdict(stated, figure, reported, others, verdict, reason):
    got_verdict, got_reason = m.judge(stated, figure, KEY, reported, others, NAMES)
    assert got_verdict == verdict and reason in got_reason


def test_claims_join_reprints_other_figures_and_events(tmp_path):
    stated = [("a.csv", 2, "q1", "-4.7", "mom", "yes", KEY_US_AUG), ("a.csv", 3, "q2", "-4.7", "mom", "yes", KEY_US_AUG),
              ("a.csv", 4, "q1", "-4.7", "mom", "no", "2025-07|CHN|USA|export|magnets|t"),   # filed with July's row
              ("e.csv", 5, "q1", "-4.7", "mom", "", "", "", "ev-1"),                         # the event of that excerpt
              ("a.csv", 6, "q3", "23.1", "yoy", "no", KEY_US_AUG),                           # about a figure not filed
              ("e.csv", 7, "q9", "5.9", "yoy", "", "", "", "ev-2")]                          # an event alone
    c = m.claims(stated_frame(stated))
    assert sorted(zip(c["claim_key"], c["rows"])) == [("", 1), ("", 1), (KEY_US_AUG, 4)]
    checked = m.check(book(tmp_path, stated), "2023-01", "2026-03")
    reasons = dict(zip(checked["stated_pct"], checked["reason"]))
    assert checked.set_index("stated_pct").loc[-4.7, "verdict"] == "matches"
    assert reasons[23.1] == "about another figure of the page, which the gathered rows do not hold"
    assert reasons[5.9] == "an event's percentage; no figure of the data goes with it"


def test_claims_about_figures_outside_the_window_are_left_out(tmp_path):
    stated = [("a.csv", 2, "q1", "-4.7", "mom", "yes", KEY_US_AUG)]
    assert m.check(book(tmp_path, stated), "2025-09", "2026-03").empty


def test_quotas_from_the_events_titles(tmp_path):
    events = [("q1", "2024-08-20", "quota", "2024 quotas total 270,000 t mining and 254,000 t smelting"),
              ("q2", "2025-07-18", "quota", "2025 quotas issued quietly without public statement"),
              ("c1", "2025-04-04", "control", "Controls")]
    q = m.quotas(book(tmp_path, events=events).events)
    assert (q.year, q.mining, q.smelting, q.date) == (2024, 270000, 254000, "2024-08-20")
    assert q.later["event_id"].tolist() == ["q2"]
    assert m.quotas(book(tmp_path, events=events[1:]).events).year is None


# --- the words: a test per branch ----------------------------------------------------------------------

def three(bloomberg_level, bloomberg_change) -> m.MonthInThreeCategories:
    return m.MonthInThreeCategories("2025-11", {"magnets": 6150.0, "rare_earths": 5494.0, "re_products_incl_magnets": bloomberg_level},
                                    {"magnets": 12.4, "rare_earths": 26.5, "re_products_incl_magnets": bloomberg_change}, {})


def test_three_categories_without_bloomberg():
    assert text.three_sentence(three(math.nan, math.nan)).endswith(
        "No gathered page gives Bloomberg's \"rare-earth products including magnets\" for that month.")


def test_three_categories_with_bloomberg_but_not_its_month_before():
    sentence = text.three_sentence(three(6958.0, math.nan))
    assert "{glue:text}`press_three_bloomberg:,.0f` t; no gathered page gives its figure for the month before" in sentence
    assert "press_three_bloomberg_mom" not in sentence


def test_three_categories_with_every_change():
    sentence = text.three_sentence(three(6958.0, 13.0))
    assert "{glue:text}`press_three_bloomberg_mom:+.1f` %. Three categories, three different changes" in sentence


def test_magnets_beside_bloomberg_and_when_one_is_missing():
    both = m.MonthInThreeCategories("2025-05", {"magnets": 1238.47, "rare_earths": math.nan, "re_products_incl_magnets": 2117.0}, {}, {})
    assert "the second counts the magnets and {glue:text}`press_pair_other:,.0f` t of other rare-earth products" in text.pair_sentence(both)
    one = m.MonthInThreeCategories("2025-05", {"magnets": 1238.47, "rare_earths": math.nan, "re_products_incl_magnets": math.nan}, {}, {})
    assert text.pair_sentence(one).endswith("so the two cannot be set side by side.")


def test_a_two_month_figure_with_and_without_its_year_before():
    known = m.Figure(-22.48, -22.5, -22.4, 994, 1282.3, "2025-01/2025-02")
    sentence = text.span_sentence(known, (16001.0, 10763.0, 5238.0))
    assert "{glue:text}`press_span_change:+.1f` %. It does not split it into months" in sentence
    assert sentence.endswith("({glue:text}`press_quarter_last:,.0f` t).")
    unknown = m.Figure(math.nan, math.nan, math.nan, 994, math.nan, "2025-01/2025-02", "no figure")
    sentence = text.span_sentence(unknown, (math.nan, 10763.0, 5238.0))
    assert "holds no figure for the same two months a year before" in sentence and "quarter" not in sentence


def test_quota_sentences():
    none = m.Quotas(None, math.nan, math.nan, "", pd.DataFrame())
    assert text.quota_sentence(none) == "The events data state no quota totals."
    later = pd.DataFrame({"title": ["2025 quotas issued quietly"], "date": ["2025-07-18"]})
    assert text.quota_sentence(m.Quotas(2024, 270000, 254000, "2024-08-20", later)).endswith(
        "is repeating {glue:text}`press_quota_year`'s.")
    assert text.quota_sentence(m.Quotas(2024, 270000, 254000, "2024-08-20", later.iloc[0:0])).endswith(
        "No later quota event is in the data.")


def counts(**n):
    return {v: (n.get(v.replace(" ", "_"), 0), n.get(v.replace(" ", "_"), 0)) for v in m.VERDICTS}


def test_verdict_sentences():
    assert text.verdict_sentence(counts(cannot_check=4)) == (
        "None of the percentages the pages state can be checked against the book's figures.")
    one_each = text.verdict_sentence(counts(matches=1, rounding=1, different_category=1, error=1))
    assert "`press_n_matches:,.0f` matches its own figure" in one_each and "`press_n_error:,.0f` is an error." in one_each
    assert "cannot be checked" not in one_each
    many = text.verdict_sentence(counts(matches=2, rounding=2, different_category=2, error=2, cannot_check=3))
    assert "`press_n_category:,.0f` are about another category" in many and "cannot be checked" in many


# --- the page: glue, metrics rows and prose agree; the real data's cases ---------------------------------

@pytest.fixture
def glued(tmp_path, monkeypatch):
    import myst_nb

    out = {}
    monkeypatch.setattr(myst_nb, "glue", lambda key, value, display=False: out.__setitem__(key, value))
    data = book(tmp_path, [("a.csv", 2, "q1", "-4.7", "mom", "yes", KEY_US_AUG)],
                events=[("q1", "2024-08-20", "quota", "2024 quotas total 270,000 t mining and 254,000 t smelting")])
    page = Page(chapter="press", page="press")
    text.glue_page(page, data, EXAMPLE, m.check(data, "2023-01", "2026-03"), "2026-03")
    return out, page


def test_every_glued_number_has_its_metrics_row_and_keys_start_with_press(glued):
    values, page = glued
    assert all(k.startswith("press_") for k in values)
    numbers = {k for k, v in values.items() if isinstance(v, float) and math.isfinite(v)}
    assert {r["glue_key"] for r in page.rows} == numbers
    assert values["press_three_magnets_mom"] == pytest.approx(12.3689, abs=1e-4)
    assert values["press_pair_other"] == pytest.approx(878.53)
    assert (values["press_quota_mining"], values["press_quota_year"]) == (270000.0, "2024")


def test_the_prose_refers_only_to_what_is_glued(glued):
    values, _ = glued
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    prose += "".join(v for v in values.values() if isinstance(v, Prose))
    used = set(re.findall(r"\{glue:(?:text|md)\}`([a-z_]+)", prose)) | set(re.findall(r"\{glue:md\} ([a-z_]+)", prose))
    assert used <= set(values)


def test_the_notebook_is_thin():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [line for c in cells if c["cell_type"] == "code" for line in "".join(c["source"]).splitlines()
            if line.strip() and not line.strip().startswith("#")]
    assert len(code) <= 60


def test_the_real_data_explains_november_and_may_2025():
    data = load_book_data(ROOT / "data")
    nov = m.three_categories(data.observations, "2025-11")
    assert round(nov.changes["magnets"], 1) == 12.4 and round(nov.changes["rare_earths"], 1) == 26.5
    may = m.three_categories(data.observations, "2025-05")
    assert (round(may.levels["magnets"]), may.levels["re_products_incl_magnets"]) == (1238, 2117)
    checked = m.check(data, "2023-01", "2026-03")
    us_aug = checked[(checked["claim_key"] == KEY_US_AUG) & (checked["compares"] == "mom")]
    assert set(us_aug["verdict"]) == {"matches"}
    html = tables.checks(checked, data.sources)
    assert "samarium.dev" not in html and "particle.news" not in html
