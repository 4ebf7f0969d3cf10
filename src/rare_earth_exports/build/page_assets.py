"""A Sphinx extension: each page loads only the scripts it uses, and the theme's icons cost no script.

- **Every chart drawn before the page is sent; the charts' library only when a reader reaches for
  it.** At build time each chart is drawn as an SVG picture by vl-convert, at a phone's and at a
  wide screen's column width (`draw_in_advance`), so the page shows its charts with its text,
  without script, from `file://`, and in print. The library (`book_chart_library`, the Vega
  bundle, 900 kB) is not loaded with the page: a small inline script queues each chart's
  `vegaEmbed` call (`present.render.chart_markup`), and a chart is drawn live (tooltips, filters)
  when a reader points at it or touches it, or, if it has controls, when it nears the screen; the
  library is loaded then, once. The live chart takes the picture's place at the same height (the
  view's `min-height`), so nothing moves. What a screen reader needs (the chart's label, its
  description, the table view, the download link) is in the page's HTML; the state of each chart
  is in its view's `data-chart` attribute (waiting, queued, drawing, drawn, failed). A page
  without a chart loads neither (read from the page itself, so a new or removed chart needs no
  list kept by hand).
- **No script for a feature the page does not use.** Copy buttons (sphinx-copybutton: code blocks),
  toggle buttons (sphinx-togglebutton) and tab sets (sphinx-design) each load a script on every
  page; it is kept only where the page's body has what it acts on (`ON_DEMAND`).
- **Icons without Font Awesome's script.** The theme loads 1.5 MB of Font Awesome JavaScript (and,
  through its stylesheet, a 156 kB web font) to draw about a dozen icons. `book/_templates/layout.html`
  drops the script; this extension writes `_static/book-icons.css`, which draws the icons named in
  `book_icons` as CSS masks of their Font Awesome shapes (read from the theme's own copy of Font
  Awesome Free, icons licensed CC BY 4.0), in the text's colour, so they follow the light and dark
  modes. When the build finishes, every icon a page asks for must be among them, or the build
  stops naming the icon and the pages.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

# What a chart's markup calls: a page whose body contains it has a chart.
CHART_CALL = "vegaEmbed("
ICONS_CSS = "book-icons.css"
CHARTS_DIR = "_images/charts"  # the charts drawn at build time, in the site
# Font Awesome's class names: the styles (and which pack draws them), then the icon's name.
STYLES = {"fa": "fas", "fas": "fas", "fa-solid": "fas", "far": "far", "fa-regular": "far",
          "fab": "fab", "fa-brands": "fab"}
PACK_NAMES = {"fas": "solid", "far": "regular", "fab": "brands"}
# The theme's bundle registers each pack as `d("fas",p),d("fa-solid",p)` after `var p={...}`,
# an icon as `name:[width,height,[aliases],"unicode","path"]` (a duotone icon: a list of paths).
_PACK = re.compile(r'\w+\("(fas|far|fab)",(\w+)\),\w+\("fa-(?:solid|regular|brands)",\2\)')
_ICON = re.compile(r'(?<=[{,])("?)([a-z0-9-]+)\1:\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]*",'
                   r'("(?:[^"\\]|\\.)*"|\[[^\]]*\])\]')
_CLASS = re.compile(r'\sclass="([^"]*)"')
# Glyphs the theme's own stylesheet draws with Font Awesome's web font (156 kB), on elements the
# pages have, drawn as the icons are, so no page fetches the font for them. Others (admonition
# titles, external links in the navigation) still use the font, on the pages that have them.
THEME_GLYPHS = {"a.reference.download::before": "solid download"}  # a link to a file (the `download` role)
# A script kept only on pages whose body matches: what it acts on, as its extension marks it up.
ON_DEMAND = {
    "clipboard.min.js": re.compile(r"<pre[\s>]"),           # sphinx-copybutton: buttons on code blocks
    "copybutton.js": re.compile(r"<pre[\s>]"),
    "togglebutton.js": re.compile(r'class="(?:[^"]*\s)?(?:toggle|dropdown)(?:\s[^"]*)?"'),  # .toggle, .admonition.dropdown
    "design-tabs.js": re.compile(r'class="(?:[^"]*\s)?sd-tab-set(?:\s[^"]*)?"'),  # sphinx-design tab sets
}
# Each chart's `vegaEmbed` call (an inline script in the body) is queued: the charts' library is
# loaded only when a chart is first drawn live. A chart is drawn live when a reader points at it or
# touches it (its tooltips), or, if it has controls (a filter), when it comes within ROOT_MARGIN of
# the viewport; one chart per task, in page order, so the page answers taps between charts. Until
# then the page shows the chart as drawn at build time (`draw_in_advance`). Each call's promise
# settles as the library's would. LIBRARY is the library's address, relative to the page.
ROOT_MARGIN = "100% 0px"
CHART_QUEUE = """(function () {
  var charts = [], loading = null, embed = null, observer = null, queue = [], busy = false;
  var mark = function (chart, state) { if (chart.view) chart.view.setAttribute("data-chart", state); };
  var wait = function (selector) {
    var args = arguments;
    return new Promise(function (resolve, reject) {
      var chart = {args: args, resolve: resolve, reject: reject, index: charts.length,
                   view: typeof selector === "string" ? document.querySelector(selector) : selector};
      charts.push(chart);
      mark(chart, "waiting");
    });
  };
  window.vegaEmbed = wait;
  var library = function () {  // loaded once, when the first chart is drawn live
    if (!loading) loading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      var failed = function () { reject(new Error("the charts' library did not load")); };
      script.onload = function () { embed = window.vegaEmbed; if (embed === wait) failed(); else resolve(); };
      script.onerror = failed;
      script.src = LIBRARY;
      document.head.appendChild(script);
    });
    return loading;
  };
  var draw = function (chart) {  // once; settles when the chart is drawn or has failed
    if (!chart.drawing) {
      if (observer && chart.view) observer.unobserve(chart.view);
      mark(chart, "drawing");
      chart.drawing = library().then(function () { return embed.apply(window, chart.args); }).then(
        function (result) { mark(chart, "drawn"); chart.resolve(result); },
        function (error) { mark(chart, "failed"); chart.reject(error); });
    }
    return chart.drawing;
  };
  var next = function () {  // the first chart asked for, then a new task for the one after
    while (queue.length && queue[0].drawing) queue.shift();
    if (busy || !queue.length) return;
    busy = true;
    draw(queue.shift()).then(function () { setTimeout(function () { busy = false; next(); }, 0); });
  };
  var ask = function (chart) {
    if (chart.asked || chart.drawing) return;
    chart.asked = true;
    mark(chart, "queued");
    queue.push(chart);
    queue.sort(function (a, b) { return a.index - b.index; });
    next();
  };
  document.addEventListener("DOMContentLoaded", function () {
    var controlled = charts.filter(function (c) { return c.args[2] && c.args[2].bind; });
    if (controlled.length && "IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          charts.forEach(function (chart) { if (chart.view === entry.target) ask(chart); });
        });
      }, {rootMargin: "ROOT_MARGIN"});
    }
    charts.forEach(function (chart) {
      var box = chart.view && (chart.view.closest(".book-chart") || chart.view);
      if (controlled.indexOf(chart) >= 0 && !(box && observer)) return ask(chart);
      if (controlled.indexOf(chart) >= 0) observer.observe(chart.view);
      if (!box) return;
      var now = function () { ask(chart); };
      ["pointerover", "touchstart"].forEach(function (type) { box.addEventListener(type, now, {once: true, passive: true}); });
    });
  });
})();""".replace("ROOT_MARGIN", ROOT_MARGIN)

# A chart as `present.render.chart_markup` writes it: its view (id, style), empty until drawn live.
_CHART_VIEW = re.compile(r'(<div id="([^"]+)" class="book-chart-view"[^>]*? style="([^"]*)">)</div>')
# Small multiples: a grid's charts, up to the end of its last chart's script (`present.figure.markup`).
_GRID = re.compile(r'<div class="book-figure-charts book-grid">.*?</script>\n</div>', re.S)
_SCHEMA_VERSION = re.compile(r"/vega-lite/v(\d+)\.(\d+)")
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


@dataclass(frozen=True)
class Widths:
    """The widths a chart is drawn at in advance: its column on a phone, and on a wide screen."""

    narrow: int
    wide: int


# The column at 390 px (a phone) and at 1280 px (a laptop); a small multiple of a grid, three to a
# row at 1280 px. A chart shown in a column of another width is scaled to fit, never cut.
CHART_WIDTHS = Widths(narrow=342, wide=672)
PANEL_WIDTHS = Widths(narrow=342, wide=211)
NARROW_SCREEN = "(max-width: 499.98px)"  # the narrow drawing below this viewport width


@lru_cache(maxsize=None)
def drawn_svg(spec_json: str, width: int) -> str:
    """The chart as the library draws it, `width` px wide (a `"container"` width), as an SVG: drawn
    by vl-convert with the spec's Vega-Lite version; data from a URL is refused, so nothing is
    downloaded."""
    import vl_convert

    spec = json.loads(spec_json)
    if spec.get("width") == "container":
        spec["width"] = width
    version = _SCHEMA_VERSION.search(spec.get("$schema", ""))
    return vl_convert.vegalite_to_svg(spec, vl_version=f"{version[1]}.{version[2]}" if version else None,
                                      allowed_base_urls=[])


def svg_height(svg: str) -> int:
    size = _SVG_SIZE.search(svg)
    if size is None:
        raise ValueError("the drawing has no width and height")
    return math.ceil(float(size[2]))


def draw_in_advance(body: str, page: str, write: Callable[[str], str]) -> str:
    """Each chart drawn at build time, shown until (and unless) it is drawn live: a `<picture>` of
    its SVG at a phone's and a wide screen's width, after its view; the view reserves the chart's
    height (`min-height`), so drawing it live moves nothing. `write(svg)` stores a drawing and
    returns its address from the page. The drawings of a page are made on every core."""
    grids = [m.span() for m in _GRID.finditer(body)]
    charts = []  # (the view's match, its spec as JSON, the widths it is drawn at)
    for view in _CHART_VIEW.finditer(body):
        element_id = view[2]
        call = body.find(f'{CHART_CALL}"#{element_id}", ')
        if call < 0:
            raise ExtensionError(f"{page}: no {CHART_CALL}\"#{element_id}\", ...) for the chart view {element_id!r}")
        try:
            spec, _ = json.JSONDecoder().raw_decode(body, call + len(f'{CHART_CALL}"#{element_id}", '))
        except ValueError as exc:
            raise ExtensionError(f"{page}: chart {element_id!r}: its spec is not JSON: {exc}") from exc
        widths = PANEL_WIDTHS if any(a <= view.start() < b for a, b in grids) else CHART_WIDTHS
        charts.append((view, json.dumps(spec, sort_keys=True), widths))
    if not charts:
        return body

    def drawings(chart) -> tuple[str, str, int]:
        view, spec_json, widths = chart
        try:
            narrow, wide = drawn_svg(spec_json, widths.narrow), drawn_svg(spec_json, widths.wide)
            return narrow, wide, svg_height(wide)
        except ValueError as exc:  # a spec vl-convert cannot draw
            why = " ".join(line.strip() for line in str(exc).splitlines() if not line.strip().startswith("at "))  # no JS stack
            raise ExtensionError(f"{page}: chart {view[2]!r}: could not draw it: {why}") from exc

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # vl-convert lets go of the GIL
        drawn = list(pool.map(drawings, charts))
    # Not loaded lazily: a page printed before it is scrolled through prints every chart.
    parts, last = [], 0
    for (view, _, widths), (narrow, wide, height) in zip(charts, drawn):
        opening, style = view[1], view[3]
        parts += [body[last:view.start()], opening.replace(f'style="{style}"', f'style="{style};min-height:{height}px"'),
                  f'</div><picture class="book-chart-static"><source media="{NARROW_SCREEN}" srcset="{write(narrow)}">'
                  f'<img src="{write(wide)}" alt="" width="{widths.wide}" height="{height}" style="height:{height}px" '
                  'decoding="async"></picture>']
        last = view.end()
    return "".join(parts) + body[last:]


def chart_writer(outdir: Path, href: Callable[[str], str]) -> Callable[[str], str]:
    """Stores each drawing once, named by its content (two builds write the same names)."""
    def write(svg: str) -> str:
        name = f"{CHARTS_DIR}/{hashlib.sha256(svg.encode('utf-8')).hexdigest()[:16]}.svg"
        target = outdir / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(svg, encoding="utf-8")
        return href(name)

    return write


@lru_cache(maxsize=None)
def _checksum(path: Path, mtime_ns: int) -> str:
    return f"{zlib.crc32(path.read_bytes()):08x}"


def library_href(app: Sphinx, pathto: Callable) -> str:
    """The charts' library from this page, with its checksum (as Sphinx marks its own scripts), so a
    browser never draws with a stale copy."""
    name = app.config.book_chart_library
    for folder in app.config.html_static_path:
        path = Path(app.confdir, folder, name)
        if path.is_file():
            return f"{pathto('_static/' + name, 1)}?v={_checksum(path, path.stat().st_mtime_ns)}"
    raise ExtensionError(f"book_chart_library: no {name} in html_static_path ({', '.join(app.config.html_static_path)})")


def fontawesome_script() -> Path:
    """The theme's copy of Font Awesome (pydata-sphinx-theme ships it; sphinx-book-theme inherits)."""
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"


@lru_cache(maxsize=None)
def icon_packs(script: Path) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Per pack (fas, far, fab): icon name -> (width, height, SVG path) from Font Awesome's bundle."""
    text = script.read_text(encoding="utf-8")
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    for mark in _PACK.finditer(text):
        start = text.rfind(f"var {mark.group(2)}={{", 0, mark.start())
        icons = {}
        for icon in _ICON.finditer(text, start, mark.start()):
            path = icon.group(5)
            paths = re.findall(r'"((?:[^"\\]|\\.)*)"', path) if path.startswith("[") else [path[1:-1]]
            icons[icon.group(2)] = (int(icon.group(3)), int(icon.group(4)), " ".join(p for p in paths if p))
        packs[mark.group(1)] = icons
    if set(packs) != set(PACK_NAMES) or not all(packs.values()):
        raise ExtensionError(f"{script}: could not read Font Awesome's icon packs (found {sorted(packs)}); "
                             "the theme's bundle changed: update rare_earth_exports/build/page_assets.py")
    return packs


def icons_of(html: str, packs: dict) -> set[tuple[str, str]]:
    """The (pack, icon) pairs the page's class attributes ask Font Awesome for."""
    found = set()
    for attr in _CLASS.findall(html):
        tokens = attr.split()
        styles = {STYLES[t] for t in tokens if t in STYLES}
        for pack in styles:
            names = [t[3:] for t in tokens if t.startswith("fa-") and t not in STYLES and t[3:] in packs[pack]]
            if not names:
                raise ExtensionError(f'class="{attr}": no {PACK_NAMES[pack]} Font Awesome icon in it')
            found.update((pack, n) for n in names)
    return found


def _icon_name(entry: str) -> tuple[str, str]:
    """`solid bars` -> ("fas", "bars")."""
    style, _, name = entry.partition(" ")
    pack = next((p for p, n in PACK_NAMES.items() if n == style), None)
    if pack is None or not name:
        raise ExtensionError(f"book_icons: {entry!r}: expected a style ({', '.join(PACK_NAMES.values())}) "
                             "and an icon name, e.g. 'solid bars'")
    return pack, name


def _mask(pack: str, name: str, packs: dict) -> str:
    """The icon's shape as the `--book-icon` mask, and its width (Font Awesome's SVGs are 1em high)."""
    if name not in packs[pack]:
        raise ExtensionError(f"no {PACK_NAMES[pack]} icon {name!r} in Font Awesome Free")
    width, height, path = packs[pack][name]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
    url = "data:image/svg+xml," + quote(svg, safe=" /:=',.-")
    return f'--book-icon:url("{url}");width:{width / height:.4g}em'


def icons_css(icons: list[str], packs: dict) -> str:
    """Each icon as a mask over a box of the text's colour, sized as Font Awesome sizes its SVGs."""
    styles = {pack: [s for s, p in STYLES.items() if p == pack] for pack in PACK_NAMES}
    used = sorted({_icon_name(e) for e in icons})
    elements = sorted({f".{s}" for pack, _ in used for s in styles[pack]})
    lines = ["/* Generated by rare_earth_exports.build.page_assets: the icons the theme shows, drawn",
             "   without Font Awesome's script or web font. Shapes: Font Awesome Free 6",
             "   (https://fontawesome.com), icons licensed CC BY 4.0. */",
             # the element in the text's font: an empty box in Font Awesome's would still fetch its web font
             ",".join(elements) + "{font-family:inherit}",
             ",".join([f"{e}::before" for e in elements] + sorted(THEME_GLYPHS)) + "{content:\"\";display:inline-block;"
             "height:1em;width:1em;vertical-align:-.125em;background-color:currentColor;forced-color-adjust:none;"
             "-webkit-mask:var(--book-icon) center/contain no-repeat;mask:var(--book-icon) center/contain no-repeat}"]
    for pack, name in used:
        lines.append(",".join(f".{s}.fa-{name}::before" for s in styles[pack]) + "{" + _mask(pack, name, packs) + "}")
    for selector, icon in sorted(THEME_GLYPHS.items()):
        lines.append(f"{selector}{{font-family:inherit;{_mask(*_icon_name(icon), packs)}}}")
    return "\n".join(lines) + "\n"


def write_icons_css(app: Sphinx) -> None:
    """Before any page is written, so Sphinx links it with the checksum of what it holds."""
    if app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / ICONS_CSS
    css = icons_css(app.config.book_icons, icon_packs(fontawesome_script()))
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")


def page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """This page's scripts (Sphinx restores the list for the next page)."""
    body = context.get("body", "")
    needs = [ON_DEMAND.get(Path(str(js.filename)).name) for js in context["script_files"]]
    context["script_files"][:] = [js for js, need in zip(context["script_files"], needs) if need is None or need.search(body)]
    if CHART_CALL in body:
        pathto = context["pathto"]
        context["body"] = draw_in_advance(body, pagename, chart_writer(Path(app.outdir), lambda name: pathto(name, 1)))
        queue = CHART_QUEUE.replace("LIBRARY", json.dumps(library_href(app, pathto)), 1)
        app.add_js_file(None, body=queue)  # during html-page-context: this page only


def check_icons(app: Sphinx, exception: Exception | None) -> None:
    """Every icon a written page asks for is drawn by book-icons.css."""
    if exception is not None or app.builder.format != "html":
        return
    packs = icon_packs(fontawesome_script())
    drawn = {_icon_name(e) for e in app.config.book_icons}
    missing: dict[tuple[str, str], list[str]] = {}
    outdir = Path(app.outdir)
    for page in sorted(outdir.rglob("*.html")):
        rel = page.relative_to(outdir)
        if rel.parts[0].startswith("_"):  # the theme's template fragments, copied as static files
            continue
        for icon in icons_of(page.read_text(encoding="utf-8"), packs) - drawn:
            missing.setdefault(icon, []).append(rel.as_posix())
    if missing:
        raise ExtensionError("pages use icons book-icons.css does not draw (add them to book_icons in _config.yml): "
                             + "; ".join(f"'{PACK_NAMES[p]} {n}' on {', '.join(pages[:3])}"
                                         + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
                                         for (p, n), pages in sorted(missing.items())))


def setup(app: Sphinx) -> dict:
    app.add_config_value("book_chart_library", "", "html", types=[str])
    app.add_config_value("book_icons", [], "html", types=[list])
    app.add_css_file(ICONS_CSS)
    app.connect("builder-inited", write_icons_css)
    app.connect("html-page-context", page_scripts)
    app.connect("build-finished", check_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
