"""Consistency checks between figures that should agree.

- A partner's value never exceeds the world value for the same product, unit and period.
- Months (and shorter published spans, such as a two-month figure) add up to the totals that
  cover them (year-to-date, annual): agreement within
  `tolerance` is expected (published figures are rounded); a larger gap is listed as a
  disagreement for the book to show; parts that exceed their total, or months that miss a
  complete total by more than `CONTRADICTION_PCT`, are a contradiction that stops the build.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from ..core.periods import months_of, sort_key
from .validate import DataError

AGREEMENT_PCT = Decimal("0.5")      # months agree with their total within 0.5 % ...
ROUNDING_PER_PART = Decimal("0.5")  # ... or half a unit per month added, whichever is larger
CONTRADICTION_PCT = Decimal("5")
AGGREGATE_PARTNERS = {"WLD"}
SERIES = ("reporter", "flow", "product", "unit")


def tolerance(total: Decimal, n_parts: int) -> Decimal:
    return max(abs(total) * AGREEMENT_PCT / 100, ROUNDING_PER_PART * n_parts)


def _numeric(rows: list[dict], lines: list[int] | None = None) -> list[tuple[int, dict, Decimal]]:
    """(line, row, value) for rows with a valid period and value; lines default to 2, 3, ..."""
    out = []
    for line, row in zip(lines or range(2, len(rows) + 2), rows):
        try:
            months_of(row["period"])
            out.append((line, row, Decimal(str(row["value"]))))
        except (ValueError, InvalidOperation, KeyError):
            continue
    return out


def partner_above_world(rows: list[dict], label: str, lines: list[int] | None = None) -> list[DataError]:
    world = {}
    numeric = _numeric(rows, lines)
    for _, row, value in numeric:
        if row["partner"] in AGGREGATE_PARTNERS:
            world[(row["period"], *(row[k] for k in SERIES))] = value
    errors = []
    for line, row, value in numeric:
        key = (row["period"], *(row[k] for k in SERIES))
        if row["partner"] not in AGGREGATE_PARTNERS and key in world and value > world[key]:
            errors.append(DataError(label, line, "value", str(row["value"]),
                                    f"at most the world value for {row['product']} in {row['period']} ({world[key]} {row['unit']})",
                                    f"partner {row['partner']} exceeds all destinations"))
    return errors


def _parts(total: str, periods: dict[str, tuple[int, dict, Decimal]]) -> list[str]:
    """The known periods inside `total` that add up towards it: its single months, then spans
    (longest first) over months no single month covers, e.g. January-February 2026 (a two-month
    figure) and March 2026 inside the first quarter. Parts never overlap."""
    inside = set(months_of(total))
    singles = [p for p in periods if len(months_of(p)) == 1 and months_of(p)[0] in inside]
    covered = {months_of(p)[0] for p in singles}
    spans = sorted((p for p in periods if p != total and len(months_of(p)) > 1 and set(months_of(p)) <= inside),
                   key=lambda p: (-len(months_of(p)), sort_key(p)))
    chosen = list(singles)
    for p in spans:
        if not set(months_of(p)) & covered:
            chosen.append(p)
            covered |= set(months_of(p))
    return sorted(chosen, key=sort_key)


def span_checks(rows: list[dict], lines: list[int] | None = None) -> list[dict]:
    """One record per total (a span or year) that has known parts inside it.

    Parts are single months and, for months no single figure covers, shorter published spans
    (see `_parts`). status: `agrees`, `disagrees` (complete parts off by more than the
    tolerance), `contradicts` (parts above the total, or complete parts off by more than 5 %),
    or `incomplete` (some months unknown; nothing to compare).
    """
    series: dict[tuple, dict[str, tuple[int, dict, Decimal]]] = defaultdict(dict)
    for line, row, value in _numeric(rows, lines):
        series[(row["partner"], *(row[k] for k in SERIES))][row["period"]] = (line, row, value)
    records = []
    for key, periods in series.items():
        for period, (line, row, total) in periods.items():
            inside = months_of(period)
            if len(inside) == 1:
                continue
            parts = _parts(period, periods)
            if not parts:
                continue
            known = [periods[p] for p in parts]
            n_known = sum(len(months_of(p)) for p in parts)
            summed = sum((v for _, _, v in known), Decimal(0))
            derived_from_total = any(period in (r.get("note") or "") for _, r, _ in known)
            tol = tolerance(total, len(known))
            diff = summed - total
            if n_known == len(inside):
                pct = abs(diff) / total * 100 if total else Decimal(0)
                status = ("agrees" if abs(diff) <= tol else
                          "contradicts" if pct > CONTRADICTION_PCT else "disagrees")
            else:
                status = "contradicts" if diff > tol else "incomplete"
            records.append({
                "partner": key[0], "flow": key[2], "product": key[3], "unit": key[4],
                "period": period, "line": line, "total": total, "months_known": n_known,
                "months_in_period": len(inside), "parts": "; ".join(parts), "sum_of_months": summed,
                "difference": diff, "tolerance": tol, "status": status, "uses_derived_month": derived_from_total,
            })
    records.sort(key=lambda r: (r["product"], r["flow"], r["partner"], r["unit"], sort_key(r["period"])))
    return records


def consistency_errors(rows: list[dict], label: str, lines: list[int] | None = None) -> list[DataError]:
    errors = partner_above_world(rows, label, lines)
    for rec in span_checks(rows, lines):
        if rec["status"] == "contradicts":
            errors.append(DataError(
                label, rec["line"], "value", str(rec["total"]),
                f"a total consistent with its months ({rec['months_known']} of {rec['months_in_period']} months "
                f"known sum to {rec['sum_of_months']} {rec['unit']})",
                f"{rec['partner']} {rec['product']} {rec['period']}: check the total or the months"))
    return errors
