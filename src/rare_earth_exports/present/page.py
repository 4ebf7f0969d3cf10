"""What a notebook page publishes: glued numbers for its prose, and rows for metrics.csv.

Each number a page's text shows is glued under a key *and* recorded as a metric row carrying
that key, so `book/results/metrics.csv` holds every figure in the prose and a test can check
the two agree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import pandas as pd

from ..core import registry

METRICS_KEY = "book_metrics"
METRIC_COLUMNS = ["chapter", "page", "period", "partner", "product", "metric", "basis", "value", "unit", "glue_key"]
DECIMALS = 4


def _clean(value: float) -> float | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return round(float(value), DECIMALS)


@dataclass
class Page:
    """Collects a page's metrics and glues its numbers; call `publish()` in the last cell."""

    chapter: str
    page: str
    rows: list[dict] = field(default_factory=list)

    def add(self, period: str, partner: str, product: str, metric: str, value: float,
            unit: str, basis: str = "", glue_key: str = "") -> float | None:
        v = _clean(value)
        if v is not None:
            registry.check(metric, unit)
            self.rows.append({"chapter": self.chapter, "page": self.page, "period": period,
                              "partner": partner, "product": product, "metric": metric,
                              "basis": basis, "value": v, "unit": unit, "glue_key": glue_key})
        return v

    def add_series(self, values: pd.Series, partner: str, product: str, metric: str, unit: str, basis: str = "") -> None:
        for month, value in values.items():
            self.add(str(month), partner, product, metric, value, unit, basis)

    def glue(self, key: str, value: float, period: str, partner: str, product: str, metric: str,
             unit: str, basis: str = "") -> float | None:
        """Glue a number for the prose and record it as a metric row with its key."""
        from myst_nb import glue

        v = self.add(period, partner, product, metric, value, unit, basis, glue_key=key)
        glue(key, v if v is not None else float("nan"), display=False)
        return v

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=METRIC_COLUMNS)
        return df.drop_duplicates().sort_values(METRIC_COLUMNS[:7] + ["glue_key"]).reset_index(drop=True)

    def publish(self) -> None:
        from myst_nb import glue

        glue(METRICS_KEY, json.dumps(self.frame().to_dict(orient="records"), sort_keys=True), display=False)


def glue_text(key: str, text: str) -> None:
    """Glue a piece of text (a month in words, a partner name) for the prose."""
    from myst_nb import glue

    glue(key, text, display=False)


class Prose(str):
    """Glued prose: Markdown on its own page ({glue:md}) and plain text on another page
    ({glue:text}`page.ipynb::key:s`), since MyST-NB pastes Markdown only within its own document."""

    def _repr_markdown_(self) -> str:
        return str(self)


def glue_markdown(key: str, text: str) -> None:
    """Glue a sentence or more for the prose ({glue:md}); its numbers are glued on their own."""
    from myst_nb import glue

    glue(key, Prose(text), display=False)
