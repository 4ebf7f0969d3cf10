"""The policy timeline as a table a reader can filter by kind and actor."""

from __future__ import annotations

import html

import pandas as pd

from ...core.sources import named_sources
from ...present.tables import Table, page_link
from .charts import event_rows
from .events import actors_of


def events_table(events: pd.DataFrame, sources: pd.DataFrame) -> Table:
    """The timeline table, with its rows for download."""
    return Table("all-events", "All events", event_rows(events.sort_values(["date", "event_id"])),
                 timeline_table(events, sources))


def timeline_table(events: pd.DataFrame, sources: pd.DataFrame, table_id: str = "events") -> str:
    """The events as an HTML table with kind and actor filters; all text from the data is escaped.

    The source column links the first page a reader may be shown (no weak or excluded page); an
    event only such pages report shows none there (the data page lists them)."""
    kinds = sorted(events["kind"].unique())
    actors = actors_of(events)

    def options(values):
        return "".join(f'<option value="{html.escape(v, quote=True)}">{html.escape(v)}</option>' for v in values)

    rows = []
    for _, e in events.sort_values(["date", "event_id"]).iterrows():
        named = named_sources(e["source_ids"], sources)  # never a weak or excluded page
        link = page_link(named["url"].iloc[0], named["publisher"].iloc[0]) if len(named) else ""
        rows.append(f'<tr data-kind="{html.escape(e["kind"], quote=True)}" data-actor="{html.escape(e["actor"], quote=True)}">'
                    f"<td>{html.escape(e['date'])}</td><td>{html.escape(e['kind'])}</td><td>{html.escape(e['actor'])}</td>"
                    f"<td>{html.escape(e['title'])}</td><td>{html.escape(e['affects'])}</td><td>{link}</td></tr>")
    script = (
        "(function(){var t=document.getElementById('%s');var k=document.getElementById('%s-kind');"
        "var a=document.getElementById('%s-actor');function f(){t.querySelectorAll('tbody tr').forEach(function(r){"
        "var ok=(k.value==='all'||r.dataset.kind===k.value)&&(a.value==='all'||r.dataset.actor.split(';').indexOf(a.value)>=0);"
        "r.style.display=ok?'':'none';});}k.addEventListener('change',f);a.addEventListener('change',f);})();"
    ) % (table_id, table_id, table_id)
    return (
        f'<div class="book-filters"><label>Kind: <select id="{table_id}-kind"><option value="all">all</option>{options(kinds)}</select></label> '
        f'<label>Actor: <select id="{table_id}-actor"><option value="all">all</option>{options(actors)}</select></label></div>'
        f'<table class="book-table" id="{table_id}"><thead><tr><th>Date</th><th>Kind</th><th>Actor</th><th>Event</th>'
        f'<th>Affects</th><th>Source</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"<script>{script}</script>"
    )
