"""What the data page's prose says in numbers: counts of figures, sources and checks, and the tolerances."""

from __future__ import annotations

from ...core.load import BookData
from ...core.words import month_words
from ...curate.consistency import AGREEMENT_PCT, CONTRADICTION_PCT, ROUNDING_PER_PART
from ...present.page import Page, glue_text
from .coverage import Checks, newest_month


def tolerances() -> dict[str, str]:
    """The consistency rules' tolerances as the prose states them, by glue key."""
    return {"data_agreement_pct": f"{AGREEMENT_PCT} %", "data_rounding_per_part": f"{ROUNDING_PER_PART}",
            "data_contradiction_pct": f"{CONTRADICTION_PCT} %"}


def glue_page(page: Page, data: BookData, checks: Checks) -> None:
    """Glue every number and phrase of the page; every number also becomes a metrics row."""
    obs = data.observations
    newest = newest_month(obs)
    period = str(newest)
    glue_text("data_newest_month", month_words(newest))
    page.glue("data_n_observations", len(obs), period, "ALL", "ALL", "count", "rows")
    page.glue("data_n_reported", (obs["status"] == "reported").sum(), period, "ALL", "ALL", "count", "rows", "reported")
    page.glue("data_n_derived", (obs["status"] == "derived").sum(), period, "ALL", "ALL", "count", "rows", "derived")
    page.glue("data_n_sources", len(data.sources), period, "ALL", "ALL", "count", "sources")
    page.glue("data_n_input_rows", len(data.reconciliation), period, "ALL", "ALL", "count", "rows", "reported rows read")
    for key, words in tolerances().items():
        glue_text(key, words)
    complete = checks.complete
    page.glue("data_n_span_checks", len(complete), period, "ALL", "ALL", "count", "checks", "complete totals")
    page.glue("data_n_span_agree", (complete["status"] == "agrees").sum(), period, "ALL", "ALL", "count", "checks", "totals that agree")
    page.glue("data_n_partner_above_world", len(checks.above_world), period, "ALL", "ALL", "count", "checks", "partner above world")
