"""The customs importers: exact rows from each fixture layout, located errors, and the merge."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rare_earth_exports.curate.importers import ImportFileError, ImportResult, load_reference, observation
from rare_earth_exports.curate.importers.comtrade import read_comtrade
from rare_earth_exports.curate.importers.gacc import read_gacc
from rare_earth_exports.curate.importers.merge import add_source, import_into, merge_rows

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
PARTNERS, PRODUCTS = load_reference(ROOT / "data")
HS6_NOTE = ("HS6 850511 (permanent magnets of metal) also includes non-rare-earth magnets such as alnico; "
            "GACC 85051110 is rare-earth magnets alone")
SOURCE = {"source_id": "gacc-test", "publisher": "General Administration of Customs of China",
          "title": "Test query", "url": "http://stats.customs.gov.cn/", "published": "2026-02-20"}


def _spec():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gacc(name: str, **kw) -> ImportResult:
    kw.setdefault("flow", "export")
    return read_gacc(FIXTURES / name, source_id="gacc-test", partners=PARTNERS, products=PRODUCTS, **kw)


def comtrade(path: Path) -> ImportResult:
    return read_comtrade(path, source_id="ct-test", partners=PARTNERS, products=PRODUCTS)


def rows(*specs, source="gacc-test", note="") -> list[dict]:
    """Rows from 'period reporter partner flow product unit value' strings."""
    out = []
    for spec in specs:
        period, reporter, partner, flow, product, unit, value = spec.split()
        out.append({"period": period, "reporter": reporter, "partner": partner, "flow": flow,
                    "product": product, "unit": unit, "value": value, "status": "reported",
                    "source_ids": source, "note": note})
    return out


def test_committed_fixtures_are_what_the_generator_writes(tmp_path):
    module = _spec()
    module.write_gacc(tmp_path)
    module.write_comtrade(tmp_path)
    for made in sorted(tmp_path.iterdir()):
        assert made.read_bytes() == (FIXTURES / made.name).read_bytes(), made.name


# --- GACC -------------------------------------------------------------------------------------

def test_gacc_chinese_gb18030_file():
    raw = (FIXTURES / "gacc_zh_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is GB18030, with CRLF lines ending in a comma
    assert raw.splitlines()[0].endswith(b'",')

    result = gacc("gacc_zh_gb18030.csv")
    assert result.errors == []
    assert result.rows == rows(
        "2025-10 CHN KOR export dy_oxide USD 1150626",
        "2025-10 CHN KOR export dy_oxide t 2.701",
        "2025-10 CHN KOR export dysprosium USD 1150626",
        "2025-10 CHN KOR export dysprosium kg 2701",
        "2025-10 CHN DEU export magnets USD 52004310",
        "2025-10 CHN DEU export magnets t 1118.45",
        # JPN: one of two lines has '?' tonnage, so only the value total (3,250,000 + 80,000)
        "2025-10 CHN JPN export magnets USD 3330000",
        # USA: 10-digit 8505111000 (412,345 kg) + regime 15 (243,955 kg) = 656,300 kg
        "2025-10 CHN USA export magnets USD 36001000",
        "2025-10 CHN USA export magnets t 656.3",
    )
    assert result.skipped == [
        (5, "column '第一数量' is '?': missing is not zero, so 2025-10 JPN magnets gets no quantity total"),
        (8, "commodity code 85051190 is in no product's gacc_codes in data/products.csv"),
    ]
    assert result.notes == [
        "2025-10 USA magnets: 2 lines summed (lines 2, 3)",
        "2025-10 JPN magnets: 2 lines summed (lines 5, 6)",
        "dysprosium sums codes 28053012; 28469015 but the file has no line for 28053012: "
        "if they were not in the query, its totals are understated",
    ]


def test_gacc_english_utf8_bom_file_with_mojibake_names():
    raw = (FIXTURES / "gacc_en_utf8bom.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Hong Kong£¬China".encode() in raw and b"Supplimentary" in raw
    result = gacc("gacc_en_utf8bom.csv")
    assert result.errors == [] and result.skipped == []
    assert result.rows == rows(
        "2025-11 CHN HKG export magnets USD 4315286",
        "2025-11 CHN HKG export magnets t 81.782",
        "2025-11 CHN TWN export magnets USD 6020000",
        "2025-11 CHN TWN export magnets t 120.5",
        "2025-11 CHN JPN export terbium USD 452000",
        "2025-11 CHN JPN export terbium kg 350",
    )


def test_gacc_file_without_date_or_partner_takes_the_callers_period_and_world():
    result = gacc("gacc_no_date_cny.csv", flow="import", period="2026-01")
    assert result.errors == []
    # 4,512,300 + 1,204,650 kg; Renminbi values give no rows
    assert result.rows == rows("2026-01 CHN WLD import magnets t 5716.95",
                               "2026-01 CHN WLD import terbium kg 1850")
    assert result.notes[:2] == [
        "values are in 人民币 (CNY): the data package has no CNY unit, so only quantities were imported",
        "2026-01 WLD magnets: 2 lines summed (lines 2, 3)",
    ]


def test_gacc_file_without_date_needs_a_period():
    result = gacc("gacc_no_date_cny.csv")
    assert result.rows == []
    [problem] = result.errors
    assert str(problem) == (
        f"{FIXTURES / 'gacc_no_date_cny.csv'}:1: column '数据年月 or Date of data': value '(absent)': "
        "expected a 数据年月/Date of data column, or the period from the caller; hint: the file was downloaded "
        "without 分月展示 (monthly display): give the period it covers, e.g. 2025-10")
    with pytest.raises(ImportFileError, match="数据年月"):
        result.raise_for_errors()


def test_gacc_date_must_agree_with_the_callers_period():
    result = gacc("gacc_en_utf8bom.csv", period="2025-10")
    assert [(p.line, p.column, p.value) for p in result.errors] == [
        (2, "Date of data", "202511"), (3, "Date of data", "202511"), (4, "Date of data", "202511")]
    assert result.errors[0].expected == "the period given by the caller (2025-10)"


def test_gacc_unknown_partner_and_other_bad_cells_are_all_reported():
    path = FIXTURES / "gacc_unknown_partner.csv"
    result = gacc("gacc_unknown_partner.csv")
    assert [str(p) for p in result.errors] == [
        f"{path}:3: column 'Trading partner code': value '309': expected a GACC partner code listed in "
        "data/partners.csv gacc_code; hint: unknown partner code 309: GACC partner codes are mapped through "
        "data/partners.csv gacc_code; add the partner's code there",
        f"{path}:4: column 'Commodity code': value '8505': expected an 8-digit commodity code "
        "(10-digit codes are cut to 8)",
        f"{path}:5: column 'Unit': value 'Piece': expected 千克 or Kilogram (the quantity unit of rare-earth codes)",
    ]
    with pytest.raises(ImportFileError) as exc:
        result.raise_for_errors()
    message = str(exc.value)
    assert message.startswith("3 problem(s):\n") and f"{path}:3:" in message and f"{path}:5:" in message


def test_gacc_excel_download_reads_like_the_csv(tmp_path):
    """Excel stores codes and quantities as numbers; they must read back as the CSV's text."""
    module = _spec()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(module.GACC_ZH)
    sheet.append([202510, 8505111000, "稀土永磁铁", 502, "美国", 10, "一般贸易", 33, "浙江省",
                  412345, "千克", 0, "?", 22518900])
    sheet.append([202510, 85051110.0, "稀土永磁铁", 502, "美国", 15, "进料加工贸易", 44, "广东省",
                  243955.0, "千克", 0, "?", 13482100.5])
    book.save(tmp_path / "gacc.xlsx")
    result = read_gacc(tmp_path / "gacc.xlsx", flow="export", source_id="gacc-test",
                       partners=PARTNERS, products=PRODUCTS)
    assert result.errors == []
    assert result.rows == rows("2025-10 CHN USA export magnets USD 36001000.5",
                               "2025-10 CHN USA export magnets t 656.3")


def test_gacc_rejects_a_flow_it_does_not_know():
    with pytest.raises(ValueError, match="flow 'exports'"):
        gacc("gacc_en_utf8bom.csv", flow="exports")


# --- Comtrade ---------------------------------------------------------------------------------

def test_comtrade_plus_csv_with_mixed_case_headers():
    result = comtrade(FIXTURES / "comtrade_plus.csv")
    assert result.errors == []
    expected = rows("2024 CHN WLD export magnets_hs6 USD 3021000000",
                    "2024 CHN WLD export magnets_hs6 t 61250",
                    "2025-04 USA CHN import magnets_hs6 USD 9876543.21",
                    "2025-04 USA CHN import magnets_hs6 t 95.3315", source="ct-test", note=HS6_NOTE)
    expected[3]["note"] += "; netWgt estimated by UN Comtrade"
    assert result.rows == expected
    assert result.skipped == [
        (4, "flowCode RX is neither X (export) nor M (import)"),
        (5, "partner2Code 251 is a breakdown, not the total (0)"),
        (6, "cmdCode 280530 maps to no product (mapped: 850511)"),
    ]


def test_comtrade_api_json():
    result = comtrade(FIXTURES / "comtrade_api.json")
    assert result.errors == []
    assert result.rows == rows("2025-09 CHN KOR export magnets_hs6 USD 41234567",
                               "2025-09 CHN KOR export magnets_hs6 t 854.123",
                               "2025-09 DEU CHN import magnets_hs6 USD 7700000",
                               "2025-09 JPN CHN import magnets_hs6 USD 15500000",
                               "2025-09 JPN CHN import magnets_hs6 t 201.5", source="ct-test", note=HS6_NOTE)
    assert result.skipped == [("data[2]", "netWgt is '': missing is not zero, so no t row")]


def test_comtrade_unknown_partner_is_located(tmp_path):
    api = json.loads((FIXTURES / "comtrade_api.json").read_text(encoding="utf-8"))
    api["data"][0]["partnerCode"] = 999
    path = tmp_path / "api.json"
    path.write_text(json.dumps(api), encoding="utf-8")
    result = comtrade(path)
    assert [str(p) for p in result.errors] == [
        f"{path}:data[0]: column 'partnerCode': value '999': expected a UN country code listed in "
        "data/partners.csv un_code; hint: unknown partner code 999: Comtrade codes are mapped through "
        "data/partners.csv un_code (0 is WLD); add the country there"]
    assert [r["reporter"] for r in result.rows] == ["DEU", "JPN", "JPN"]


def test_comtrade_error_response_is_a_problem(tmp_path):
    path = tmp_path / "api.json"
    path.write_text('{"data": null, "error": "quota exceeded"}', encoding="utf-8")
    [problem] = comtrade(path).errors
    assert (problem.line, problem.column, problem.hint) == (1, "(file)", "'data' is None, not a list of records")


# --- merge ------------------------------------------------------------------------------------

def key(partner: str, period: str = "2025-10") -> tuple:
    return (period, "CHN", partner, "export", "magnets", "t")


def test_merge_rows_reports_added_replaced_and_unchanged():
    existing = rows("2025-10 CHN DEU export magnets t 1118", "2025-10 CHN USA export magnets t 656.3",
                    source="press-a;press-b")
    existing += [dict(rows("2025-02 CHN WLD export magnets t 3586.53", source="press-c")[0],
                      status="derived", note="derived: ...")]
    new = rows("2025-10 CHN DEU export magnets t 1118.45", "2025-10 CHN USA export magnets t 656.30",
               "2025-02 CHN WLD export magnets t 3586.53", "2025-10 CHN JPN export magnets t 226")
    merged, report = merge_rows(existing, new)
    assert report.added == [key("JPN")]
    assert report.replaced == [(key("DEU"), "1118", "1118.45"), (key("WLD", "2025-02"), "3586.53", "3586.53")]
    assert report.unchanged == [key("USA")]
    assert [(r["partner"], r["value"], r["source_ids"], r["status"]) for r in merged] == [
        ("DEU", "1118.45", "gacc-test", "reported"),
        ("USA", "656.3", "gacc-test;press-a;press-b", "reported"),  # the figure kept, the source added
        ("WLD", "3586.53", "gacc-test", "reported"),
        ("JPN", "226", "gacc-test", "reported"),
    ]
    with pytest.raises(ValueError, match="share the key"):
        merge_rows([], new + new[:1])


def test_add_source_appends_once_and_refuses_a_clash():
    sources: list[dict] = []
    assert add_source(sources, **SOURCE) is True
    assert add_source(sources, **SOURCE) is False
    assert sources == [{**SOURCE, "reliability": "official", "originator": "",
                        "reliability_note": "Official trade statistics, imported from the publisher's own download."}]
    with pytest.raises(ValueError, match="already names"):
        add_source(sources, **{**SOURCE, "url": "http://elsewhere.example/"})


@pytest.fixture
def data_dir(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_import_into_with_nothing_new_rewrites_the_files_byte_for_byte(data_dir):
    before = {p.name: p.read_bytes() for p in data_dir.iterdir()}
    import_into(data_dir, ImportResult(), SOURCE)  # nothing imported: the download's page names no originator
    sources = before.pop("sources.csv")
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.name != "sources.csv"} == before
    added = set(_lines(data_dir / "sources.csv")) - set(sources.decode().split("\n"))
    assert added == {"gacc-test,General Administration of Customs of China,Test query,http://stats.customs.gov.cn/,"
                     "2026-02-20,official,\"Official trade statistics, imported from the publisher's own download.\",,,"}


def test_import_into_adds_a_new_month_and_touches_nothing_else(data_dir):
    old = _lines(data_dir / "observations.csv")
    result = gacc("gacc_no_date_cny.csv", period="2026-04")
    report = import_into(data_dir, result, SOURCE)
    assert report.added == [("2026-04", "CHN", "WLD", "export", "magnets", "t"),
                            ("2026-04", "CHN", "WLD", "export", "terbium", "kg")]
    assert (report.replaced, report.unchanged, report.rederived, report.source_added) == ([], [], [], True)
    new = _lines(data_dir / "observations.csv")
    assert [line for line in new if line not in old] == [
        "2026-04,CHN,WLD,export,magnets,t,5716.95,reported,gacc-test,,China customs,,",
        "2026-04,CHN,WLD,export,terbium,kg,1850,reported,gacc-test,,China customs,,",
    ]
    assert [line for line in new if line in old] == old  # every old row, in the same order
    # sorted within its series: after the last WLD magnets tonnage month
    assert new[new.index("2026-04,CHN,WLD,export,magnets,t,5716.95,reported,gacc-test,,China customs,,") - 1].startswith("2026-03,")
    added = [line for line in _lines(data_dir / "sources.csv") if line.startswith("gacc-test,")]
    assert added[0].endswith(",China customs,,"), "the download's page relays China customs' figures"


def test_import_into_reports_replaced_and_unchanged_figures(data_dir):
    report = import_into(data_dir, gacc("gacc_zh_gb18030.csv"), SOURCE)
    assert report.replaced == [(("2025-10", "CHN", "DEU", "export", "magnets", "t"), "1118", "1118.45")]
    assert report.unchanged == [("2025-10", "CHN", "KOR", "export", "dysprosium", "kg"),
                                ("2025-10", "CHN", "USA", "export", "magnets", "t")]
    assert len(report.added) == 6
    text = (data_dir / "observations.csv").read_text(encoding="utf-8")
    assert "2025-10,CHN,KOR,export,dysprosium,kg,2701,reported,gacc-test;rawmaterials-net-a38cd0,,China customs,,\n" in text
    assert "2025-10,CHN,DEU,export,magnets,t,1118.45,reported,gacc-test,,China customs,,\n" in text


def test_import_into_recomputes_derived_rows(data_dir):
    """2024-11/2024-12 is derived from the 2024 total; a reported November leaves December derived."""
    result = ImportResult(rows=[observation("2024-11", "CHN", "WLD", "export", "magnets", "t",
                                            Decimal("5000"), "gacc-test")])
    report = import_into(data_dir, result, SOURCE)
    assert report.rederived == [
        (("2024-11/2024-12", "CHN", "WLD", "export", "magnets", "t"), "10374", None),
        (("2024-12", "CHN", "WLD", "export", "magnets", "t"), None, "5374"),
    ]
    assert "2024-12,CHN,WLD,export,magnets,t,5374,derived,adamasintel-com-b0662d;gacc-test;metalnomist-com-e149d6," \
           "\"derived: 2024 total minus 2024-01/2024-10, 2024-11\",China customs,," in _lines(data_dir / "observations.csv")


def test_import_into_refuses_a_result_with_problems(data_dir):
    before = (data_dir / "observations.csv").read_bytes()
    with pytest.raises(ImportFileError, match="value '309'"):
        import_into(data_dir, gacc("gacc_unknown_partner.csv"), SOURCE)
    with pytest.raises(ValueError, match="cite ct-test"):
        import_into(data_dir, comtrade(FIXTURES / "comtrade_api.json"), SOURCE)
    assert (data_dir / "observations.csv").read_bytes() == before


def test_rebook_import_refuses_a_file_over_the_limit_and_writes_nothing(tmp_path):
    """The limit reaches `rebook import` through its environment; nothing is kept or merged."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    download = tmp_path / "export.csv"
    download.write_bytes((FIXTURES / "gacc_en_utf8bom.csv").read_bytes() + b"," * 2_000_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "REBOOK_IMPORT_LIMIT_MB": "1.5"}
    proc = subprocess.run([sys.executable, "-m", "rare_earth_exports.cli", "import", "gacc", str(download),
                           "--data", str(data), "--customs", str(tmp_path / "customs")],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr == (
        f"rebook import: 1 problem(s):\n{download}:1: column '(file)': value '2.0 MB': expected a download of at "
        "most 1.5 MB; hint: a customs query is a few MB: check this is the file you meant; if the file is right, "
        "raise the limit in the environment of `rebook import`: REBOOK_IMPORT_LIMIT_MB=3 (megabytes)\n")
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    assert not (tmp_path / "customs").exists()
