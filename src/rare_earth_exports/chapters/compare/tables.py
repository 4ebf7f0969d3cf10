"""The comparison page's tables: coverage, event windows, yardsticks, licensing, statements, sources.

Each returns a `present.tables.Table` for the notebook to show; a gap shows as an em dash.
"""

from __future__ import annotations

import pandas as pd

from ...core.periods import period_in_words
from ...core.words import without_article
from ...present.tables import Table, sources, table
from .measures import Comparison, missing_spans


def coverage(c: Comparison) -> Table:
    """For each series: its months with a figure in the chart window, the first, the last and the gaps."""
    rows = []
    for r in c.with_world:
        values = c.in_charts(r)
        have = values.dropna()
        rows.append({"Series": without_article(c.roles[r].label), "Destinations": c.roles[r].code,
                     "Months with a figure": len(have),
                     "First": str(have.index.min()) if len(have) else "—", "Last": str(have.index.max()) if len(have) else "—",
                     "Months without a figure": ", ".join(missing_spans(values)) or "none"})
    return table("coverage", "What the figures cover", pd.DataFrame(rows), {"Months with a figure": ",.0f"})


def event_windows(windows: pd.DataFrame, name: str, label: str) -> Table:
    """An `event_comparisons` table: event (its name up to any colon), window, sides, months used, changes, gap."""
    out = pd.DataFrame({
        "Event": windows["date"] + " " + windows["event"].str.split(":").str[0], "Months either side": windows["window"],
        "First side": windows["side_a"].map(without_article), "Second side": windows["side_b"].map(without_article),
        "Months used (before → after)": windows["months"].replace("", "none with both figures"),
        "First side (%)": windows["a_pct"], "Second side (%)": windows["b_pct"], "Gap (points)": windows["gap_pp"]})
    return table(name, label, out, {"First side (%)": "+,.1f", "Second side (%)": "+,.1f", "Gap (points)": "+,.1f"})


def yardsticks(c: Comparison) -> Table:
    """Every yardstick's ordinary changes: how many, their spread, and whether there are enough to use it."""
    rows = []
    for y in c.yardsticks.values():
        sw = y.swing
        rows.append({"Yardstick": y.name, "Months": period_in_words(y.window), "Changes": sw.n, "Mean": sw.mean,
                     "Standard deviation": sw.std, "Smallest": sw.min, "Largest": sw.max,
                     "Used": "yes" if sw.n >= c.settings.min_changes else "no: too few changes"})
    return table("yardsticks", "Ordinary month-to-month changes", pd.DataFrame(rows), {
        "Changes": ",.0f", "Mean": "+,.1f", "Standard deviation": ",.1f", "Smallest": "+,.1f", "Largest": "+,.1f"})


def licensing(c: Comparison) -> Table:
    record = c.record
    shown = pd.DataFrame({"Date": record["date"], "Concerns": record["side"].map(without_article), "Actor": record["actor"],
                          "What it says": record["licence_class"], "Licence runs (months)": record["months"],
                          "Runs to": record["expires"].replace("", "—"), "Event": record["title"]})
    return table("licensing-record", "The licensing record", shown, {"Licence runs (months)": ",.0f"})


def statements(c: Comparison) -> Table:
    said = c.said
    return table("statements", "What was said", pd.DataFrame({"Date": said["date"], "Concerns": said["side"].map(without_article),
                                                              "Actor": said["actor"], "Statement": said["title"]}))


def all_sources(c: Comparison, sources_frame: pd.DataFrame) -> Table:
    """Every page behind the figures, events and statements on the page, shown open."""
    return sources("all-sources", c.all_source_ids, sources_frame, "Every source on this page", folded=False)
