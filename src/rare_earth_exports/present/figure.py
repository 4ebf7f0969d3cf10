"""Every chart reaches the page through `show`: the chart sized to its column, and around it what
every reader needs.

A figure is its title and credit line (the caption), the chart (or a grid of small multiples:
several columns wide, one on a phone), the list of the events numbered on it with a link to the
timeline for the rest, a text description with its newest value that screen readers announce
with the chart, a link to download exactly the plotted rows as CSV, and the same rows as a table
in a `<details>`. Notebooks put figures on the page with `present.show`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from . import downloads, render
from .events import Marker, markers_html
from .tables import box, html_table

SHARE_CARD_KEY = "book_share_card"
CARD_WIDTH = 1100   # the chart inside a link-preview image about 1200 px wide
TIMELINE_PAGE = "timeline"


@dataclass
class Figure:
    """A chart (or small multiples) with what the page shows around it.

    `data` holds the plotted rows, as the download and the table view give them (a `source_ids`
    column, if any, is in the download only). `panels` names each chart of a grid (one per
    chart); `key` holds the legends the panels share (`present.series.key_chart`), drawn under
    the grid at full width. `share` makes the first chart the book's image in link previews.
    """

    name: str
    title: str
    charts: list[alt.TopLevelMixin]
    data: pd.DataFrame
    description: str
    credit: str
    markers: list[Marker] = field(default_factory=list)
    panels: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    key: alt.TopLevelMixin | None = None
    share: bool = False


def newest(rows: pd.DataFrame, value: str, unit: str, by: str | None = None, fmt: str = ",.1f",
           month: str = "Month") -> str:
    """'The newest figure: December 2025, 5,952.0 t.' (per `by` series when given); from the rows
    with a value, so a gap never counts as the newest figure."""
    from ..core.words import month_words

    known = rows[rows[value].notna()]
    if not len(known):
        return "No month has a figure: the chart is empty."

    def words(part: pd.DataFrame) -> str:
        last = part.sort_values(month).iloc[-1]
        return f"{month_words(str(last[month]))}, {format(float(last[value]), fmt)} {unit}".rstrip()

    if by is None:
        return f"The newest figure: {words(known)}."
    parts = [f"{name}, {words(part)}" for name, part in known.groupby(by, sort=False)]
    return "The newest figures: " + "; ".join(parts) + "."


def _responsive(chart: alt.TopLevelMixin) -> dict:
    return chart.properties(width="container").to_dict()


def share_card(figure: Figure) -> dict:
    """The first chart at link-preview size, with its title and credit drawn in (no page around it)."""
    chart = figure.charts[0].properties(
        width=CARD_WIDTH, background="white",
        title=alt.TitleParams(figure.title, subtitle=[figure.credit], fontSize=22, subtitleFontSize=15))
    spec = chart.to_dict()
    spec["autosize"] = {"type": "pad"}
    return spec


def markup(figure: Figure, download: str) -> str:
    """The figure's HTML; `download` is the link to its CSV."""
    fid = f"figure-{figure.name}"
    described_by = f"{fid}-description"
    labels = figure.panels if len(figure.charts) > 1 else [figure.title]
    if len(labels) != len(figure.charts):
        raise ValueError(f"figure {figure.name!r}: {len(figure.charts)} charts but {len(labels)} panel names")
    charts = "\n".join(render.chart_markup(_responsive(c), f"{fid}-{i + 1}", label, described_by)
                       for i, (c, label) in enumerate(zip(figure.charts, labels)))
    grid = " book-grid" if len(figure.charts) > 1 else ""
    key = "" if figure.key is None else (
        render.chart_markup(_responsive(figure.key), f"{fid}-key", "Key to the charts above", described_by) + "\n")
    links = [downloads.link_html(download)]
    if figure.markers and downloads.page() != TIMELINE_PAGE:
        links.append(f'<a href="{downloads.site_href(TIMELINE_PAGE)}">Every policy event: the timeline</a>')
    shown = figure.data.drop(columns=[downloads.SOURCE_IDS], errors="ignore")
    return (
        f'<figure class="book-figure" id="{fid}">\n'
        f'<figcaption class="book-figure-caption"><span class="book-figure-title">{html.escape(figure.title)}</span> '
        f'<span class="book-figure-credit">{html.escape(figure.credit)}</span></figcaption>\n'
        f'<div class="book-figure-charts{grid}">\n{charts}\n</div>\n{key}'
        f"{markers_html(figure.markers)}\n"
        f'<p class="book-figure-description" id="{described_by}">{html.escape(figure.description)}</p>\n'
        f'<p class="book-figure-links">{" · ".join(links)}</p>\n'
        f'<details class="book-figure-table"><summary>The figures in this chart, as a table</summary>\n'
        f"{box(html_table(shown, figure.formats), 'Table: ' + figure.title)}\n</details>\n"
        "</figure>"
    )
