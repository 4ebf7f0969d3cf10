"""The prose helpers every chapter shares."""

import pandas as pd

from rare_earth_exports.core.periods import Month
from rare_earth_exports.core.words import (capitalised, date_words, listing, month_short, month_words, months_in_words,
                                           plural, possessive, without_article)


def test_listing_joins_with_commas_and_a_final_and():
    assert listing([]) == ""
    assert listing([], empty="none") == "none"
    assert listing(["a"]) == "a"
    assert listing(["a", "b"]) == "a and b"
    assert listing(["a", "b", "c"]) == "a, b and c"


def test_plural_and_articles():
    assert plural(1, "month", "months") == "month"
    assert plural(0, "month", "months") == "months"
    assert without_article("the United States") == "United States"
    assert without_article("Japan") == "Japan"
    assert capitalised("the European Union") == "The European Union"


def test_months_in_words_from_any_notation():
    assert month_words(pd.Period("2025-04", "M")) == "April 2025"
    assert month_words(Month(2026, 1)) == "January 2026"
    assert month_words("2025-11") == "November 2025"
    assert month_short(pd.Period("2025-12", "M")) == "Dec 2025"
    assert date_words("2025-04-04") == "4 April 2025"
    assert date_words("2025-10") == "October 2025"


def test_listing_with_or():
    from rare_earth_exports.core.words import listing
    assert listing(["dysprosium", "terbium", "yttrium"], conjunction="or") == "dysprosium, terbium or yttrium"


def test_a_country_name_takes_its_article_in_a_sentence():
    from rare_earth_exports.core.words import with_article
    assert with_article("United States") == "the United States"
    assert with_article("European Union (27)") == "the European Union (27)"
    assert with_article("United Kingdom") == "the United Kingdom"
    assert with_article("South Korea") == "South Korea"
    assert with_article("the Netherlands") == "the Netherlands"


def test_percent_keeps_one_decimal_and_separates_thousands():
    from rare_earth_exports.core.words import percent
    assert percent(16.0) == "16.0%" and percent(1234.56, 0) == "1,235%"


def test_references_to_glued_values():
    from rare_earth_exports.core.words import ref_number, ref_text

    assert ref_number("press_n_rows") == "{glue:text}`press_n_rows:,.0f`"
    assert ref_number("press_span_change", "+.1f") == "{glue:text}`press_span_change:+.1f`"
    assert ref_text("press_quota_year") == "{glue:text}`press_quota_year`"


def test_calendar_months_in_words_join_runs_of_three_or_more():
    assert months_in_words((2,)) == "February"
    assert months_in_words((11, 12)) == "November and December"
    assert months_in_words((1, 3, 4, 5, 6)) == "January and March to June"
    assert months_in_words((1, 2, 3, 7, 9, 10, 11)) == "January to March, July and September to November"


def test_possessive():
    assert possessive("the United States") == "the United States'"
    assert possessive("Japan") == "Japan's"
