"""What the timeline page's prose says in numbers: how many events, how many controls, from when to when."""

from __future__ import annotations

import pandas as pd

from ...core.words import month_words
from ...present.page import Page, glue_text


def glue_page(page: Page, events: pd.DataFrame, end: str) -> None:
    """Glue the counts (each also a metrics row) and the first and last month in words."""
    page.glue("timeline_n_events", len(events), end, "ALL", "ALL", "count", "events")
    page.glue("timeline_n_controls", (events["kind"] == "control").sum(), end, "ALL", "ALL", "count", "events", "control")
    glue_text("timeline_first", month_words(events["month"].min()))
    glue_text("timeline_last", month_words(events["month"].max()))
