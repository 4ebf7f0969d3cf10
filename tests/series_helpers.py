"""Small known series for metric tests: observations written and read back as the book reads them."""

from __future__ import annotations

import pandas as pd

from rare_earth_exports.core.load import load_observations

HEADER = "period,reporter,partner,flow,product,unit,value,status,source_ids,note\n"


def observations(tmp_path, rows: list[tuple]) -> pd.DataFrame:
    """Observations as `load_observations` reads them, from (period, partner, value[, status]) tuples."""
    lines = []
    for row in rows:
        period, partner, value, status = (*row, "reported") if len(row) == 3 else row
        lines.append(f"{period},CHN,{partner},export,magnets,t,{value},{status},src-{partner}-{period},\n")
    (tmp_path / "observations.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    return load_observations(tmp_path)


def months(values: dict[str, float]) -> pd.Series:
    return pd.Series(list(values.values()), index=pd.PeriodIndex(list(values), freq="M"), dtype=float)
