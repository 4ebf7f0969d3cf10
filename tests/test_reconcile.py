"""curate/rules.py: every reported row ends used, merged or excluded, by the stated rules."""

import csv
import shutil
from pathlib import Path

import pytest

from rare_earth_exports.curate.inputs import Press
from rare_earth_exports.curate.rules import CurationError, agrees, curate, normalise_period, precision, source_id_for

FIGURE_COLUMNS = ["period", "partner", "product", "metric", "value", "unit", "source_url", "published", "quote_ref",
                  "credits", "qualifier", "headline"]
EVENT_COLUMNS = ["date", "kind", "actor", "title", "affects", "source_url", "quote_ref"]
PRODUCT_MAP = [
    {"raw_product": "magnets", "kind": "volume", "product": "magnets", "flow": "export", "decision": "use", "reason": ""},
    {"raw_product": "rare_earths", "kind": "volume", "product": "rare_earths", "flow": "export", "decision": "use", "reason": ""},
    {"raw_product": "other_re_oxides", "kind": "volume", "product": "", "flow": "", "decision": "exclude",
     "reason": "A category the book does not analyse."},
    {"raw_product": "dysprosium", "kind": "price", "product": "dy_oxide", "flow": "", "decision": "use",
     "reason": "The quotes are for the oxide."},
]
CORRECTION_COLUMNS = ["source_url_contains", "period", "partner", "product", "value", "action", "new_value", "reason"]
COPIED_RULES = ("event_kinds.csv", "event_status.csv", "licence_classes.csv", "attribution.csv", "address_dates.csv")
REPO_CURATION = Path(__file__).resolve().parents[1] / "curation"


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in columns} for r in rows)


def fig(period, value, url, partner="WLD", product="magnets", metric="level", unit="t", published=""):
    return {"period": period, "partner": partner, "product": product, "metric": metric, "value": value,
            "unit": unit, "source_url": url, "published": published}


@pytest.fixture
def run(tmp_path):
    """curate() over the given rows and rules; returns the tables. `rows` is one figure file, or a
    list of files (lists of rows) read in order."""
    def _run(rows, corrections=(), weak=(), excluded=()):
        sources, curation = tmp_path / "sources", tmp_path / "curation"
        sources.mkdir()
        curation.mkdir()
        files = rows if rows and isinstance(rows[0], list) else [rows]
        paths = [sources / ("reported_magnets_world.csv" if i == 0 else f"reported_more_{i}.csv") for i in range(len(files))]
        for path, content in zip(paths, files):
            write(path, FIGURE_COLUMNS, content)
        write(sources / "reported_events.csv", EVENT_COLUMNS, [
            {"date": "2025-04-04", "kind": "control", "actor": "CHN", "title": "Controls <b>take</b> effect",
             "affects": "magnets", "source_url": "https://gov.example/a"}])
        write(curation / "product_map.csv", list(PRODUCT_MAP[0]), PRODUCT_MAP)
        write(curation / "corrections.csv", CORRECTION_COLUMNS, list(corrections))
        write(curation / "source_tiers.csv", ["match", "pattern", "tier", "reason"],
              [{"match": "domain", "pattern": d, "tier": "weak", "reason": "invents quotes"} for d in weak]
              + [{"match": "domain", "pattern": d, "tier": "excluded", "reason": "a casino page"} for d in excluded]
              + [{"match": "any", "pattern": "", "tier": "relay", "reason": "a press page"}])
        for name in COPIED_RULES:
            shutil.copyfile(REPO_CURATION / name, curation / name)
        return curate(Press(paths, [sources / "reported_events.csv"]), curation)
    return _run


def log_of(tables):
    return {int(r["input_line"]): r for r in tables["reconciliation"]}


@pytest.mark.parametrize("value, places", [("3187", 0), ("55400", -2), ("6150", 0), ("590", 0), ("16700", -2),
                                           ("6149.95", 2), ("46.4", 1), ("46.40", 1), ("1000.0", 0), ("0", 0)])
def test_precision(value, places):
    assert precision(value) == places


@pytest.mark.parametrize("a, b, same", [
    ("3187", "3188", True), ("5773", "5774", True), ("6149.95", "6150", True), ("46", "46.4", True),
    ("46", "47", True), ("55400", "55431", True), ("46", "48", False), ("55400", "55501", False),
    ("280", "411.3", False), ("46.4", "46.6", False),
])
def test_agrees_up_to_the_rounding_of_the_coarser_figure(a, b, same):
    assert agrees(a, b) is same
    assert agrees(b, a) is same


def test_normalise_period():
    assert normalise_period("2025-03-YTD") == "2025-01/2025-03"
    assert normalise_period("2025-01-YTD") == "2025-01"
    assert normalise_period("2025-03") == "2025-03"


def test_rounding_variants_merge_into_the_most_precise_figure(run):
    t = run([fig("2025-11", "6150", "https://a.example/1"), fig("2025-11", "6149.95", "https://b.example/1"),
             fig("2025-11", "6150", "https://c.example/1")])
    (row,) = t["observations"]
    assert row["value"] == "6149.95" and row["status"] == "reported"
    assert row["source_ids"] == ";".join(sorted(source_id_for(f"https://{x}.example/1") for x in "abc"))
    log = log_of(t)
    assert log[3]["decision"] == "used"
    assert log[2]["decision"] == log[4]["decision"] == "merged"
    assert log[2]["reason"] == "rounding variant of 6149.95"
    assert {r["curated_key"] for r in log.values()} == {"2025-11|CHN|WLD|export|magnets|t"}


def test_equally_precise_variants_go_to_the_figure_more_sources_give(run):
    t = run([fig("2025-06", "3187", "https://a.example/1"), fig("2025-06", "3188", "https://b.example/1"),
             fig("2025-06", "3188", "https://c.example/1")])
    assert t["observations"][0]["value"] == "3188"
    log = log_of(t)
    assert [log[n]["decision"] for n in (2, 3, 4)] == ["merged", "used", "merged"]
    assert log[2]["reason"] == "variant of 3188 within one unit, which more stories report"
    assert log[4]["reason"] == "same figure"


def test_a_conflict_goes_to_the_figure_more_sources_give_and_stays_visible(run):
    t = run([fig("2025-12", "280", f"https://r{i}.example/x", partner="JPN") for i in range(3)]
            + [fig("2025-12", "411.3", "https://odd.example/x", partner="JPN")])
    (row,) = t["observations"]
    assert row["value"] == "280"
    odd = source_id_for("https://odd.example/x")
    assert row["note"] == f"conflicting report(s): 411.3 ({odd})"
    assert odd not in row["source_ids"]
    loser = log_of(t)[5]
    assert loser["decision"] == "excluded" and loser["reason"] == "conflict: outvoted by 280 (3 stories)"


def test_a_tied_conflict_goes_to_the_more_precise_figure(run):
    t = run([fig("2025-05", "41", "https://a.example/1"), fig("2025-05", "46.4", "https://b.example/1")])
    assert t["observations"][0]["value"] == "46.4"


@pytest.mark.parametrize("date_41, date_46, winner", [("2025-06-20", "2025-06-10", "41"), ("2025-06-10", "2025-06-20", "46")])
def test_a_tied_conflict_of_equal_precision_goes_to_the_latest_page(run, date_41, date_46, winner):
    t = run([fig("2025-05", "41", "https://a.example/2", published=date_41),
             fig("2025-05", "46", "https://b.example/2", published=date_46)])
    assert t["observations"][0]["value"] == winner


def test_a_weak_source_never_sets_a_value(run):
    t = run([fig("2025-05", "46", "https://reliable.example/1"),
             fig("2025-05", "46.4", "https://www.weak.example/1"),   # agrees: merged
             fig("2025-05", "52", "https://weak.example/2"),         # disagrees: excluded
             fig("2025-06", "300", "https://sub.weak.example/3")],   # alone: excluded
            weak=["weak.example"])
    (row,) = t["observations"]
    assert row["value"] == "46"
    log = log_of(t)
    assert log[2]["decision"] == "used"
    assert (log[3]["decision"], log[3]["reason"]) == ("merged", "weak source agreeing with reliable sources")
    assert (log[4]["decision"], log[4]["reason"]) == ("excluded", "weak source disagrees with reliable sources (46)")
    assert (log[5]["decision"], log[5]["reason"]) == ("excluded", "only sources flagged weak report this figure")
    assert source_id_for("https://www.weak.example/1") in row["source_ids"]
    weak_sources = {s["source_id"]: s["reliability"] for s in t["sources"]}
    assert weak_sources[source_id_for("https://weak.example/2")] == "weak"
    assert weak_sources[source_id_for("https://reliable.example/1")] == "relay"


def test_corrections_relabel_and_exclude_with_their_reason(run):
    corrections = [
        {"source_url_contains": "metal.example/2025/01/", "period": "2023-10", "partner": "WLD", "product": "magnets",
         "value": "4725", "action": "set_period", "new_value": "2024-10", "reason": "Mislabelled year."},
        {"source_url_contains": "news.example", "period": "2025-10", "partner": "WLD", "product": "magnets",
         "value": "4343.5", "action": "set_product", "new_value": "rare_earths", "reason": "Mislabelled category."},
        {"source_url_contains": "bad.example", "period": "2023", "partner": "WLD", "product": "magnets",
         "value": "35000", "action": "exclude", "new_value": "", "reason": "Cannot be the 2023 total."},
    ]
    t = run([fig("2023-10", "4725", "https://metal.example/2025/01/x.html"),
             fig("2025-10", "4343.5", "https://news.example/y"),
             fig("2023", "35000", "https://bad.example/z"),
             fig("2023-10", "4725", "https://metal.example/2024/01/other.html")],  # not matched: stays 2023-10
            corrections=corrections)
    by_key = {(o["period"], o["product"]): o for o in t["observations"]}
    assert by_key[("2024-10", "magnets")]["note"] == "correction: Mislabelled year."
    assert by_key[("2025-10", "rare_earths")]["value"] == "4343.5"
    assert ("2023-10", "magnets") in by_key and ("2023", "magnets") not in by_key
    log = log_of(t)
    assert log[2]["period"] == "2023-10", "the log keeps the period as reported"
    assert log[2]["curated_key"] == "2024-10|CHN|WLD|export|magnets|t"
    assert log[3]["product"] == "magnets" and log[3]["curated_key"].endswith("|rare_earths|t")
    assert (log[4]["decision"], log[4]["reason"]) == ("excluded", "correction: Cannot be the 2023 total.")


def test_an_unknown_correction_action_stops_curation(run):
    bad = {"source_url_contains": "a.example", "period": "2025-01", "partner": "WLD", "product": "magnets",
           "value": "1", "action": "set_value", "new_value": "2", "reason": "?"}
    with pytest.raises(CurationError, match="unknown action 'set_value'"):
        run([fig("2025-01", "1", "https://a.example/1")], corrections=[bad])


def test_the_product_map_excludes_out_of_scope_categories(run):
    t = run([fig("2025-01/2025-03", "10", "https://a.example/1", product="other_re_oxides")])
    (entry,) = t["reconciliation"]
    assert (entry["decision"], entry["reason"]) == ("excluded", "out of scope: A category the book does not analyse.")


def test_an_unmapped_category_stops_curation(run):
    with pytest.raises(CurationError, match=r"reported_magnets_world.csv:2: raw product 'gallium' \(volume\)"):
        run([fig("2025-01", "1", "https://a.example/1", product="gallium")])


def test_a_period_no_rule_covers_stops_curation(run):
    with pytest.raises(CurationError, match="reported_magnets_world.csv:2: 'pre-2025-04' is not a period"):
        run([fig("pre-2025-04", "1", "https://a.example/1")])


def test_year_to_date_figures_become_spans_and_feed_derivation(run):
    t = run([fig("2025-03-YTD", "30", "https://a.example/1", metric="ytd_level"),
             fig("2025-01", "10", "https://a.example/2"), fig("2025-03", "12", "https://a.example/3")])
    by_period = {o["period"]: o for o in t["observations"]}
    assert by_period["2025-01/2025-03"]["status"] == "reported"
    assert (by_period["2025-02"]["value"], by_period["2025-02"]["status"]) == ("8", "derived")


def test_price_quotes_keep_their_range(run):
    t = run([fig("2025-11", "220", "https://p.example/1", partner="EU27", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg"),
             fig("2025-11", "320", "https://p.example/1", partner="EU27", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg"),
             fig("2025-11", "220", "https://q.example/1", partner="EU27", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg"),
             fig("2025-11", "320", "https://q.example/1", partner="EU27", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg")])
    (price,) = t["prices"]
    assert (price["product"], price["low"], price["high"]) == ("dy_oxide", "220", "320")
    assert price["reliability"] == "relay"
    log = log_of(t)
    assert [log[n]["decision"] for n in (2, 3, 4, 5)] == ["used", "merged", "merged", "merged"]
    product_map = "product map: The quotes are for the oxide. | "
    assert (log[3]["reason"], log[4]["reason"]) == (product_map + "same quote", product_map + "same quote reprinted")
    assert {r["curated_key"] for r in log.values()} == {"dy_oxide|EU27|2025-11|220|320"}


def test_every_row_is_decided_once(run):
    rows = [fig("2025-06", "3187", "https://a.example/1"), fig("2025-06", "3188", "https://b.example/1"),
            fig("2025-06", "9999", "https://w.example/1"), fig("2025-07", "1", "https://w.example/2"),
            fig("2025-07", "1", "https://a.example/3", product="other_re_oxides")]
    t = run(rows, weak=["w.example"])
    log = t["reconciliation"]
    assert [int(r["input_line"]) for r in log] == list(range(2, len(rows) + 2))
    assert all(r["decision"] in ("used", "merged", "excluded") for r in log)
    assert all(r["reason"] for r in log if r["decision"] == "excluded")


def test_events_carry_no_sentences_from_the_sources(run):
    t = run([fig("2025-01", "1", "https://a.example/1")])
    (event,) = t["events"]
    assert event["event_id"] == "2025-04-04-controls-b-take-b-effect"
    assert "detail" not in event and "quote" not in event
    assert event["source_ids"] == source_id_for("https://gov.example/a")


def test_an_excluded_site_sets_nothing_and_says_why(run):
    t = run([fig("2026-01", "53", "https://rbtfl.example/x", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg"),
             fig("2025-05", "46", "https://casino.example/1"), fig("2025-05", "46", "https://a.example/1")],
            excluded=["rbtfl.example", "casino.example"])
    log = log_of(t)
    assert [log[n]["decision"] for n in (2, 3, 4)] == ["excluded", "excluded", "used"]
    assert log[2]["reason"] == "excluded source: a casino page"
    assert t["prices"] == []
    (row,) = t["observations"]
    assert row["source_ids"] == source_id_for("https://a.example/1")
    reliability = {s["source_id"]: s["reliability"] for s in t["sources"]}
    assert reliability[source_id_for("https://casino.example/1")] == "excluded"


def test_relabelled_partner_rounding_and_range_high_come_from_corrections(run):
    def correction(url, period, partner, value, action, new_value, product="magnets"):
        return {"source_url_contains": url, "period": period, "partner": partner, "product": product, "value": value,
                "action": action, "new_value": new_value, "reason": f"{action} because."}
    t = run([fig("2026-02-YTD", "44", "https://r.example/1", partner="EU27", metric="share_pct", unit="pct"),
             fig("2025", "62585", "https://reuters.example/1", product="rare_earths"),
             fig("2025", "62580", "https://tass.example/1", product="rare_earths"),
             fig("2026-01", "111", "https://smm.example/1", partner="CHN", product="dysprosium", metric="price_usd_per_kg", unit="USD/kg")],
            corrections=[correction("r.example", "2026-02-YTD", "EU27", "44", "set_partner", "EUROPE"),
                         correction("tass.example", "2025", "WLD", "62580", "set_rounding", "10", "rare_earths"),
                         correction("smm.example", "2026-01", "CHN", "111", "set_high", "131", "dysprosium")])
    by_key = {(o["period"], o["partner"], o["unit"]): o for o in t["observations"]}
    share = by_key[("2026-01/2026-02", "EUROPE", "pct")]
    assert (share["value"], share["note"]) == ("44", "correction: set_partner because.")
    assert by_key[("2025", "WLD", "t")]["value"] == "62585"
    log = log_of(t)
    assert log[2]["partner"] == "EU27", "the log keeps the partner as reported"
    assert (log[4]["decision"], log[4]["reason"]) == ("merged", "correction: set_rounding because. | rounding variant of 62585")
    (price,) = t["prices"]
    assert (price["low"], price["high"]) == ("111", "131") and price["note"] == "correction: set_high because."


def test_a_rounding_that_is_not_a_power_of_ten_stops_curation(run):
    bad = {"source_url_contains": "a.example", "period": "2025", "partner": "WLD", "product": "magnets",
           "value": "62580", "action": "set_rounding", "new_value": "5", "reason": "?"}
    with pytest.raises(CurationError, match=r"set_rounding takes the unit the figure was rounded to \(10, 100, ...\), not '5'"):
        run([fig("2025", "62580", "https://a.example/1")], corrections=[bad])
