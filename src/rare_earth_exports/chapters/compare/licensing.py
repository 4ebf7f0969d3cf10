"""The licensing record of each side: what events.csv says about licences, and what was said.

Customs figures count tonnes; who applied for a licence, who got one and for how long comes
only from what governments, firms and industry bodies said. Each event is placed on a side (or
on all destinations); what it says about licences is events.csv's `licence_class`, set by
curation from the rules of curation/licence_classes.csv.
"""

from __future__ import annotations

import math
import re

import pandas as pd

# Codes that events.csv uses for a bloc where observations use another.
EVENT_ALIASES = {"EU27": ("EU",)}
# Events about these (in `affects`) belong to the rare-earth licensing story.
RELEVANT = r"rare earth|magnet|dysprosium|terbium|yttrium|defence"
GRANTING = ("general licence", "time-limited licence", "per-shipment licence")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ALL = "all destinations"


def side_tokens(partners: tuple[str, ...]) -> set[str]:
    """The codes events.csv may use for these partners (EU27 is 'EU' there)."""
    return {t for p in partners for t in (p, *EVENT_ALIASES.get(p, ()))}


def licence_months(title: str) -> float:
    """Duration of a licence from its title ('Six-month' -> 6, 'one-year' -> 12); NaN if none."""
    m = re.search(r"\b(\w+)-month", title, flags=re.IGNORECASE)
    if m:
        word = m.group(1).lower()
        return float(NUMBER_WORDS.get(word, int(word) if word.isdigit() else float("nan")))
    if re.search(r"\b(one|1)-year\b", title, flags=re.IGNORECASE):
        return 12.0
    return float("nan")


def event_side(affects: str, actor: str, tokens_a: set[str], tokens_b: set[str], label_a: str, label_b: str) -> str:
    """Which side an event concerns: named in `affects`; if both are, the side that said it."""
    named = set(affects.split(";"))
    in_a, in_b = bool(named & tokens_a), bool(named & tokens_b)
    if in_a and in_b:
        said = set(actor.split(";"))
        in_a, in_b = bool(said & tokens_a) or not (said & tokens_b), bool(said & tokens_b) or not (said & tokens_a)
    if in_a and in_b:
        return "both"
    if in_a:
        return label_a
    if in_b:
        return label_b
    return ALL if "all" in named else ""


def licensing_record(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
                     label_a: str, label_b: str) -> pd.DataFrame:
    """Licensing events for each side and for all destinations, classified, with durations.

    An event is in the record when it concerns rare earths, magnets or defence end users and
    curation gave it a licence class (a licence decision, or a title that says something about
    licences: kind, duration, approval figures, exclusions). Events for all destinations count only when China acted (controls,
    licences, relaxations, truces), not statements about everyone.
    """
    ev = events[events["affects"].str.contains(RELEVANT, case=False, regex=True) & (events["licence_class"] != "")].copy()
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    ev = ev[(ev["side"] != "") & ~((ev["side"] == ALL) & ~ev["kind"].isin(("control", "license", "relaxation", "truce")))]
    both = ev[ev["side"] == "both"]
    ev = pd.concat([ev[ev["side"] != "both"], both.assign(side=label_a), both.assign(side=label_b)])
    ev["months"] = [licence_months(t) if c in GRANTING else float("nan") for t, c in zip(ev["title"], ev["licence_class"])]
    ev["expires"] = [
        (d + pd.DateOffset(months=int(m))).strftime("%Y-%m-%d") if math.isfinite(m) and len(raw) == 10 else ""
        for d, m, raw in zip(ev["day"], ev["months"], ev["date"])
    ]
    cols = ["event_id", "date", "day", "side", "kind", "actor", "licence_class", "months", "expires", "title", "source_ids"]
    return ev[cols].sort_values(["day", "side", "event_id"]).reset_index(drop=True)


def statements(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
               label_a: str, label_b: str) -> pd.DataFrame:
    """What was said about each side (kind 'statement'), for setting claims beside the flows."""
    ev = events[(events["kind"] == "statement") & events["affects"].str.contains(RELEVANT, case=False, regex=True)].copy()
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    ev = ev[ev["side"].isin((label_a, label_b, "both"))]
    return ev[["event_id", "date", "day", "side", "actor", "title", "source_ids"]].sort_values(["day", "event_id"]).reset_index(drop=True)
