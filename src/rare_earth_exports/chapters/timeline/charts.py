"""The policy timeline as a chart: one point per event, filtered by kind and actor like the table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ...core.sources import publishers
from ...present import series as charts
from ...present.theme import EVENT_COLOURS
from .events import actors_of, years


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
        x=alt.X("date:T", title="Date", axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("kind:N", title="Kind of event", sort=kinds),
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(domain=kinds, range=[EVENT_COLOURS.get(k, "#7f7f7f") for k in kinds])),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("actor:N", title="Actor"), alt.Tooltip("title:N", title="Event"),
                 alt.Tooltip("source:N", title="Source")],
    ).add_params(kind, actor).transform_filter(
        "(kind_filter == 'all' || datum.kind == kind_filter) && "
        "(actor_filter == 'all' || indexof(split(datum.actor, ';'), actor_filter) >= 0)"
    ).properties(height=alt.Step(28))


def events_chart(events: pd.DataFrame, sources: pd.DataFrame) -> alt.TopLevelMixin:
    """The timeline chart with its title, source line and text alternative."""
    return charts.titled(timeline_chart(events, sources), f"Export-control events, {years(events)}",
                         "Source: data/events.csv; each event links to its source in the table below",
                         "Dot plot of policy events by date and kind; the table below lists the same events.")
