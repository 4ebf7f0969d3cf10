"""Derived observations: a month (or run of months) that is the only unknown part of a total.

February 2025 is not reported, but January-May is, and so are January, March, April and May:
February is the total minus those months. A derived row carries `status=derived`, a note that
says how, and the sources of every figure it was computed from.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..core.periods import Month, cover, is_contiguous, months_of, period_for, sort_key
from ..core.sources import join_ids, split_ids

SERIES_KEY = ("reporter", "partner", "flow", "product", "unit")


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def derive_series(known: dict[str, Decimal]) -> dict[str, tuple[Decimal, str, list[str]]]:
    """Derives what the totals in one series imply; returns period -> (value, note, inputs)."""
    known = dict(known)
    derived: dict[str, tuple[Decimal, str, list[str]]] = {}
    changed = True
    while changed:
        changed = False
        totals = sorted((p for p in known if len(months_of(p)) > 1), key=lambda p: (len(months_of(p)), sort_key(p)))
        for total in totals:
            parts = cover(total, known)
            covered = {m for p in parts for m in months_of(p)}
            unknown: list[Month] = [m for m in months_of(total) if m not in covered]
            if not unknown or not parts or not is_contiguous(unknown):
                continue
            target = period_for(unknown)
            if target in known:
                continue
            value = known[total] - sum((known[p] for p in parts), Decimal(0))
            if value < 0:
                continue  # a contradiction: the consistency checks report it
            note = f"derived: {total} total minus " + ", ".join(parts)
            known[target] = value
            derived[target] = (value, note, [total, *parts])
            changed = True
    return derived


def derive_observations(observations: list[dict]) -> list[dict]:
    """Derived rows for every series of reported observations."""
    series: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for o in observations:
        series[tuple(o[k] for k in SERIES_KEY)][o["period"]] = o
    out = []
    for key, rows in series.items():
        known = {p: Decimal(str(r["value"])) for p, r in rows.items()}
        by_period = dict(rows)
        for period, (value, note, inputs) in sorted(derive_series(known).items(), key=lambda kv: sort_key(kv[0])):
            row = dict(zip(SERIES_KEY, key))
            row.update(period=period, value=_fmt(value), status="derived",
                       source_ids=join_ids(split_ids(by_period[p]["source_ids"] for p in inputs)), note=note)
            by_period[period] = row
            out.append(row)
    return out
