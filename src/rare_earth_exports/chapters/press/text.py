"""The words of the 'Which number is right?' page: every number glued (and recorded in metrics.csv), every sentence chosen by what the data holds."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ...core.load import BookData
from ...core.periods import months_of, period_in_words
from ...core.sources import credit_line
from ...core.words import date_words, listing, plural, ref_number as num, ref_text as txt
from ...present.page import Page, glue_markdown, glue_text
from . import measures as m

MAGNETS, HEADLINE, BLOOMBERG = m.CATEGORIES
VERDICT_KEYS = {"matches": "press_n_matches", "rounding": "press_n_rounding", "different category": "press_n_category",
                "error": "press_n_error", "cannot check": "press_n_unchecked"}


@dataclass(frozen=True)
class Example:
    """The months and series the page explains, from its parameters."""

    month_three: str      # the month shown in the three categories (November 2025)
    month_pair: str       # the month where magnets and Bloomberg's category are compared (May 2025)
    span_partner: str     # the destination whose two-month figure shows year-to-date against monthly
    span: str             # the two-month period (2026-01/2026-02)
    quarter: str          # the quarter that contains it (2026-01/2026-03)
    names: dict           # how the prose names a partner, with its article ({USA: the United States})


# --- sentences: one function per paragraph, a branch per thing the data may lack -------------------

def three_sentence(month: m.MonthInThreeCategories) -> str:
    """November 2025 in the three categories; Bloomberg's change only where its month before is known."""
    head = (f"In {txt('press_three_month')} China exported {num('press_three_magnets')} t of rare-earth magnets, "
            f"{num('press_three_magnets_mom', '+.1f')} % on the month before, while the customs' own headline "
            f"category, \"rare earths\", came to {num('press_three_headline')} t, "
            f"{num('press_three_headline_mom', '+.1f')} %.")
    if not math.isfinite(month.levels[BLOOMBERG]):
        return head + (" No gathered page gives Bloomberg's \"rare-earth products including magnets\" for that "
                       "month.")
    if not math.isfinite(month.changes[BLOOMBERG]):
        return head + (f" Bloomberg's broader \"rare-earth products including magnets\" came to "
                       f"{num('press_three_bloomberg')} t; no gathered page gives its figure for the month before, "
                       "so its change cannot be computed here. A headline that \"rare-earth exports\" rose that month "
                       "may mean any of the three, and they did not rise by the same amount.")
    return head + (f" Bloomberg's broader \"rare-earth products including magnets\" came to {num('press_three_bloomberg')} t, "
                   f"{num('press_three_bloomberg_mom', '+.1f')} %. Three categories, three different changes: a headline "
                   "that \"rare-earth exports\" rose that month may mean any of them.")


def pair_sentence(month: m.MonthInThreeCategories) -> str:
    """May 2025: magnets against Bloomberg's category, and what the difference is."""
    if not (math.isfinite(month.levels[MAGNETS]) and math.isfinite(month.levels[BLOOMBERG])):
        return (f"For {txt('press_pair_month')} the data does not hold both the magnet figure and Bloomberg's "
                "broader category, so the two cannot be set side by side.")
    return (f"In {txt('press_pair_month')} China exported {num('press_pair_magnets')} t of rare-earth magnets "
            f"({txt('press_pair_magnets_credit')}) and {num('press_pair_bloomberg')} t of rare-earth products including "
            f"magnets ({txt('press_pair_bloomberg_credit')}). Both are right: the second counts the magnets and "
            f"{num('press_pair_other')} t of other rare-earth products besides. A page that calls either figure "
            "\"rare-earth exports\" is not wrong, but the two cannot be compared with each other.")


def span_sentence(fig: m.Figure, quarter_parts: tuple[float, float, float]) -> str:
    """A two-month figure: compared with the same two months a year before, never split into months."""
    first = (f"China's customs published {txt('press_span_words')} as one figure: {num('press_span_level')} t to "
             f"{txt('press_span_partner')}.")
    if math.isfinite(fig.pct):
        first += (f" The book compares it with the same two months a year before ({num('press_span_base', ',.1f')} t): "
                  f"{num('press_span_change', '+.1f')} %. It does not split it into months, so no change on the month "
                  "before can be computed for either month, nor for the month after.")
    else:
        first += (" The data holds no figure for the same two months a year before, so the book gives no change; it "
                  "does not split the figure into months either.")
    total, span, rest = quarter_parts
    if all(math.isfinite(v) for v in quarter_parts):
        first += (f" The quarter's total, {num('press_quarter_total')} t, is checked against the two-month figure "
                  f"({num('press_quarter_span')} t) plus {txt('press_quarter_last_words')} ({num('press_quarter_last')} t).")
    return first


def quota_sentence(q: m.Quotas) -> str:
    """Quotas: the last totals the events state, and whether a later year's were published."""
    if q.year is None:
        return "The events data state no quota totals."
    stated = (f"The last production quotas whose totals were reported are {txt('press_quota_year')}'s: "
              f"{num('press_quota_mining')} t for mining and {num('press_quota_smelting')} t for smelting and "
              f"separation (reported {txt('press_quota_date')}).")
    if len(q.later):
        return stated + (f" The quota events since then ({txt('press_quota_later')}) state no totals. A page that "
                         f"gives these figures as a later year's quotas is repeating {txt('press_quota_year')}'s.")
    return stated + " No later quota event is in the data."


def verdict_sentence(counts: dict[str, tuple[int, int]]) -> str:
    """How the press's percentages fare against the book's own figures."""
    checked = sum(counts[v][0] for v in m.VERDICTS if v != "cannot check")
    if not checked:
        return "None of the percentages the pages state can be checked against the book's figures."
    def verb(verdict: str, one: str, many: str) -> str:
        return plural(counts[verdict][0], one, many)

    text = (f"Of {num('press_n_claims')} distinct percentages the pages state ({num('press_n_rows')} statements, "
            f"reprints counted apart), the book can check {num('press_n_checked')}: {num('press_n_matches')} "
            f"{verb('matches', 'matches', 'match')} its own figure, {num('press_n_rounding')} "
            f"{verb('rounding', 'differs', 'differ')} only by rounding, {num('press_n_category')} "
            f"{verb('different category', 'is', 'are')} about another category than the one the page names, and "
            f"{num('press_n_error')} {verb('error', 'is an error', 'are errors')}.")
    if counts["cannot check"][0]:
        text += (f" {num('press_n_unchecked')} cannot be checked: most compare with a month or year the gathered "
                 "pages do not report, or with a date, a rate or a threshold.")
    return text


# --- glue ------------------------------------------------------------------------------------------

def glue_page(page: Page, data: BookData, ex: Example, checked: pd.DataFrame, end: str) -> None:
    """Every number and word the prose refers to (numbers also as metrics rows), and the prose blocks;
    the counts are recorded for the page's last month, `end`."""
    obs = data.observations
    three = m.three_categories(obs, ex.month_three)
    glue_text("press_three_month", period_in_words(ex.month_three))
    for key, product in (("press_three_magnets", MAGNETS), ("press_three_headline", HEADLINE), ("press_three_bloomberg", BLOOMBERG)):
        page.glue(key, three.levels[product], ex.month_three, m.WORLD, product, "level", "t")
        page.glue(f"{key}_mom", three.changes[product], ex.month_three, m.WORLD, product, "mom_pct", "%")

    pair = m.three_categories(obs, ex.month_pair)
    glue_text("press_pair_month", period_in_words(ex.month_pair))
    page.glue("press_pair_magnets", pair.levels[MAGNETS], ex.month_pair, m.WORLD, MAGNETS, "level", "t")
    page.glue("press_pair_bloomberg", pair.levels[BLOOMBERG], ex.month_pair, m.WORLD, BLOOMBERG, "level", "t")
    page.glue("press_pair_other", pair.levels[BLOOMBERG] - pair.levels[MAGNETS], ex.month_pair, m.WORLD, BLOOMBERG,
              "level", "t", "Bloomberg's category less magnets")
    glue_text("press_pair_magnets_credit", credit_line(pair.source_ids[MAGNETS], data.sources))
    glue_text("press_pair_bloomberg_credit", credit_line(pair.source_ids[BLOOMBERG], data.sources))

    span_key = m.Key(ex.span, "CHN", ex.span_partner, "export", MAGNETS, "t")
    span = m.book_figure(obs, span_key, "ytd_yoy")
    glue_text("press_span_words", period_in_words(ex.span))
    glue_text("press_span_partner", ex.names.get(ex.span_partner, data.partner_name(ex.span_partner)))
    page.glue("press_span_level", span.level, ex.span, ex.span_partner, MAGNETS, "level", "t")
    page.glue("press_span_base", span.base, span.base_period, ex.span_partner, MAGNETS, "level", "t")
    page.glue("press_span_change", span.pct, ex.span, ex.span_partner, MAGNETS, "yoy_pct", "%", f"against {span.base_period}")
    world = span_key.moved(partner=m.WORLD)
    last = str(months_of(ex.quarter)[-1])
    parts = (m.level(obs, world.moved(period=ex.quarter)), m.level(obs, world), m.level(obs, world.moved(period=last)))
    glue_text("press_quarter_last_words", period_in_words(last))
    for key, value, period in zip(("press_quarter_total", "press_quarter_span", "press_quarter_last"), parts, (ex.quarter, ex.span, last)):
        page.glue(key, value, period, m.WORLD, MAGNETS, "level", "t")

    q = m.quotas(data.events)
    glue_text("press_quota_year", str(q.year) if q.year else "")
    glue_text("press_quota_date", date_words(q.date) if q.date else "")
    glue_text("press_quota_later", listing([f"{t} ({date_words(d)})" for t, d in zip(q.later["title"], q.later["date"])]))
    page.glue("press_quota_mining", q.mining, str(q.year), "CHN", "rare earth mining", "quota", "t")
    page.glue("press_quota_smelting", q.smelting, str(q.year), "CHN", "rare earth smelting and separation", "quota", "t")

    counts = m.verdict_counts(checked)
    page.glue("press_n_claims", len(checked), end, "ALL", "ALL", "count", "claims")
    page.glue("press_n_rows", int(checked["rows"].sum()), end, "ALL", "ALL", "count", "statements")
    page.glue("press_n_checked", sum(counts[v][0] for v in m.VERDICTS if v != "cannot check"), end, "ALL", "ALL", "count",
              "claims", "checked")
    for verdict, key in VERDICT_KEYS.items():
        page.glue(key, counts[verdict][0], end, "ALL", "ALL", "count", "claims", verdict)

    for key, markdown in (("press_md_three", three_sentence(three)), ("press_md_pair", pair_sentence(pair)),
                          ("press_md_span", span_sentence(span, parts)), ("press_md_quota", quota_sentence(q)),
                          ("press_md_verdicts", verdict_sentence(counts))):
        glue_markdown(key, markdown)
