"""What a notebook calls to put a chart or a table on its page: `start_page(page)` once, then `show`.

Both offer their rows for download (`present.downloads`), so no chart or table reaches a page
without its CSV.
"""

from __future__ import annotations

import json

from . import downloads, figure, render, tables


def start_page(page: str) -> None:
    """Starts a notebook's page: the book's chart theme, and downloads filed under `page`."""
    render.enable()
    downloads.start(page)


def show(item: figure.Figure | tables.Table) -> None:
    """Puts a figure or a table on the page and offers its rows for download (a figure with
    `share` also becomes the book's image in link previews)."""
    from IPython.display import HTML, display
    from myst_nb import glue

    link = downloads.offer(item.name, item.data)
    if isinstance(item, tables.Table):
        display(HTML(tables.markup(item, link)))
        return
    if item.share:
        glue(figure.SHARE_CARD_KEY, json.dumps(figure.share_card(item), sort_keys=True), display=False)
    display(HTML(figure.markup(item, link)))


def glue_figure(key: str, item: figure.Figure) -> None:
    """Like `show`, but glued under `key` instead of shown where the cell runs: for a figure a
    Markdown cell places with a `{glue:}` directive (a section built for each destination), or
    that another page pastes too (the home page's lead chart)."""
    from IPython.display import HTML
    from myst_nb import glue

    link = downloads.offer(item.name, item.data)
    if item.share:
        glue(figure.SHARE_CARD_KEY, json.dumps(figure.share_card(item), sort_keys=True), display=False)
    glue(key, HTML(figure.markup(item, link)), display=False)
