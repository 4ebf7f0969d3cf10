"""What changed between two data vintages, in the terms a reviewer approves: the figures.

A vintage is one build's `book/results/metrics.csv` (one row per figure the book computes) plus
the values glued on the home page. Two vintages are compared figure by figure, keyed by where a
figure belongs (chapter, page, period, partner, product, metric, basis, unit): a figure whose
value moved is *changed*, one only in the new build is *added*, one only in the old build is
*removed*. The home page's glued values get a section of their own, since every reader sees them.

A vintage is read from a git ref (`git show REF:book/results/metrics.csv`), a folder holding
`book/results/metrics.csv`, or a metrics.csv file; the report renders as text or as Markdown.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

import pandas as pd

from ..present.page import DECIMALS, METRICS_KEY

KEY = ["chapter", "page", "period", "partner", "product", "metric", "basis", "unit"]
METRICS_PATH = "book/results/metrics.csv"
HOME_PATH = "book/index.md"
BOOK_DIR = "book"
# {glue:text}`data.ipynb::data_newest_month:s`, also {glue}, {glue:any}, {glue:md}
GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`")
RECORD_MIME = "application/papermill.record/text/plain"


class DiffError(ValueError):
    """A vintage that cannot be read; the message says which and why."""


# --- reading a vintage ------------------------------------------------------------------------

def read_metrics(text: str, label: str = "metrics.csv") -> pd.DataFrame:
    """One row per figure: KEY, value (float, NaN for a blank) and glue_key (`;`-joined if several)."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in KEY + ["value", "glue_key"] if c not in df.columns]
    if missing:
        raise DiffError(f"{label}: lacks the column(s) {', '.join(missing)}")
    try:
        df["value"] = [float(v) if v.strip() else math.nan for v in df["value"]]
    except ValueError as exc:
        raise DiffError(f"{label}: a value is not a number ({exc})") from exc
    rows = []
    for key, group in df.groupby(KEY, sort=True):
        values = {round(v, DECIMALS) for v in group["value"] if not math.isnan(v)}
        if len(values) > 1:
            raise DiffError(f"{label}: the figure {' / '.join(key)} has several values: {sorted(values)}")
        glue = ";".join(sorted({g for g in group["glue_key"] if g}))
        rows.append([*key, values.pop() if values else math.nan, glue])
    return pd.DataFrame(rows, columns=KEY + ["value", "glue_key"])


def home_glues(markdown: str) -> list[tuple[str, str]]:
    """(page, key) of every value the home page glues from a notebook, e.g. ('data', 'data_n_sources')."""
    found = set()
    for target in GLUE_ROLE.findall(markdown):
        if "::" not in target:
            continue
        path, rest = target.split("::", 1)
        page = PurePosixPath(path.strip()).with_suffix("").as_posix()
        found.add((page, rest.split(":", 1)[0].strip()))
    return sorted(found)


def glued_values(notebook_json: str) -> dict[str, object]:
    """Every value an executed notebook glues, by key (numbers as floats, text as str)."""
    values = {}
    for cell in json.loads(notebook_json).get("cells", []):
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and name != METRICS_KEY and RECORD_MIME in out.get("data", {}):
                text = out["data"][RECORD_MIME]
                text = "".join(text) if isinstance(text, list) else text
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text
    return values


@dataclass(frozen=True)
class Vintage:
    """One build's figures, the home page's glued (page, key) pairs and its glued texts; `read`
    gives any other file of the build (None for a lone metrics.csv), `commit` the full hash when
    the vintage is a git ref."""

    label: str
    metrics: pd.DataFrame
    home: tuple[tuple[str, str], ...] = ()
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    read: Callable[[str], str | None] | None = None
    commit: str = ""


def vintage_from(label: str, read, commit: str = "") -> Vintage:
    """A vintage from `read(relative path) -> text or None` (a folder, a git ref)."""
    text = read(METRICS_PATH)
    if text is None:
        raise DiffError(f"{label}: no {METRICS_PATH}")
    home_md = read(HOME_PATH)
    home = tuple(home_glues(home_md)) if home_md is not None else ()
    texts = {}
    for page in sorted({p for p, _ in home}):
        nb = read(f"{BOOK_DIR}/{page}.ipynb")
        if nb is None:
            continue
        glued = glued_values(nb)
        for p, key in home:
            if p == page and isinstance(glued.get(key), str):
                texts[(p, key)] = glued[key]
    return Vintage(label, read_metrics(text, f"{label}: {METRICS_PATH}"), home, texts, read, commit)


def _git_reader(ref: str, root: Path):
    def read(rel: str) -> str | None:
        proc = subprocess.run(["git", "-C", str(root), "show", f"{ref}:{rel}"], capture_output=True)
        return proc.stdout.decode("utf-8") if proc.returncode == 0 else None
    return read


def _folder_reader(folder: Path):
    def read(rel: str) -> str | None:
        path = folder / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None
    return read


def load_vintage(spec: str | None, root: Path) -> Vintage:
    """`spec`: a metrics.csv, a folder holding book/results/metrics.csv, or a git ref of the
    project at `root`; None is the working tree at `root`."""
    if spec is None:
        return vintage_from("working tree", _folder_reader(root))
    path = Path(spec)
    if path.is_file():
        resolved = path.resolve()
        if resolved.as_posix().endswith("/" + METRICS_PATH):  # a build's own file: its home page too
            return vintage_from(spec, _folder_reader(resolved.parents[2]))
        return Vintage(spec, read_metrics(path.read_text(encoding="utf-8"), spec))
    if path.is_dir():
        return vintage_from(spec, _folder_reader(path))
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"],
                              capture_output=True, text=True)
    except OSError as exc:
        raise DiffError(f"{spec!r} is not a file or folder, and git cannot be run: {exc}") from exc
    if proc.returncode != 0:
        raise DiffError(f"{spec!r} is neither a file, a folder nor a git ref of {root}")
    return vintage_from(spec, _git_reader(spec, root), proc.stdout.strip())


# --- comparing ----------------------------------------------------------------------------------

def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _clean(v: float) -> float | None:
    return None if _missing(v) else float(v)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and not (_missing(a) or _missing(b)):
        return round(a, DECIMALS) == round(b, DECIMALS)
    return (_missing(a) and _missing(b)) or a == b


def _difference(old: object, new: object) -> float | None:
    if not (isinstance(old, float) and isinstance(new, float)) or _missing(old) or _missing(new):
        return None
    return round(new - old, DECIMALS)


def _change_pct(old: object, new: object) -> float | None:
    d = _difference(old, new)
    return None if d is None or old == 0 else d / abs(old) * 100


class _OldNew:
    """Difference and % change of `old` and `new` (None where either is not a number)."""

    @property
    def difference(self) -> float | None:
        return _difference(self.old, self.new)

    @property
    def change_pct(self) -> float | None:
        return _change_pct(self.old, self.new)


@dataclass(frozen=True)
class Change(_OldNew):
    """One figure that differs; kind is `changed`, `added` or `removed`.

    A glued figure whose key moved (the count 'as of the newest month' when a month is added)
    is one change with `old_key` set, not a removal and an addition.
    """

    kind: str
    key: tuple[str, ...]
    old: float | None
    new: float | None
    glue_key: str = ""
    old_key: tuple[str, ...] | None = None

    @property
    def chapter(self) -> str:
        return self.key[0]


@dataclass(frozen=True)
class HomeChange(_OldNew):
    """A value glued on the home page that reads differently: a number (with its period and unit
    from metrics.csv) or a text (a month in words, a name)."""

    page: str
    key: str
    old: float | str | None
    new: float | str | None
    old_period: str = ""
    new_period: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Report:
    old_label: str
    new_label: str
    old_rows: int
    new_rows: int
    changes: tuple[Change, ...]
    home: tuple[HomeChange, ...]
    chapters: tuple[str, ...]  # every chapter of either vintage

    def count(self, kind: str) -> int:
        return sum(c.kind == kind for c in self.changes)

    @property
    def unchanged(self) -> int:
        return self.new_rows - self.count("changed") - self.count("added")


def _figures(v: Vintage) -> dict[tuple, tuple[float, str]]:
    return {tuple(r[k] for k in KEY): (r["value"], r["glue_key"]) for _, r in v.metrics.iterrows()}


def _glued(v: Vintage) -> dict[tuple[str, str], tuple[str, str, float]]:
    """(page, glue key) -> (period, unit, value) of every glued figure."""
    out = {}
    for _, r in v.metrics.iterrows():
        for g in r["glue_key"].split(";"):
            if g:
                out[(r["page"], g)] = (r["period"], r["unit"], r["value"])
    return out


def _home_changes(old: Vintage, new: Vintage) -> tuple[HomeChange, ...]:
    og, ng = _glued(old), _glued(new)
    out = []
    for pk in sorted(set(old.home) | set(new.home)):
        if pk in og or pk in ng:
            (op, ou, ov), (np_, nu, nv) = og.get(pk, ("", "", None)), ng.get(pk, ("", "", None))
            if not (_same(ov, nv) and op == np_):
                out.append(HomeChange(*pk, _clean(ov), _clean(nv), op, np_, nu or ou))
        elif not _same(old.texts.get(pk), new.texts.get(pk)):
            out.append(HomeChange(*pk, old.texts.get(pk), new.texts.get(pk)))
    return tuple(out)


def compare(old: Vintage, new: Vintage) -> Report:
    """Every figure that changed, was added or was removed, sorted by key, and the home page's
    glued values that changed."""
    o, n = _figures(old), _figures(new)
    changed = [Change("changed", k, _clean(o[k][0]), _clean(n[k][0]), n[k][1] or o[k][1])
               for k in sorted(o.keys() & n.keys()) if not _same(o[k][0], n[k][0])]
    removed = {k: v for k, v in o.items() if k not in n}
    added = {k: v for k, v in n.items() if k not in o}
    # a glued figure that moved: removed and added under the same page and glue key
    gone = {(k[0], k[1], g): k for k, (_, g) in removed.items() if g}
    for k, (value, g) in sorted(added.items()):
        old_key = gone.get((k[0], k[1], g)) if g else None
        if old_key is not None and old_key in removed:
            old_value = removed.pop(old_key)[0]
            del added[k]
            if not _same(old_value, value):
                changed.append(Change("changed", k, _clean(old_value), _clean(value), g, old_key))
    changes = changed + [Change("added", k, None, _clean(v), g) for k, (v, g) in added.items()] \
        + [Change("removed", k, _clean(v), None, g) for k, (v, g) in removed.items()]
    changes.sort(key=lambda c: (c.key, c.kind))
    chapters = tuple(sorted(set(old.metrics["chapter"]) | set(new.metrics["chapter"])))
    return Report(old.label, new.label, len(o), len(n), tuple(changes), _home_changes(old, new), chapters)


# --- rendering --------------------------------------------------------------------------------

def number(v: float | None, signed: bool = False) -> str:
    """1234.5 -> '1,234.5'; as many decimals as the figure has (at most DECIMALS); a gap is '—'."""
    if _missing(v):
        return "—"
    text = f"{v:{'+' if signed else ''},.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0") else text


def percent(v: float | None) -> str:
    return "" if v is None else f"{v:+,.1f} %"


def _value(v: float | str | None) -> str:
    return v if isinstance(v, str) else number(v)


FIGURE = ["page", "period", "partner", "product", "metric", "basis", "unit"]
COLUMNS = {"changed": FIGURE + ["old", "new", "difference", "change", "glue"],
           "added": FIGURE + ["new", "glue"],
           "removed": FIGURE + ["old", "glue"]}
HOME_COLUMNS = ["page", "glue", "period", "unit", "old", "new", "difference", "change"]
NUMERIC = {"old", "new", "difference", "change"}


@dataclass(frozen=True)
class _Style:
    arrow: str
    code: object  # str -> str
    table: object  # (columns, rows) -> list[str]


def _moved(old: str, new: str, style: _Style) -> str:
    return new if old in ("", new) else f"{old} {style.arrow} {new}"


def _cells(c: Change, columns: list[str], style: _Style) -> list[str]:
    old_key = c.old_key or c.key
    values = {k: _moved(a, b, style) for k, a, b in zip(KEY, old_key, c.key)}
    values.update(old=number(c.old), new=number(c.new), difference=number(c.difference, signed=True),
                  change=percent(c.change_pct),
                  glue=", ".join(style.code(g) for g in c.glue_key.split(";") if g))
    return [values[col] for col in columns]


def _home_cells(h: HomeChange, style: _Style) -> list[str]:
    return [h.page, style.code(h.key), _moved(h.old_period, h.new_period, style), h.unit,
            _value(h.old), _value(h.new), "" if h.difference is None else number(h.difference, signed=True),
            percent(h.change_pct)]


def _text_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(col), *(len(r[i]) for r in rows)) for i, col in enumerate(columns)]

    def line(cells):
        return "    " + "  ".join(c.rjust(w) if col in NUMERIC else c.ljust(w)
                                  for col, c, w in zip(columns, cells, widths)).rstrip()
    return [line(columns), *(line(r) for r in rows)]


def _md_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---:" if c in NUMERIC else "---" for c in columns]
    return ["", "| " + " | ".join(columns) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows)]


TEXT = _Style("->", str, _text_table)
MARKDOWN = _Style("→", lambda s: f"`{s}`", _md_table)


def _summary(report: Report) -> str:
    return (f"{report.old_rows} figures before, {report.new_rows} after: "
            f"{report.count('changed')} changed, {report.count('added')} added, "
            f"{report.count('removed')} removed, {report.unchanged} unchanged.")


def _render(report: Report, style: _Style, heading) -> list[str]:
    """The report's body; `heading(level, text)` formats a heading (0: title, 1: section, 2: list)."""
    code = style.code
    lines = [heading(0, f"Vintage diff: {code(report.old_label)} {style.arrow} {code(report.new_label)}"),
             f"Figures of {code(METRICS_PATH)}: {_summary(report)}"]
    if report.home:
        lines += ["", heading(1, f"Home page ({code(HOME_PATH)}): glued values that changed")]
        lines += style.table(HOME_COLUMNS, [_home_cells(h, style) for h in report.home])
    quiet = []
    for chapter in report.chapters:
        kinds = {k: [c for c in report.changes if c.chapter == chapter and c.kind == k] for k in COLUMNS}
        if not any(kinds.values()):
            quiet.append(code(chapter))
            continue
        counts = ", ".join(f"{len(v)} {k}" for k, v in kinds.items())
        lines += ["", heading(1, f"Chapter {code(chapter)}: {counts}")]
        for kind, changes in kinds.items():
            if changes:
                lines += [heading(2, f"{kind.capitalize()} ({len(changes)})")]
                lines += style.table(COLUMNS[kind], [_cells(c, COLUMNS[kind], style) for c in changes])
    if quiet:
        lines += ["", f"Chapters without a change: {', '.join(quiet)}."]
    if not report.changes and not report.home:
        lines += ["", "No figure changed."]
    return lines


def render_text(report: Report) -> str:
    return "\n".join(_render(report, TEXT, lambda level, text: ("", "", "  ")[level] + text)) + "\n"


def render_markdown(report: Report) -> str:
    """The same report for a pull request description."""
    def heading(level: int, text: str) -> str:
        return ("## ", "### ", "\n#### ")[level] + text + ("\n" if level == 0 else "")
    return "\n".join(_render(report, MARKDOWN, heading)) + "\n"
