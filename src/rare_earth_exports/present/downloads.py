"""The data behind every chart and table, offered as a CSV file next to it.

A notebook does not write files (it runs in a staging folder, and nbval runs it again in the
checkout): `offer` glues each CSV under a `DOWNLOAD_PREFIX` key, and the build writes what the
executed notebooks hold to `book/_static/downloads/<page>/<name>.csv` (`build.run`), which the
site serves from `_static/downloads/`. Links are relative, so the site works from disk.

`start(page)` names the page whose files the following figures and tables offer.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

DOWNLOAD_PREFIX = "book_download_"
FOLDER = "downloads"            # under the site's _static folder (book/_static in the project)
SOURCE_IDS = "source_ids"       # the column that names the rows' sources in data/sources.csv
NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class DownloadError(ValueError):
    """A figure or table that cannot be offered as named."""


_state: dict = {"page": None, "names": set()}


def start(page: str) -> None:
    """The page (as in parameters.yml, e.g. 'collapse' or 'destinations/USA') whose files follow."""
    _state["page"], _state["names"] = page, set()


def page() -> str:
    if _state["page"] is None:
        raise DownloadError("no page started: call present.show.start_page(page) before showing figures or tables")
    return _state["page"]


def to_root(from_page: str) -> str:
    """The relative path from a page's HTML to the site's book folder ('' for book/x.html)."""
    return "../" * from_page.count("/")


def site_href(target: str) -> str:
    """A link from the current page to another page of the book, e.g. 'timeline.html'."""
    return f"{to_root(page())}{target}.html"


def href(name: str) -> str:
    """Where the current page's file `name` is served, relative to the page's HTML."""
    return f"{to_root(page())}../_static/{FOLDER}/{page()}/{name}.csv"


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return np.format_float_positional(round(float(value), 6), trim="-")
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def csv_text(rows: pd.DataFrame) -> str:
    """The rows as CSV: UTF-8, '\\n' line ends, numbers in full without trailing zeros, gaps empty."""
    text = rows.map(_cell) if len(rows) else rows.astype(str)
    return text.to_csv(index=False, lineterminator="\n")


def offer(name: str, rows: pd.DataFrame) -> str:
    """Glues `rows` as the current page's file `name`; returns the link to it."""
    from myst_nb import glue

    if not NAME.fullmatch(name):
        raise DownloadError(f"download name {name!r}: expected lower-case words joined by hyphens, e.g. 'monthly-exports'")
    if name in _state["names"]:
        raise DownloadError(f"download name {name!r} is used twice on page {page()!r}")
    _state["names"].add(name)
    glue(DOWNLOAD_PREFIX + name, json.dumps({"file": f"{page()}/{name}.csv", "csv": csv_text(rows)}), display=False)
    return href(name)


def link_html(link: str, what: str = "data") -> str:
    return f'<a class="book-download" href="{link}" download>Download the {what} (CSV)</a>'
