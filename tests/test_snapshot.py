"""`rebook snapshot press`: excerpts become data columns and stated percentages, then leave.

The excerpts here are made up for the tests, in the shapes the gathered pages use.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rare_earth_exports.cli import main as rebook
from rare_earth_exports.curate.snapshot import (
    CORRECTION_FIELDS, GATHERED_FIGURE_COLUMNS, GATHERED_EVENT_COLUMNS, SnapshotError, credits_of, extract, headline_of,
    locate_figure, qualifier_of, quote_ref, snapshot_press, stated_percentages,
)


def pcts(quote: str, span: str = "") -> list[tuple[str, str]]:
    return [(p.value, p.compares) for p in stated_percentages(quote, span)]


def write(path: Path, columns, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in columns} for r in rows)
    return path


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def fig(quote: str, value: str, period: str = "2025-09", partner: str = "WLD", url: str = "https://a.example/x",
        metric: str = "level", unit: str = "t") -> dict:
    return {"period": period, "partner": partner, "product": "magnets", "metric": metric, "value": value,
            "unit": unit, "source_url": url, "published": "", "quote": quote}


# --- quote_ref --------------------------------------------------------------------------------

def test_quote_ref_is_eight_hex_digits_of_the_excerpt_and_tells_excerpts_apart():
    a = quote_ref("rose to $150-200/kg cif Europe")
    assert len(a) == 8 and int(a, 16) >= 0
    assert quote_ref("  rose to $150-200/kg cif Europe ") == a
    assert quote_ref("rose to $150-210/kg cif Europe") != a
    assert quote_ref("") == ""


# --- percentages ------------------------------------------------------------------------------

@pytest.mark.parametrize("quote, expected", [
    ("exports fell 6.1% in September from August to 5,774 tonnes", [("-6.1", "mom")]),
    ("reached 2,627 mt, down 51% MoM and 45% YoY", [("-51", "mom"), ("-45", "yoy")]),
    ("with 1,115 tons, a 3% year-on-year decrease and a 46% month-on-month increase", [("-3", "yoy"), ("46", "mom")]),
    ("up 75.5% from the previous month and 4.8% higher than in July 2024", [("75.5", "mom"), ("4.8", "yoy")]),
    ("down 4.7% from July and 11.8% from the same month last year", [("-4.7", "mom"), ("-11.8", "yoy")]),
    ("was up 15.8%from 4,725 tons in the same month in 2024", [("15.8", "yoy")]),
    ("a 157.5% increase from 1,238 tons in May", [("157.5", "mom")]),
    ("前年同月比では9.6%減少したが、前月比では59%増加した", [("-9.6", "yoy"), ("59", "mom")]),
    ("前月比７５・５％増の６１９トン", [("75.5", "mom")]),
    ("總出口量為5473噸，較9月的5774噸減少5.2%", [("-5.2", "mom")]),
    ("月增10.2%、年增15.4%", [("10.2", "mom"), ("15.4", "yoy")]),
    ("수출 역시 전달 대비 75.5%, 전년 동기 대비 4.8% 증가한 619t을 기록했다", [("75.5", "mom"), ("4.8", "yoy")]),
    ("sind um 29,5 Prozent im Vergleich zum Vorjahresmonat auf 420 Tonnen gesunken", [("-29.5", "yoy")]),
    ("accounting for 43 per cent of June exports", [("43", "share")]),
    ("미국은 수출의 12%를 차지해", [("12", "share")]),
    ("have risen roughly 4,400% since January to about $270/kg", [("4400", "other")]),
    ("First half total exports | 22,319 tons (↓18.9% YoY)", [("-18.9", "ytd_yoy")]),
    ("exports were 3,217 tons (↓10.2% YoY)", [("-10.2", "yoy")]),
    ("South Korea (854 tons, +84.5%) and Vietnam (456 tons, +18.3%)", [("84.5", "other"), ("18.3", "other")]),
    ("rose by more than ten per cent in August compared to the previous month", [("10", "mom")]),
    ("約7.6倍(660%の増加)", [("660", "other")]),
    ("domestic prices rose modestly (~16%) to around US$ 7 kg", [("16", "other")]),
])
def test_stated_percentages_are_signed_and_say_what_they_compare(quote, expected):
    assert pcts(quote) == expected


@pytest.mark.parametrize("quote", [
    "99.5% dysprosium oxide in Europe jumped from $250/kg to $700/kg",
    "neodymium oxide 99.5%, cif Rotterdam was $53-55 per kg",
    "the CIF price of yttrium oxide with a purity of 99.999% was approximately $6 per kilogram",
    "Samarium oxide (99.9%) trades at US $30-35 /kg",
    "rose 7.6倍 and 45-fold since January",
])
def test_purities_and_multiples_are_not_stated_percentages(quote):
    assert pcts(quote) == []


def test_a_change_that_names_no_comparison_follows_the_span_of_the_figure():
    quote = "rare earth magnet exports grew 6% to 38,138 tonnes"
    assert pcts(quote, "ytd") == [("6", "ytd_yoy")]
    assert pcts(quote, "year") == [("6", "yoy")]
    assert pcts(quote, "month") == [("6", "other")]
    assert pcts("exports rose 5.1% compared to the year before to 18,962 tons", "ytd") == [("5.1", "ytd_yoy")]
    assert pcts("In the first two months, total exports rose 8.2% year-over-year") == [("8.2", "ytd_yoy")]


def test_a_date_in_another_clause_is_not_a_comparison():
    assert pcts("the average export price dropped 39% to $8,818 per ton, the lowest level since 2017") == [("-39", "other")]


@pytest.mark.parametrize("quote, words", [
    ("China's rare earth magnet exports fell 5%", "rare earth magnet"),
    ("exports of the group of 17 minerals rose 9%", "group of 17 minerals"),
    ("6,958 tons of rare-earth products — including magnets — rose 4%", "rare-earth products — including magnets"),
    ("中國稀土磁鐵七月份出口量達 5,577 公噸，較六月成長近 75%", "稀土磁鐵"),
    ("exports to Germany grew by 27.9% to 1,288 tons", ""),
])
def test_category_words_are_the_pages_own(quote, words):
    (pct,) = stated_percentages(quote)
    assert pct.category_words == words


# --- credits, qualifiers, headlines -----------------------------------------------------------

@pytest.mark.parametrize("quote, credits", [
    ("Prices reached $126 per kilogram, according to Asian Metal Inc.", "Asian Metal"),
    ("Customs data released on Sunday revealed shipments rose", "China customs"),
    ("해관총서는 10월 수출량이 656t이라고 발표했다", "China customs"),
    ("rose to 7,338 tons last month, according to Bloomberg calculations", "Bloomberg"),
    ("Argus data show a rise, Reuters reports", "Reuters; Argus"),
    ("benchmark prices rose 40%", ""),
])
def test_credits_name_the_bodies_an_excerpt_cites(quote, credits):
    assert credits_of(quote) == credits


@pytest.mark.parametrize("quote, value, unit_metric, qualifier", [
    ("Shipments to the EU rose nearly 60 percent year over year to about 2,569 tonnes", "2569", "level", "about"),
    ("exports decreased by nearly 19% compared to last year, totaling 22,319 tons", "22319", "level", ""),
    ("despite the ask-price surpassing $1,100/kg", "1100", "price_usd_per_kg", "ask price; over"),
    ("South Korea accounted for over 17,000 kilograms of this", "17000", "level", "over"),
    ("A total of around 16.7 tonnes were exported", "16700", "level", "about"),
    ("October exports registered approx. 4,343.5 metric tons", "4343.5", "level", "about"),
    ("11月中国对美国的出口量约为582吨", "582", "level", "about"),
    ("2023年、中国は希土類磁石材料を合計約3.5万トン輸出した", "35000", "level", "about"),
    ("China exported just 46 tonnes of rare earth magnets", "46", "level", ""),
])
def test_qualifiers_mark_a_figure_stated_as_a_bound_or_an_estimate(quote, value, unit_metric, qualifier):
    assert qualifier_of(quote, value, unit_metric) == qualifier


@pytest.mark.parametrize("quote, value", [
    ("지난해 수출량은 5만2576t을 기록했다", "52576"), ("지난 3월 5천324t 수준이던", "5324"),
    ("今年前 9 月累計進口 7.88984 萬噸", "78898.4"), ("le spedizioni si sono fermate a 1.238 tonnellate", "1238"),
    ("the average export price dropped 39% to $8,818 per ton", "8.818"), ("worth US$2.86 billion", "2860000000"),
])
def test_figures_are_found_however_the_page_writes_them(quote, value):
    assert locate_figure(quote, value, "level") is not None
    assert locate_figure(quote, "1", "level") is None


def test_a_headline_is_the_opening_run_that_matches_the_address_slug():
    url = "https://news.example/2025/china-rare-earth-magnet-exports-plunge-in-may"
    assert headline_of("China rare earth magnet exports plunge in May - Example News", url) == \
        "China rare earth magnet exports plunge in May"
    assert headline_of("China's rare earth magnet exports plunged 74% in May.", url) == ""
    assert headline_of("Exports plunge", "https://news.example/?p=1") == ""


# --- a file -----------------------------------------------------------------------------------

def test_rows_of_one_excerpt_each_say_which_percentage_is_theirs(tmp_path):
    both = "The second was South Korea (854 tons, +84.5%) and Vietnam (456 tons, +18.3%)."
    base = "up 157.5% from 1,238 tonnes in May"
    path = write(tmp_path / "reported_x.csv", GATHERED_FIGURE_COLUMNS, [
        fig(both, "854", partner="KOR"), fig(both, "456", partner="VNM"), fig(base, "1238", period="2025-05")])
    snap = extract(path)
    by_line = {(p["input_line"], p["stated_pct"]): p["of_row_figure"] for p in snap.percentages}
    assert by_line == {("2", "84.5"): "yes", ("2", "18.3"): "no", ("3", "84.5"): "no", ("3", "18.3"): "yes",
                       ("4", "157.5"): "no"}
    assert snap.rows[0]["quote_ref"] == snap.rows[1]["quote_ref"] != snap.rows[2]["quote_ref"]


def test_the_snapshot_drops_the_page_text_and_keeps_every_other_cell(tmp_path):
    source = write(tmp_path / "reported_events.csv", GATHERED_EVENT_COLUMNS, [
        {"date": "2025-06", "kind": "statement", "actor": "EU", "title": "Approval rate rises",
         "detail": "Our paraphrase.", "affects": "magnets;EU", "source_url": "https://a.example/e",
         "quote": "The approval rate has climbed from 25% to 60%, according to European supplier group CLEPA."}])
    snapshot_press(source, "2025-12", tmp_path / "press")
    (row,) = read(tmp_path / "press" / "2025-12" / "reported_events.csv")
    assert row == {"date": "2025-06", "kind": "statement", "actor": "EU", "title": "Approval rate rises",
                   "affects": "magnets;EU", "source_url": "https://a.example/e",
                   "quote_ref": quote_ref(read(source)[0]["quote"]), "credits": "CLEPA", "headline": ""}
    shares = read(tmp_path / "press" / "2025-12" / "stated_percentages.csv")
    assert [(p["stated_pct"], p["compares"], p["of_row_figure"]) for p in shares] == [("25", "share", ""), ("60", "share", "")]


def test_each_file_replaces_only_its_own_percentages(tmp_path):
    a = write(tmp_path / "reported_a.csv", GATHERED_FIGURE_COLUMNS, [fig("exports fell 5% from July to 590 tons", "590")])
    b = write(tmp_path / "reported_b.csv", GATHERED_FIGURE_COLUMNS, [fig("exports rose 3% from July to 600 tons", "600")])
    snapshot_press(a, "2025-12", tmp_path)
    snapshot_press(b, "2025-12", tmp_path)
    snapshot_press(a, "2025-12", tmp_path)
    rows = read(tmp_path / "2025-12" / "stated_percentages.csv")
    assert [(r["input_file"], r["stated_pct"]) for r in rows] == [("reported_a.csv", "-5"), ("reported_b.csv", "3")]


def corrections(folder: Path, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write(folder / "extraction_corrections.csv", CORRECTION_FIELDS, rows)


def test_hand_corrections_are_applied_and_counted(tmp_path):
    source = write(tmp_path / "reported_a.csv", GATHERED_FIGURE_COLUMNS, [
        fig("Japan's purchases jumped roughly 35% to 305 tons, according to Benchmark", "305"),
        fig("exports rose by nearly six percent, reaching 55,431 tons", "55431", period="2024")])
    corrections(tmp_path / "out" / "2025-12", [
        {"input_file": "reported_a.csv", "input_line": "2", "column": "compares", "stated_pct": "35",
         "extracted": "other", "corrected": "mom", "reason": "226 t to 305 t is +35%."},
        {"input_file": "reported_a.csv", "input_line": "2", "column": "credits", "stated_pct": "",
         "extracted": "Benchmark", "corrected": "", "reason": "An adjective here."},
        {"input_file": "reported_a.csv", "input_line": "3", "column": "stated_pct", "stated_pct": "6",
         "extracted": "6", "corrected": "", "reason": "Dropped for the test."},
        {"input_file": "reported_a.csv", "input_line": "3", "column": "stated_pct", "stated_pct": "",
         "extracted": "", "corrected": "5.9", "reason": "Missed by the extraction."},
        {"input_file": "reported_a.csv", "input_line": "3", "column": "compares", "stated_pct": "5.9",
         "extracted": "other", "corrected": "yoy", "reason": "The added one compares the year."},
        {"input_file": "reported_other.csv", "input_line": "2", "column": "credits", "stated_pct": "",
         "extracted": "x", "corrected": "y", "reason": "Another file's correction is not applied here."}])
    snap = snapshot_press(source, "2025-12", tmp_path / "out")
    assert snap.corrections_applied == 5
    out = tmp_path / "out" / "2025-12"
    assert [r["credits"] for r in read(out / "reported_a.csv")] == ["", ""]
    assert [(p["input_line"], p["stated_pct"], p["compares"], p["of_row_figure"]) for p in read(out / "stated_percentages.csv")] == [
        ("2", "35", "mom", "yes"), ("3", "5.9", "yoy", "yes")]


@pytest.mark.parametrize("correction, message", [
    ({"input_line": "2", "column": "compares", "stated_pct": "35", "extracted": "yoy", "corrected": "mom"},
     r"reported_a.csv:2 compares: expected the extraction to give 'yoy', it gives 'other'; review the correction"),
    ({"input_line": "9", "column": "credits", "stated_pct": "", "extracted": "", "corrected": "SMM"},
     r"reported_a.csv:9 credits: no such line in reported_a.csv"),
    ({"input_line": "2", "column": "compares", "stated_pct": "36", "extracted": "other", "corrected": "mom"},
     r"0 percentage\(s\) '36' on that line; expected one"),
    ({"input_line": "2", "column": "quote", "stated_pct": "", "extracted": "", "corrected": "x"},
     r"unknown column"),
])
def test_a_correction_that_no_longer_fits_stops_the_snapshot(tmp_path, correction, message):
    source = write(tmp_path / "reported_a.csv", GATHERED_FIGURE_COLUMNS, [fig("Japan's purchases jumped 35% to 305 tons", "305")])
    corrections(tmp_path / "2025-12", [{"input_file": "reported_a.csv", "reason": "r", **correction}])
    with pytest.raises(SnapshotError, match=message):
        snapshot_press(source, "2025-12", tmp_path)
    assert not (tmp_path / "2025-12" / "reported_a.csv").exists()


def test_a_corrected_code_must_be_a_documented_one(tmp_path):
    source = write(tmp_path / "reported_a.csv", GATHERED_FIGURE_COLUMNS, [fig("Japan's purchases jumped 35% to 305 tons", "305")])
    corrections(tmp_path / "2025-12", [{"input_file": "reported_a.csv", "input_line": "2", "column": "compares",
                                        "stated_pct": "35", "extracted": "other", "corrected": "qoq", "reason": "r"}])
    with pytest.raises(SnapshotError, match=r"reported_a.csv:2: percentage 35: compares 'qoq' is not one of yoy, mom"):
        snapshot_press(source, "2025-12", tmp_path)


def test_a_file_without_the_research_pass_columns_is_refused(tmp_path):
    source = write(tmp_path / "reported_a.csv", ["period", "value", "source_url"], [{"period": "2025-01", "value": "1"}])
    with pytest.raises(SnapshotError, match=r"reported_a.csv: missing column\(s\) partner, product, metric, unit, published, quote"):
        snapshot_press(source, "2025-12", tmp_path)


def test_the_command_names_a_bad_vintage_and_a_missing_file(tmp_path, capsys):
    source = write(tmp_path / "reported_a.csv", GATHERED_FIGURE_COLUMNS, [fig("rose 3% to 600 tons", "600")])
    assert rebook(["snapshot", "press", str(source), "--vintage", "2025-13", "--out", str(tmp_path)]) == 1
    assert "--vintage '2025-13': expected YYYY-MM" in capsys.readouterr().err
    assert rebook(["snapshot", "press", str(tmp_path / "none.csv"), "--vintage", "2025-12", "--out", str(tmp_path)]) == 1
    assert "none.csv: no such file" in capsys.readouterr().err
    assert rebook(["snapshot", "press", str(source), "--vintage", "2025-12", "--out", str(tmp_path)]) == 0
    assert "1 row(s) without page text; 1 stated percentage(s)" in capsys.readouterr().out
