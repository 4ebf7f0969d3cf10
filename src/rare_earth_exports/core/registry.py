"""Every metric the book records in `book/results/metrics.csv`: what it means, its units, which
chapters use it. One place: a page cannot record a metric that is not defined here (the build
stops), and the methods page's glossary is written from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    definition: str
    units: tuple[str, ...]
    chapters: tuple[str, ...]


QUANTITIES = ("t", "kg", "USD")

METRICS: dict[str, Metric] = {
    "level": Metric("A figure in its unit: tonnes for magnets and the headline category, kilograms for "
                    "elements, US dollars for values. A monthly figure, or the total of the period it names.",
                    QUANTITIES, ("collapse", "destinations", "compare", "flow", "press")),
    "mom_pct": Metric("Change from the previous month, in %; computed only when both months have a figure "
                      "of their own.", ("%",), ("collapse", "destinations", "compare", "press")),
    "yoy_pct": Metric("Change from the same month (or the same months) a year before, in %; computed only "
                      "when both have a figure.", ("%",), ("collapse", "destinations", "compare", "flow", "press")),
    "change_pct": Metric("Change between the two periods named in the basis, in %.", ("%",), ("collapse", "compare", "flow")),
    "share_pct": Metric("A destination's figure as % of China's total for the same months (pooled over the "
                        "months both have a figure when the basis says so).", ("%",), ("destinations", "compare", "flow")),
    "index": Metric("A figure over the mean monthly level of a baseline window, times 100: 100 is the "
                    "baseline level.", ("index",), ("collapse", "destinations", "compare", "flow")),
    "fall_pct": Metric("How far the lowest month after the controls fell below the baseline level, in %: "
                       "100 minus its index.", ("%",), ("collapse",)),
    "baseline_mean": Metric("The mean monthly level of a baseline window (the basis names the window and how "
                            "it is known).", QUANTITIES, ("collapse", "destinations", "compare", "flow")),
    "window_mean": Metric("The mean monthly level over the months of a window that have a figure.",
                          QUANTITIES, ("collapse", "compare", "flow")),
    "months_to_regain": Metric("Months from the lowest month to the first month back at or above the baseline "
                               "level.", ("months",), ("collapse",)),
    "count": Metric("How many of something (the unit says what: months, changes, sources, events...).",
                    ("months", "blocks", "changes", "checks", "destinations", "events", "figures", "month pairs",
                     "products", "releases", "rows", "series", "sources", "splits", "yardsticks", "years", "claims",
                     "statements"),
                    ("collapse", "data", "destinations", "compare", "flow", "press", "timeline")),
    "swing_sd": Metric("The standard deviation of ordinary month-to-month changes (the yardstick a change is "
                       "read against), in percentage points.", ("percentage points",), ("collapse", "destinations", "compare")),
    "z_score": Metric("How many standard deviations of the ordinary changes a change lies from their mean.",
                      ("standard deviations",), ("collapse", "compare")),
    "gap_pp": Metric("One side's change minus the other's over the same months, in percentage points.",
                     ("percentage points",), ("compare", "destinations")),
    "share_change_pp": Metric("The change in a destination's share of China's total from one named window to "
                              "another (each share pooled over the window's figures), in percentage points.",
                              ("percentage points",), ("compare",)),
    "share_change_pp_low": Metric("The low end of the interval of `share_change_pp`, from the destination's own "
                                  "month-to-month noise in each window (ratio estimator, Student's t; the basis "
                                  "gives the coverage and the degrees of freedom).", ("percentage points",), ("compare",)),
    "share_change_pp_high": Metric("The high end of the interval of `share_change_pp` (see `share_change_pp_low`).",
                                   ("percentage points",), ("compare",)),
    "index_gap": Metric("One side's index minus the other's, in index points.", ("index points",), ("compare",)),
    "input_ratio": Metric("Kilograms of a raw input China exported per tonne of magnets it exported, in the same "
                          "month, or the ratio of the two monthly means over the same months (needs no baseline).",
                          ("kg/t",), ("flow",)),
    "price_premium": Metric("A price in Europe over a price in China in the same month: inside China, or China's "
                            "export price free on board where the basis says so; ranges stay ranges (low over high, "
                            "high over low).", ("ratio",), ("flow",)),
    "licence_months": Metric("How long a licence runs, in months, as the event that announced it says.",
                             ("months",), ("compare",)),
    "quota": Metric("A production quota total for a year, in tonnes, as the quota event that reports it says.",
                    ("t",), ("press",)),
    "counterfactual": Metric("What exports would have been without the controls: a baseline window's level, freed "
                             "of its months' season, times the seasonal pattern of a full year before the controls "
                             "(the basis names the window).", QUANTITIES, ("collapse", "destinations")),
    "shortfall": Metric("The counterfactual minus the actual figures, summed over the period (from the control "
                        "month on); months above the counterfactual reduce it. The basis names the baseline, or "
                        "whether it is the low or the high of the baselines.", QUANTITIES, ("collapse", "destinations")),
    "seasonal_factor": Metric("A part of the pattern year over its average month (1: an average month); months its "
                              "figures give only together share one factor (the basis names them).", ("ratio",),
                              ("collapse",)),
    "parameter": Metric("A setting of the analysis as the page used it (from parameters.yml).",
                        ("months", "changes", "standard deviations", "%", "t", "kg"),
                        ("collapse", "destinations", "compare", "flow")),
}

# How a reader's page names each metric (the release note's tables, the glossary): plain words, no key.
LABELS: dict[str, str] = {
    "level": "exports",
    "mom_pct": "change on the month before",
    "yoy_pct": "change on a year before",
    "change_pct": "change",
    "share_pct": "share of China's total",
    "index": "index",
    "fall_pct": "fall below the baseline",
    "baseline_mean": "baseline level",
    "window_mean": "monthly mean",
    "months_to_regain": "months to regain the baseline",
    "count": "number",
    "swing_sd": "spread of ordinary monthly changes",
    "z_score": "change against ordinary changes",
    "gap_pp": "gap between two changes",
    "index_gap": "gap between two indexes",
    "input_ratio": "kilograms of a raw input per tonne of magnets",
    "price_premium": "price in Europe over price in China",
    "licence_months": "licence length",
    "quota": "production quota",
    "counterfactual": "exports without the controls",
    "shortfall": "shortfall against the counterfactual",
    "seasonal_factor": "seasonal factor",
    "parameter": "setting of the analysis",
    "share_change_pp": "change of its share of China's total",
    "share_change_pp_low": "change of its share of China's total, low end of the interval",
    "share_change_pp_high": "change of its share of China's total, high end of the interval",
}


class UnknownMetric(ValueError):
    """A page recorded a metric or unit the registry does not define."""


def check(metric: str, unit: str) -> None:
    """Raises UnknownMetric unless `metric` is defined and `unit` is one of its units."""
    if metric not in METRICS:
        raise UnknownMetric(f"metric {metric!r} is not defined in core/registry.py (known: {', '.join(sorted(METRICS))})")
    if unit not in METRICS[metric].units:
        raise UnknownMetric(f"metric {metric!r} in unit {unit!r}: core/registry.py allows {', '.join(METRICS[metric].units)}")


def glossary_markdown() -> str:
    """The methods page's glossary: one row per metric, its label, definition and units."""
    rows = ["| metric | in words | what it is | units |", "|---|---|---|---|"]
    rows += [f"| `{name}` | {LABELS[name]} | {m.definition} | {', '.join(m.units)} |" for name, m in sorted(METRICS.items())]
    return "\n".join(rows) + "\n"
