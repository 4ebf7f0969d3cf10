"""When the next customs figures are expected: the usual day of past releases, from the sources."""

from __future__ import annotations

import pandas as pd

from rare_earth_exports.chapters.collapse.release import first_reports, next_release
from rare_earth_exports.core.series import series_rows

from series_helpers import observations

P = lambda text: pd.Period(text, "M")  # noqa: E731


def sources(dates: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"source_id": list(dates), "published": list(dates.values())})


def rows(tmp_path, periods):
    return series_rows(observations(tmp_path, [(p, "WLD", 1) for p in periods]), "magnets", "WLD")


def test_the_usual_day_is_the_median_first_report_in_the_month_after(tmp_path):
    r = rows(tmp_path, ["2025-05", "2025-06", "2025-07", "2025-01", "2026-01/2026-02"])
    dated = sources({"src-WLD-2025-05": "2025-06-20", "src-WLD-2025-06": "2025-07-18", "src-WLD-2025-07": "2025-08-21",
                     "src-WLD-2025-01": "2025-08-20",            # a page reporting an old month: not a release
                     "src-WLD-2026-01/2026-02": "2026-03-10"})   # a two-month total: released the month after its last
    assert first_reports(r, dated)["period"].tolist() == ["2025-05", "2025-06", "2025-07", "2025-01", "2026-01/2026-02"]
    got = next_release(r, dated, P("2026-03"))
    # on time: days 20, 18, 21 and 10; their median is 19: April's figures are expected on 19 May
    assert (got.month, got.day, got.releases, got.expected) == (P("2026-04"), 19, 4, pd.Timestamp("2026-05-19"))


def test_the_earliest_page_of_a_figure_dates_its_release(tmp_path):
    obs = observations(tmp_path, [("2025-05", "WLD", 1)])
    obs.loc[0, "source_ids"] = "late;early;undated"
    dated = sources({"late": "2025-06-25", "early": "2025-06-20", "undated": ""})
    assert first_reports(series_rows(obs, "magnets", "WLD"), dated)["first_report"].tolist() == [pd.Timestamp("2025-06-20")]


def test_the_day_is_kept_inside_a_short_month(tmp_path):
    got = next_release(rows(tmp_path, ["2025-05"]), sources({"src-WLD-2025-05": "2025-06-30"}), P("2025-12"))
    assert got.expected == pd.Timestamp("2026-02-28")  # January's figures, released in February


def test_without_a_dated_release_no_date_is_expected(tmp_path):
    got = next_release(rows(tmp_path, ["2025-05"]), sources({"src-WLD-2025-05": ""}), P("2025-05"))
    assert got.month == P("2025-06") and got.expected is None and got.releases == 0
