"""Imported rows merged into data/observations.csv and data/sources.csv.

A row is identified by (period, reporter, partner, flow, product, unit). Every key the import
touches is reported as added, replaced (with the old and new value) or unchanged, and the
derived rows are recomputed so none is left resting on a figure that was replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ...core.sources import join_ids
from ..csvrows import read_rows, write_rows
from ..derive import derive_observations
from ..provenance import CUSTOMS
from . import ImportResult, row_key

KEY = ("period", "reporter", "partner", "flow", "product", "unit")
OFFICIAL_NOTE = "Official trade statistics, imported from the publisher's own download."


def key_of(row: dict) -> tuple:
    return tuple(row[k] for k in KEY)


@dataclass
class MergeReport:
    added: list[tuple] = field(default_factory=list)
    replaced: list[tuple[tuple, str, str]] = field(default_factory=list)  # (key, old value, new value)
    unchanged: list[tuple] = field(default_factory=list)
    rederived: list[tuple[tuple, str | None, str | None]] = field(default_factory=list)  # None: absent
    source_added: bool = False

    def summary(self) -> str:
        lines = [f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
                 f"{len(self.rederived)} derived rows changed"]
        lines += [f"  added      {' '.join(k)}" for k in self.added]
        lines += [f"  replaced   {' '.join(k)}: {old} -> {new}" for k, old, new in self.replaced]
        lines += [f"  unchanged  {' '.join(k)}" for k in self.unchanged]
        lines += [f"  rederived  {' '.join(k)}: {old or '-'} -> {new or '-'}" for k, old, new in self.rederived]
        return "\n".join(lines)


def merge_rows(existing: list[dict], new: list[dict]) -> tuple[list[dict], MergeReport]:
    """Appends new keys and replaces changed values; an equal reported value only gains the new source.

    A derived row is always replaced by an imported one: a reported figure beats a computed one.
    """
    report = MergeReport()
    merged = list(existing)
    index = {key_of(r): i for i, r in enumerate(merged)}
    seen: set[tuple] = set()
    for row in new:
        key = key_of(row)
        if key in seen:
            raise ValueError(f"two imported rows share the key {key}")
        seen.add(key)
        if key not in index:
            index[key] = len(merged)
            merged.append(row)
            report.added.append(key)
            continue
        old = merged[index[key]]
        if old["status"] != "derived" and Decimal(old["value"]) == Decimal(row["value"]):
            merged[index[key]] = {**old, "source_ids": join_ids([old["source_ids"], row["source_ids"]])}
            report.unchanged.append(key)
        else:
            merged[index[key]] = row
            report.replaced.append((key, old["value"], row["value"]))
    return merged, report


def add_source(sources_rows: list[dict], source_id: str, publisher: str, title: str, url: str,
               published: str, *, reliability: str = "official",
               reliability_note: str = OFFICIAL_NOTE, originator: str = "") -> bool:
    """Appends a sources.csv entry unless the id is there; an id already naming another URL is an error."""
    for s in sources_rows:
        if s["source_id"] == source_id:
            if s["url"] != url:
                raise ValueError(f"source {source_id} already names {s['url']}, not {url}")
            return False
    sources_rows.append({"source_id": source_id, "publisher": publisher, "title": title, "url": url,
                         "published": published, "reliability": reliability,
                         "reliability_note": reliability_note, "originator": originator})
    return True



def import_into(data_dir: Path, result: ImportResult, source: dict) -> MergeReport:
    """Merges a reader's rows into data_dir; `source` holds add_source's arguments by name.

    Nothing is written when the result has problems or cites another source.
    """
    result.raise_for_errors()
    cited = {r["source_ids"] for r in result.rows}
    if cited - {source["source_id"]}:
        raise ValueError(f"the rows cite {', '.join(sorted(cited))}, not {source['source_id']}")
    data_dir = Path(data_dir)
    # China's own figures originate with its customs, whoever publishes the download; others with the publisher
    rows = [{**r, "originator": CUSTOMS if r["reporter"] == "CHN" else source["publisher"]} for r in result.rows]
    obs_fields, observations = read_rows(data_dir / "observations.csv")
    src_fields, sources = read_rows(data_dir / "sources.csv")

    merged, report = merge_rows(observations, rows)
    reported = [r for r in merged if r["status"] != "derived"]
    merged = reported + [{**r, "originator": CUSTOMS} for r in derive_observations(reported)]
    imported = {key_of(r) for r in rows}
    before = {key_of(r): r["value"] for r in observations if r["status"] == "derived"}
    after = {key_of(r): r["value"] for r in merged if r["status"] == "derived"}
    changed = [k for k in before.keys() | after.keys() if k not in imported and before.get(k) != after.get(k)]
    report.rederived = [(k, before.get(k), after.get(k))
                        for k in sorted(changed, key=lambda k: row_key(dict(zip(KEY, k))))]

    report.source_added = add_source(sources, **source, originator="; ".join(sorted({r["originator"] for r in rows})))
    write_rows(data_dir / "observations.csv", obs_fields, sorted(merged, key=row_key))
    write_rows(data_dir / "sources.csv", src_fields, sorted(sources, key=lambda s: s["source_id"]))
    return report
