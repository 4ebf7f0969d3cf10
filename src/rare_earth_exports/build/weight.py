"""What a page of the built site makes a reader download in JavaScript, and the budgets it must meet.

A phone on a slow network waits for every script before it has finished with a page, so the book
sets a budget per page, counted as a web server sends scripts (gzipped): a page without charts may
load at most 200 kB, a page with charts (which needs the Vega bundle) at most 500 kB. The scripts
are read from the built HTML itself (every `<script src>` it references, every inline script, and
the charts' library an inline script loads when a reader reaches for a chart), so the figures are
what a browser fetches, whatever added the tags; a chart page's total counts the library, as a
reader who explores a chart downloads it.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from ..present.render import BUNDLE_NAME
from .page_assets import CHART_CALL

# Gzipped JavaScript a page may load: without charts, and with charts (decimal kilobytes).
BUDGET_NO_CHARTS = 200_000
BUDGET_CHARTS = 500_000


@dataclass(frozen=True)
class Script:
    source: str      # the file, relative to the site, or "inline"
    raw_bytes: int
    gzip_bytes: int  # compressed as a web server would send it (gzip level 6)
    on_demand: bool = False  # loaded by a script when a reader reaches for a chart, not with the page


@dataclass
class PageScripts:
    page: str                                       # relative to the site, e.g. book/index.html
    has_charts: bool
    scripts: list[Script] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # scripts from another host (there should be none)
    missing: list[str] = field(default_factory=list)   # local scripts the page names that are not there

    @property
    def raw_bytes(self) -> int:
        return sum(s.raw_bytes for s in self.scripts)

    @property
    def gzip_bytes(self) -> int:
        return sum(s.gzip_bytes for s in self.scripts)

    @property
    def at_load_gzip_bytes(self) -> int:
        return sum(s.gzip_bytes for s in self.scripts if not s.on_demand)

    @property
    def inline_bytes(self) -> int:
        return sum(s.raw_bytes for s in self.scripts if s.source == "inline")

    @property
    def loads_vega(self) -> bool:
        return any(Path(s.source).name == BUNDLE_NAME for s in self.scripts)

    @property
    def budget(self) -> int:
        return BUDGET_CHARTS if self.has_charts else BUDGET_NO_CHARTS


class _ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attrs = dict(attrs)
            if attrs.get("src"):
                self.sources.append(attrs["src"])
            elif attrs.get("type", "text/javascript") in ("text/javascript", "module", "application/javascript"):
                self._in_script = True
                self.inline.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.inline[-1] += data


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, 6, mtime=0))


@lru_cache(maxsize=None)
def _file_sizes(path: Path, mtime_ns: int) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), gzip_size(data)


def page_scripts(site: Path, page: Path) -> PageScripts:
    """The scripts `page` (an HTML file under `site`) loads, each with its raw and gzipped size."""
    site = site.resolve()
    text = page.read_text(encoding="utf-8")
    tags = _ScriptTags()
    tags.feed(text)
    result = PageScripts(page.resolve().relative_to(site).as_posix(), any(CHART_CALL in s for s in tags.inline))
    on_demand = [m[1] for body in tags.inline for m in re.finditer(rf'"([^"\s]*{re.escape(BUNDLE_NAME)}[^"\s]*)"', body)]
    for src in tags.sources + on_demand:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
            result.external.append(src)
            continue
        target = (page.parent / src.split("?")[0].split("#")[0]).resolve()
        if not target.is_file():
            result.missing.append(src)
            continue
        raw, gz = _file_sizes(target, target.stat().st_mtime_ns)
        result.scripts.append(Script(target.relative_to(site).as_posix(), raw, gz, src in on_demand))
    for body in tags.inline:
        if body.strip():
            data = body.encode("utf-8")
            result.scripts.append(Script("inline", len(data), gzip_size(data)))
    return result


def site_pages(site: Path) -> list[Path]:
    """Every page of the built site (the theme's HTML fragments under `_static` are not pages)."""
    return [p for p in sorted(site.rglob("*.html")) if not p.relative_to(site).parts[0].startswith("_")]


def budget_problems(site: Path) -> list[str]:
    """Each page over its budget, loading Vega without a chart, or naming a script that is not there."""
    problems = []
    for path in site_pages(site):
        page = page_scripts(site, path)
        kind = "a page with charts" if page.has_charts else "a page without charts"
        if page.gzip_bytes > page.budget:
            heaviest = ", ".join(f"{s.source} {s.gzip_bytes / 1e3:.1f} kB"
                                 for s in sorted(page.scripts, key=lambda s: -s.gzip_bytes)[:3])
            problems.append(f"{page.page}: {page.gzip_bytes / 1e3:.1f} kB of JavaScript gzipped, over the "
                            f"{page.budget / 1e3:.0f} kB budget of {kind} (heaviest: {heaviest})")
        if page.loads_vega and not page.has_charts:
            problems.append(f"{page.page}: loads {BUNDLE_NAME} but has no chart")
        if page.has_charts and not page.loads_vega:
            problems.append(f"{page.page}: has a chart but does not load {BUNDLE_NAME}: the chart cannot render")
        problems += [f"{page.page}: names a script that is not in the site: {src}" for src in page.missing]
        problems += [f"{page.page}: loads a script from another host: {src}" for src in page.external]
    return problems
