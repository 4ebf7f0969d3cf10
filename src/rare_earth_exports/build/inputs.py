"""What a page is executed from, as one content hash: a page is re-executed only when it changed.

The hash covers the source notebook, the page's parameters, the package modules the notebook
imports (followed through every import, into subpackages and relative imports), and the part of
the data the page read when it was last executed: `core.reads` records, in the kernel, which
tables the page used, and for `observations.csv` whose figures (by product and destination);
the record is stored in the executed notebook beside the hash. Recorded reads are safe to reuse:
while the part the page read is unchanged, running it again would read the same part and write
the same page; when its code or parameters change, it runs again anyway and records again. A page
without a record (it never loaded data through `core.load`) depends on the whole data folder.
No timestamps and no absolute paths go into the hash, so a fresh clone reuses the committed
outputs.
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import nbformat
import pandas as pd
import yaml

from ..core.load import read_strings
from ..core.reads import GROUPED
from .plan import Job

PACKAGE = "rare_earth_exports"
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def digest_files(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.relative_to(root).as_posix().encode() if p.is_relative_to(root) else p.name.encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def module_file(name: str) -> Path | None:
    """The file of a package module (`rare_earth_exports.core.series` -> core/series.py), or None."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    for candidate in ([base.with_suffix(".py")] if len(parts) > 1 else []) + [base / "__init__.py"]:
        if candidate.is_file():
            return candidate
    return None


def module_name(path: Path) -> str:
    """The dotted name of a package file (core/__init__.py -> rare_earth_exports.core)."""
    parts = list(path.relative_to(PACKAGE_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def imported_modules(source: str, path: Path | None = None) -> set[str]:
    """Dotted names a piece of code imports from the package, absolute or relative to `path`.

    For `from x import y`, both `x` and `x.y` are returned: `y` may be a submodule; names that
    are not modules are dropped by `module_file`.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    package = None
    if path is not None:
        package = module_name(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None or node.level - 1 > len(package):
                    continue
                base = package[:len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module.split(".")[0] != PACKAGE:
                continue
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
    return names


def package_dependencies(code: str) -> list[Path]:
    """The package's files that code uses, directly or through other modules.

    Importing `a.b.c` also runs `a/__init__.py` and `a/b/__init__.py`, so those count too.
    """
    todo, seen = imported_modules(code), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = module_file(name)
        if path is None:
            continue
        parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        todo |= (imported_modules(path.read_text(encoding="utf-8"), path) | parents) - seen
    return sorted({p for p in map(module_file, seen) if p is not None})


def extension_files(config_path: Path) -> list[Path]:
    """The package's files the book's own Sphinx extensions (listed in `_config.yml`) use: editing
    one changes the site as surely as editing a page."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    extensions = ((config.get("sphinx") or {}).get("config") or {}).get("extensions") or []
    return package_dependencies("\n".join(f"import {e}" for e in extensions if e.startswith(f"{PACKAGE_DIR.name}.")))


# What a page read: per table (a file of the data folder, without .csv), None when it read the
# table whole, else the groups whose figures it used (`core.reads.GROUPED`).
Reads = dict[str, list[str] | None]


class DataSlices:
    """Digests of the parts of one data folder a page can read, each computed once per build."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.files: dict[str, str] = {}
        self.grouped: dict[str, tuple[str, dict[str, str]]] = {}

    def folder(self) -> str:
        """The whole folder: what a page without a record of its reads depends on."""
        return digest_files([p for p in self.data_dir.iterdir() if p.suffix in (".csv", ".json")], self.data_dir)

    def file(self, name: str) -> str:
        if name not in self.files:
            path = self.data_dir / f"{name}.csv"
            self.files[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
        return self.files[name]

    def groups(self, name: str) -> tuple[str, dict[str, str]]:
        """The table without its figures (rows in file order), and the figures of each group.

        Row order is kept: a page may depend on it (the first row of a selection), and moving a
        row changes the first digest, so such a change re-executes every page that used the table.
        """
        if name not in self.grouped:
            keys, column = GROUPED[name]
            path = self.data_dir / f"{name}.csv"
            if not path.is_file():
                self.grouped[name] = ("absent", {})
                return self.grouped[name]
            table = read_strings(self.data_dir, name)
            rest = table.drop(columns=[column])
            labels = table[list(keys)].agg("/".join, axis=1) if len(table) else pd.Series([], dtype=str)
            by_group = {label: _digest(list(values)) for label, values in table[column].groupby(labels, sort=True)}
            self.grouped[name] = (_digest([list(rest.columns), rest.to_numpy().tolist()]), by_group)
        return self.grouped[name]

    def digest(self, reads: Reads | None) -> str:
        if reads is None:
            return self.folder()
        h = hashlib.sha256()
        for name, groups in sorted(reads.items()):
            if groups is None or name not in GROUPED:
                h.update(json.dumps([name, self.file(name)]).encode())
                continue
            rest, by_group = self.groups(name)
            h.update(json.dumps([name, rest, [(g, by_group.get(g, "absent")) for g in sorted(groups)]]).encode())
        return h.hexdigest()


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()


def code_hash(job: Job, root: Path) -> str:
    """Everything but the data: the notebook, the parameters and the package code it imports.

    The package code counted is the modules the notebook imports and what they import, so a
    change to the build or the command line does not re-execute the pages.
    """
    notebook = nbformat.read(root / job.notebook, as_version=4)
    cells = [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in notebook.cells]
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code" and "%" not in c.source[:1])
    h = hashlib.sha256()
    h.update(json.dumps(cells, sort_keys=True).encode())
    h.update(json.dumps(job.params, sort_keys=True, default=str).encode())
    h.update(digest_files(package_dependencies(code), PACKAGE_DIR).encode())
    return h.hexdigest()


def input_hash(code: str, data: DataSlices, reads: Reads | None) -> str:
    """Content hash of everything an execution depends on (no timestamps, no absolute paths):
    `code_hash`, and the data the page read (the whole folder without a record)."""
    return hashlib.sha256(f"{code} {data.digest(reads)}".encode()).hexdigest()[:16]


def stored_inputs(path: Path) -> tuple[str | None, Reads | None]:
    """The input hash and the record of reads an executed notebook stores (None, None if absent)."""
    if not path.exists():
        return None, None
    try:
        meta = nbformat.read(path, as_version=4).metadata.get("rebook", {})
    except Exception:  # an unreadable notebook is simply executed again
        return None, None
    return meta.get("input_hash"), meta.get("reads")
