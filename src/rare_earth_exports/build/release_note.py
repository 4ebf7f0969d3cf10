"""The release note: what changed between two editions of the book, in a reader's words.

`rebook diff` reports the figures that changed by their keys (metric, partner and product codes,
glue keys, file paths) for a reviewer. The release note is the same comparison (`diff.compare`)
for the site's "What changed in this edition" page: a figure is named as the pages name it (the
product and the destination by their names in the data package, the measure by its label in
`core/registry.py`, periods and dates in words) and its values carry their units. Figures are
compared page by page, the pages in the book's order under their titles: a page that moved to
another chapter id is no change a reader could see. `rebook release-note OLD` (make release-note)
writes it to `releases/<newest month>.md`, which `book/changes.md` includes, so the page's
figures are never typed by hand.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import yaml

from ..core.load import with_period_columns
from ..core.periods import period_in_words
from ..core.registry import LABELS
from ..core.words import capitalised, date_words, listing
from .diff import DECIMALS, GLUE_ROLE, KEY, Change, DiffError, Report, Vintage, compare, glued_values
from .plan import newest_month as plan_newest_month
from .stamp import built_date

RELEASES_DIR = "releases"
BOOK_DIR = "book"
PAGE = "book/changes.md"
OBSERVATIONS = "data/observations.csv"
EVERYONE = "ALL"  # the partner or product of a figure about the whole book (a count of events)
MONTH = r"\d{4}-(?:0[1-9]|1[0-2])"
# a date, a span of months, a month, a span of years: as they appear in periods and bases
PERIOD_TEXT = re.compile(rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|{MONTH}/{MONTH}|{MONTH}|\d{{4}}/\d{{4}})\b")
FILE_NAME = re.compile(r"\b([a-z_]+)\.csv\b")
TOKEN = re.compile(r"[A-Za-z0-9_]+")
TITLE = re.compile(r"^# (.+)$", re.M)
UNCOUNTED = ("series", "times")  # units that are no plural of a count
# Metrics and units the December 2025 edition (b92e9ae) recorded that the registry no longer defines
# (renamed, or retired with the flow page's log ratios), in words; any other retired key reads with
# its underscores as spaces.
RETIRED_LABELS = {"z": "change against ordinary changes", "swing_std": "spread of ordinary monthly changes",
                  "changes": "number of changes", "mean": "monthly mean",
                  "months_with_data": "number of months with a figure",
                  "log_ratio": "log ratio of magnets to a raw input", "gap_change": "shift of magnets against a raw input",
                  "ratio_change": "growth of magnets against a raw input"}
RETIRED_UNITS = {"sd": "standard deviations"}
COUNT = "count"  # the metric whose unit says what it counts


# --- names ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Names:
    """Partner and product codes -> the names the data package gives them."""

    partners: dict[str, str]
    products: dict[str, str]

    def partner(self, code: str) -> str:
        """'USA vs DEU' -> 'United States vs Germany'; 'WLD' -> 'all destinations' (never first in a name)."""
        return TOKEN.sub(lambda m: _in_text(self.partners.get(m.group(0), m.group(0))), code).replace("+", " + ")

    def product(self, code: str) -> str:
        """'magnets/dysprosium' -> 'Rare-earth permanent magnets / Dysprosium products'."""
        return TOKEN.sub(lambda m: self.products.get(m.group(0), m.group(0)), code).replace("/", " / ")

    def text(self, text: str) -> str:
        """A basis or a period in words: dates and periods spelled out, partner codes and product
        codes with an underscore named, a file of the data package called by what it holds."""
        text = PERIOD_TEXT.sub(lambda m: _period_words(m.group(0)), text).replace("->", ", then ")
        text = FILE_NAME.sub(lambda m: f"the {m.group(1).replace('_', ' ')} data", text)

        def name(m: re.Match) -> str:
            token = m.group(0)
            if token in self.partners:
                return _in_text(self.partners[token])
            return self.products[token] if "_" in token and token in self.products else token
        return TOKEN.sub(name, text)


def _in_text(name: str) -> str:
    """'All destinations' inside a sentence is 'all destinations'; a proper name stays as it is."""
    return "all" + name[3:] if name.startswith("All ") else name


def _period_words(period: str) -> str:
    if len(period) == 10:
        return date_words(period)
    if re.fullmatch(r"\d{4}/\d{4}", period):
        return period.replace("/", " to ")
    return period_in_words(period)


def _table(read, name: str, code: str) -> dict[str, str]:
    text = read(f"data/{name}.csv") if read else None
    if text is None:
        return {}
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return dict(zip(df[code], df["name"]))


def names_of(old: Vintage, new: Vintage) -> Names:
    """The names of both editions' data packages, the new one's where they differ."""
    return Names(partners={**_table(old.read, "partners", "partner"), **_table(new.read, "partners", "partner")},
                 products={**_table(old.read, "products", "product"), **_table(new.read, "products", "product")})


# --- figures in words ---------------------------------------------------------------------------

def figure_words(key: tuple[str, ...], names: Names) -> str:
    """'Rare-earth permanent magnets, United States: share of China's total (pooled from the control month)'."""
    _chapter, _page, _period, partner, product, metric, basis, unit = key
    about = [names.product(product) if product != EVERYONE else "",
             names.partner(partner) if partner != EVERYONE else ""]
    label = LABELS.get(metric) or RETIRED_LABELS.get(metric, metric.replace("_", " "))
    if metric == COUNT:
        label = f"{label} of {unit}"  # 'number of events': the unit says what is counted
    about_text = ", ".join(a for a in about if a)
    text = f"{capitalised(about_text)}: {label}" if about_text else capitalised(label)
    return f"{text} ({names.text(basis)})" if basis else text


def decimals(*values: float | None) -> int:
    """Enough decimals to read the values and to tell them apart: none for whole numbers and from
    1,000 up, one from 1, two below; more (up to the figures' own) where values would read alike."""
    known = [v for v in values if v is not None and not math.isnan(v)]
    if not known:
        return 0
    if all(float(v).is_integer() for v in known):
        d = 0
    else:
        smallest = min(abs(v) for v in known)
        d = 0 if smallest >= 1000 else 1 if smallest >= 1 else 2
    while d < DECIMALS and len({f"{v:.{d}f}" for v in known}) < len(set(known)):
        d += 1
    return d


def amount(value: float | None, metric: str, unit: str, places: int) -> str:
    """'1,238 t', '9.7%', '108.1' (an index), '2 months', '1 month', '114' (a count: its unit is in
    the figure's name); a gap is '—'."""
    if value is None or math.isnan(value):
        return "—"
    n = f"{value:,.{places}f}"
    if unit == "%":
        return n + "%"
    if metric == COUNT or unit in ("", "index", "ratio", "baseline=100"):
        return n
    unit = RETIRED_UNITS.get(unit, unit)
    return f"{n} {unit[:-1] if value == 1 and unit.endswith('s') and unit not in UNCOUNTED else unit}"


def _period(old: str, new: str, names: Names) -> str:
    """The period in words; a figure that moved (the newest month's) shows where from."""
    return names.text(new) if old == new else f"{names.text(old)} → {names.text(new)}"


def _cell(text: str) -> str:
    """Text from the data shown as text in a Markdown table (no emphasis, link, role or column break)."""
    return re.sub(r"([\\`*_<>\[\]|$])", r"\\\1", text)


def _rows(columns: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---:" if c in ("Before", "Now") else "---" for c in columns]
    return ["| " + " | ".join(columns) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(_cell(c) for c in r) + " |" for r in rows)]


def _change_rows(changes: list[Change], names: Names, columns: list[str]) -> list[str]:
    """A table of changes: one row per figure, by name, then chronologically (periods sort as written)."""
    rows = []
    for c in changes:
        figure, metric, unit = figure_words(c.key, names), c.key[5], c.key[7]
        old_period, places = (c.old_key or c.key)[2], decimals(c.old, c.new)
        cells = {"Figure": figure, "Period": _period(old_period, c.key[2], names),
                 "Before": amount(c.old, metric, unit, places), "Now": amount(c.new, metric, unit, places)}
        rows.append(((figure.casefold(), c.key[2]), [cells[col] for col in columns]))
    return _rows(columns, [cells for _, cells in sorted(rows)])


def home_changes(report: Report, old: Vintage, new: Vintage) -> list[Change]:
    """The changes of the figures either edition's home page shows. A figure is matched by what
    it is, not by its glue key: one the home page glues under a new key is no change to a reader,
    and the home page's texts (months in words) say what the note's first sentence says."""
    shown = _home_figures(old) | _home_figures(new)
    return [c for c in report.changes if c.key in shown or c.old_key in shown]


def _home_figures(v: Vintage) -> set[tuple[str, ...]]:
    home = set(v.home)
    return {tuple(row[k] for k in KEY) for _, row in v.metrics.iterrows()
            if any((row["page"], g) in home for g in row["glue_key"].split(";") if g)}


# --- the editions ------------------------------------------------------------------------------

def newest_month(v: Vintage) -> str:
    """'2026-03': the newest month of the data the edition was built from, as its home page's
    stamp says it (`latest` in parameters.yml)."""
    text = v.read(OBSERVATIONS) if v.read else None
    if text is None:
        raise DiffError(f"{v.label}: no {OBSERVATIONS}, so the edition's newest month is not known")
    return plan_newest_month(with_period_columns(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)))


def page_title(notebook_json: str) -> str | None:
    """An executed page's title (its first level-one heading), its glued words filled in."""
    for cell in json.loads(notebook_json).get("cells", []):
        source = cell.get("source", "")
        match = TITLE.search("".join(source)) if cell.get("cell_type") == "markdown" else None
        if match:
            glued = glued_values(notebook_json)  # {glue:text}`key`, `key:s`, `page.ipynb::key`
            return GLUE_ROLE.sub(lambda m: str(glued.get(m.group(1).split("::")[-1].split(":")[0], m.group(0))),
                                 match.group(1)).strip()
    return None


def toc_titles(v: Vintage) -> dict[str, str]:
    """The pages of the edition's table of contents, in its order, with the title it gives ('' for
    the page's own)."""
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            if str(node.get("file", "")).startswith(f"{BOOK_DIR}/"):
                found[node["file"][len(BOOK_DIR) + 1:]] = str(node.get("title", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    text = v.read("_toc.yml") if v.read else None
    walk(yaml.safe_load(text) if text else None)
    return found


def title_of(page: str, toc: dict[str, str], *vintages: Vintage) -> str:
    """A page's title in the navigation, else its own; a page the new edition no longer has says so."""
    title = toc.get(page) or _own_title(page, vintages)
    return title if page in toc else f"{title} (a page of the previous edition)"


def _own_title(page: str, vintages: tuple[Vintage, ...]) -> str:
    """The page's heading in the first edition that has the page."""
    for v in vintages:
        nb = v.read(f"{BOOK_DIR}/{page}.ipynb") if v.read else None
        title = page_title(nb) if nb else None
        if title:
            return title
    return capitalised(page.replace("-", " "))


def by_page(v: Vintage) -> Vintage:
    """The vintage with each figure's chapter id replaced by its page: what a reader sees."""
    return replace(v, metrics=v.metrics.assign(chapter=v.metrics["page"]))


def commit_date(root: Path, commit: str) -> str:
    """'22 November 2026': the date of a commit as that edition's home page stamped it."""
    proc = subprocess.run(["git", "-C", str(root), "show", "-s", "--format=%ct", commit], capture_output=True,
                          text=True)
    return built_date({"SOURCE_DATE_EPOCH": proc.stdout.strip() if proc.returncode == 0 else ""})


def _edition(v: Vintage, root: Path) -> str:
    """' (built on 22 November 2026, commit b92e9ae)' for an edition that is a commit; a folder has
    no name a reader could look up."""
    return f" (built on {commit_date(root, v.commit)}, commit {v.commit[:7]})" if v.commit else ""


def _through(v: Vintage) -> str:
    return period_in_words(newest_month(v))


# --- the note -----------------------------------------------------------------------------------

def render_release_note(old: Vintage, new: Vintage, root: Path) -> str:
    """The note as MyST Markdown (no title: the page that includes it has one)."""
    old, new = by_page(old), by_page(new)
    report = compare(old, new)
    names = names_of(old, new)
    n = report.count
    lines = [
        "% Written by `rebook release-note` (make release-note) from the figures of two builds: do not edit by hand.",
        "",
        f"This edition's figures run through {_through(new)}; those of the previous edition{_edition(old, root)} "
        f"ran through {_through(old)}. Of the {report.new_rows:,} figures the book computes now, "
        f"{report.unchanged:,} are as they were, {n('changed'):,} changed and {n('added'):,} are new; "
        f"{n('removed'):,} figures of the previous edition are no longer computed.",
        "",
        "Each figure is named by what it measures, for which product and destination, and how (in "
        "brackets). *Before* is the previous edition's value, *Now* this one's; where the period moved "
        "(the newest month, for instance) the period shows both. A dash is a gap: no figure.",
    ]
    home = home_changes(report, old, new)
    if home:
        lines += ["", "## On the home page", "", *_change_rows(home, names, ["Figure", "Period", "Before", "Now"])]
    quiet = []
    toc = toc_titles(new)
    for page in sorted(report.chapters, key=lambda p: (list(toc).index(p) if p in toc else len(toc), p)):
        kinds = {k: [c for c in report.changes if c.chapter == page and c.kind == k]
                 for k in ("changed", "added", "removed")}
        title = title_of(page, toc, new, old)
        if not any(kinds.values()):
            quiet.append(title)
            continue
        counts = [f"{len(kinds['changed']):,} changed", f"{len(kinds['added']):,} new",
                  f"{len(kinds['removed']):,} no longer computed"]
        lines += ["", f"## {title}", "", capitalised(listing(counts)) + "."]
        if kinds["changed"]:
            lines += ["", *_change_rows(kinds["changed"], names, ["Figure", "Period", "Before", "Now"])]
        for kind, heading, columns in (("added", "New figures", ["Figure", "Period", "Now"]),
                                       ("removed", "Figures no longer computed", ["Figure", "Period", "Before"])):
            if kinds[kind]:
                lines += ["", f":::{{dropdown}} {heading} ({len(kinds[kind]):,})", "",
                          *_change_rows(kinds[kind], names, columns), ":::"]
    if quiet:
        lines += ["", f"No figure changed in {listing(quiet)}."]
    return "\n".join(lines) + "\n"


def release_note_path(new: Vintage, root: Path) -> Path:
    """releases/<newest month>.md: one note per edition, named by its newest month."""
    return root / RELEASES_DIR / f"{newest_month(new)}.md"
