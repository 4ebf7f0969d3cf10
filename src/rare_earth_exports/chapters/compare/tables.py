"""The comparison page's tables: coverage, event windows, yardsticks, licensing, statements, sources.

Each returns escaped HTML (`present.tables.html_table`); a gap shows as an em dash.
"""

from __future__ import annotations

import pandas as pd

from ...core.periods import period_in_words
from ...core.words import without_article
from ...present.tables import html_table, sources_table
from .measures import Comparison, missing_spans


def coverage(c: Comparison) -> str:
    """For each series: its months with a figure in the chart window, the first, the last and the gaps."""
    rows = []
    for r in c.with_world:
        values = c.in_charts(r)
        have = values.dropna()
        rows.append({"Series": without_article(c.roles[r].label), "Destinations": c.roles[r].code,
                     "Months with a figure": len(have),
                     "First": str(have.index.min()) if len(have) else "—", "Last": str(have.index.max()) if len(have) else "—",
                     "Months without a figure": ", ".join(missing_spans(values)) or "none"})
    return html_table(pd.DataFrame(rows), {"Months with a figure": ",.0f"})


def event_windows(table: pd.DataFrame) -> str:
    """An `event_comparisons` table: event (its name up to any colon), window, sides, months used, changes, gap."""
    out = pd.DataFrame({
        "Event": table["date"] + " " + table["event"].str.split(":").str[0], "Months either side": table["window"],
        "First side": table["side_a"].map(without_article), "Second side": table["side_b"].map(without_article),
        "Months used (before → after)": table["months"].replace("", "none with both figures"),
        "First side (%)": table["a_pct"], "Second side (%)": table["b_pct"], "Gap (points)": table["gap_pp"]})
    return html_table(out, {"First side (%)": "+,.1f", "Second side (%)": "+,.1f", "Gap (points)": "+,.1f"})


def yardsticks(c: Comparison) -> str:
    """Every yardstick's ordinary changes: how many, their spread, and whether there are enough to use it."""
    rows = []
    for y in c.yardsticks.values():
        sw = y.swing
        rows.append({"Yardstick": y.name, "Months": period_in_words(y.window), "Changes": sw.n, "Mean": sw.mean,
                     "Standard deviation": sw.std, "Smallest": sw.min, "Largest": sw.max,
                     "Used": "yes" if sw.n >= c.settings.min_changes else "no: too few changes"})
    return html_table(pd.DataFrame(rows), {"Changes": ",.0f", "Mean": "+,.1f", "Standard deviation": ",.1f",
                                           "Smallest": "+,.1f", "Largest": "+,.1f"})


def licensing(c: Comparison) -> str:
    record = c.record
    table = pd.DataFrame({"Date": record["date"], "Concerns": record["side"].map(without_article), "Actor": record["actor"],
                          "What it says": record["licence_class"], "Licence runs (months)": record["months"],
                          "Runs to": record["expires"].replace("", "—"), "Event": record["title"]})
    return html_table(table, {"Licence runs (months)": ",.0f"})


def statements(c: Comparison) -> str:
    said = c.said
    return html_table(pd.DataFrame({"Date": said["date"], "Concerns": said["side"].map(without_article),
                                    "Actor": said["actor"], "Statement": said["title"]}))


def sources_below(source_ids, sources: pd.DataFrame) -> str:
    """The sources table of a chart or table, folded so the page stays readable."""
    return "<details><summary>Sources of the figures above</summary>" + sources_table(source_ids, sources) + "</details>"


def all_sources(c: Comparison, sources: pd.DataFrame) -> str:
    """Every page behind the figures, events and statements on the page."""
    return sources_table(c.all_source_ids, sources)
