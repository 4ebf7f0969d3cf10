"""Tables on the page: escaped HTML tables, the sources table under every chart, and `Table`,
what `present.show` puts on the page with a link to download its rows as CSV.

Everything from the data is escaped, and only http(s) addresses become links. A wide table
scrolls inside its own box (a keyboard can scroll it too); the page never scrolls sideways.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import pandas as pd

from ..core.sources import named_sources
from . import downloads


@dataclass
class Table:
    """A table as the page shows it (`markup`) and the rows behind it (`data`, the download).

    `label` names it for screen readers; with `folded`, it sits closed under its label.
    """

    name: str
    label: str
    data: pd.DataFrame
    markup: str
    folded: bool = False


def table(name: str, label: str, data: pd.DataFrame, formats: dict[str, str] | None = None) -> Table:
    """A plain table of `data`, numbers formatted for reading; the download keeps them in full."""
    return Table(name, label, data, html_table(data, formats))


def sources(name: str, source_ids, sources_frame: pd.DataFrame, label: str = "Sources of the figures above",
            folded: bool = True) -> Table:
    """The sources behind a chart or table (`;`-separated ids, each listed once), linked; folded
    under the chart unless told."""
    rows = named_sources(source_ids, sources_frame).sort_values(["publisher", "source_id"])
    return Table(name, label, rows.reset_index(drop=True), sources_table(source_ids, sources_frame), folded=folded)


def box(table_markup: str, label: str) -> str:
    """A table in a box that scrolls sideways if it must (by keyboard too), named for screen readers."""
    return f'<div class="book-table-box" role="region" aria-label="{html.escape(label, quote=True)}" tabindex="0">{table_markup}</div>'


def markup(t: Table, link: str) -> str:
    """The table in its box, the download link under it."""
    body = f'{box(t.markup, t.label)}\n<p class="book-table-links">{downloads.link_html(link, "table")}</p>'
    if t.folded:
        return f'<details class="book-table-fold"><summary>{html.escape(t.label)}</summary>\n{body}\n</details>'
    return body


def sources_table(source_ids, sources: pd.DataFrame) -> str:
    """HTML table of the pages behind a chart or table: publisher, linked title, date, tier.

    Weak and excluded pages are never listed on a reader's page (the data page lists every page
    with its tier and the reason). Everything from the data is escaped, and only http(s)
    addresses become links.
    """
    rows = named_sources(source_ids, sources).sort_values(["publisher", "source_id"])
    out = ['<table class="book-sources"><thead><tr><th>Publisher</th><th>Page</th><th>Published</th><th>Reliability</th></tr></thead><tbody>']
    for _, s in rows.iterrows():
        out.append(f"<tr><td>{html.escape(s['publisher'])}</td><td>{page_link(s['url'], s['title'])}</td>"
                   f"<td>{html.escape(s['published'])}</td><td>{html.escape(s['reliability'])}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def page_link(url: str, title: str) -> str:
    """The escaped title, linked when the address is http(s) (nothing else ever becomes a link)."""
    text = html.escape(title)
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener">{text}</a>'
    return text


def html_table(df: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A plain, escaped HTML table; NaN shows as an em dash (a gap, not a zero)."""
    formats = formats or {}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in df.columns:
            v = row[c]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                text = "—"
            elif c in formats:
                text = format(v, formats[c])
            else:
                text = str(v)
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="book-table"><thead><tr>{head}</tr></thead><tbody>' + "".join(body) + "</tbody></table>"
