"""The Vega libraries, shipped with the site so charts render with no network.

`vl_convert.javascript_bundle()` returns vega, vega-lite and vega-embed as one script that sets
`window.vegaEmbed`. Loaded as is, its top-level names collide with Sphinx's own scripts, so it
is wrapped in a function scope; as a classic script it also loads from `file://`.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE_NAME = "vega-bundle.js"


def vega_bundle() -> str:
    """The bundle for the Vega-Lite version Altair writes (a mismatch fails to render)."""
    import altair as alt
    import vl_convert

    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return "(function(){\n" + vl_convert.javascript_bundle(vl_version=version) + "\n})();\n"


def write_vega_bundle(static_dir: Path) -> Path:
    """Writes the bundle unless an identical one is there (keeps incremental builds quiet)."""
    static_dir.mkdir(parents=True, exist_ok=True)
    target = static_dir / BUNDLE_NAME
    text = vega_bundle()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target
