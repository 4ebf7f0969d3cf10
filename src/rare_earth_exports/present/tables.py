"""Tables on the page: escaped HTML tables and the sources table under every chart.

Everything from the data is escaped, and only http(s) addresses become links.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from ..core.sources import named_sources


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
