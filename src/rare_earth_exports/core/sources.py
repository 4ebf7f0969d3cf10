"""Source ids and the credit a reader sees: who published a figure first, and the pages that relayed it.

The data package lists several source ids in one cell, separated by ';' (`split_ids` and
`join_ids` are the one place that knows it). sources.csv rates every page (its `reliability`
tier) and says whose story it relays (`originator`, `agency`): a credit line names the
originator first ("China customs via Reuters, 20 June 2025") and then at most a few of the
best relays. Weak and excluded pages are never named on a reader page; the data page lists
every page with its tier and the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from .words import date_words

SEPARATOR = ";"
# Tiers from the most to the least reliable; readers' pages never name the last two.
TIERS = ("official", "agency", "trade press", "relay", "weak", "excluded")
UNNAMED = ("weak", "excluded")
RELAYS_SHOWN = 3


def split_ids(cells: str | Iterable[str]) -> list[str]:
    """The ids of a `;`-joined cell, or of several cells, sorted and each once."""
    parts = [cells] if isinstance(cells, str) else list(cells)
    return sorted({i.strip() for cell in parts for i in str(cell).split(SEPARATOR) if i.strip()})


def join_ids(ids: Iterable[str]) -> str:
    """One cell from ids (any iterable, any order, repeats allowed)."""
    return SEPARATOR.join(split_ids(ids))


def named_sources(source_ids, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows of sources.csv behind `source_ids` that a reader's page may name (no weak or excluded page)."""
    rows = sources[sources["source_id"].isin(split_ids(source_ids))]
    if "reliability" in rows:
        rows = rows[~rows["reliability"].isin(UNNAMED)]
    return rows


def publishers(source_ids, sources: pd.DataFrame) -> str:
    """'a.com, b.org' for the pages a reader may see behind `source_ids`: sorted, each once."""
    return ", ".join(sorted(set(named_sources(source_ids, sources)["publisher"])))


def _tier_rank(tier: str) -> int:
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def best_relays(rows: pd.DataFrame, n: int = RELAYS_SHOWN) -> list[str]:
    """Publishers of the best pages: the highest tier, then the pages with a title of their own
    (not one in square brackets written by the curators), then the earliest, then by name."""
    ranked = sorted(
        rows.to_dict("records"),
        key=lambda s: (_tier_rank(s.get("reliability", "relay")), str(s.get("title", "")).startswith("["),
                       s.get("published") or "9999", s["publisher"]))
    out: list[str] = []
    for s in ranked:
        if s["publisher"] not in out:
            out.append(s["publisher"])
    return out[:n]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _counted(values: Iterable[str]) -> list[str]:
    """Names from `;`-joined cells, the most frequent first (then alphabetical)."""
    counts = Counter(v.strip() for cell in values for v in str(cell).split(SEPARATOR) if v.strip())
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def credit_line(source_ids, sources: pd.DataFrame, n_relays: int = RELAYS_SHOWN) -> str:
    """'China customs via Reuters, 20 June 2025; relayed by a.com, b.org and 3 more'.

    The originator comes first (China customs for trade figures, the price assessor for
    prices), then the news agency whose story the pages relay ('and others' when some pages
    relay no agency's story), then the story's date when the pages are one story (every date
    they give falls in one month: a story and its reprints), then at most `n_relays` of the
    best relays. Weak and excluded pages are never named; '' when no page may be named.
    """
    rows = named_sources(source_ids, sources)
    if rows.empty:
        return ""
    originators = _counted(rows["originator"]) if "originator" in rows else []
    agencies = _counted(rows["agency"]) if "agency" in rows else []
    days = sorted(d for d in rows["published"] if d) if "published" in rows else []
    when = date_words(days[0]) if days and days[0][:7] == days[-1][:7] else ""
    head = _listed(originators) if originators else ""
    if agencies:
        everyone = (rows["agency"] != "").all()
        via = _listed(agencies[:2]) + ("" if everyone and len(agencies) <= 2 else " and others")
        head = f"{head} via {via}" if head else via
    relays = best_relays(rows, n_relays)
    more = rows["publisher"].nunique() - len(relays)
    relayed = _listed(relays + ([f"{more} more"] if more > 0 else []))
    if not head:
        return f"Reported by {relayed}" + (f", {when}" if when else "")
    return f"{head}{', ' + when if when else ''}; relayed by {relayed}"


def named_ids(source_ids, sources: pd.DataFrame) -> list[str]:
    """The ids behind `source_ids` a reader's page may show (a download's `source_ids` column, say)."""
    return sorted(named_sources(source_ids, sources)["source_id"])
