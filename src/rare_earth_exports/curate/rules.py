"""Curation: from figures as published (the press vintages of `sources/press/`) to the one-value-per-key data package.

Every input row ends in exactly one decision, written to `data/reconciliation.csv`:
- `used`: it sets the value of a curated row;
- `merged`: it agrees with the value of a curated row (same figure, or a rounding of it) and
  its source is listed with that row;
- `excluded`: it is left out, with the reason.
The rules, in the order they apply:
0. rows from sites `curation/source_flags.csv` marks `excluded` are left out, with its reason;
1. corrections in `curation/corrections.csv` (relabel a period, product or partner, state the
   rounding a figure was published with, give the high end of a range whose row holds only
   the low end, or exclude), each with a written reason;
2. the product map in `curation/product_map.csv` (which raw categories the book uses);
3. for each key, rows from sources flagged weak in `curation/source_flags.csv` never set a
   value: they are merged when they agree with a reliable row, excluded otherwise;
4. rounding variants agree when they differ by at most one unit of the coarser figure's last
   significant digit (3,187 and 3,188; 55,400 and 55,431); the most precise figure wins, then
   the one reported by more sources;
5. figures that disagree beyond rounding are a conflict: the figure reported by more distinct
   sources wins (then the more precise, then the most recently published); the losers are
   excluded with a reason and the curated row's note names them, so the conflict stays visible.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from .derive import derive_observations
from .errors import CurationError
from .events import EVENT_FIELDS, EventRules, curate_events
from ..core.periods import months_of, sort_key

if TYPE_CHECKING:
    from .inputs import Press

REPORTER = "CHN"

OBSERVATION_FIELDS = [
    "period", "reporter", "partner", "flow", "product", "unit", "value", "status",
    "source_ids", "note",
]
PRICE_FIELDS = ["product", "market", "period", "low", "high", "unit", "source_ids", "reliability", "note"]
SOURCE_FIELDS = ["source_id", "publisher", "title", "url", "published", "reliability", "reliability_note"]
LOG_FIELDS = [
    "input_file", "input_line", "source_id", "period", "partner", "product", "metric", "value",
    "unit", "decision", "curated_table", "curated_key", "reason",
]
CURATED_FILES = ("observations.csv", "prices.csv", "sources.csv", "events.csv", "reconciliation.csv")
DEFAULT_RELIABILITY = "relay"
DEFAULT_RELIABILITY_NOTE = "Press relay of China customs (GACC) figures or of a named market assessment."


@dataclass
class InputRow:
    file: str
    line: int
    period: str
    partner: str
    product: str
    metric: str
    value: str
    unit: str
    url: str
    published: str
    decision: str = ""
    curated_table: str = ""
    curated_key: str = ""
    reason: str = ""
    source_id: str = ""
    weak: bool = False
    flow: str = ""
    curated_unit: str = ""
    reported_period: str = ""
    reported_partner: str = ""
    reported_product: str = ""
    range_high: str = ""  # the high end of a range whose row holds only the low (set by a correction)
    places: int | None = None  # decimal places the figure is published to (precision(value) unless a correction says)

    def __post_init__(self) -> None:
        self.reported_period, self.reported_partner, self.reported_product = self.period, self.partner, self.product
        self.places = precision(self.value)

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    def decide(self, decision: str, table: str = "", key: str = "", reason: str = "") -> None:
        if self.decision:
            raise AssertionError(f"{self.file}:{self.line} decided twice")
        self.decision, self.curated_table, self.curated_key, self.reason = decision, table, key, reason


SITE_FLAGS = ("weak", "excluded")


@dataclass
class Rules:
    weak_domains: dict[str, str]
    product_map: dict[tuple[str, str], dict[str, str]]
    corrections: list[dict[str, str]] = field(default_factory=list)
    excluded_domains: dict[str, str] = field(default_factory=dict)
    events: EventRules | None = None

    @classmethod
    def load(cls, curation_dir: Path) -> "Rules":
        flags = _read_csv(curation_dir / "source_flags.csv")
        for line, r in enumerate(flags, start=2):
            if r["reliability"] not in SITE_FLAGS:
                raise CurationError(f"curation/source_flags.csv:{line}: reliability {r['reliability']!r}; "
                                    f"expected one of {', '.join(SITE_FLAGS)}")
        weak = {r["domain"]: r["reason"] for r in flags if r["reliability"] == "weak"}
        excluded = {r["domain"]: r["reason"] for r in flags if r["reliability"] == "excluded"}
        pmap = {(r["raw_product"], r["kind"]): r for r in _read_csv(curation_dir / "product_map.csv")}
        corrections = _read_csv(curation_dir / "corrections.csv")
        return cls(weak, pmap, corrections, excluded, EventRules.load(curation_dir))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in fields})


# --- sources -----------------------------------------------------------------------------

def domain_of(url: str) -> str:
    host = urlparse(url).netloc.lower()
    for prefix in ("www.", "m.", "mobile.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def source_id_for(url: str) -> str:
    """Stable across vintages: the publisher's domain and a short hash of the address."""
    slug = re.sub(r"[^a-z0-9]+", "-", domain_of(url)).strip("-")
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:6]}"


def title_from_url(url: str) -> str:
    """A readable label from the page address (the sources give no titles; we copy no sentences)."""
    path = urlparse(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1] if path else ""
    last = re.sub(r"\.(s?html?|php|asp)$", "", last)
    words = [w for w in re.split(r"[-_]+", last) if w and not w.isdigit()]
    if len(words) >= 2:
        text = " ".join(words)
        return text[:1].upper() + text[1:]
    return f"Page on {domain_of(url)}"


def _flag(url: str, domains: dict[str, str]) -> str | None:
    dom = domain_of(url)
    for flagged, reason in domains.items():
        if dom == flagged or dom.endswith("." + flagged):
            return reason
    return None


def weak_reason(url: str, rules: Rules) -> str | None:
    return _flag(url, rules.weak_domains)


def excluded_reason(url: str, rules: Rules) -> str | None:
    return _flag(url, rules.excluded_domains)


# --- figures -----------------------------------------------------------------------------

def normalise_period(period: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-YTD", period)
    if m:
        return f"{m.group(1)}-01/{m.group(1)}-{m.group(2)}" if m.group(2) != "01" else f"{m.group(1)}-01"
    return period


def precision(value: str) -> int:
    """Decimal places; negative for trailing zeros of an integer (55400 -> -2)."""
    if "." in value:
        return len(value.split(".", 1)[1].rstrip("0")) if value.split(".", 1)[1].rstrip("0") else 0
    stripped = value.rstrip("0")
    return -(len(value) - len(stripped)) if stripped else 0


def agrees(a: str, b: str, places_a: int | None = None, places_b: int | None = None) -> bool:
    """True when two figures are the same up to the rounding of the coarser one.

    `places_*` override the decimal places read from the figure (a correction may state that a
    figure was published rounded, e.g. to tens: -1).
    """
    pa = precision(a) if places_a is None else places_a
    pb = precision(b) if places_b is None else places_b
    unit = Decimal(10) ** -min(pa, pb)
    return abs(Decimal(a) - Decimal(b)) <= unit


def _apply_corrections(row: InputRow, rules: Rules) -> bool:
    """Applies matching corrections; returns False when the row is excluded."""
    for c in rules.corrections:
        if (c["source_url_contains"] in row.url and c["period"] == row.period
                and c["partner"] == row.partner and c["product"] == row.product
                and Decimal(c["value"]) == row.number):
            if c["action"] == "exclude":
                row.decide("excluded", reason="correction: " + c["reason"])
                return False
            if c["action"] == "set_period":
                row.period = c["new_value"]
            elif c["action"] == "set_product":
                row.product = c["new_value"]
            elif c["action"] == "set_partner":
                row.partner = c["new_value"]
            elif c["action"] == "set_high":
                row.range_high = c["new_value"]
            elif c["action"] == "set_rounding":
                if not re.fullmatch(r"10+", c["new_value"]):
                    raise CurationError("curation/corrections.csv: set_rounding takes the unit the figure was "
                                        f"rounded to (10, 100, ...), not {c['new_value']!r}")
                row.places = 1 - len(c["new_value"])
            else:
                raise CurationError(f"curation/corrections.csv: unknown action {c['action']!r}")
            row.reason = "correction: " + c["reason"]
    return True


def _metric_unit(row: InputRow) -> tuple[str, str]:
    if row.metric in ("level", "ytd_level"):
        return "volume", row.unit
    if row.metric == "value_usd":
        return "volume", "USD"
    if row.metric == "share_pct":
        return "volume", "pct"
    if row.metric == "price_usd_per_kg":
        return "price", "USD/kg"
    raise CurationError(f"{row.file}:{row.line}: unknown metric {row.metric!r}")


def _cluster(rows: list[InputRow]) -> list[list[InputRow]]:
    """Groups rows whose figures agree, best figure first in each group."""
    remaining = sorted(rows, key=lambda r: (-r.places, r.value))
    clusters = []
    while remaining:
        counts = defaultdict(set)
        for r in remaining:
            counts[r.value].add(r.source_id)
        head = max(remaining, key=lambda r: (r.places, len(counts[r.value]), -float(r.value)))
        members = [r for r in remaining if agrees(r.value, head.value, r.places, head.places)]
        members.sort(key=lambda r: (r.value != head.value, r.file, r.line))
        clusters.append(members)
        remaining = [r for r in remaining if r not in members]
    return clusters


def _cluster_rank(cluster: list[InputRow]) -> tuple:
    latest = max((r.published for r in cluster if r.published), default="")
    return (len({r.source_id for r in cluster}), cluster[0].places, latest)


def _fmt_value(value: Decimal | str) -> str:
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != d.to_integral() else str(int(d))
    return text


def _curate_observations(rows: list[InputRow]) -> list[dict]:
    groups: dict[tuple, list[InputRow]] = defaultdict(list)
    for r in rows:
        groups[(r.period, r.partner, r.flow, r.product, r.curated_unit)].append(r)
    curated = []
    for (period, partner, flow, product, unit), members in groups.items():
        key = f"{period}|{REPORTER}|{partner}|{flow}|{product}|{unit}"
        reliable = [r for r in members if not r.weak]
        weak = [r for r in members if r.weak]
        if not reliable:
            for r in weak:
                r.decide("excluded", reason="only sources flagged weak report this figure")
            continue
        clusters = sorted(_cluster(reliable), key=_cluster_rank, reverse=True)
        winner, losers = clusters[0], [r for c in clusters[1:] for r in c]
        chosen = winner[0]
        notes = []
        for r in weak:
            if agrees(r.value, chosen.value, r.places, chosen.places):
                r.decide("merged", "observations", key, "weak source agreeing with reliable sources")
                winner.append(r)
            else:
                r.decide("excluded", reason=f"weak source disagrees with reliable sources ({chosen.value})")
        for r in losers:
            r.decide("excluded", reason=f"conflict: outvoted by {chosen.value} ({len({w.source_id for w in winner})} source(s))")
        if losers:
            alternatives = sorted({r.value for r in losers}, key=float)
            notes.append("conflicting report(s): " + ", ".join(
                f"{v} ({'; '.join(sorted({r.source_id for r in losers if r.value == v}))})" for v in alternatives))
        chosen.decide("used", "observations", key, chosen.reason)
        for r in winner[1:]:
            if not r.decision:
                how = "same figure" if r.value == chosen.value else f"rounding variant of {chosen.value}"
                r.decide("merged", "observations", key, how)
        corrections = sorted({r.reason for r in winner if r.reason.startswith("correction:")})
        notes.extend(corrections)
        curated.append({
            "period": period, "reporter": REPORTER, "partner": partner, "flow": flow,
            "product": product, "unit": unit, "value": _fmt_value(chosen.value),
            "status": "reported",
            "source_ids": ";".join(sorted({r.source_id for r in winner})),
            "note": " | ".join(notes),
        })
    return curated


def _curate_prices(rows: list[InputRow]) -> list[dict]:
    quotes: dict[tuple, list[InputRow]] = defaultdict(list)
    for r in rows:
        quotes[(r.product, r.partner, r.period, r.url)].append(r)
    by_range: dict[tuple, list[tuple[list[InputRow], Decimal, Decimal]]] = defaultdict(list)
    for (product, market, period, _url), members in quotes.items():
        values = [r.number for r in members] + [Decimal(r.range_high) for r in members if r.range_high]
        lo, hi = min(values), max(values)
        by_range[(product, market, period, _fmt_value(lo), _fmt_value(hi))].append((members, lo, hi))
    curated = []
    for (product, market, period, lo, hi), quote_groups in by_range.items():
        key = f"{product}|{market}|{period}|{lo}|{hi}"
        members = [r for g, _, _ in quote_groups for r in g]
        members.sort(key=lambda r: (r.weak, r.file, r.line))
        first = members[0]
        first.decide("used", "prices", key, first.reason)
        for r in members[1:]:
            r.decide("merged", "prices", key, "same quote" if r.url == first.url else "same quote reprinted")
        notes = sorted({r.reason for r in members if r.reason.startswith("correction:")})
        curated.append({
            "product": product, "market": market, "period": period, "low": lo, "high": hi,
            "unit": "USD/kg", "source_ids": ";".join(sorted({r.source_id for r in members})),
            "reliability": "weak" if all(r.weak for r in members) else DEFAULT_RELIABILITY,
            "note": " | ".join(notes),
        })
    return curated


def read_figures(paths: list[Path]) -> list[InputRow]:
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            for line, rec in enumerate(csv.DictReader(fh), start=2):
                rows.append(InputRow(
                    file=path.name, line=line, period=rec["period"], partner=rec["partner"],
                    product=rec["product"], metric=rec["metric"], value=rec["value"].strip(),
                    unit=rec["unit"], url=rec["source_url"].strip(), published=rec["published"].strip(),
                ))
    return rows


def curate(press: Press, curation_dir: Path) -> dict[str, list[dict]]:
    """Returns the curated tables (observations, prices, sources, events, reconciliation)."""
    rules = Rules.load(curation_dir)
    rows = read_figures(press.figures)
    volume_rows, price_rows = [], []
    for r in rows:
        r.source_id = source_id_for(r.url)
        r.weak = weak_reason(r.url, rules) is not None
        excluded = excluded_reason(r.url, rules)
        if excluded:
            r.decide("excluded", reason="excluded source: " + excluded)
            continue
        if not _apply_corrections(r, rules):
            continue
        kind, unit = _metric_unit(r)
        mapping = rules.product_map.get((r.product, kind))
        if mapping is None:
            raise CurationError(
                f"{r.file}:{r.line}: raw product {r.product!r} ({kind}) is not in curation/product_map.csv; "
                "add it with decision 'use' or 'exclude' and a reason")
        if mapping["decision"] == "exclude":
            r.decide("excluded", reason="out of scope: " + mapping["reason"])
            continue
        if mapping["reason"] and not r.reason:
            r.reason = "product map: " + mapping["reason"]
        r.product = mapping["product"]
        r.flow = mapping["flow"]
        r.curated_unit = unit
        r.period = normalise_period(r.period)
        try:
            months_of(r.period)
        except ValueError as exc:
            raise CurationError(f"{r.file}:{r.line}: {exc}; add a correction for it") from exc
        (price_rows if kind == "price" else volume_rows).append(r)

    observations = _curate_observations(volume_rows)
    observations.extend(derive_observations(observations))
    prices = _curate_prices(price_rows)
    undecided = [f"{r.file}:{r.line}" for r in rows if not r.decision]
    if undecided:
        raise AssertionError("rows without a decision: " + ", ".join(undecided))

    events, event_urls = curate_events(press.events, rules.events, source_id_for)
    published: dict[str, set[str]] = defaultdict(set)
    urls = {r.url for r in rows} | set(event_urls)
    for r in rows:
        if r.published:
            published[r.url].add(r.published)
    sources = []
    for url in urls:
        excluded, weak = excluded_reason(url, rules), weak_reason(url, rules)
        sources.append({
            "source_id": source_id_for(url), "publisher": domain_of(url), "title": title_from_url(url),
            "url": url, "published": min(published[url]) if published[url] else "",
            "reliability": "excluded" if excluded else "weak" if weak else DEFAULT_RELIABILITY,
            "reliability_note": excluded or weak or DEFAULT_RELIABILITY_NOTE,
        })
    log = [{
        "input_file": r.file, "input_line": r.line, "source_id": r.source_id,
        "period": r.reported_period, "partner": r.reported_partner, "product": r.reported_product, "metric": r.metric,
        "value": r.value, "unit": r.unit, "decision": r.decision, "curated_table": r.curated_table,
        "curated_key": r.curated_key, "reason": r.reason,
    } for r in rows]
    return {
        "observations": sorted(observations, key=observation_sort_key),
        "prices": sorted(prices, key=lambda p: (p["product"], p["market"], sort_key(p["period"]), float(p["low"]), float(p["high"]))),
        "sources": sorted(sources, key=lambda s: s["source_id"]),
        "events": events,
        "reconciliation": sorted(log, key=lambda e: (e["input_file"], int(e["input_line"]))),
    }


def observation_sort_key(o: dict) -> tuple:
    return (o["product"], o["flow"], o["partner"], o["unit"], sort_key(o["period"]))


def write_data_package(tables: dict[str, list[dict]], data_dir: Path) -> None:
    """Writes the CURATED_FILES of data_dir (the reference tables and datapackage.json are kept by hand)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fields = {"observations": OBSERVATION_FIELDS, "prices": PRICE_FIELDS, "sources": SOURCE_FIELDS,
              "events": EVENT_FIELDS, "reconciliation": LOG_FIELDS}
    for name, columns in fields.items():
        _write_csv(data_dir / f"{name}.csv", columns, tables[name])
