"""Which policy events a chart labels, and how: one rule for every chart of the book.

A chart of monthly exports labels at most `MAX_MARKERS` events, those that changed the terms of
what it draws; every other event is in the timeline, which the figure's caption links to.

The rule, applied to the events dated inside the chart's months that happened (a scheduled date
whose outcome the sources do not report, `status` 'scheduled', is never labelled):
1. Kinds, in this order of priority: controls, truces, relaxations, licences, tariffs.
   Statements, quotas, data releases and other events are left to the timeline.
2. China's measures (controls, relaxations, licences) count when `affects` names one of the
   chart's products (or a group it belongs to, `PRODUCT_TERMS`) and either all destinations (or
   names none) or one of the chart's destinations. A chart of China's total counts measures for
   all destinations only.
3. Truces count when both sides agreed them (two actors, not one side's account of the deal) and
   a side is one of the chart's destinations; on a chart of China's total, every truce counts.
   Tariff steps count when they concern one of the chart's destinations (any, on China's total).
4. Events of one kind less than `MERGE_DAYS` after the first event of a marker join that marker:
   at a phone's width they would sit on top of each other, and together they are one step.
5. Markers are ranked by kind, then date; the first six are kept and numbered by date.

Markers sit above the plot; markers closer than `ROW_GAP_DAYS` go on separate rows so their
numbers do not overlap at 360 px.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from ..core.words import date_words
from .theme import EVENT_COLOURS, EVENT_WORDS

MAX_MARKERS = 6
LABELLED_KINDS = ("control", "truce", "relaxation", "license", "tariff")
CHINA_MEASURES = ("control", "relaxation", "license")
WORLD = "WLD"
ALL = "all"
MERGE_DAYS = 40
ROW_GAP_DAYS = 50     # closer markers take separate rows: 24 months at 360 px leave 0.37 px a day
# The words of events.csv's `affects` that concern a product of the book, beyond its own name.
PRODUCT_TERMS = {
    "magnets": ("magnets",),
    "magnets_hs6": ("magnets",),
    "rare_earths": ("rare earths",),
    "dysprosium": ("dysprosium", "heavy rare earths"),
    "terbium": ("terbium", "heavy rare earths"),
    "yttrium": ("yttrium", "heavy rare earths"),
}
# Destinations as the data package names them, against the codes events.csv uses.
EVENT_PARTNER_CODES = {"EU27": "EU"}
MARKER_SIZE = 18        # px: the circle that carries the number (18 px = 50 days at 360 px)
ROW_STEP = 20           # px between rows of markers


@dataclass(frozen=True)
class Marker:
    """One numbered mark on a chart: events of one kind close in time, drawn at the first."""

    number: int
    kind: str
    day: pd.Timestamp
    row: int
    events: tuple[tuple[str, str], ...]   # (date as in events.csv, title)

    @property
    def colour(self) -> str:
        return EVENT_COLOURS.get(self.kind, EVENT_COLOURS["other"])

    @property
    def label(self) -> str:
        """What the marker's tooltip and the list under the chart say."""
        return "; ".join(f"{date_words(d)}: {t}" for d, t in self.events)


def _tokens(value: str) -> set[str]:
    return {t.strip() for t in str(value).split(";") if t.strip()}


def _destinations(tokens: set[str]) -> set[str]:
    """The destinations an event names: partner codes (upper case) and 'all'."""
    return {t for t in tokens if t == ALL or (t.isupper() and len(t) <= 5)}


def product_terms(products) -> set[str]:
    return {term for p in products for term in PRODUCT_TERMS.get(p, (p.replace("_", " "),))}


def applies(event: pd.Series, products, partners) -> bool:
    """Whether `event` concerns a chart of `products` to `partners` (rule points 1 to 3)."""
    kind, tokens = event["kind"], _tokens(event["affects"])
    world = WORLD in partners
    mine = {EVENT_PARTNER_CODES.get(p, p) for p in partners if p != WORLD}
    named = _destinations(tokens)
    if kind in CHINA_MEASURES:
        for_partners = not named or ALL in named or bool(named & mine)
        return for_partners and bool(tokens & product_terms(products))
    if kind == "truce":
        sides = _tokens(event["actor"])
        return len(sides) >= 2 and (world or bool((named | sides) & mine))
    if kind == "tariff":
        return world or bool((named | _tokens(event["actor"])) & mine)
    return False


def chart_markers(events: pd.DataFrame, start: str, end: str, products, partners) -> list[Marker]:
    """The numbered markers of a chart of `products` to `partners` over the months start..end."""
    happened = events["status"] != "scheduled" if "status" in events else True
    inside = events[(events["month"] >= pd.Period(start, "M")) & (events["month"] <= pd.Period(end, "M"))
                    & events["kind"].isin(LABELLED_KINDS) & happened]
    chosen = inside[np.array([applies(e, products, partners) for _, e in inside.iterrows()], dtype=bool)]
    chosen = chosen.sort_values(["day", "event_id"] if "event_id" in chosen else ["day", "title"])
    groups: list[dict] = []
    for _, e in chosen.iterrows():
        same = [g for g in groups if g["kind"] == e["kind"] and (e["day"] - g["day"]).days < MERGE_DAYS]
        if same:
            same[-1]["events"].append((e["date"], e["title"]))
        else:
            groups.append({"kind": e["kind"], "day": e["day"], "events": [(e["date"], e["title"])]})
    ranked = sorted(groups, key=lambda g: (LABELLED_KINDS.index(g["kind"]), g["day"]))[:MAX_MARKERS]
    kept = sorted(ranked, key=lambda g: (g["day"], LABELLED_KINDS.index(g["kind"])))
    rows: list[pd.Timestamp] = []   # the last marker's day on each row
    markers = []
    for number, g in enumerate(kept, start=1):
        row = next((i for i, last in enumerate(rows) if (g["day"] - last).days >= ROW_GAP_DAYS), len(rows))
        if row == len(rows):
            rows.append(g["day"])
        else:
            rows[row] = g["day"]
        markers.append(Marker(number, g["kind"], g["day"], row, tuple(g["events"])))
    return markers


def marker_frame(markers: list[Marker]) -> pd.DataFrame:
    return pd.DataFrame({
        "date": [m.day for m in markers], "number": [str(m.number) for m in markers],
        "kind": [EVENT_WORDS.get(m.kind, m.kind) for m in markers], "colour": [m.colour for m in markers],
        "y": [-(MARKER_SIZE / 2 + 4 + m.row * ROW_STEP) for m in markers], "event": [m.label for m in markers],
    }, columns=["date", "number", "kind", "colour", "y", "event"])


def marker_layer(markers: list[Marker]) -> alt.LayerChart:
    """Dashed rules at the markers' days, each topped by its number in a circle of its kind's colour."""
    frame = marker_frame(markers)
    colour = alt.Color("colour:N", scale=None, legend=None)
    tooltip = [alt.Tooltip("number:N", title="Event"), alt.Tooltip("kind:N", title="Kind"),
               alt.Tooltip("event:N", title="What happened")]
    base = alt.Chart(frame)
    rules = base.mark_rule(strokeDash=[4, 3], strokeWidth=1.5, opacity=0.8).encode(x="date:T", color=colour, tooltip=tooltip)
    dots = base.mark_circle(size=MARKER_SIZE ** 2 * 0.8, opacity=1).encode(
        x="date:T", y=alt.Y("y:Q", scale=None, axis=None), color=colour, tooltip=tooltip)
    numbers = base.mark_text(color="white", fontSize=11, fontWeight="bold", baseline="middle").encode(
        x="date:T", y=alt.Y("y:Q", scale=None, axis=None), text="number:N", tooltip=tooltip)
    return alt.layer(rules, dots, numbers)


def markers_html(markers: list[Marker]) -> str:
    """The list under the chart: each number with its kind, date and events."""
    items = []
    for m in markers:
        events = "; ".join(f"{html.escape(date_words(d))}: {html.escape(t)}" for d, t in m.events)
        items.append(f'<li><span class="book-event-number" style="background:{m.colour}" aria-hidden="true">{m.number}</span>'
                     f'<span class="book-event-kind" style="color:{m.colour}">{html.escape(EVENT_WORDS.get(m.kind, m.kind))}</span> '
                     f"{events}</li>")
    return f'<ol class="book-events" aria-label="Events marked on the chart">{"".join(items)}</ol>' if items else ""
