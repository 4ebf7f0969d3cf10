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
from .reads import LOG, tracked

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


def read_strings(data_dir: Path, name: str) -> pd.DataFrame:
    """A table as its file says it, every cell a string (what the loaders convert, and what
    `build.inputs` hashes)."""
    return pd.read_csv(data_dir / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def with_period_columns(df: pd.DataFrame) -> pd.DataFrame:
    spans = [months_of(p) for p in df["period"]]
    df["first_month"] = pd.PeriodIndex([str(m[0]) for m in spans], freq="M") if spans else pd.PeriodIndex([], freq="M")
    df["last_month"] = pd.PeriodIndex([str(m[-1]) for m in spans], freq="M") if spans else pd.PeriodIndex([], freq="M")
    df["n_months"] = [len(m) for m in spans]
    return df


def _observations(data_dir: Path) -> pd.DataFrame:
    df = read_strings(data_dir, "observations")
    df["value"] = df["value"].astype(float)
    return with_period_columns(df)


def _prices(data_dir: Path) -> pd.DataFrame:
    df = read_strings(data_dir, "prices")
    df["low"] = df["low"].astype(float)
    df["high"] = df["high"].astype(float)
    return with_period_columns(df)


def _events(data_dir: Path) -> pd.DataFrame:
    df = read_strings(data_dir, "events")
    df["day"] = pd.to_datetime([d if len(d) == 10 else d + "-01" for d in df["date"]])
    df["month"] = df["day"].dt.to_period("M")
    return df


# One table loaded on its own is read whole (`core.reads`); `load_book_data` records finer.

def load_observations(data_dir: str | Path) -> pd.DataFrame:
    LOG.whole("observations")
    return _observations(resolve_data_dir(data_dir))


def load_prices(data_dir: str | Path) -> pd.DataFrame:
    LOG.whole("prices")
    return _prices(resolve_data_dir(data_dir))


def load_events(data_dir: str | Path) -> pd.DataFrame:
    LOG.whole("events")
    return _events(resolve_data_dir(data_dir))


def load_table(data_dir: str | Path, name: str) -> pd.DataFrame:
    LOG.whole(name)
    return read_strings(resolve_data_dir(data_dir), name)


TABLES = ("observations", "prices", "events", "sources", "products", "partners", "reconciliation", "stated_percentages")


@dataclass
class BookData:
    """Every table of the data package, loaded once per notebook.

    Using a table records it as read (`core.reads`), so a page depends on the tables it uses and
    not on the others; loaded by `load_book_data` in the build, the figures of `observations` are
    recorded by product and destination as they are used.
    """

    observations: pd.DataFrame
    prices: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    products: pd.DataFrame
    partners: pd.DataFrame
    reconciliation: pd.DataFrame
    stated_percentages: pd.DataFrame = field(default_factory=pd.DataFrame)  # what the pages say, with figure keys

    def __getattribute__(self, name: str):
        if name in TABLES:
            LOG.table(name)
        return super().__getattribute__(name)

    def partner_name(self, code: str) -> str:
        match = self.partners.loc[self.partners["partner"] == code, "name"]
        return match.iloc[0] if len(match) else code

    def product_name(self, code: str) -> str:
        match = self.products.loc[self.products["product"] == code, "name"]
        return match.iloc[0] if len(match) else code


def load_book_data(data_dir: str | Path) -> BookData:
    """The data package; in a kernel of the build, with the figures of `observations` tracked
    (`core.reads`). Elsewhere the frames are plain, so nbval, which executes every page again
    outside the build, also checks that tracking changes nothing a page shows."""
    folder = resolve_data_dir(data_dir)
    observations = _observations(folder)
    return BookData(
        observations=tracked(observations, "observations") if LOG.recording else observations,
        prices=_prices(folder), events=_events(folder),
        sources=read_strings(folder, "sources"), products=read_strings(folder, "products"),
        partners=read_strings(folder, "partners"), reconciliation=read_strings(folder, "reconciliation"),
        stated_percentages=read_strings(folder, "stated_percentages"),
    )
