"""Words for the prose, one of each: lists, plurals, months and periods, articles.

Every chapter writes its sentences with these, so "January to March 2025" and "a, b and c" read
the same on every page.
"""

from __future__ import annotations

import pandas as pd

from .periods import MONTH_NAMES, Month


def listing(items, empty: str = "", conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' ('a, b or c' with conjunction='or'); `empty` for no items."""
    items = [str(i) for i in items]
    if not items:
        return empty
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def plural(n: float, one: str, many: str) -> str:
    return one if n == 1 else many


def capitalised(text: str) -> str:
    """First letter upper case, the rest untouched ('the United States' -> 'The United States')."""
    return text[:1].upper() + text[1:]


def without_article(label: str) -> str:
    """'the United States' -> 'United States' for legends and table headers."""
    return label[4:] if label.lower().startswith("the ") else label


def month_words(month: pd.Period | Month | str) -> str:
    """'April 2025' for a month given as a pandas Period, a Month or 'YYYY-MM'."""
    if isinstance(month, str):
        month = Month.parse(month[:7])
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def month_short(month: pd.Period | Month) -> str:
    """'Apr 2025', for tables."""
    return f"{MONTH_NAMES[month.month - 1][:3]} {month.year}"


def date_words(date: str) -> str:
    """'4 April 2025' for YYYY-MM-DD, 'April 2025' for YYYY-MM."""
    return f"{int(date[8:10])} {month_words(date[:7])}" if len(date) == 10 else month_words(date[:7])


# Country names that take "the" in a sentence: unions, kingdoms, states, republics, plurals.
ARTICLE_WORDS = ("union", "kingdom", "states", "republic", "emirates", "netherlands", "philippines")


def with_article(name: str) -> str:
    """A destination's name as a sentence uses it: 'United States' -> 'the United States',
    'South Korea' -> 'South Korea'; a name that already has its article is kept."""
    if name.lower().startswith("the ") or not any(w in name.lower().split() for w in ARTICLE_WORDS):
        return name
    return f"the {name}"


def percent(value: float, decimals: int = 1) -> str:
    """'16.0%' (thousands separated); a gap is never printed as a number."""
    return f"{value:,.{decimals}f}%"


def ref_number(key: str, fmt: str = ",.0f") -> str:
    """A reference to a glued number in MyST prose, shown with `fmt`."""
    return f"{{glue:text}}`{key}:{fmt}`"


def ref_text(key: str) -> str:
    """A reference to a glued text in MyST prose."""
    return f"{{glue:text}}`{key}`"


def months_in_words(months) -> str:
    """Calendar months (1 to 12) in words, runs of three or more joined: (1, 3, 4, 5, 6) ->
    'January and March to June', (11, 12) -> 'November and December'."""
    runs: list[list[int]] = []
    for m in months:
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{MONTH_NAMES[run[0] - 1]} to {MONTH_NAMES[run[-1] - 1]}")
        else:
            parts += [MONTH_NAMES[m - 1] for m in run]
    return listing(parts)


def possessive(name: str) -> str:
    """'the United States' -> "the United States'", 'Japan' -> "Japan's"."""
    return name + ("'" if name.endswith("s") else "'s")
