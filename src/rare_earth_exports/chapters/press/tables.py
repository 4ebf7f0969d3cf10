"""The tables of the 'Which number is right?' page: the three categories, and every percentage checked."""

from __future__ import annotations

import math

import pandas as pd

from ...core.load import BookData
from ...core.sources import credit_line, split_ids
from ...core.words import listing
from ...present.tables import html_table
from . import measures as m

UNNAMED = "pages the book does not name (flagged weak)"


def categories(data: BookData) -> str:
    """What each category counts and who computes it, from products.csv and the figures' originators."""
    rows = []
    for product in m.CATEGORIES:
        p = data.products[data.products["product"] == product].iloc[0]
        figures = data.observations[(data.observations["product"] == product) & (data.observations["partner"] == m.WORLD)]
        agencies = sorted({a for a in figures["agency"] if a})
        computed = not p["hs_code"]
        rows.append({"Category": p["name"], "Customs code": p["hs_code"] or "none (a computed category)",
                     "What it counts": p["scope_note"],
                     "Who adds it up": f"{listing(agencies)}, from China customs data" if computed else "China customs (GACC)",
                     "Agencies whose stories carry it": listing(agencies, empty="none named by the pages"),
                     "Figures in the data": len(figures)})
    return html_table(pd.DataFrame(rows))


def _pct(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{value:+.2f}"


def checks(checked: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Every distinct percentage the pages state, the book's own figure beside it, the verdict and why."""
    table = pd.DataFrame({
        "Figure": [f or "—" for f in checked["figure"]],
        "Compared with": checked["compares"].map(m.COMPARED_WITH),
        "The pages say (%)": [f"{v:+g}" for v in checked["stated_pct"]],
        "The book's figure (%)": [_pct(v) for v in checked["book_pct"]],
        "Verdict": checked["verdict"],
        "Why": checked["reason"],
        "Stated by": [credit_line(ids, sources) or UNNAMED for ids in checked["source_ids"]],
        "Statements": checked["rows"],
    })
    order = {v: i for i, v in enumerate(m.VERDICTS)}
    table = table.assign(_o=checked["verdict"].map(order)).sort_values(["_o", "Figure"], kind="stable").drop(columns="_o")
    return html_table(table)


def verdicts(counts: dict[str, tuple[int, int]]) -> str:
    """How many distinct percentages, and how many statements of them, end in each verdict."""
    return html_table(pd.DataFrame({"Verdict": list(counts), "Distinct percentages": [c for c, _ in counts.values()],
                                    "Statements": [n for _, n in counts.values()]}))


def source_ids(checked: pd.DataFrame) -> list[str]:
    return split_ids(checked["source_ids"])
