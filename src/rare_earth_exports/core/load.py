"""Loading the data package into pandas, with paths that resolve the same on every machine.

Notebooks receive `data_dir` as a parameter. A relative path is resolved against the project
root (the folder holding `_config.yml`), so an executed notebook records `data`, never an
absolute path, and runs from any working directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .periods import months_of

PROJECT_MARKER = "_config.yml"


def project_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).exists() and (folder / "src" / "rare_earth_exports").is_dir():
            return folder
    return Path(__file__).resolve().parents[3]


def resolve_data_dir(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    return path if path.is_absolute() else project_root() / path


def _read(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def with_period_columns(df: pd.DataFrame) -> pd.DataFrame:
    spans = [months_of(p) for p in df["period"]]
    df["first_month"] = pd.PeriodIndex([str(m[0]) for m in spans], freq="M") if spans else pd.PeriodIndex([], freq="M")
    df["last_month"] = pd.PeriodIndex([str(m[-1]) for m in spans], freq="M") if spans else pd.PeriodIndex([], freq="M")
    df["n_months"] = [len(m) for m in spans]
    return df


def load_observations(data_dir: str | Path) -> pd.DataFrame:
    df = _read(resolve_data_dir(data_dir), "observations")
    df["value"] = df["value"].astype(float)
    return with_period_columns(df)


def load_prices(data_dir: str | Path) -> pd.DataFrame:
    df = _read(resolve_data_dir(data_dir), "prices")
    df["low"] = df["low"].astype(float)
    df["high"] = df["high"].astype(float)
    return with_period_columns(df)


def load_events(data_dir: str | Path) -> pd.DataFrame:
    df = _read(resolve_data_dir(data_dir), "events")
    df["day"] = pd.to_datetime([d if len(d) == 10 else d + "-01" for d in df["date"]])
    df["month"] = df["day"].dt.to_period("M")
    return df


def load_table(data_dir: str | Path, name: str) -> pd.DataFrame:
    return _read(resolve_data_dir(data_dir), name)


@dataclass
class BookData:
    """Every table of the data package, loaded once per notebook."""

    observations: pd.DataFrame
    prices: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    products: pd.DataFrame
    partners: pd.DataFrame
    reconciliation: pd.DataFrame
    stated_percentages: pd.DataFrame = field(default_factory=pd.DataFrame)  # what the pages say, with figure keys

    def partner_name(self, code: str) -> str:
        match = self.partners.loc[self.partners["partner"] == code, "name"]
        return match.iloc[0] if len(match) else code

    def product_name(self, code: str) -> str:
        match = self.products.loc[self.products["product"] == code, "name"]
        return match.iloc[0] if len(match) else code


def load_book_data(data_dir: str | Path) -> BookData:
    return BookData(
        observations=load_observations(data_dir), prices=load_prices(data_dir),
        events=load_events(data_dir), sources=load_table(data_dir, "sources"),
        products=load_table(data_dir, "products"), partners=load_table(data_dir, "partners"),
        reconciliation=load_table(data_dir, "reconciliation"),
        stated_percentages=load_table(data_dir, "stated_percentages"),
    )
