"""Prices as evidence of scarcity: quotes by market, and the premium outside China over inside.

A controlled input that cannot leave China trades far higher outside it than inside. The premium
is `metrics.price_premium` (same month only, ranges kept as ranges); this module adds what a
reader needs to weigh it: which market a quote is from, who reported it and how reliable that is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.sources import join_ids, publishers, split_ids
from ...core.series import price_premium

# What each market code in prices.csv means (datapackage.json, prices.market).
MARKET_LABELS = {
    "CHN": "Inside China",
    "CHNFOB": "China, export price (FOB)",
    "EU27": "Europe (Rotterdam)",
    "USA": "United States (price floor)",
    "WLD": "China's average export unit value",
    "UNSPEC": "Market not stated",
}


def quotes(prices: pd.DataFrame, sources: pd.DataFrame, products: list[str]) -> pd.DataFrame:
    """Every quote of `products`, with its market in words, its dates as a span (a yearly quote
    covers the year), its midpoint, and who reported it."""
    q = prices[prices["product"].isin(products)].copy()
    q["market_label"] = q["market"].map(MARKET_LABELS).fillna(q["market"])
    q["date"] = q["first_month"].dt.to_timestamp()
    q["date_end"] = (q["last_month"] + 1).dt.to_timestamp()
    q["mid"] = (q["low"] + q["high"]) / 2
    q["kind"] = (q["low"] == q["high"]).map({True: "single figure", False: "range"})
    q["publishers"] = [publishers(s, sources) for s in q["source_ids"]]
    order = {p: i for i, p in enumerate(products)}
    q["_o"] = q["product"].map(order)
    q = q.sort_values(["_o", "market", "period", "low", "high", "source_ids"]).drop(columns="_o")
    return q.reset_index(drop=True)


def premiums(prices: pd.DataFrame, products: list[str], outside: str = "EU27", inside: str = "CHN") -> pd.DataFrame:
    """`metrics.price_premium` for each product, with the quotes' sources and the weakest
    reliability among them ('weak' when any quote used comes only from flagged sources)."""
    out = []
    for product in products:
        prem = price_premium(prices, product, outside, inside)
        for month, row in prem.iterrows():
            used = prices[(prices["product"] == product) & (prices["n_months"] == 1)
                          & (prices["first_month"] == month) & prices["market"].isin([outside, inside])]
            ids = split_ids(used["source_ids"])
            out.append({"product": product, "month": str(month), "low": row["low"], "high": row["high"],
                        "mid": row["mid"], "reliability": "weak" if (used["reliability"] == "weak").any() else "relay",
                        "source_ids": join_ids(ids)})
    return pd.DataFrame(out, columns=["product", "month", "low", "high", "mid", "reliability", "source_ids"])


def without_premium(prices: pd.DataFrame, products: list[str], outside: str = "EU27", inside: str = "CHN") -> list[str]:
    """Products never quoted in both markets in the same month: no premium can be computed."""
    have = set(premiums(prices, products, outside, inside)["product"])
    return [p for p in products if p not in have]


@dataclass(frozen=True)
class PriceEvidence:
    """A page's price evidence: every quote, the same-month premiums, the products without one."""

    quotes: pd.DataFrame
    premiums: pd.DataFrame
    without_premium: list[str]

    def latest_premium(self, product: str) -> pd.Series | None:
        """The premium of the last month in which `product` was quoted in both markets; None if no month was."""
        rows = self.premiums[self.premiums["product"] == product]
        return rows.iloc[-1] if len(rows) else None

    def premium_source_ids(self, products: list[str]) -> list[str]:
        return list(self.premiums.loc[self.premiums["product"].isin(products), "source_ids"])


def price_evidence(prices: pd.DataFrame, sources: pd.DataFrame, products: list[str]) -> PriceEvidence:
    return PriceEvidence(quotes(prices, sources, products), premiums(prices, products), without_premium(prices, products))
