"""A small hand-made data package for the flow chapter's page-level tests (text, charts, tables).

World magnets: 1,200 t in 2024 (100 t a month), then 2025 month by month (1,020 t in all); the
United States takes 10 t every month of 2025. Dysprosium and terbium (kg) have one month before
the controls (March 2025), some under them and some after the truce; yttrium has one US figure.
Yttrium and neodymium oxide are quoted in Europe and inside China in the same month, dysprosium
oxide only in Europe. One policy event: the controls of April 2025.
"""

from __future__ import annotations

import pandas as pd

from rare_earth_exports.chapters.flow import measures
from rare_earth_exports.core.load import BookData, load_observations, load_prices

OBS_COLUMNS = "period,reporter,partner,flow,product,unit,value,status,source_ids,note"
PRICE_COLUMNS = "product,market,period,low,high,unit,source_ids,reliability,note"
WORLD_MAGNETS_2025 = [100, 100, 100, 50, 20, 40, 60, 80, 90, 100, 130, 150]  # sum 1,020 t
SCOPE = measures.Scope("WLD", "USA", "magnets", ["dysprosium", "terbium", "yttrium"], ["y_oxide", "nd_oxide", "dy_oxide"],
                       "2024-01", "2024-12", "2024-01", "2025-12", "2025-04", "2025-11")


def obs_row(period, partner, product, unit, value, source):
    return f"{period},CHN,{partner},export,{product},{unit},{value},reported,{source},"


def flow_data(tmp_path) -> BookData:
    rows = [obs_row("2024", "WLD", "magnets", "t", 1200, "cu-1"),  # 100 t a month
            *[obs_row(f"2025-{m:02d}", "WLD", "magnets", "t", v, "mo-1") for m, v in enumerate(WORLD_MAGNETS_2025, 1)],
            *[obs_row(f"2025-{m:02d}", "USA", "magnets", "t", 10, "mo-1") for m in range(1, 13)],
            *[obs_row(y, "WLD", "rare_earths", "t", v, "re-1") for y, v in (("2023", 50000), ("2024", 55000), ("2025", 60000))],
            *[obs_row(p, "WLD", "dysprosium", "kg", v, "el-1")
              for p, v in (("2025-03", 1000), ("2025-05", 100), ("2025-06", 200), ("2025-11", 300), ("2025-12", 300))],
            *[obs_row(p, "WLD", "terbium", "kg", v, "el-1") for p, v in (("2025-03", 500), ("2025-05", 50), ("2025-11", 100))],
            obs_row("2025-12", "WLD", "dy_oxide", "t", 0.5, "el-1"),
            obs_row("2025-12", "WLD", "prnd_oxide", "t", 2000, "el-1"),
            obs_row("2025-06", "USA", "yttrium", "t", 1, "el-1")]
    (tmp_path / "observations.csv").write_text("\n".join([OBS_COLUMNS, *rows]) + "\n", encoding="utf-8")
    quotes = ["y_oxide,EU27,2025-11,200,300,USD/kg,pa-1,relay,", "y_oxide,CHN,2025-11,8,10,USD/kg,pc-1,relay,",
              "nd_oxide,EU27,2025-12,60,80,USD/kg,pa-1,relay,", "nd_oxide,CHN,2025-12,40,50,USD/kg,pc-1,relay,",
              "dy_oxide,EU27,2025-12,700,900,USD/kg,pa-1,relay,"]
    (tmp_path / "prices.csv").write_text("\n".join([PRICE_COLUMNS, *quotes]) + "\n", encoding="utf-8")
    sources = pd.DataFrame({"source_id": ["cu-1", "mo-1", "re-1", "el-1", "pa-1", "pc-1"],
                            "publisher": ["customs.example", "monthly.example", "re.example", "elements.example",
                                          "europe.example", "china.example"],
                            "originator": ["China customs"] * 4 + ["", ""]})
    products = pd.DataFrame({"product": ["magnets", "dysprosium", "terbium", "yttrium", "dy_oxide", "y_oxide", "nd_oxide"],
                             "name": ["Rare-earth permanent magnets", "Dysprosium products", "Terbium products",
                                      "Yttrium products", "Dysprosium oxide", "Yttrium oxide", "Neodymium oxide"]})
    partners = pd.DataFrame({"partner": ["WLD", "USA"], "name": ["All destinations", "the United States"]})
    events = pd.DataFrame({"date": ["2025-04-04"], "kind": ["control"], "actor": ["CHN"], "title": ["Controls on seven elements"],
                           "affects": ["dysprosium;terbium;magnets"], "source_ids": ["el-1"]})
    events["day"] = pd.to_datetime(events["date"])
    events["month"] = events["day"].dt.to_period("M")
    return BookData(observations=load_observations(tmp_path), prices=load_prices(tmp_path), events=events,
                    sources=sources, products=products, partners=partners, reconciliation=pd.DataFrame())
