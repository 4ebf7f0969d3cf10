"""When the next customs figures are expected, by a rule stated on the data.

China's customs publish a month's detailed trade figures in the following month. The sources give
the day: for each figure of the series, the earliest publication date among the pages that
reported it, kept when it falls in the month after the figure's last month (a later date is a
page that reported an old figure, not the release). The usual day is the median of those days;
the next release, of the month after the newest one, is expected on that day of the month after
it. It is an expectation from past practice, never a date anyone announced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Release:
    """The month whose figures come next and the day they are expected."""

    month: pd.Period          # the month the next figures cover
    expected: pd.Timestamp | None  # None when no past release date is known
    day: int                  # the usual day of the month after a month, from past releases
    releases: int             # how many past releases the day rests on


def first_reports(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """For each figure in `rows` (a series' rows), its last month and the earliest publication date
    among its sources; figures without a dated source are left out."""
    dates = dict(zip(sources["source_id"], sources["published"]))
    out = []
    for r in rows.itertuples():
        published = sorted(d for i in str(r.source_ids).split(";") if (d := dates.get(i, "")))
        if published:
            out.append({"period": r.period, "last_month": r.last_month, "first_report": pd.Timestamp(published[0])})
    return pd.DataFrame(out, columns=["period", "last_month", "first_report"])


def next_release(rows: pd.DataFrame, sources: pd.DataFrame, newest: pd.Period) -> Release:
    """The release of the month after `newest`, expected on the usual day (see the module)."""
    reports = first_reports(rows, sources)
    on_time = reports[[r.first_report.to_period("M") == r.last_month + 1 for r in reports.itertuples()]]
    month = newest + 1
    if not len(on_time):
        return Release(month, None, 0, 0)
    day = int(math.floor(on_time["first_report"].dt.day.median()))
    release_month = month + 1
    day = min(day, release_month.days_in_month)
    return Release(month, pd.Timestamp(year=release_month.year, month=release_month.month, day=day), day, len(on_time))
