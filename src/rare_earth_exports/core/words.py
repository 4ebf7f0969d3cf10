"""Words for the prose, one of each: lists, plurals, months and periods, articles.

Every chapter writes its sentences with these, so "January to March 2025" and "a, b and c" read
the same on every page.
"""

from __future__ import annotations

import pandas as pd

from .periods import MONTH_NAMES, Month


def listing(items, empty: str = "") -> str:
    """'a', 'a and b', 'a, b and c'; `empty` for no items."""
    items = [str(i) for i in items]
    if not items:
        return empty
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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



def possessive(label: str) -> str:
    """'the United States' -> "the United States'", 'Japan' -> "Japan's"."""
    return label + ("'" if label.endswith("s") else "'s")
