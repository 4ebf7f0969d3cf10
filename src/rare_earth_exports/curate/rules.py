"""Curation: from figures as published (the press vintages of `sources/press/`) to the one-value-per-key data package.

Every input row ends in exactly one decision, written to `data/reconciliation.csv`:
- `used`: it sets the value of a curated row;
- `merged`: it agrees with the value of a curated row (same figure, or a rounding of it) and
  its source is listed with that row;
- `excluded`: it is left out, with the reason.
A reason a correction or the product map gave a row is kept through the decision (the
decision's own reason follows it).
The rules, in the order they apply:
0. every page gets a tier from `curation/source_tiers.csv` (provenance.py); rows from pages
   the rules exclude (throwaway or unsafe addresses) are left out with the rule's reason;
1. corrections in `curation/corrections.csv` (relabel a period, product or partner, state the
   rounding a figure was published with, give the high end of a range whose row holds only
   the low end, or exclude), each with a written reason; a correction without a value applies
   to every figure of that page, period, partner and product;
2. the product map in `curation/product_map.csv` (which raw categories the book uses);
3. rows from weak pages never set a value, prices included: they are merged when they agree
   with a reliable row, excluded otherwise (and excluded when no reliable row reports the key);
4. variants of one figure agree when they differ by at most one unit of the coarser figure's
   last significant digit (3,187 and 3,188; 55,400 and 55,431). A figure's digits are read as
   published: a single trailing zero is a digit (590 is not "about 590"); two or more mark a
   rounding (55,400; 16,700), and a correction may state another. Among agreeing variants the
   figure more distinct stories support wins (a story is one excerpt, reprinted or not, or one
   page; a story supports a figure when it reports it or a rounding of it), then the more
   precise, then the more recently published;
5. figures that disagree beyond rounding are a conflict: the figure more distinct stories
   report wins (then the more precise, then the most recently published); the losers are
   excluded with a reason and the curated row's note names them, so the conflict stays visible;
6. prices: the rows of one excerpt pair up in file order (low, high), so an excerpt that gives
   two weekly ranges stays two quotes; a figure filed alone that is an end of a range of the
   same excerpt joins that range; one quote filed under two markets stops curation until a
   correction says which is right; a bound ("surpassing", "under") keeps its qualifier.
Each curated figure records its originator (China customs for trade figures, the assessor for
prices), the news agency whose story carried it and the story's date where the relays give
them (`attribution.csv`), apart from the pages that relayed it (`source_ids`).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .derive import derive_observations
from .errors import CurationError
from .events import EVENT_FIELDS, EventRules, curate_events, event_id
from .provenance import CUSTOMS, TIERS, Credit, SourceRules, domain_of, propagate_by_excerpt, title_for
from ..core.periods import months_of, period_in_words, sort_key
from ..core.sources import join_ids

if TYPE_CHECKING:
    from .inputs import Press

REPORTER = "CHN"

ATTRIBUTION_FIELDS = ["originator", "agency", "story_date"]
OBSERVATION_FIELDS = [
    "period", "reporter", "partner", "flow", "product", "unit", "value", "status",
    "source_ids", "note", *ATTRIBUTION_FIELDS,
]
PRICE_FIELDS = ["product", "market", "period", "low", "high", "unit", "qualifier", "source_ids", "reliability", "note",
                *ATTRIBUTION_FIELDS]
SOURCE_FIELDS = ["source_id", "publisher", "title", "url", "published", "reliability", "reliability_note",
                 "originator", "agency", "attribution_note"]
PERCENT_FIELDS = ["input_file", "input_line", "source_id", "quote_ref", "stated_pct", "compares", "category_words",
                  "of_row_figure", "reported_key", "figure_key", "event_id"]
LOG_FIELDS = [
    "input_file", "input_line", "source_id", "period", "partner", "product", "metric", "value",
    "unit", "decision", "curated_table", "curated_key", "reason",
]
CURATED_FILES = ("observations.csv", "prices.csv", "sources.csv", "events.csv", "reconciliation.csv",
                 "stated_percentages.csv")
BOUNDS = ("over", "under", "at least")


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
    quote_ref: str = ""
    credits: str = ""
    qualifier: str = ""
    headline: str = ""
    decision: str = ""
    curated_table: str = ""
    curated_key: str = ""
    reason: str = ""
    source_id: str = ""
    tier: str = ""
    flow: str = ""
    curated_unit: str = ""
    reported_period: str = ""
    reported_partner: str = ""
    reported_product: str = ""
    range_high: str = ""  # the high end of a range whose row holds only the low (set by a correction)
    places: int = 0       # decimal places the figure is published to (precision(value) unless a correction says)
    credit: Credit | None = None
    dated: str = ""       # the page's publication date, from the vintage or its address

    def __post_init__(self) -> None:
        self.reported_period, self.reported_partner, self.reported_product = self.period, self.partner, self.product
        self.places = precision(self.value)

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    @property
    def weak(self) -> bool:
        return self.tier == "weak"

    def decide(self, decision: str, table: str = "", key: str = "", reason: str = "") -> None:
        """Records the row's one decision; a reason set earlier (a correction, the product map) is kept first."""
        if self.decision:
            raise AssertionError(f"{self.file}:{self.line} decided twice")
        if self.reason and reason and reason != self.reason:
            reason = f"{self.reason} | {reason}"
        self.decision, self.curated_table, self.curated_key, self.reason = decision, table, key, reason or self.reason


@dataclass
class Rules:
    sources: SourceRules
    product_map: dict[tuple[str, str], dict[str, str]]
    corrections: list[dict[str, str]] = field(default_factory=list)
    events: EventRules | None = None

    @classmethod
    def load(cls, curation_dir: Path) -> "Rules":
        pmap = {(r["raw_product"], r["kind"]): r for r in _read_csv(curation_dir / "product_map.csv")}
        corrections = _read_csv(curation_dir / "corrections.csv")
        return cls(SourceRules.load(curation_dir), pmap, corrections, EventRules.load(curation_dir))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in fields})


def source_id_for(url: str) -> str:
    """Stable across vintages: the publisher's domain and a short hash of the address."""
    slug = re.sub(r"[^a-z0-9]+", "-", domain_of(url)).strip("-")
    return f"{slug}-{hashlib.sha1(url.encode('utf-8')).hexdigest()[:6]}"


# --- figures -----------------------------------------------------------------------------

def normalise_period(period: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-YTD", period)
    if m:
        return f"{m.group(1)}-01/{m.group(1)}-{m.group(2)}" if m.group(2) != "01" else f"{m.group(1)}-01"
    return period


def precision(value: str) -> int:
    """Decimal places as published; two or more trailing zeros of an integer mark a rounding
    (55400 -> -2), a single one is a digit (590 -> 0)."""
    if "." in value:
        decimals = value.split(".", 1)[1].rstrip("0")
        return len(decimals)
    zeros = len(value) - len(value.rstrip("0"))
    if not value.rstrip("0") or zeros < 2:
        return 0
    return -zeros


def _unit(places: int) -> Decimal:
    return Decimal(10) ** -places


def agrees(a: str, b: str, places_a: int | None = None, places_b: int | None = None) -> bool:
    """True when two figures are the same up to the rounding of the coarser one.

    `places_*` override the decimal places read from the figure (a correction may state that a
    figure was published rounded, e.g. to tens: -1).
    """
    pa = precision(a) if places_a is None else places_a
    pb = precision(b) if places_b is None else places_b
    return abs(Decimal(a) - Decimal(b)) <= _unit(min(pa, pb))


def rounds_to(fine: InputRow, coarse: InputRow) -> bool:
    """True when `coarse` is `fine` rounded to the coarser figure's places (6,149.95 -> 6,150)."""
    return coarse.places < fine.places and abs(fine.number - coarse.number) <= _unit(coarse.places) / 2


def _apply_corrections(row: InputRow, rules: Rules, decide: bool = True) -> bool:
    """Applies matching corrections; returns False when the row is excluded (recorded only when `decide`)."""
    for c in rules.corrections:
        if (c["source_url_contains"] in row.url and c["period"] == row.period
                and c["partner"] == row.partner and c["product"] == row.product
                and (not c["value"] or Decimal(c["value"]) == row.number)):
            if c["action"] == "exclude":
                if decide:
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


def stories(rows: list[InputRow]) -> dict[int, int]:
    """Story number per row (by id()): rows of one page or one excerpt (quote_ref) are one story,
    so a wire story reprinted on ten sites counts once, and so does a page filed twice."""
    parent = {id(r): id(r) for r in rows}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[str, int] = {}
    for r in rows:
        for key in (f"page:{r.source_id}", f"excerpt:{r.quote_ref}" if r.quote_ref else ""):
            if not key:
                continue
            if key in first:
                parent[find(id(r))] = find(first[key])
            else:
                first[key] = id(r)
    return {id(r): find(id(r)) for r in rows}


def _cluster(rows: list[InputRow], story: dict[int, int]) -> list[list[InputRow]]:
    """Groups rows whose figures agree; the figure each group settles on first (see `_settle`)."""
    remaining = sorted(rows, key=lambda r: (-r.places, r.value))
    clusters = []
    while remaining:
        told = defaultdict(set)
        for r in remaining:
            told[r.value].add(story[id(r)])
        head = max(remaining, key=lambda r: (len(told[r.value]), r.places, -float(r.value)))
        members = [r for r in remaining if agrees(r.value, head.value, r.places, head.places)]
        clusters.append(_settle(members, story))
        remaining = [r for r in remaining if r not in members]
    return clusters


def _settle(members: list[InputRow], story: dict[int, int]) -> list[InputRow]:
    """The cluster with its figure first: the one more stories support (their own figure or a
    rounding of it), then the more precise, then the more recently published."""
    def support(r: InputRow) -> int:
        return len({story[id(o)] for o in members if o.value == r.value or rounds_to(r, o)})

    def latest(r: InputRow) -> str:
        return max((o.dated for o in members if o.value == r.value and o.dated), default="")

    best = max(members, key=lambda r: (support(r), r.places, latest(r), -float(r.value)))
    return sorted(members, key=lambda r: (r.value != best.value, r.file, r.line))


def _cluster_rank(cluster: list[InputRow], story: dict[int, int]) -> tuple:
    latest = max((r.dated for r in cluster if r.dated), default="")
    return (len({story[id(r)] for r in cluster}), cluster[0].places, latest)


def _fmt_value(value: Decimal | str) -> str:
    d = Decimal(str(value))
    text = format(d.normalize(), "f") if d != d.to_integral() else str(int(d))
    return text


def _attribution(rows: list[InputRow], originator: str) -> dict[str, str]:
    """Originator, agency and the story's date of a curated figure, from its reliable rows.

    The agency is the one most of its rows' stories are credited to; the date is the earliest
    date a page relaying that agency's story gives. A weak page never attributes a figure.
    """
    reliable = [r for r in rows if not r.weak]
    assessors = Counter(r.credit.body for r in reliable if r.credit and r.credit.role == "assessor")
    agencies = Counter(r.credit.body for r in reliable if r.credit and r.credit.role == "agency")
    agency = sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if agencies else ""
    days = sorted(r.dated for r in reliable if r.dated and r.credit and r.credit.body == agency) if agency else []
    if not originator and assessors:
        originator = sorted(assessors.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return {"originator": originator, "agency": agency, "story_date": days[0] if days else ""}


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
        story = stories(members)
        clusters = sorted(_cluster(reliable, story), key=lambda c: _cluster_rank(c, story), reverse=True)
        winner, losers = clusters[0], [r for c in clusters[1:] for r in c]
        chosen = winner[0]
        notes = []
        for r in weak:
            if agrees(r.value, chosen.value, r.places, chosen.places):
                r.decide("merged", "observations", key, "weak source agreeing with reliable sources")
                winner.append(r)
            else:
                r.decide("excluded", reason=f"weak source disagrees with reliable sources ({chosen.value})")
        n_stories = len({story[id(w)] for w in winner if not w.weak})
        for r in losers:
            r.decide("excluded", reason=f"conflict: outvoted by {chosen.value} ({n_stories} stor{'y' if n_stories == 1 else 'ies'})")
        if losers:
            alternatives = sorted({r.value for r in losers}, key=float)
            notes.append("conflicting report(s): " + ", ".join(
                f"{v} ({'; '.join(sorted({r.source_id for r in losers if r.value == v}))})" for v in alternatives))
        chosen.decide("used", "observations", key, chosen.reason)
        for r in winner[1:]:
            if not r.decision:
                how = ("same figure" if r.value == chosen.value else f"rounding variant of {chosen.value}"
                       if rounds_to(chosen, r) else f"variant of {chosen.value} within one unit, which more stories report")
                r.decide("merged", "observations", key, how)
        corrections = sorted({r.reason.split(" | ")[0] for r in winner if r.reason.startswith("correction:")})
        notes.extend(corrections)
        curated.append({
            "period": period, "reporter": REPORTER, "partner": partner, "flow": flow,
            "product": product, "unit": unit, "value": _fmt_value(chosen.value),
            "status": "reported", "source_ids": join_ids(r.source_id for r in winner),
            "note": " | ".join(notes), **_attribution(winner, CUSTOMS),
        })
    return curated


@dataclass
class Quote:
    """One price quote of one page: its rows (one, or a low and a high) and its range."""

    product: str
    market: str
    period: str
    rows: list[InputRow]
    low: Decimal
    high: Decimal


def _quotes(rows: list[InputRow]) -> list[Quote]:
    """The quotes of every excerpt: its rows of one file pair up in file order (low, high); a
    figure filed alone that is an end of a range of the same excerpt joins that range."""
    groups: dict[tuple, list[InputRow]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.file, r.line)):
        groups[(r.product, r.partner, r.period, r.url, r.quote_ref, r.file)].append(r)
    quotes: list[Quote] = []
    singles: list[Quote] = []
    for (product, market, period, _url, _ref, file), members in groups.items():
        if len(members) > 1 and len(members) % 2:
            raise CurationError(f"{file}:{','.join(str(r.line) for r in members)}: {len(members)} price rows of one "
                                "excerpt do not pair up into ranges; add a correction for them")
        pairs = [members] if len(members) == 1 else [members[i:i + 2] for i in range(0, len(members), 2)]
        for pair in pairs:
            values = [r.number for r in pair] + [Decimal(r.range_high) for r in pair if r.range_high]
            quote = Quote(product, market, period, list(pair), min(values), max(values))
            (singles if len(pair) == 1 and not pair[0].range_high else quotes).append(quote)
    for single in singles:
        r = single.rows[0]
        home = next((q for q in quotes if (q.product, q.market, q.period) == (single.product, single.market, single.period)
                     and q.rows[0].url == r.url and q.rows[0].quote_ref == r.quote_ref
                     and r.number in (q.low, q.high) and q.low != q.high), None)
        if home is not None:
            r.reason = (r.reason + " | " if r.reason else "") + "an end of the same excerpt's range, filed alone"
            home.rows.append(r)
        else:
            quotes.append(single)
    return quotes


def _market_twins(quotes: list[Quote]) -> None:
    """One quote of one page under two markets is a filing error a correction must settle."""
    seen: dict[tuple, Quote] = {}
    for q in quotes:
        for r in q.rows:
            key = (q.product, q.period, q.low, q.high, r.url)
            other = seen.setdefault(key, q)
            if other.market != q.market:
                a, b = other.rows[0], r
                raise CurationError(f"{b.file}:{b.line}: the quote {q.low}-{q.high} of {q.product} ({q.period}) from "
                                    f"{r.url} is filed under markets {other.market} ({a.file}:{a.line}) and {q.market}; "
                                    "exclude the wrong one in curation/corrections.csv")


def _curate_prices(rows: list[InputRow]) -> list[dict]:
    quotes = _quotes(rows)
    _market_twins(quotes)
    by_range: dict[tuple, list[InputRow]] = defaultdict(list)
    for q in quotes:
        by_range[(q.product, q.market, q.period, _fmt_value(q.low), _fmt_value(q.high))].extend(q.rows)
    curated = []
    for (product, market, period, lo, hi), members in by_range.items():
        key = f"{product}|{market}|{period}|{lo}|{hi}"
        members.sort(key=lambda r: (r.weak, r.file, r.line))
        if all(r.weak for r in members):
            for r in members:
                r.decide("excluded", reason="only sources flagged weak report this quote")
            continue
        first = members[0]
        first.decide("used", "prices", key, first.reason)
        for r in members[1:]:
            r.decide("merged", "prices", key, "same quote" if r.url == first.url else "same quote reprinted")
        notes = sorted({part for r in members for part in r.reason.split(" | ") if part.startswith("correction:")})
        qualifiers = sorted({q.strip() for r in members if not r.weak for q in r.qualifier.split(";") if q.strip()})
        best = min((r.tier for r in members if not r.weak), key=TIERS.index)
        curated.append({
            "product": product, "market": market, "period": period, "low": lo, "high": hi,
            "unit": "USD/kg", "qualifier": "; ".join(qualifiers), "source_ids": join_ids(r.source_id for r in members),
            "reliability": best, "note": " | ".join(notes), **_attribution(members, ""),
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
                    quote_ref=rec.get("quote_ref", "").strip(), credits=rec.get("credits", "").strip(),
                    qualifier=rec.get("qualifier", "").strip(), headline=rec.get("headline", "").strip(),
                ))
    return rows


def _what_it_reports(rows: list[InputRow], events: list[dict], names: dict[str, str]) -> list[str]:
    """Short descriptions of what a page reports ('exports of rare-earth permanent magnets, May
    to September 2025'), for the title the curators write when the page gives none."""
    periods: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        raw = r.reported_product
        name = names.get(raw) or names.get(r.product) or raw.replace("import_", "").replace("other_", "").replace(
            "re_", "rare-earth ").replace("_", " ")
        name = name[:1].lower() + name[1:] if name[1:2].islower() else name
        kind = "price of" if r.metric == "price_usd_per_kg" else "imports of" if raw.startswith("import_") else "exports of"
        periods[f"{kind} {name}"].append(normalise_period(r.reported_period))
    seen = []
    for what, found in periods.items():
        try:
            ordered = sorted(set(found), key=sort_key)
            months = [m for p in ordered for m in months_of(p)]
            span = ordered[0] if len(ordered) == 1 else f"{min(months)}/{max(months)}"
            when = period_in_words(span)
        except ValueError:
            when = ", ".join(sorted(set(found)))
        seen.append(f"{what}, {when}")
    return seen + [f"event: {e['title']}" for e in events]


def curate(press: Press, curation_dir: Path, product_names: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """Returns the curated tables (observations, prices, sources, events, reconciliation).

    `product_names` (code -> name, from data/products.csv) words the titles the curators write
    for pages whose address gives none.
    """
    rules = Rules.load(curation_dir)
    rows = read_figures(press.figures)
    volume_rows, price_rows = [], []
    for r in rows:
        r.source_id = source_id_for(r.url)
        tier = rules.sources.tier_of(r.url)
        r.tier = tier.tier
        r.dated = r.published or rules.sources.date_in(r.url)
        if r.tier == "excluded":
            r.decide("excluded", reason="excluded source: " + tier.reason)
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

    kept = volume_rows + price_rows
    credits = propagate_by_excerpt({id(r): rules.sources.credit_of(r.url, r.credits, r.product) for r in kept},
                                   {id(r): r.quote_ref for r in kept})
    for r in kept:
        r.credit = credits[id(r)]

    observations = _curate_observations(volume_rows)
    observations.extend({**row, "originator": CUSTOMS} for row in derive_observations(observations))
    prices = _curate_prices(price_rows)
    undecided = [f"{r.file}:{r.line}" for r in rows if not r.decision]
    if undecided:
        raise AssertionError("rows without a decision: " + ", ".join(undecided))

    events, event_urls = curate_events(press.events, rules.events, source_id_for)
    sources = _sources(rows, events, event_urls, rules, product_names or {})
    percentages = _stated_percentages(press, rows, rules)
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
        "stated_percentages": percentages,
    }


def figure_key(row: InputRow, rules: Rules, corrected: bool = True) -> str:
    """The curated key a row's figure belongs to, as the page reported it mapped by the product map
    and (when `corrected`) relabelled by the corrections, whatever became of the row ('' when its
    category is out of the book's scope or its period is not one)."""
    probe = InputRow(file=row.file, line=row.line, period=row.reported_period, partner=row.reported_partner,
                     product=row.reported_product, metric=row.metric, value=row.value, unit=row.unit, url=row.url,
                     published="")
    if corrected:
        _apply_corrections(probe, rules, decide=False)
    kind, unit = _metric_unit(probe)
    mapping = rules.product_map.get((probe.product, kind))
    if kind == "price" or mapping is None or mapping["decision"] == "exclude":
        return ""
    period = normalise_period(probe.period)
    try:
        months_of(period)
    except ValueError:
        return ""
    return f"{period}|{REPORTER}|{probe.partner}|{mapping['flow']}|{mapping['product']}|{unit}"


def _stated_percentages(press: Press, rows: list[InputRow], rules: Rules) -> list[dict]:
    """Every percentage the pages' excerpts state, with the key of the figure it is about (figure
    rows) or the event's id (event rows), so the book can set its own figure beside it."""
    by_line = {(r.file, r.line): r for r in rows}
    events = {}
    for path in press.events:
        for line, rec in enumerate(_read_csv(path), start=2):
            events[(path.name, line)] = (event_id(rec["date"], rec["title"]), source_id_for(rec["source_url"].strip()))
    out = []
    for path in press.percentages:
        for line, p in enumerate(_read_csv(path), start=2):
            where = (p["input_file"], int(p["input_line"]))
            row = by_line.get(where)
            if row is None and where not in events:
                raise CurationError(f"{path.parent.name}/{path.name}:{line}: {p['input_file']}:{p['input_line']} "
                                    "is not a row of the curated vintages")
            out.append({
                "input_file": where[0], "input_line": where[1],
                "source_id": row.source_id if row else events[where][1], "quote_ref": p["quote_ref"],
                "stated_pct": p["stated_pct"], "compares": p["compares"], "category_words": p["category_words"],
                "of_row_figure": p["of_row_figure"], "reported_key": figure_key(row, rules, corrected=False) if row else "",
                "figure_key": figure_key(row, rules) if row else "",
                "event_id": "" if row else events[where][0],
            })
    return sorted(out, key=lambda p: (p["input_file"], p["input_line"], p["compares"], float(p["stated_pct"])))


def _sources(rows: list[InputRow], events: list[dict], event_urls: list[str], rules: Rules,
             product_names: dict[str, str]) -> list[dict]:
    """One entry per page: its tier and why, a title, its date, whose story it relays and why."""
    by_url: dict[str, list[InputRow]] = defaultdict(list)
    for r in rows:
        by_url[r.url].append(r)
    events_by_source: dict[str, list[dict]] = defaultdict(list)
    for e in events:
        events_by_source[e["source_ids"]].append(e)
    out = []
    for url in sorted(set(by_url) | set(event_urls)):
        page = by_url.get(url, [])
        sid = source_id_for(url)
        tier = rules.sources.tier_of(url)
        publisher = domain_of(url)
        headline = next((r.headline for r in page if r.headline), "")
        title, _how = title_for(url, headline, publisher, _what_it_reports(page, events_by_source[sid], product_names))
        dates = sorted(r.published for r in page if r.published)
        originators = sorted({r.credit.body if r.metric == "price_usd_per_kg" else CUSTOMS for r in page
                              if r.tier != "excluded" and (r.metric != "price_usd_per_kg" or (r.credit and r.credit.role == "assessor"))})
        agencies = Counter((r.credit.body, r.credit.reason) for r in page if r.credit and r.credit.role == "agency")
        agency, why = sorted(agencies.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if agencies else ("", "")
        out.append({
            "source_id": sid, "publisher": publisher, "title": title, "url": url,
            "published": dates[0] if dates else rules.sources.date_in(url),
            "reliability": tier.tier, "reliability_note": tier.reason,
            "originator": "; ".join(originators), "agency": agency, "attribution_note": why,
        })
    return out


def observation_sort_key(o: dict) -> tuple:
    return (o["product"], o["flow"], o["partner"], o["unit"], sort_key(o["period"]))


def write_data_package(tables: dict[str, list[dict]], data_dir: Path) -> None:
    """Writes the CURATED_FILES of data_dir (the reference tables and datapackage.json are kept by hand)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fields = {"observations": OBSERVATION_FIELDS, "prices": PRICE_FIELDS, "sources": SOURCE_FIELDS,
              "events": EVENT_FIELDS, "reconciliation": LOG_FIELDS, "stated_percentages": PERCENT_FIELDS}
    for name, columns in fields.items():
        _write_csv(data_dir / f"{name}.csv", columns, tables[name])
