"""Who a page is and whose story it relays: tiers, credited bodies, titles and dates, by rules in curation/.

- `source_tiers.csv` rates every page (official, agency, trade press, relay, weak) or excludes
  it (throwaway or unsafe addresses: bare IPs, test and preview hosts, casino and crypto pages,
  mirrors). Rules match a page's domain (or a subdomain of it), its host or its whole address
  by regular expression; the first matching row wins, and the last row (`any`) gives the
  default. Every rule carries its reason, which sources.csv keeps.
- `attribution.csv` says which body a figure comes from beyond China's customs: the news agency
  that first reported it (Reuters, Bloomberg, ...) or the price assessor (SMM, Argus, ...). A
  rule matches the body the page credits (the vintage's `credits` column), the page's address
  or domain, or the curated product (Bloomberg's own category). Rows of one excerpt (one
  `quote_ref`) share what any of them is credited with: reprints of one story.
- `address_dates.csv` reads a publication date from an address that carries one
  (`/2025-08-20/`), for pages the vintage records no date for.
- Titles: the story's headline where the vintage has one, else a readable title from the
  address (its slug, percent-decoded, without ids and hashes), else a title in square brackets
  that says what the page reports and who published it. Never "Page on <domain>", never a
  percent-encoded address.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from .errors import CurationError

TIERS = ("official", "agency", "trade press", "relay", "weak", "excluded")
MATCHES = ("domain", "host", "address", "any")
ATTRIBUTION_MATCHES = ("credits", "address", "domain", "product")
ROLES = ("agency", "assessor")
CUSTOMS = "China customs"
SLUG_NOISE = {"amp", "html", "htm", "php", "shtml", "aspx", "asp", "cms", "md", "index", "story", "news", "article",
              "articles", "detail", "view", "post", "page", "en", "id", "de", "es", "jp", "zh", "tc", "www"}
MIN_TITLE_WORDS = 3
# Words an address writes in lower case that a title writes otherwise.
SPELLED = {"us": "US", "eu": "EU", "uk": "UK", "un": "UN", "ev": "EV", "chinas": "China's", "china": "China",
           "chinese": "Chinese", "japan": "Japan", "japans": "Japan's", "japanese": "Japanese", "europe": "Europe",
           "european": "European", "germany": "Germany", "german": "German", "india": "India", "korea": "Korea",
           "vietnam": "Vietnam", "trump": "Trump", "xi": "Xi", "beijing": "Beijing", "washington": "Washington"}


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _compile(path: Path, line: int, pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise CurationError(f"curation/{path.name}:{line}: pattern {pattern!r} is not a regular expression ({exc})") from None


def domain_of(url: str) -> str:
    host = urlparse(url).netloc.lower()
    for prefix in ("www.", "m.", "mobile.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def _domain_matches(url: str, domain: str) -> bool:
    dom = domain_of(url)
    return dom == domain or dom.endswith("." + domain)


@dataclass(frozen=True)
class Tier:
    tier: str
    reason: str


@dataclass(frozen=True)
class Credit:
    body: str
    role: str     # agency or assessor
    reason: str


@dataclass
class SourceRules:
    tiers: list[tuple[dict[str, str], re.Pattern | None]]
    attribution: list[tuple[dict[str, str], re.Pattern | None]]
    dates: list[tuple[dict[str, str], re.Pattern]]

    @classmethod
    def load(cls, curation_dir: Path) -> "SourceRules":
        tiers = []
        path = curation_dir / "source_tiers.csv"
        for line, r in enumerate(_read(path), start=2):
            if r["match"] not in MATCHES:
                raise CurationError(f"curation/source_tiers.csv:{line}: match {r['match']!r}; expected one of {', '.join(MATCHES)}")
            if r["tier"] not in TIERS or r["tier"] == "official":
                raise CurationError(f"curation/source_tiers.csv:{line}: tier {r['tier']!r}; expected one of "
                                    f"{', '.join(t for t in TIERS if t != 'official')} (official is for customs downloads)")
            if not r["reason"].strip():
                raise CurationError(f"curation/source_tiers.csv:{line}: a tier needs its reason")
            tiers.append((r, _compile(path, line, r["pattern"]) if r["match"] in ("host", "address") else None))
        if not tiers or tiers[-1][0]["match"] != "any":
            raise CurationError("curation/source_tiers.csv: the last rule must be `any`, the default tier for every other page")
        attribution = []
        path = curation_dir / "attribution.csv"
        for line, r in enumerate(_read(path), start=2):
            if r["match"] not in ATTRIBUTION_MATCHES or r["role"] not in ROLES or not r["reason"].strip():
                raise CurationError(f"curation/attribution.csv:{line}: expected match one of {', '.join(ATTRIBUTION_MATCHES)}, "
                                    f"role one of {', '.join(ROLES)} and a reason")
            attribution.append((r, _compile(path, line, r["pattern"]) if r["match"] == "address" else None))
        path = curation_dir / "address_dates.csv"
        dates = [(r, _compile(path, line, r["pattern"])) for line, r in enumerate(_read(path), start=2)]
        return cls(tiers, attribution, dates)

    def tier_of(self, url: str) -> Tier:
        host = urlparse(url).netloc.lower()
        for rule, pattern in self.tiers:
            kind = rule["match"]
            if (kind == "any" or (kind == "domain" and _domain_matches(url, rule["pattern"]))
                    or (kind == "host" and pattern.search(host)) or (kind == "address" and pattern.search(url))):
                return Tier(rule["tier"], rule["reason"])
        raise AssertionError("unreachable: the last rule matches any page")

    def credit_of(self, url: str, credits: str, product: str) -> Credit | None:
        """The first rule that matches the row: a body it credits, its address, its domain, its product."""
        named = {c.strip() for c in credits.split(";") if c.strip()}
        for rule, pattern in self.attribution:
            kind = rule["match"]
            if ((kind == "credits" and rule["pattern"] in named) or (kind == "address" and pattern.search(url))
                    or (kind == "domain" and _domain_matches(url, rule["pattern"]))
                    or (kind == "product" and rule["pattern"] == product)):
                return Credit(rule["body"], rule["role"], rule["reason"])
        return None

    def date_in(self, url: str) -> str:
        """A YYYY-MM-DD publication date the address carries (named groups y, m, d), else ''."""
        for _rule, pattern in self.dates:
            m = pattern.search(url)
            if m and 1 <= int(m.group("m")) <= 12 and 1 <= int(m.group("d")) <= 31:
                return f"{m.group('y')}-{m.group('m')}-{m.group('d')}"
        return ""


def propagate_by_excerpt(credits: dict[int, Credit | None], excerpts: dict[int, str]) -> dict[int, Credit | None]:
    """Rows of one excerpt (one quote_ref: one story, reprinted) share the body any of them is
    credited with; when an excerpt's rows name several, the most frequent (then alphabetical)."""
    by_excerpt: dict[str, Counter] = {}
    for key, credit in credits.items():
        if credit is not None and excerpts.get(key):
            by_excerpt.setdefault(excerpts[key], Counter())[credit] += 1
    out = dict(credits)
    for key, credit in credits.items():
        found = by_excerpt.get(excerpts.get(key, ""))
        if credit is None and found:
            best = sorted(found.items(), key=lambda kv: (-kv[1], kv[0].body))[0][0]
            out[key] = Credit(best.body, best.role, f"the same excerpt as a page credited so ({best.reason})")
    return out


# --- titles ---------------------------------------------------------------------------------

def _is_noise(token: str) -> bool:
    """Ids, hashes and file endings in an address: not words of a title."""
    low = token.lower()
    if low in SLUG_NOISE or not token:
        return True
    if token.isdigit():
        return True
    if re.fullmatch(r"[0-9a-f]{6,}", low):
        return True
    return bool(re.search(r"[0-9]", token) and re.search(r"[a-z]", low) and token.isascii())


def _words(segment: str) -> list[str]:
    text = unquote(segment)
    text = re.sub(r"\.(s?html?|php|aspx?|cms|md)$", "", text, flags=re.IGNORECASE)
    tokens = [t for t in re.split(r"[-_+\s]+", text) if t]
    words = [t for t in tokens if not _is_noise(t)]
    out: list[str] = []
    for w in words:
        if w.lower() == "s" and out and out[-1].lower() == "u":
            out[-1] = "US"  # u-s -> US
        elif w.lower() == "s" and out:
            out[-1] += "'s"  # the apostrophe the slug dropped: china-s -> China's
        else:
            out.append(SPELLED.get(w, w) if w.islower() else w)
    return out


def _cjk(text: str) -> bool:
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text))


def title_from_address(url: str) -> str:
    """The most wordy part of the address (or of the address it wraps, `?u=`/`?url=`), as a
    sentence; '' when no part has at least three words (or one in Chinese, Japanese or Korean)."""
    parsed = urlparse(url)
    for key in ("u", "url"):
        inner = parse_qs(parsed.query).get(key)
        if inner and inner[0].lower().startswith(("http://", "https://")):
            return title_from_address(inner[0])
    best: list[str] = []
    for segment in parsed.path.split("/"):
        words = _words(segment)
        if len(words) > len(best) or (_cjk(" ".join(words)) and not best):
            best = words
    if not best or (len(best) < MIN_TITLE_WORDS and not _cjk(" ".join(best))):
        return ""
    if " ".join(best).isupper():
        best = [SPELLED.get(w.lower(), w.lower()) for w in best]
    text = " ".join(best)
    return text[:1].upper() + text[1:]


def described_title(publisher: str, reports: list[str]) -> str:
    """'[What the page reports; published by <publisher>]': a title written by the curators."""
    what = "; ".join(reports[:2]) + (f"; and {len(reports) - 2} more" if len(reports) > 2 else "")
    what = what[:1].upper() + what[1:] if what else "A page"
    return f"[{what}; published by {publisher}]"


def title_for(url: str, headline: str, publisher: str, reports: list[str]) -> tuple[str, str]:
    """(title, how it was made): the headline, the address, or the curators' description."""
    if headline.strip():
        return headline.strip(), "headline"
    from_address = title_from_address(url)
    if from_address:
        return from_address, "address"
    return described_title(publisher, reports), "described"
