"""Charts on the page with no network: an offline Altair renderer and the Vega bundle it needs.

The renderer emits a `<div>` and a call to `vegaEmbed`, which the site loads once per page from
its own static folder: no CDN, so charts render from `file://` and behind a firewall. Element
ids come from a hash of the chart's specification, so two builds of the same data write the
same HTML.

`vl_convert.javascript_bundle()` returns vega, vega-lite and vega-embed as one script that sets
`window.vegaEmbed`. Loaded as is, its top-level names collide with Sphinx's own scripts, so it
is wrapped in a function scope; as a classic script it also loads from `file://`.
"""

from __future__ import annotations

import hashlib
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


def chart_id(spec: dict) -> str:
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()[:12]
    return f"chart-{digest}"


def offline_renderer(spec: dict, **_: object) -> dict:
    """A `<div>` plus a `vegaEmbed` call with a deterministic id; the library ships with the site."""
    div = chart_id(spec)
    # "<" as \u003c: no "</script>" or "<!--" from the data can end or hide the script block
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    description = html.escape(spec.get("description", ""), quote=True)
    markup = (
        f'<div id="{div}" class="book-chart" role="img" aria-label="{description}"></div>\n'
        f'<script type="text/javascript">vegaEmbed("#{div}", {payload}, '
        '{"actions": false, "renderer": "svg"}).catch(function (e) { console.error(e); });</script>'
    )
    return {"text/html": markup}


def enable() -> None:
    """Registers and enables the theme and the offline renderer (call once per notebook)."""
    alt.renderers.register("book_offline", offline_renderer)
    alt.renderers.enable("book_offline")

    @alt.theme.register("book", enable=True)
    def _book_theme() -> alt.theme.ThemeConfig:
        return theme()

    alt.data_transformers.disable_max_rows()
