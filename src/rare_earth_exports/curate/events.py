"""Dated events: from the press vintages to `events.csv`, with kind, status and licence class set by rules.

The rules are data in `curation/`, each with its reason:
- `event_kinds.csv`: every kind a vintage may write and the kind the book uses for it (the
  2026 vintage spells `licence` where the others spell `license`); a kind no row names stops
  curation with the file and line;
- `event_status.csv`: the events that are scheduled (a date announced in advance, whose outcome
  the sources do not report) rather than happened; every other event happened;
- `licence_classes.csv`: what an event says about licences, from its title (the first row whose
  kind and pattern match wins), so the chapters read a column instead of matching titles.
The pages' sentences are not in the press vintages, and not in the data package.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import CurationError

EVENT_FIELDS = ["event_id", "date", "kind", "status", "actor", "title", "affects", "licence_class",
                "source_ids", "note"]
STATUSES = ("happened", "scheduled")
HAPPENED = "happened"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@dataclass
class EventRules:
    kinds: dict[str, dict[str, str]]   # raw kind -> {kind, reason}
    status: list[dict[str, str]]       # source_url_contains, date, status, reason
    licence_classes: list[tuple[dict[str, str], re.Pattern | None]]

    @classmethod
    def load(cls, curation_dir: Path) -> "EventRules":
        kinds = {r["raw_kind"]: r for r in _read_csv(curation_dir / "event_kinds.csv")}
        status = _read_csv(curation_dir / "event_status.csv")
        for line, r in enumerate(status, start=2):
            if r["status"] not in STATUSES:
                raise CurationError(f"curation/event_status.csv:{line}: status {r['status']!r}; "
                                     f"expected one of {', '.join(STATUSES)}")
            if not r["reason"].strip():
                raise CurationError(f"curation/event_status.csv:{line}: a status needs its reason")
        classes = []
        for line, r in enumerate(_read_csv(curation_dir / "licence_classes.csv"), start=2):
            try:
                pattern = re.compile(r["pattern"], flags=re.IGNORECASE) if r["pattern"] else None
            except re.error as exc:
                raise CurationError(f"curation/licence_classes.csv:{line}: pattern {r['pattern']!r} "
                                     f"is not a regular expression ({exc})") from None
            classes.append((r, pattern))
        return cls(kinds, status, classes)

    def licence_class(self, title: str, kind: str) -> str:
        """The first class whose kind (empty: any) and pattern (empty: any title) match; '' when none does."""
        for rule, pattern in self.licence_classes:
            if (not rule["kind"] or rule["kind"] == kind) and (pattern is None or pattern.search(title)):
                return rule["licence_class"]
        return ""

    def status_of(self, url: str, date: str) -> tuple[str, str]:
        for r in self.status:
            if r["source_url_contains"] in url and r["date"] == date:
                return r["status"], r["reason"]
        return HAPPENED, ""


def event_id(date: str, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48].rstrip("-")
    return f"{date}-{slug}"


def curate_events(paths: list[Path], rules: EventRules, source_id_for: Callable[[str], str]) -> tuple[list[dict], list[str]]:
    """The events of every file, in date order, and the addresses they cite."""
    events, urls, seen = [], [], set()
    for path in paths:
        for line, rec in enumerate(_read_csv(path), start=2):
            url = rec["source_url"].strip()
            urls.append(url)
            kind = rules.kinds.get(rec["kind"])
            if kind is None:
                raise CurationError(f"{path.name}:{line}: event kind {rec['kind']!r} is not in "
                                     "curation/event_kinds.csv; add it with the kind the book uses and a reason")
            eid = event_id(rec["date"], rec["title"])
            if eid in seen:
                raise CurationError(f"{path.name}:{line}: two events share id {eid}")
            seen.add(eid)
            status, reason = rules.status_of(url, rec["date"])
            events.append({
                "event_id": eid, "date": rec["date"], "kind": kind["kind"], "status": status,
                "actor": rec["actor"], "title": rec["title"], "affects": rec["affects"],
                "licence_class": rules.licence_class(rec["title"], kind["kind"]),
                "source_ids": source_id_for(url), "note": f"{status}: {reason}" if reason else "",
            })
    events.sort(key=lambda e: (e["date"], e["event_id"]))
    return events, urls
