"""The events the timeline shows: those in the page's months, and who acted in them."""

from __future__ import annotations

import pandas as pd


def between(events: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The events dated in the months start..end (inclusive)."""
    months = events["month"]
    return events[(months >= pd.Period(start, "M")) & (months <= pd.Period(end, "M"))]


def actors_of(events: pd.DataFrame) -> list[str]:
    """Every actor named, once ('USA;CHN' names two), sorted: the options of the actor filter."""
    return sorted({a for value in events["actor"] for a in value.split(";") if a})


def years(events: pd.DataFrame) -> str:
    """The years the events span, e.g. '2023–2025'."""
    return f"{events['day'].min().year}–{events['day'].max().year}"
