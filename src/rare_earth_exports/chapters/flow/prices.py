"""Prices as evidence of scarcity: quotes by market, and the premium outside China over China.

A controlled input that cannot leave China trades far higher outside it than inside. The premium
is `series.price_premium` (same month only, ranges kept as ranges), taken against the price inside
China and, where only that is quoted, against China's export price (free on board), which already
carries what it costs to get a licence and ship: the two are kept apart. This module adds what a
reader needs to weigh a premium: which market a quote is from, who reported it and how reliable
that is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...core.series import price_premium
from ...core.sources import TIERS, join_ids, publishers

# What each market code in prices.csv means (datapackage.json, prices.market).
MARKET_LABELS = {
    "CHN": "Inside China",
    "CHNFOB": "China, export price (FOB)",
    "EU27": "Europe (Rotterdam)",
    "USA": "United States (price floor)",
    "WLD": "China's average export unit value",
    "UNSPEC": "Market not stated",
}
OUTSIDE = "EU27"
# The Chinese markets a European quote is set against, and how a sentence names each.
INSIDE = {"CHN": "inside China", "CHNFOB": "China's export price (FOB)"}


def weakest(tiers) -> str:
    """The weakest reliability tier among `tiers` (`core.sources.TIERS`; an unknown tier counts as
    weakest): a premium is as reliable as the weakest quote it uses."""
    tiers = sorted(set(tiers))
    unknown = [t for t in tiers if t not in TIERS]
    return unknown[0] if unknown else max(tiers, key=TIERS.index, default="")


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


def premiums(prices: pd.DataFrame, products: list[str], outside: str = OUTSIDE,
             insides: dict[str, str] | None = None) -> pd.DataFrame:
    """`series.price_premium` of each product against each Chinese market, with the quotes'
    sources and the weakest reliability among them."""
    out = []
    for product in products:
        for inside, words in (insides or INSIDE).items():
            prem = price_premium(prices, product, outside, inside)
            for month, row in prem.iterrows():
                used = prices[(prices["product"] == product) & (prices["n_months"] == 1)
                              & (prices["first_month"] == month) & prices["market"].isin([outside, inside])]
                out.append({"product": product, "month": str(month), "inside": inside, "inside_words": words,
                            "low": row["low"], "high": row["high"], "mid": row["mid"],
                            "reliability": weakest(used["reliability"]), "source_ids": join_ids(used["source_ids"])})
    cols = ["product", "month", "inside", "inside_words", "low", "high", "mid", "reliability", "source_ids"]
    df = pd.DataFrame(out, columns=cols)
    df["_o"] = df["product"].map({p: i for i, p in enumerate(products)})
    return df.sort_values(["_o", "month", "inside"]).drop(columns="_o").reset_index(drop=True)


def without_premium(prices: pd.DataFrame, products: list[str], outside: str = OUTSIDE) -> list[str]:
    """Products never quoted in Europe and in a Chinese market in the same month: no premium."""
    have = set(premiums(prices, products, outside)["product"])
    return [p for p in products if p not in have]


@dataclass(frozen=True)
class PriceEvidence:
    """The page's price evidence: every quote, the same-month premiums, the products without one."""

    quotes: pd.DataFrame
    premiums: pd.DataFrame
    without_premium: list[str]

    def latest_premium(self, product: str) -> pd.Series | None:
        """The premium of the last month in which `product` was quoted in Europe and in China; None
        if no month was."""
        rows = self.premiums[self.premiums["product"] == product].sort_values(["month", "inside"])
        return rows.iloc[-1] if len(rows) else None

    def premium_source_ids(self, products: list[str]) -> list[str]:
        return list(self.premiums.loc[self.premiums["product"].isin(products), "source_ids"])

    def quotes_since(self, month: str) -> pd.DataFrame:
        """Quotes for a month or span that starts in or after `month` (a year's quote is left out)."""
        q = self.quotes
        return q[(q["first_month"] >= pd.Period(month, "M")) & (q["n_months"] < 12)].reset_index(drop=True)


def price_evidence(prices: pd.DataFrame, sources: pd.DataFrame, products: list[str]) -> PriceEvidence:
    return PriceEvidence(quotes(prices, sources, products), premiums(prices, products), without_premium(prices, products))
