"""curation/inputs.yml: which press vintages `rebook curate` reads; anything missing is named, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rare_earth_exports.cli import main as rebook
from rare_earth_exports.curate.inputs import load_inputs
from rare_earth_exports.curate.rules import CurationError

FIGURES = "period,partner,product,metric,value,unit,source_url,published,quote_ref\n"
EVENTS = "date,kind,actor,title,affects,source_url,quote_ref\n"
PERCENTAGES = "input_file,input_line,quote_ref,stated_pct,compares,category_words,of_row_figure\n"


def vintage(root: Path, name: str, files: dict[str, str], listed: list[dict] | None = None) -> None:
    folder = root / "sources" / "press" / name
    folder.mkdir(parents=True)
    for file, header in files.items():
        (folder / file).write_text(header, encoding="utf-8")
    entries = listed if listed is not None else [
        {"name": f, "holds": "events" if h == EVENTS else "figures"} for f, h in files.items()]
    (folder / "origin.yml").write_text(yaml.safe_dump({"vintage": name, "files": entries}), encoding="utf-8")


def inputs(root: Path, press, customs="sources/customs") -> Path:
    curation = root / "curation"
    curation.mkdir(exist_ok=True)
    (curation / "inputs.yml").write_text(yaml.safe_dump({"press": press, "customs": customs}), encoding="utf-8")
    (root / "sources" / "customs").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "customs" / "manifest.csv").write_text("file\n", encoding="utf-8")
    return curation


def test_files_are_read_in_the_order_the_vintages_and_their_origin_list_them(tmp_path):
    vintage(tmp_path, "2025-12", {"b.csv": FIGURES, "a.csv": FIGURES, "e.csv": EVENTS, "stated_percentages.csv": PERCENTAGES}, listed=[
        {"name": "b.csv", "holds": "figures"}, {"name": "e.csv", "holds": "events"}, {"name": "a.csv", "holds": "figures"},
        {"name": "stated_percentages.csv", "holds": "percentages"}])
    vintage(tmp_path, "2026-03", {"c.csv": FIGURES})
    found = load_inputs(inputs(tmp_path, ["sources/press/2025-12", "sources/press/2026-03"]), tmp_path)
    assert [p.name for p in found.press.figures] == ["b.csv", "a.csv", "c.csv"]
    assert [p.name for p in found.press.events] == ["e.csv"]
    assert found.press.percentages == [tmp_path / "sources/press/2025-12/stated_percentages.csv"]
    assert found.customs == tmp_path / "sources" / "customs"


@pytest.mark.parametrize("setup, message", [
    (lambda root: None, r"^curation/inputs.yml: no such file$"),
    (lambda root: inputs(root, "sources/press/2025-12"), r"'press' must list the press vintage folders"),
    (lambda root: inputs(root, ["sources/press/2025-12"], customs=None), r"'customs' must name the folder"),
    (lambda root: inputs(root, ["sources/press/2099-01"]), r"curation/inputs.yml: press vintage folder sources/press/2099-01 does not exist"),
    (lambda root: (inputs(root, ["sources/press/2025-12"]), (root / "sources/press/2025-12").mkdir(parents=True)),
     r"sources/press/2025-12/origin.yml: no such file"),
    (lambda root: (inputs(root, ["sources/press/2025-12"]), vintage(root, "2025-12", {}, [{"name": "a.csv", "holds": "figures"}])),
     r"sources/press/2025-12/origin.yml: lists a.csv, which is not in sources/press/2025-12"),
    (lambda root: (inputs(root, ["sources/press/2025-12"]), vintage(root, "2025-12", {"a.csv": "period,value,quote\n"})),
     r"sources/press/2025-12/a.csv: missing column\(s\) partner, product, metric, unit, source_url, published for a file of figures"),
    (lambda root: (inputs(root, ["sources/press/2025-12", "sources/press/2026-03"]),
                   vintage(root, "2025-12", {"a.csv": FIGURES}), vintage(root, "2026-03", {"a.csv": FIGURES})),
     r"file name\(s\) a.csv in more than one vintage"),
    (lambda root: (inputs(root, ["sources/press/2025-12"]), vintage(root, "2025-12", {"a.csv": FIGURES}),
                   (root / "sources/customs/manifest.csv").unlink()),
     r"customs folder sources/customs has no manifest.csv"),
])
def test_what_is_missing_or_malformed_is_named(tmp_path, setup, message):
    setup(tmp_path)
    with pytest.raises(CurationError, match=message):
        load_inputs(tmp_path / "curation", tmp_path)


def test_the_command_reports_a_missing_vintage_without_a_traceback(tmp_path, monkeypatch, capsys):
    inputs(tmp_path, ["sources/press/2099-01"])
    (tmp_path / "_config.yml").write_text("title: test\n", encoding="utf-8")
    (tmp_path / "src" / "rare_earth_exports").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sources")  # any folder of the project
    assert rebook(["curate"]) == 1
    err = capsys.readouterr().err
    assert err == "rebook curate: curation/inputs.yml: press vintage folder sources/press/2099-01 does not exist\n"
