"""Events beside the flows: what else moved a side's figures, and each side's newest events.

The US fall of April–May 2025 has two causes in the record, not one: the export controls and
the tariff escalation between the United States and China (and the truce that eased it). The
newest events of each side (Japan's curbs of 2026, the US listings) are set beside its newest
figures; a scheduled date stays scheduled, with no outcome invented.
"""

from __future__ import annotations

import pandas as pd

from .licensing import ALL, DECISIONS, RELEVANT, side_tokens


def concerns(events: pd.DataFrame, tokens: set[str]) -> pd.Series:
    """For each event, whether it names the side, in what it affects or in who acted."""
    return pd.Series([bool((set(f.split(";")) | set(a.split(";"))) & tokens)
                      for f, a in zip(events["affects"], events["actor"])], index=events.index, dtype=bool)


def tariff_events(events: pd.DataFrame, partners: tuple[str, ...]) -> pd.DataFrame:
    """The tariff changes concerning a side, then the first later truce about tariffs that concerns it.

    Empty when no tariff change in the record concerns the side.
    """
    tokens = side_tokens(partners)
    mine = concerns(events, tokens)
    tariffs = events[(events["kind"] == "tariff") & mine]
    if not len(tariffs):
        return tariffs.assign(role=pd.Series(dtype=str))
    truces = events[(events["kind"] == "truce") & mine & events["affects"].str.contains("tariff", case=False)
                    & (events["day"] > tariffs["day"].max())]
    return pd.concat([tariffs.assign(role="escalation"), truces.sort_values("day").head(1).assign(role="truce")],
                     ignore_index=True)


def newest_events(events: pd.DataFrame, sides: dict[str, tuple[str, ...]], since: str) -> pd.DataFrame:
    """Events from `since` on that concern each side (by name, in `sides`: label -> partner codes),
    or all destinations where China acted on rare earths or a date is scheduled; data releases
    are left out (their figures are on the page). One row per event and side it concerns."""
    ev = events[(events["day"] >= pd.Timestamp(since)) & (events["kind"] != "data_release")]
    rows = []
    for label, partners in sides.items():
        tokens = side_tokens(partners)
        rows.append(ev[concerns(ev, tokens)].assign(side=label))
    named = set(pd.concat(rows)["event_id"]) if rows else set()
    common = ev[~ev["event_id"].isin(named) & ev["affects"].str.split(";").map(lambda a: "all" in a)
                & ev["affects"].str.contains(RELEVANT, case=False) & (ev["kind"].isin(DECISIONS) | (ev["status"] == "scheduled"))]
    rows.append(common.assign(side=ALL))
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["day", "event_id", "side"]).reset_index(drop=True)
