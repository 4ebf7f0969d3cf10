"""Charts on the page with no network: the markup of a chart and the Vega bundle it needs.

A chart is a `<div>` and a call to `vegaEmbed`, which the site loads once per page from its own
static folder: no CDN, so charts render from `file://` and behind a firewall. Element ids come
from the figure's name, so two builds of the same data write the same HTML.

`vl_convert.javascript_bundle()` returns vega, vega-lite and vega-embed as one script that sets
`window.vegaEmbed`. Loaded as is, its top-level names collide with Sphinx's own scripts, so it
is wrapped in a function scope; as a classic script it also loads from `file://`.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import altair as alt

from .theme import theme

BUNDLE_NAME = "vega-bundle.js"


def _versions() -> tuple[str, str]:
    import vl_convert

    return alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0], vl_convert.__version__


def vega_bundle() -> str:
    """The bundle for the Vega-Lite version Altair writes (a mismatch fails to render)."""
    import vl_convert

    vl_version, converter = _versions()
    header = f"/* vega-lite {vl_version}, vl-convert {converter} */\n"
    return header + "(function(){\n" + vl_convert.javascript_bundle(vl_version=vl_version) + "\n})();\n"


def write_vega_bundle(static_dir: Path) -> Path:
    """Writes the bundle unless one for the same versions is there (it takes a second to make)."""
    static_dir.mkdir(parents=True, exist_ok=True)
    target = static_dir / BUNDLE_NAME
    vl_version, converter = _versions()
    header = f"/* vega-lite {vl_version}, vl-convert {converter} */"
    if target.exists():
        with open(target, encoding="utf-8") as fh:
            if fh.readline().strip() == header:
                return target
    target.write_text(vega_bundle(), encoding="utf-8")
    return target


def chart_markup(spec: dict, element_id: str, label: str, described_by: str) -> str:
    """The chart's box (an image for assistive technology, labelled and described by the figure's
    text), the view Vega draws into (hidden from assistive technology: its marks carry no text
    of their own) and the `vegaEmbed` call; the library ships with the site. A chart's controls
    (Vega's bound inputs, e.g. a filter) go below the box, where a keyboard and a screen reader
    reach them."""
    # "<" as \u003c: no "</script>" or "<!--" from the data can end or hide the script block
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    options = {"actions": False, "renderer": "svg"}
    controls = ""
    if any("bind" in p for p in spec.get("params", [])):
        options["bind"] = f"#{element_id}-controls"
        controls = f'<div id="{element_id}-controls" class="book-chart-controls"></div>\n'
    return (
        f'<div class="book-chart" role="img" aria-label="{html.escape(label, quote=True)}" aria-describedby="{described_by}">'
        # the view takes its box's width even where the site's stylesheet is absent (a notebook viewer)
        f'<div id="{element_id}" class="book-chart-view" aria-hidden="true" style="display:block;width:100%"></div></div>\n'
        f"{controls}"
        f'<script type="text/javascript">vegaEmbed("#{element_id}", {payload}, '
        f'{json.dumps(options)}).catch(function (e) {{ console.error(e); }});</script>'
    )


def enable() -> None:
    """Registers and enables the book's theme (call once per notebook, via `present.figure.start`)."""

    @alt.theme.register("book", enable=True)
    def _book_theme() -> alt.theme.ThemeConfig:
        return theme()

    alt.data_transformers.disable_max_rows()
