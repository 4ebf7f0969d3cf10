"""The policy timeline as a figure: one point per event, filtered by kind and actor like the table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.sources import publishers
from ...present.figure import Figure
from ...present.theme import EVENT_COLOURS
from .events import actors_of, years

TIMELINE_SOURCE = "Source: the pages that reported each event, linked in the table below."


def timeline_chart(events: pd.DataFrame, sources: pd.DataFrame) -> alt.Chart:
    """One point per event on a date axis, one row per kind; dropdowns filter kind and actor."""
    frame = pd.DataFrame({
        "date": events["day"], "when": events["date"], "kind": events["kind"], "actor": events["actor"],
        "title": events["title"], "source": events["source_ids"].map(lambda ids: publishers(ids, sources)),
    })
    kinds = sorted(frame["kind"].unique())
    actors = actors_of(events)
    kind = alt.param(name="kind_filter", value="all",
                     bind=alt.binding_select(options=["all", *kinds], name="Kind: "))
    actor = alt.param(name="actor_filter", value="all",
                      bind=alt.binding_select(options=["all", *actors], name="Actor: "))
    return alt.Chart(frame).mark_point(filled=True, size=70, opacity=0.85).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", tickCount={"expr": "ceil(width / 80)"})),
        y=alt.Y("kind:N", title="Kind of event", sort=kinds),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(domain=kinds, range=[EVENT_COLOURS.get(k, "#7f7f7f") for k in kinds])),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("actor:N", title="Actor"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("source:N", title="Source")],
    ).add_params(kind, actor).transform_filter(
        "(kind_filter == 'all' || datum.kind == kind_filter) && "
        "(actor_filter == 'all' || indexof(split(datum.actor, ';'), actor_filter) >= 0)"
    ).properties(height=alt.Step(28))


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """The events as the chart draws them, for its download and table view."""
    return pd.DataFrame({"Date": events["date"], "Kind": events["kind"], "Actor": events["actor"], "Event": events["title"],
                         "Affects": events["affects"], "source_ids": events["source_ids"]}).reset_index(drop=True)


def events_chart(events: pd.DataFrame, sources: pd.DataFrame) -> Figure:
    """The timeline chart with its title, credit line and description."""
    counts = events["kind"].value_counts()
    return Figure(
        name="events", title=f"Export-control events, {years(events)}", charts=[timeline_chart(events, sources)],
        data=event_rows(events), credit=TIMELINE_SOURCE,
        description=("Dot plot of policy events by date and kind; the table below lists the same events: "
                     + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + "."))
