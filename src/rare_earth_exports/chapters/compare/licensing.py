"""The licensing record of each side: what was granted, refused or excluded, and for how long.

Customs figures count tonnes; who applied for a licence, who got one and for how long comes
only from what governments, firms and industry bodies said. Each event is placed on a side (or
on all destinations). What it says about licences is events.csv's `licence_class`, set by
curation from the rules of curation/licence_classes.csv; a control China aimed at one side is
in the record even without one. Every item gets an outcome (`outcome`): granted, a faster route,
suspended or deferred, refused or restricted, approval rates as someone counted them, what was
only said, or scheduled (a date whose outcome the sources do not report). How many statements
the record holds about a side measures how much was said and gathered, not how China behaved,
so the record is synthesised by outcome, never counted as evidence.
"""

from __future__ import annotations

import math
import re

import pandas as pd

# Codes that events.csv uses for a bloc where observations use another.
EVENT_ALIASES = {"EU27": ("EU",)}
# Actors of events.csv that are not destinations, as the page names them.
OTHER_ACTORS = {"MKT": "market reports", "G7": "the G7"}
# Events about these (in `affects`) belong to the rare-earth licensing story.
RELEVANT = r"rare earth|magnet|dysprosium|terbium|yttrium|defence"
GRANTING = ("general licence", "time-limited licence", "per-shipment licence", "licences granted")
RESTRICTING = ("end-user exclusion", "licences refused or review tightened")
# China acting (alone or with the other party), as opposed to what someone said.
DECISIONS = ("control", "license", "relaxation", "truce")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ALL = "all destinations"

# Outcomes, in the order the synthesis shows them, with how the page names them.
OUTCOMES = {
    "granted": "Licences granted",
    "faster route": "Faster routes for applications",
    "suspended": "Controls suspended or deferred",
    "restricted": "Refused, restricted or excluded",
    "approval figures": "Approval rates, as someone counted them",
    "said": "Said about licences (announced, promised or reported)",
    "scheduled": "Scheduled (the sources do not report what happened)",
}


def side_tokens(partners: tuple[str, ...]) -> set[str]:
    """The codes events.csv may use for these partners (EU27 is 'EU' there)."""
    return {t for p in partners for t in (p, *EVENT_ALIASES.get(p, ()))}


def actor_words(actor: str, name) -> str:
    """Who acted or spoke, in words ('USA;CHN' -> 'the United States and China'); `name` names a partner code."""
    alias_of = {alias: code for code, aliases in EVENT_ALIASES.items() for alias in aliases}
    return " and ".join(OTHER_ACTORS.get(a) or name(alias_of.get(a, a)) for a in actor.split(";") if a)


def term_months(title: str) -> float:
    """How long a licence, pause or deferral runs, from its title: 'Six-month' -> 6, 'one-year'
    or 'a year' -> 12, '90 days' -> 3; NaN when the title states none."""
    m = re.search(r"\b(\w+)-month", title, flags=re.IGNORECASE)
    if m:
        word = m.group(1).lower()
        return float(NUMBER_WORDS.get(word, int(word) if word.isdigit() else float("nan")))
    if re.search(r"\b(one|1)-year\b|\ba year\b", title, flags=re.IGNORECASE):
        return 12.0
    m = re.search(r"\b(\d+) days\b", title, flags=re.IGNORECASE)
    if m:
        return int(m.group(1)) / 30
    return float("nan")


def stated_end(title: str) -> str:
    """An end date the title states ('... to Nov 10, 2026', '... until Nov 27, 2026') as YYYY-MM-DD; '' for none."""
    m = re.search(r"\b(?:to|until) ([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})", title)
    return pd.Timestamp(m.group(1).replace(".", "")).strftime("%Y-%m-%d") if m else ""


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


def outcome(kind: str, actor: str, licence_class: str, status: str) -> str:
    """What an item of the record says happened (a key of OUTCOMES).

    A restriction counts whoever reports it (a ban, an exclusion, a tightened review); a grant, a
    faster route or a suspension counts only when China acted (kind control, licence,
    relaxation or truce with China as an actor); anything else was said, not done.
    """
    china = "CHN" in actor.split(";")
    if status == "scheduled":
        return "scheduled"
    if licence_class in RESTRICTING or (kind == "control" and china):
        return "restricted"
    if licence_class == "approval figures":
        return "approval figures"
    if china and kind in DECISIONS:
        if licence_class in GRANTING:
            return "granted"
        if licence_class == "priority channel":
            return "faster route"
        if licence_class == "suspension or deferral":
            return "suspended"
    return "said"


def runs_to(day: pd.Timestamp, date: str, title: str, outcome_key: str) -> tuple[float, str]:
    """(months, end date) of a grant or a suspension whose title states a term or an end; else (NaN, '')."""
    if outcome_key not in ("granted", "suspended"):
        return float("nan"), ""
    end = stated_end(title)
    months = term_months(title)
    if end:
        return months, end
    if math.isfinite(months) and months == int(months) and len(date) == 10:
        return months, (day + pd.DateOffset(months=int(months))).strftime("%Y-%m-%d")
    return months, ""


def licensing_record(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
                     label_a: str, label_b: str, since: str) -> pd.DataFrame:
    """The record from `since` on: licensing events of each side and of all destinations, with outcomes and terms.

    An event is in the record when it concerns rare earths, magnets or defence end users and
    either curation gave it a licence class, or it is a control naming one of the sides. Items
    for all destinations count only when China acted or a date is scheduled, not statements
    about everyone.
    """
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev = events[events["affects"].str.contains(RELEVANT, case=False, regex=True)
                & (events["day"] >= pd.Timestamp(since))].copy()
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    named = ev["side"].isin((label_a, label_b, "both"))
    ev = ev[(ev["licence_class"] != "") | (named & (ev["kind"] == "control"))]
    ev = ev[(ev["side"] != "") & ~((ev["side"] == ALL) & ~ev["kind"].isin(DECISIONS) & (ev["status"] != "scheduled"))]
    both = ev[ev["side"] == "both"]
    ev = pd.concat([ev[ev["side"] != "both"], both.assign(side=label_a), both.assign(side=label_b)])
    ev["outcome"] = [outcome(k, a, c, s) for k, a, c, s in zip(ev["kind"], ev["actor"], ev["licence_class"], ev["status"])]
    terms = [runs_to(d, raw, t, o) for d, raw, t, o in zip(ev["day"], ev["date"], ev["title"], ev["outcome"])]
    ev["months"] = [m for m, _ in terms]
    ev["expires"] = [e for _, e in terms]
    cols = ["event_id", "date", "day", "side", "kind", "status", "actor", "licence_class", "outcome", "months",
            "expires", "title", "source_ids"]
    return ev[cols].sort_values(["day", "side", "event_id"]).reset_index(drop=True)


def synthesis(record: pd.DataFrame, sides: list[str]) -> pd.DataFrame:
    """The record by outcome (rows, in OUTCOMES' order) and side (columns: `sides`, then all
    destinations): the items of each cell, in date order; empty cells are empty lists."""
    columns = [*sides, ALL]
    rows = []
    for key, name in OUTCOMES.items():
        items = record[record["outcome"] == key]
        if not len(items):
            continue
        rows.append({"outcome": key, "what": name,
                     **{side: items[items["side"] == side].to_dict("records") for side in columns}})
    return pd.DataFrame(rows, columns=["outcome", "what", *columns])


def statements(events: pd.DataFrame, partners_a: tuple[str, ...], partners_b: tuple[str, ...],
               label_a: str, label_b: str, since: str) -> pd.DataFrame:
    """What was said about each side from `since` on (kind 'statement'), for setting claims beside the flows."""
    ev = events[(events["kind"] == "statement") & events["affects"].str.contains(RELEVANT, case=False, regex=True)
                & (events["day"] >= pd.Timestamp(since))].copy()
    ta, tb = side_tokens(partners_a), side_tokens(partners_b)
    ev["side"] = [event_side(f, a, ta, tb, label_a, label_b) for f, a in zip(ev["affects"], ev["actor"])]
    ev = ev[ev["side"].isin((label_a, label_b, "both"))]
    return ev[["event_id", "date", "day", "side", "actor", "title", "source_ids"]].sort_values(["day", "event_id"]).reset_index(drop=True)
