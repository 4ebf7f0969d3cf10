"""A small hand-made data package for the flow chapter's page-level tests (text, charts, tables).

World magnets: 1,200 t in 2024 (100 t a month), then 2025 month by month (1,020 t in all), then
January-February 2026 as one two-month figure (240 t) and March 2026 (110 t). The United States
takes 10 t every month of 2025, 16 t in January-February 2026 and 9 t in March. Dysprosium and
terbium (kg) have one month of 2024 (June), some months under the controls and some after the
truce; dysprosium has a spike in August-September 2025, most of September's to South Korea.
The United States has one terbium figure (October 2025, half the world's) and one yttrium figure.
Yttrium and neodymium oxide are quoted in Europe and inside China in the same month, neodymium
oxide also against China's export price in January 2026, dysprosium oxide only in Europe (and
inside China in 2026). Events: the controls, a tariff rise and the tariff truce, a report on US
yttrium after the truce.
"""

from __future__ import annotations

import pandas as pd

from rare_earth_exports.chapters.flow import measures
from rare_earth_exports.core.conventions import Window
from rare_earth_exports.core.load import BookData, load_observations, load_prices

OBS_COLUMNS = "period,reporter,partner,flow,product,unit,value,status,source_ids,note"
PRICE_COLUMNS = "product,market,period,low,high,unit,source_ids,reliability,note"
WORLD_MAGNETS_2025 = [100, 100, 100, 50, 20, 40, 60, 80, 90, 100, 130, 150]  # sum 1,020 t
DYSPROSIUM = {"2024-06": 1000, "2025-05": 100, "2025-06": 200, "2025-08": 900, "2025-09": 800, "2025-11": 300, "2025-12": 300}
TERBIUM = {"2024-06": 500, "2025-05": 50, "2025-10": 600, "2025-11": 100}
YEAR_2024 = Window("2024", "2024-01", "2024-12", "the last full year before the controls")
Q1_2025 = Window("Q1 2025", "2025-01", "2025-03", "the three months before the controls")
SPIKE = Window("the dysprosium spike", "2025-08", "2025-09", "two months far above the others")
SCOPE = measures.Scope("USA", "magnets", ["rare_earths", "dysprosium", "terbium", "yttrium"], ["y_oxide", "nd_oxide", "dy_oxide"],
                       YEAR_2024, Q1_2025, SPIKE, "dysprosium", "2024-01", "2026-03", "2025-04-04", "2025-10-30", 3, 0.05,
                       (1, 2), {"t": 100.0, "kg": 100.0})


def obs_row(period, partner, product, unit, value, source):
    return f"{period},CHN,{partner},export,{product},{unit},{value},reported,{source},"


def flow_data(tmp_path) -> BookData:
    rows = [obs_row("2024", "WLD", "magnets", "t", 1200, "cu-1"),  # 100 t a month
            *[obs_row(f"2025-{m:02d}", "WLD", "magnets", "t", v, "mo-1") for m, v in enumerate(WORLD_MAGNETS_2025, 1)],
            obs_row("2026-01/2026-02", "WLD", "magnets", "t", 240, "mo-1"), obs_row("2026-03", "WLD", "magnets", "t", 110, "mo-1"),
            *[obs_row(f"2025-{m:02d}", "USA", "magnets", "t", 10, "mo-1") for m in range(1, 13)],
            obs_row("2026-01/2026-02", "USA", "magnets", "t", 16, "mo-1"), obs_row("2026-03", "USA", "magnets", "t", 9, "mo-1"),
            *[obs_row(y, "WLD", "rare_earths", "t", v, "re-1") for y, v in (("2023", 50000), ("2024", 55000), ("2025", 60000))],
            *[obs_row(p, "WLD", "dysprosium", "kg", v, "el-1") for p, v in DYSPROSIUM.items()],
            *[obs_row(p, "WLD", "terbium", "kg", v, "el-1") for p, v in TERBIUM.items()],
            obs_row("2025-09", "KOR", "dysprosium", "kg", 700, "el-1"),
            obs_row("2025-10", "USA", "terbium", "kg", 300, "el-1"),
            obs_row("2025-12", "WLD", "dy_oxide", "t", 0.5, "el-1"),
            obs_row("2025-12", "WLD", "prnd_oxide", "t", 2000, "el-1"),
            obs_row("2025-06", "USA", "yttrium", "t", 1, "el-1")]
    (tmp_path / "observations.csv").write_text("\n".join([OBS_COLUMNS, *rows]) + "\n", encoding="utf-8")
    quotes = ["y_oxide,EU27,2025-11,200,300,USD/kg,pa-1,relay,", "y_oxide,CHN,2025-11,8,10,USD/kg,pc-1,relay,",
              "nd_oxide,EU27,2025-12,60,80,USD/kg,pa-1,relay,", "nd_oxide,CHN,2025-12,40,50,USD/kg,pc-1,relay,",
              "nd_oxide,EU27,2026-01,66,77,USD/kg,pa-1,relay,", "nd_oxide,CHNFOB,2026-01,45,55,USD/kg,pc-1,relay,",
              "dy_oxide,EU27,2025-12,700,900,USD/kg,pa-1,relay,", "dy_oxide,CHN,2026-01,300,320,USD/kg,pc-1,relay,"]
    (tmp_path / "prices.csv").write_text("\n".join([PRICE_COLUMNS, *quotes]) + "\n", encoding="utf-8")
    sources = pd.DataFrame({"source_id": ["cu-1", "mo-1", "re-1", "el-1", "pa-1", "pc-1", "ev-1"],
                            "publisher": ["customs.example", "monthly.example", "re.example", "elements.example",
                                          "europe.example", "china.example", "events.example"],
                            "originator": ["China customs"] * 4 + [""] * 3})
    products = pd.DataFrame({"product": ["magnets", "rare_earths", "dysprosium", "terbium", "yttrium", "dy_oxide", "y_oxide",
                                         "nd_oxide"],
                             "name": ["Rare-earth permanent magnets", "Rare earths (GACC headline category)", "Dysprosium products",
                                      "Terbium products", "Yttrium products", "Dysprosium oxide", "Yttrium oxide", "Neodymium oxide"],
                             "controlled_since": ["2025-04-04", "", "2025-04-04", "2025-04-04", "2025-04-04", "2025-04-04",
                                                  "2025-04-04", ""]})
    partners = pd.DataFrame({"partner": ["WLD", "USA", "KOR"], "name": ["All destinations", "United States", "South Korea"]})
    events = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e4"],
                           "date": ["2025-04-04", "2025-04-10", "2025-05-12", "2026-02-27"],
                           "kind": ["control", "tariff", "truce", "other"], "status": ["happened"] * 4, "actor": ["CHN", "USA", "USA;CHN", "CHN"],
                           "title": ["Controls on seven elements", "Tariffs up", "Tariff truce", "Yttrium to the US still scarce"],
                           "affects": ["dysprosium;terbium;magnets", "tariffs;CHN", "tariffs;USA", "yttrium;USA"],
                           "source_ids": ["ev-1"] * 4})
    events["day"] = pd.to_datetime(events["date"])
    events["month"] = events["day"].dt.to_period("M")
    return BookData(observations=load_observations(tmp_path), prices=load_prices(tmp_path), events=events,
                    sources=sources, products=products, partners=partners, reconciliation=pd.DataFrame())
