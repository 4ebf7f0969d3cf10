"""What a page reads is recorded: every use of a figure names its group, a selection names none,
and a tracked computation gives what the same computation on plain float64 gives."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from rare_earth_exports.core import reads
from rare_earth_exports.core.reads import ReadLog, tracked


@pytest.fixture
def log(monkeypatch, tmp_path):
    """A fresh log for each test, recording to a file as in a kernel of the build."""
    fresh = ReadLog(str(tmp_path / "reads.json"))
    monkeypatch.setattr(reads, "LOG", fresh)
    return fresh


def frame() -> pd.DataFrame:
    rows = [("2025-01", "USA", "magnets", 10.0), ("2025-02", "USA", "magnets", 12.5), ("2025-01", "KOR", "magnets", 7.0),
            ("2025-02", "KOR", "magnets", np.nan), ("2025-01", "WLD", "magnets", 100.0), ("2025-02", "WLD", "magnets", 90.0),
            ("2025-01", "USA", "terbium", 3.0)]
    return pd.DataFrame(rows, columns=["period", "partner", "product", "value"])


def values_read(log: ReadLog) -> list[str]:
    return log.as_dict().get("observations") or []


def usa(obs: pd.DataFrame) -> pd.DataFrame:
    return obs[(obs["partner"] == "USA") & (obs["product"] == "magnets")]


SELECTIONS = {
    "filter by partner and product": usa,
    "filter by period": lambda obs: obs[obs["period"] == "2025-01"],
    "set_index and reindex": lambda obs: usa(obs).set_index("period").reindex(["2024-12", "2025-01", "2025-02"]),
    "reindex with a fill value": lambda obs: usa(obs).set_index("period")["value"].reindex(["2024-12", "2025-01"], fill_value=0),
    "sort by another column": lambda obs: obs.sort_values(["partner", "period"]),
    "merge on keys": lambda obs: usa(obs).merge(pd.DataFrame({"period": ["2025-01"], "x": [1]}), on="period"),
    "copy, head, iloc slice": lambda obs: usa(obs).copy().head(1).iloc[:1],
    "concat of two selections": lambda obs: pd.concat([usa(obs), usa(obs)]),
    "shift": lambda obs: usa(obs)["value"].shift(1),
    "pivot": lambda obs: obs[obs["product"] == "magnets"].pivot(index="period", columns="partner", values="value"),
    "len, columns, index": lambda obs: (len(usa(obs)), list(usa(obs).columns), list(usa(obs).index)),
}


@pytest.mark.parametrize("select", SELECTIONS.values(), ids=SELECTIONS.keys())
def test_a_selection_uses_no_figure(log, select):
    select(tracked(frame(), "observations"))
    assert values_read(log) == []


USES = {
    "sum": lambda s: s.sum(),
    "mean": lambda s: s.mean(),
    "max": lambda s: s.max(),
    "comparison": lambda s: (s > 11).tolist(),
    "arithmetic": lambda s: (s / 2 + 1).tolist(),
    "numpy ufunc": lambda s: np.log(s).tolist(),
    "numpy function": lambda s: float(np.nansum(s)),
    "iteration": lambda s: list(s),
    "tolist": lambda s: s.tolist(),
    "to_numpy": lambda s: s.to_numpy().tolist(),
    "values": lambda s: np.asarray(s.values).tolist(),
    "one value by position": lambda s: s.iloc[-1],
    "one value by label": lambda s: s.loc[s.index[0]],
    "isna": lambda s: s.isna().tolist(),
    "notna count": lambda s: int(s.notna().sum()),
    "dropna": lambda s: s.dropna().index.tolist(),
    "fillna": lambda s: s.fillna(0).tolist(),
    "round": lambda s: s.round(0).tolist(),
    "astype": lambda s: s.astype(object).tolist(),
    "map": lambda s: s.map(lambda v: f"{v:.1f}").tolist(),
    "apply": lambda s: s.apply(lambda v: v * 2).tolist(),
    "pct_change": lambda s: s.pct_change().tolist(),
    "cumsum": lambda s: s.cumsum().tolist(),
    "rolling mean": lambda s: s.rolling(2, min_periods=1).mean().tolist(),
    "groupby sum": lambda s: s.groupby([0, 0]).sum().tolist(),
    "where": lambda s: s.where(s > 11).tolist(),
    "sort by the figure": lambda s: s.sort_values().index.tolist(),
    "unique": lambda s: list(s.unique()),
    "repr": lambda s: repr(s),
    "to_dict": lambda s: s.to_frame().to_dict("records"),
    "to_json": lambda s: s.to_json(),
    "to_csv": lambda s: s.to_csv(),
    "describe": lambda s: s.describe().tolist(),
    "quantile": lambda s: s.quantile(0.5),
    "equals": lambda s: s.equals(s.copy()),
    "interpolate": lambda s: s.interpolate().tolist(),
    "reindexed with a fill value, then listed": lambda s: s.reindex([0, 1, 9], fill_value=0).tolist(),
}


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
def test_every_use_of_a_figure_names_its_group_and_no_other(log, use):
    use(usa(tracked(frame(), "observations"))["value"])
    assert values_read(log) == ["magnets/USA"]


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
def test_a_tracked_computation_equals_the_plain_one(log, use):
    """Same values, same types, same text; only a Series' repr names its dtype."""
    plain = usa(frame())["value"]
    tracked_result = repr(use(usa(tracked(frame(), "observations"))["value"]))
    assert tracked_result.replace("dtype: tracked_float64", "dtype: float64") == repr(use(plain))


def test_a_frame_used_whole_names_the_groups_it_holds(log):
    obs = tracked(frame(), "observations")
    sub = obs[obs["partner"].isin(["USA", "KOR"])]
    sub.to_dict("records")
    assert values_read(log) == ["magnets/KOR", "magnets/USA", "terbium/USA"]


def test_a_groupby_over_destinations_reads_each_of_them(log):
    obs = tracked(frame(), "observations")
    obs[obs["product"] == "magnets"].groupby("partner")["value"].sum()
    assert values_read(log) == ["magnets/KOR", "magnets/USA", "magnets/WLD"]


def test_a_share_of_the_world_reads_the_world_too(log):
    obs = tracked(frame(), "observations")
    magnets = obs[obs["product"] == "magnets"].set_index(["partner", "period"])["value"]
    share = (magnets.loc["USA"] / magnets.loc["WLD"]).tolist()
    assert share == [0.1, 12.5 / 90]
    assert values_read(log) == ["magnets/USA", "magnets/WLD"]


def test_figures_concatenated_with_plain_floats_stay_tracked(log):
    obs = tracked(frame(), "observations")
    mixed = pd.concat([usa(obs)["value"], pd.Series([3.0])], ignore_index=True)
    assert values_read(log) == []
    assert mixed.tolist() == [10.0, 12.5, 3.0]
    assert values_read(log) == ["magnets/USA"]


def test_the_log_is_written_as_it_grows_and_says_whole_tables(log, tmp_path):
    log.table("events")
    log.table("observations")
    log.groups("observations", {"magnets/USA"})
    assert json.loads((tmp_path / "reads.json").read_text()) == {"events": None, "observations": ["magnets/USA"]}
    log.whole("observations")
    assert json.loads((tmp_path / "reads.json").read_text()) == {"events": None, "observations": None}
    log.groups("observations", {"magnets/KOR"})  # already read whole: nothing narrower
    assert log.as_dict()["observations"] is None


def test_outside_the_build_nothing_is_tracked_or_written(monkeypatch, tmp_path):
    from rare_earth_exports.core.load import load_book_data

    monkeypatch.setattr(reads, "LOG", ReadLog(None))
    import rare_earth_exports.core.load as load

    monkeypatch.setattr(load, "LOG", reads.LOG)
    data = load_book_data("data")
    assert data.observations["value"].dtype == np.float64
    assert not list(tmp_path.iterdir())


def test_in_the_build_the_book_data_records_tables_and_groups(log, monkeypatch):
    import rare_earth_exports.core.load as load

    monkeypatch.setattr(load, "LOG", log)
    data = load.load_book_data("data")
    data.partner_name("USA")
    obs = data.observations
    assert obs["value"].dtype.name == "tracked_float64"
    obs[(obs["partner"] == "KOR") & (obs["product"] == "magnets")]["value"].sum()
    assert log.as_dict() == {"observations": ["magnets/KOR"], "partners": None}
