"""Customs downloads kept in sources/customs/: `rebook import` keeps them, `rebook curate` replays them.

Each test works in a small project in a temporary folder (the repository's curation/, sources/
and data/, and the marker files `rebook` finds the project root by), so the committed data and
manifest are never touched.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from rare_earth_exports.cli import main as rebook
from rare_earth_exports.curate.customs import MANIFEST_FIELDS, sha256

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "importers"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for folder in ("curation", "sources", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copyfile(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "src" / "rare_earth_exports").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def manifest(project: Path) -> list[dict]:
    with open(project / "sources" / "customs" / "manifest.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def observations(project: Path) -> str:
    return (project / "data" / "observations.csv").read_text(encoding="utf-8")


def test_an_import_is_kept_and_survives_re_curation(project, capsys):
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_zh_gb18030.csv"), "--flow", "export",
                   "--published", "2025-11-20"]) == 0
    (entry,) = manifest(project)
    kept = project / "sources" / "customs" / entry["file"]
    assert kept.read_bytes() == (FIXTURES / "gacc_zh_gb18030.csv").read_bytes()
    assert entry["file"] == f"{entry['source_id']}.csv" and entry["source_id"].startswith("gacc-")
    assert (entry["sha256"], entry["format"], entry["flow"], entry["period"], entry["published"]) == (
        sha256(kept), "gacc", "export", "", "2025-11-20")
    assert len(entry["imported"]) == 10
    imported_row = f"2025-10,CHN,DEU,export,magnets,t,1118.45,reported,{entry['source_id']},,China customs,,\n"
    assert imported_row in observations(project)
    after_import = {name: (project / "data" / name).read_bytes() for name in ("observations.csv", "sources.csv")}

    assert rebook(["curate"]) == 0
    assert f"replayed {entry['file']}: 6 added, 1 replaced, 2 unchanged" in capsys.readouterr().out
    for name, content in after_import.items():
        assert (project / "data" / name).read_bytes() == content, f"{name}: re-curation changed the import"


def test_import_options_are_replayed_as_given(project):
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_no_date_cny.csv"), "--flow", "export",
                   "--period", "2026-01", "--source-id", "gacc-2026-01"]) == 0
    assert rebook(["import", "comtrade", str(FIXTURES / "comtrade_plus.csv"), "--source-id", "ct-test"]) == 0
    assert [(e["file"], e["format"], e["flow"], e["period"]) for e in manifest(project)] == [
        ("gacc-2026-01.csv", "gacc", "export", "2026-01"), ("ct-test.csv", "comtrade", "", "")]
    before = observations(project)
    assert "2026-01,CHN,WLD,export,magnets,t,5716.95,reported,gacc-2026-01," in before
    assert rebook(["curate"]) == 0
    assert observations(project) == before


def test_importing_the_same_download_twice_keeps_it_once(project, capsys):
    for _ in range(2):
        assert rebook(["import", "gacc", str(FIXTURES / "gacc_zh_gb18030.csv")]) == 0
    assert len(manifest(project)) == 1
    assert "already kept" in capsys.readouterr().out


def test_another_download_under_a_kept_source_id_is_refused(project, capsys):
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_zh_gb18030.csv"), "--source-id", "gacc-oct"]) == 0
    before = observations(project)
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_en_utf8bom.csv"), "--source-id", "gacc-oct"]) == 1
    assert "source id gacc-oct is already kept for another file (gacc-oct.csv)" in capsys.readouterr().err
    assert observations(project) == before and len(manifest(project)) == 1


def test_a_changed_download_stops_curation_with_its_name_and_leaves_data_alone(project, capsys):
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_zh_gb18030.csv"), "--source-id", "gacc-oct"]) == 0
    before = observations(project)
    kept = project / "sources" / "customs" / "gacc-oct.csv"
    kept.write_bytes(kept.read_bytes() + b"\n")  # one byte more: the figures may be the same, the file is not
    assert rebook(["curate"]) == 1
    err = capsys.readouterr().err
    assert "customs/manifest.csv, line 2: gacc-oct.csv: the file changed since it was imported" in err
    assert "Traceback" not in err
    assert observations(project) == before


def test_a_missing_download_stops_curation_with_its_name(project, capsys):
    assert rebook(["import", "gacc", str(FIXTURES / "gacc_zh_gb18030.csv"), "--source-id", "gacc-oct"]) == 0
    (project / "sources" / "customs" / "gacc-oct.csv").unlink()
    assert rebook(["curate"]) == 1
    assert "gacc-oct.csv: the kept download is missing" in capsys.readouterr().err


def test_a_manifest_with_other_columns_is_refused(project, capsys):
    (project / "sources" / "customs" / "manifest.csv").write_text("file,sha256\n", encoding="utf-8")
    assert rebook(["curate"]) == 1
    assert f"expected the columns {', '.join(MANIFEST_FIELDS)}" in capsys.readouterr().err
