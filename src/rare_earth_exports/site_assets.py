"""The Vega libraries, shipped with the site so charts render with no network.

`vl_convert.javascript_bundle()` returns vega, vega-lite and vega-embed as one script that sets
`window.vegaEmbed`. Loaded as is, its top-level names collide with Sphinx's own scripts, so it
is wrapped in a function scope; as a classic script it also loads from `file://`.
"""

from __future__ import annotations

from pathlib import Path

BUNDLE_NAME = "vega-bundle.js"


def _versions() -> tuple[str, str]:
    import altair as alt
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
