"""What a reader downloads: every page of the built site, its scripts and its chart data.

For each HTML page: its bytes; the JavaScript it loads (local `<script src>` files plus inline
scripts, raw and gzipped, read by `rare_earth_exports.build.weight`, which also holds the budgets
`make test` enforces); and each chart's `vegaEmbed` specification, with the rows and columns of the data it
embeds. A column that no part of the specification names (encoding, tooltip, transform) is
weight the chart does not need: the page should aggregate or select before charting.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from rare_earth_exports.build import weight

EMBED = re.compile(r'vegaEmbed\("#([^"]+)",\s*')
DRAWING = re.compile(r'(?:src|srcset)="([^"]*_images/charts/[0-9a-f]+\.svg)"')  # a chart drawn at build time
DATUM = re.compile(r"datum(?:\.([A-Za-z_]\w*)|\[['\"]([^'\"]+)['\"]\])")
FIELD_KEYS = {"field", "fields", "groupby", "fold", "key", "lookup", "on"}


@dataclass
class Chart:
    chart_id: str
    spec_bytes: int
    rows: int
    columns: int
    unused: list[str]
    unused_bytes: int  # what the specification would shed without the unused columns


@dataclass
class PageWeight:
    page: str
    html_bytes: int
    js_files_bytes: int
    js_inline_bytes: int
    js_gzip_bytes: int  # the same scripts compressed, as a web server would send them
    js_budget: int      # gzipped bytes the page may load (more with charts)
    loads_vega: bool
    js_at_load_gzip_bytes: int = 0  # without the Vega bundle, which loads when a reader points at a chart
    drawings_gzip_bytes: int = 0    # the charts drawn at build time (SVG), both widths, gzipped
    external_scripts: list[str] = field(default_factory=list)
    scripts: dict[str, int] = field(default_factory=dict)  # local script file -> bytes
    charts: list[Chart] = field(default_factory=list)

    @property
    def js_bytes(self) -> int:
        return self.js_files_bytes + self.js_inline_bytes

    @property
    def chart_bytes(self) -> int:
        return sum(c.spec_bytes for c in self.charts)


def _named_fields(node, out: set[str]) -> None:
    """Every column a Vega-Lite specification refers to, wherever it does."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FIELD_KEYS:
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str):
                        out.add(v.split(".")[0])
            if key != "datasets":
                _named_fields(value, out)
    elif isinstance(node, list):
        for v in node:
            _named_fields(v, out)
    elif isinstance(node, str):
        out.update(a or b for a, b in DATUM.findall(node))


def charts_of(text: str) -> list[Chart]:
    decoder = json.JSONDecoder()
    charts = []
    for match in EMBED.finditer(text):
        spec, end = decoder.raw_decode(text, match.end())
        used: set[str] = set()
        _named_fields(spec, used)
        rows, columns = [], set()
        for values in spec.get("datasets", {}).values():
            rows.extend(values)
            for row in values:
                columns.update(row)
        unused = sorted(columns - used)
        lean = {**spec, "datasets": {k: [{c: v for c, v in row.items() if c not in unused} for row in values]
                                     for k, values in spec.get("datasets", {}).items()}}
        spec_bytes = end - match.end()
        lean_bytes = len(json.dumps(lean, sort_keys=True, separators=(",", ":")).encode("utf-8"))
        charts.append(Chart(match.group(1), spec_bytes, len(rows), len(columns), unused, max(0, spec_bytes - lean_bytes)))
    return charts


def page_weights(site: Path) -> list[PageWeight]:
    pages = []
    for path in weight.site_pages(site):
        text = path.read_text(encoding="utf-8")
        js = weight.page_scripts(site, path)
        files = {s.source: s.raw_bytes for s in js.scripts if s.source != "inline"}
        drawings = {(path.parent / ref).resolve() for ref in DRAWING.findall(text)}
        pages.append(PageWeight(js.page, len(text.encode("utf-8")), sum(files.values()), js.inline_bytes,
                                js.gzip_bytes, js.budget, js.loads_vega, js.at_load_gzip_bytes,
                                sum(weight.gzip_size(d.read_bytes()) for d in sorted(drawings)),
                                js.external, files, charts_of(text)))
    return pages
