"""What `rebook curate` reads, as data: `curation/inputs.yml` names the press vintages and the folder of customs downloads.

Paths in inputs.yml are relative to the project root, so curation reads the repository only and
runs the same from any directory. Each press vintage says in its `origin.yml` which of its files
hold figures and which events, in the order they are read. Anything missing is a CurationError
naming the path, never a traceback.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .rules import CurationError

INPUTS_FILE = "inputs.yml"
KEPT_FIGURE_COLUMNS = ("period", "partner", "product", "metric", "value", "unit", "source_url", "published")
KEPT_EVENT_COLUMNS = ("date", "kind", "actor", "title", "affects", "source_url")
PERCENT_COLUMNS = ("input_file", "input_line", "quote_ref", "stated_pct", "compares", "category_words", "of_row_figure")
HOLDS = {"figures": KEPT_FIGURE_COLUMNS, "events": KEPT_EVENT_COLUMNS, "percentages": PERCENT_COLUMNS}


@dataclass
class Press:
    """The gathered press files, in reading order; `percentages` are the vintages' stated_percentages.csv."""

    figures: list[Path]
    events: list[Path]
    percentages: list[Path] = field(default_factory=list)


@dataclass
class Inputs:
    press: Press
    customs: Path  # the folder of kept customs downloads and their manifest.csv


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _yaml(path: Path, root: Path) -> dict:
    if not path.is_file():
        raise CurationError(f"{_shown(path, root)}: no such file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CurationError(f"{_shown(path, root)}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise CurationError(f"{_shown(path, root)}: expected a mapping of keys to values")
    return data


def load_inputs(curation_dir: Path, root: Path) -> Inputs:
    """The press files and the customs folder that curation_dir/inputs.yml lists, checked to exist."""
    spec_path = curation_dir / INPUTS_FILE
    spec = _yaml(spec_path, root)
    where = _shown(spec_path, root)
    vintages, customs = spec.get("press"), spec.get("customs")
    if not isinstance(vintages, list) or not vintages or not all(isinstance(v, str) for v in vintages):
        raise CurationError(f"{where}: 'press' must list the press vintage folders to curate, e.g. sources/press/2025-12")
    if not isinstance(customs, str):
        raise CurationError(f"{where}: 'customs' must name the folder of customs downloads, e.g. sources/customs")
    press = Press([], [])
    for vintage in vintages:
        folder = root / vintage
        if not folder.is_dir():
            raise CurationError(f"{where}: press vintage folder {vintage} does not exist")
        _read_vintage(folder, root, press)
    names = [p.name for p in press.figures + press.events]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CurationError(f"{where}: file name(s) {', '.join(twice)} in more than one vintage; "
                            "data/reconciliation.csv names input files without their folder")
    customs_dir = root / customs
    if not (customs_dir / "manifest.csv").is_file():
        raise CurationError(f"{where}: customs folder {customs} has no manifest.csv "
                            "(`rebook import` writes it; an empty manifest is the header line alone)")
    return Inputs(press, customs_dir)


def _read_vintage(folder: Path, root: Path, press: Press) -> None:
    origin_path = folder / "origin.yml"
    origin = _yaml(origin_path, root)
    files = origin.get("files")
    if not isinstance(files, list):
        raise CurationError(f"{_shown(origin_path, root)}: 'files' must list the folder's files with what each holds")
    for entry in files:
        if not isinstance(entry, dict) or "name" not in entry or "holds" not in entry:
            raise CurationError(f"{_shown(origin_path, root)}: each entry of 'files' needs a name and what it holds")
        if entry["holds"] not in HOLDS:
            continue
        path = folder / entry["name"]
        if not path.is_file():
            raise CurationError(f"{_shown(origin_path, root)}: lists {entry['name']}, which is not in {_shown(folder, root)}")
        required = HOLDS[entry["holds"]]
        with open(path, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh), [])
        missing = [c for c in required if c not in header]
        if missing:
            raise CurationError(f"{_shown(path, root)}: missing column(s) {', '.join(missing)} "
                                f"for a file of {entry['holds']}")
        {"figures": press.figures, "events": press.events, "percentages": press.percentages}[entry["holds"]].append(path)
