"""The comparison page's tables: coverage, shares over windows, event windows, yardsticks, the
licensing record and its synthesis, the newest figures and events, statements, sources.

Each returns a `present.tables.Table` for the notebook to show (its rows are the download); text
from the data is escaped; a gap shows as an em dash, a change on a level under the floor as
"not meaningful".
"""

from __future__ import annotations

import html
import math

import pandas as pd

from ...core.periods import period_in_words, year_before
from ...core.words import capitalised, date_words, month_words, without_article
from ...present.tables import Table, sources, table
from .licensing import ALL, OUTCOMES
from .measures import SIDES, WORLD, Comparison, missing_spans

NOT_MEANINGFUL = "not meaningful"
# events.csv's kinds as the page names them.
KIND_WORDS = {"control": "control", "license": "licence decision", "relaxation": "relaxation", "truce": "truce",
              "tariff": "tariff", "statement": "statement", "quota": "quota", "data_release": "data release",
              "other": "other"}


def shown(value, spec: str) -> str:
    """A cell as text: a number in `spec`, a word as it is, a gap as an em dash."""
    if isinstance(value, str):
        return value
    if value is None or not math.isfinite(value):
        return "—"
    return format(value, spec)


def coverage(c: Comparison) -> Table:
    """For each series: its months with a figure of their own in the chart window, the first, the
    last, the gaps, and the months known only together (a two-month figure, kept as one)."""
    rows = []
    s = c.settings
    for r in c.with_world:
        values = c.in_charts(r)
        have = values.dropna()
        role = c.roles[r]
        spans = role.rows[role.rows["n_months"].between(2, 3) & (role.rows["first_month"] >= pd.Period(s.start, "M"))
                          & (role.rows["last_month"] <= pd.Period(s.end, "M"))]
        together = [period_in_words(p) for p, first, last in zip(spans["period"], spans["first_month"], spans["last_month"])
                    if values.loc[first:last].isna().all()]
        rows.append({"Series": without_article(role.label), "Months with a figure of their own": len(have),
                     "First": month_words(have.index.min()) if len(have) else "—",
                     "Last": month_words(have.index.max()) if len(have) else "—",
                     "Months without a figure of their own": ", ".join(map(period_in_words, missing_spans(values))) or "none",
                     "Of those, known only together": ", ".join(together) or "none"})
    return table("coverage", "What the figures cover", pd.DataFrame(rows), {"Months with a figure of their own": ",.0f"})


def _change(pct: float, floored: bool) -> str:
    return NOT_MEANINGFUL if floored else shown(pct, "+,.1f")


def event_windows(windows: pd.DataFrame, name: str, label: str) -> Table:
    """An `event_comparisons` table: event (its name up to any colon), window, sides, months used,
    changes (or "not meaningful" on a level under the floor), gap."""
    t = windows
    out = pd.DataFrame({
        "Event": [f"{date_words(d)}: {e.split(':')[0]}" for d, e in zip(t["date"], t["event"])],
        "Months either side": t["window"],
        "First side": t["side_a"].map(without_article), "Second side": t["side_b"].map(without_article),
        "Months used (before → after)": t["months"].replace("", "none with both figures"),
        "First side (%)": [_change(p, f) for p, f in zip(t["a_pct"], t["a_floor"])],
        "Second side (%)": [_change(p, f) for p, f in zip(t["b_pct"], t["b_floor"])],
        "Gap (points)": t["gap_pp"]})
    return table(name, label, out, {"Gap (points)": "+,.1f"})


def figures_used(periods: tuple[str, ...]) -> str:
    """The periods a window's share pools, as runs of consecutive months in words, and how many
    figures ('January to March 2026, 2 figures': a two-month figure and a month)."""
    if not periods:
        return "none"
    runs: list[list[str]] = []
    for p in periods:
        first = pd.Period(p.split("/")[0], "M")
        if runs and pd.Period(runs[-1][-1].split("/")[-1], "M") + 1 == first:
            runs[-1].append(p)
        else:
            runs.append([p])
    words = [period_in_words(f"{r[0].split('/')[0]}/{r[-1].split('/')[-1]}") if len(r) > 1 or "/" in r[0]
             else period_in_words(r[0]) for r in runs]
    return ", ".join(words) + f" ({len(periods)} {'figure' if len(periods) == 1 else 'figures'})"


def window_shares(c: Comparison) -> Table:
    """Each side's share of China's total in each window, and its change from the baseline window with the interval."""
    rows = []
    for side in SIDES:
        label = without_article(c.roles[side].label)
        base = c.shifts[side]["after"].before
        rows.append({"Destination": label, "Window": base.window.name, "Figures used": figures_used(base.periods),
                     "Share (%)": base.share, "Change on the baseline (points)": float("nan"),
                     "Interval, low": float("nan"), "Interval, high": float("nan")})
        for which in ("after", "recent"):
            shift = c.shifts[side][which]
            low, high = shift.interval
            rows.append({"Destination": label, "Window": shift.after.window.name,
                         "Figures used": figures_used(shift.after.periods),
                         "Share (%)": shift.after.share, "Change on the baseline (points)": shift.change,
                         "Interval, low": low, "Interval, high": high})
    return table("window-shares", "Each side's share of China's total over the named windows", pd.DataFrame(rows),
                 {"Share (%)": ",.1f", "Change on the baseline (points)": "+,.1f", "Interval, low": "+,.1f",
                  "Interval, high": "+,.1f"})


def yardsticks(c: Comparison) -> Table:
    """Every yardstick's ordinary changes: how many, their spread, and whether it is used (enough
    changes, and the seasonal rule followed)."""
    rows = []
    for key, y in c.yardsticks.items():
        sw = y.swing
        used = ("no: keeps the Lunar New Year swings" if key == "w_seasonal"
                else "yes" if sw.n >= c.settings.min_changes else "no: too few changes")
        rows.append({"Yardstick": y.name, "Months": period_in_words(y.window), "Changes": sw.n, "Mean": sw.mean,
                     "Standard deviation": sw.std, "Smallest": sw.min, "Largest": sw.max, "Used": used})
    return table("yardsticks", "Ordinary month-to-month changes", pd.DataFrame(rows), {
        "Changes": ",.0f", "Mean": "+,.1f", "Standard deviation": ",.1f", "Smallest": "+,.1f", "Largest": "+,.1f"})


def _item(row: dict) -> str:
    return (f"{date_words(row['date'])}: {row['title']}"
            + (f" (to {date_words(row['expires'])})" if row["expires"] else "")
            + (" [scheduled]" if row["status"] == "scheduled" else ""))


def synthesis(c: Comparison) -> Table:
    """The record by what happened, then by whom it concerns (each side, every destination), its
    items in date order: a list, so it reads at any width (the download has one row per item, and
    each item is marked as a row shown).
    Text from the data is escaped."""
    table = c.synthesis
    columns = [c.roles["a"].label, c.roles["b"].label, ALL]
    out = ['<ul class="book-synthesis">']
    for _, row in table.iterrows():
        parts = []
        for col in columns:
            items = row[col]
            listed = ("; ".join(f'<span class="book-record-item">{html.escape(_item(i))}</span>' for i in items)
                      if items else "none")
            parts.append(f"<em>{html.escape(capitalised(without_article(col)))}</em>: {listed}")
        out.append(f"<li><strong>{html.escape(row['what'])}.</strong> " + ". ".join(parts) + ".</li>")
    out.append("</ul>")
    record = c.record
    rows = pd.DataFrame({"What happened": record["outcome"].map(OUTCOMES), "Concerns": record["side"].map(without_article),
                         "Date": record["date"], "Event": record["title"], "Runs to": record["expires"],
                         "Status": record["status"], "source_ids": record["source_ids"]})
    return Table("licensing-synthesis", "The licensing record by what happened", rows, "\n".join(out))


def licensing(c: Comparison) -> Table:
    """Every item of the record, folded: date, whom it concerns, who said or did it, what happened,
    term, status."""
    record = c.record
    shown_rows = pd.DataFrame({"Date": record["date"].map(date_words), "Concerns": record["side"].map(without_article),
                               "Who": record["who"], "What happened": record["outcome"].map(OUTCOMES),
                               "Runs (months)": record["months"],
                               "Runs to": [date_words(e) if e else "—" for e in record["expires"]],
                               "Status": record["status"], "Event": record["title"]})
    t = table("licensing-record", "Every item of the record", shown_rows, {"Runs (months)": ",.0f"})
    t.folded = True
    return t


def statements(c: Comparison) -> Table:
    """What was said about either side, in date order."""
    said = c.said
    return table("statements", "What was said", pd.DataFrame({
        "Date": said["date"].map(date_words), "Concerns": said["side"].map(without_article), "Who": said["who"],
        "Statement": said["title"]}))


def newest(c: Comparison) -> Table:
    """The newest figures of each side and China's total: the period as published (a two-month
    figure stays one row), the same months a year before, the change, the share."""
    rows = []
    for r in (*SIDES, WORLD):
        for f in c.newest[r]:
            yoy = f.yoy_pct
            rows.append({"Destination": without_article(c.roles[r].label), "Period": period_in_words(f.period),
                         "Months": f.months, f"Exports ({c.unit})": f.value,
                         "Same months a year before": period_in_words(year_before(f.period)),
                         f"Then ({c.unit})": f.year_before,
                         "Change (%)": NOT_MEANINGFUL if math.isfinite(f.year_before) and not math.isfinite(yoy)
                         else shown(yoy, "+,.1f"),
                         "Share of China's total (%)": f.share if r != WORLD else float("nan")})
    columns = ["Destination", "Period", "Months", f"Exports ({c.unit})", "Same months a year before", f"Then ({c.unit})",
               "Change (%)", "Share of China's total (%)"]
    return table("newest", "The newest figures, like with like", pd.DataFrame(rows, columns=columns),
                 {"Months": ",.0f", f"Exports ({c.unit})": ",.1f", f"Then ({c.unit})": ",.1f",
                  "Share of China's total (%)": ",.1f"})


def newest_events(c: Comparison) -> Table:
    """Every event of the newest year concerning a side (or every destination), scheduled ones marked."""
    ev = c.recent_events
    status = ["scheduled: the sources do not report what happened" if s == "scheduled" else s for s in ev["status"]]
    return table("newest-events", "Events of the newest months", pd.DataFrame({
        "Date": ev["date"].map(date_words), "Concerns": ev["side"].map(without_article), "Who": ev["who"],
        "Kind": ev["kind"].map(KIND_WORDS), "Status": status, "Event": ev["title"]}))


def all_sources(c: Comparison, sources_frame: pd.DataFrame) -> Table:
    """Every page behind the figures, events and statements on the page, shown open."""
    return sources("all-sources", c.all_source_ids, sources_frame, "Every source on this page", folded=False)
