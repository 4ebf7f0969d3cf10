"""What a page makes a reader download: the JavaScript budgets (200 kB gzipped without a chart,
500 kB with, counting the Vega bundle a chart page loads when a reader points at a chart), the
bundle only where a chart is and never with the page, charts drawn at build time, and the theme's
icons without Font Awesome.

The budgets are checked on the site `rebook build` writes (no Lighthouse needed: `make bench`
measures the pages in a browser); the extension's rules on a small Sphinx project built here.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rare_earth_exports.build import page_assets, weight
from rare_earth_exports.present.render import BUNDLE_NAME, chart_markup

ICON_PACKS = page_assets.icon_packs(page_assets.fontawesome_script())


# --- the built book ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site / "_build" / "html"


def test_every_page_meets_its_javascript_budget(site):
    pages = [weight.page_scripts(site, p) for p in weight.site_pages(site)]
    with_charts = [p.page for p in pages if p.has_charts]
    without = [p.page for p in pages if not p.has_charts and p.scripts]
    # both kinds are there, so the budgets below are checked on real pages of each (the home page
    # carries the lead chart, so it is a chart page)
    assert {"book/collapse.html", "book/index.html"} <= set(with_charts) and "book/methods.html" in without
    assert weight.budget_problems(site) == []
    for page in pages:
        assert page.loads_vega == page.has_charts, page.page
        assert page.gzip_bytes <= page.budget, page.page
        # with the page itself, a chart page loads what a page without charts may
        assert page.at_load_gzip_bytes <= weight.BUDGET_NO_CHARTS, page.page
        assert all(s.on_demand == (Path(s.source).name == BUNDLE_NAME) for s in page.scripts), page.page


def test_no_page_loads_font_awesome_or_the_search_index_outside_search(site):
    for path in weight.site_pages(site):
        page = weight.page_scripts(site, path)
        sources = {Path(s.source).name for s in page.scripts}
        assert "fontawesome.js" not in sources, page.page
        assert ("searchindex.js" in sources) == (page.page == "search.html"), page.page
        assert "fontawesome" not in path.read_text(encoding="utf-8"), page.page  # not preloaded either


def test_every_icon_a_page_shows_is_drawn_without_font_awesome(site):
    css = (site / "_static" / page_assets.ICONS_CSS).read_text(encoding="utf-8")
    shown = set()
    for path in weight.site_pages(site):
        shown |= page_assets.icons_of(path.read_text(encoding="utf-8"), ICON_PACKS)
    assert ("fas", "bars") in shown  # the navigation toggle
    for _pack, name in shown:
        assert f".fa-solid.fa-{name}::before{{--book-icon:url(\"data:image/svg+xml," in css, name


# --- the budget check on pages made to break it ------------------------------------------------

def _site(tmp_path: Path, pages: dict[str, str], scripts: dict[str, int]) -> Path:
    """Pages (name -> body) and scripts (name -> size of incompressible content)."""
    rng = random.Random(18)
    (tmp_path / "_static").mkdir()
    for name, size in scripts.items():
        (tmp_path / "_static" / name).write_bytes(rng.randbytes(size))
    for name, body in pages.items():
        (tmp_path / name).write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


CHART = '<div id="c"></div><script type="text/javascript">vegaEmbed("#c", {}, {});</script>'


def test_budget_problems_name_each_page_over_budget_or_loading_vega_without_a_chart(tmp_path):
    site = _site(tmp_path, {
        "light.html": '<script src="_static/small.js"></script>',
        "heavy.html": '<script src="_static/big.js"></script>',
        "vega-no-chart.html": f'<script src="_static/{BUNDLE_NAME}"></script>',
        "chart-no-vega.html": CHART,
        "chart.html": f'<script>script.src = "_static/{BUNDLE_NAME}?v=0a1b2c3d";</script>' + CHART,  # on demand
        "chart-heavy.html": f'<script src="_static/{BUNDLE_NAME}"></script><script src="_static/huge.js"></script>' + CHART,
        "missing.html": '<script src="_static/gone.js"></script>',
        "cdn.html": '<script src="https://cdn.example.org/vega.js"></script>',
    }, {"small.js": 1_000, "big.js": 201_000, "huge.js": 501_000, BUNDLE_NAME: 1_000})
    problems = weight.budget_problems(site)
    assert len(problems) == 6, problems
    on_demand = weight.page_scripts(site, site / "chart.html")
    assert on_demand.loads_vega and [(s.source, s.on_demand) for s in on_demand.scripts] == [
        (f"_static/{BUNDLE_NAME}", True), ("inline", False), ("inline", False)]
    assert on_demand.gzip_bytes - on_demand.at_load_gzip_bytes == on_demand.scripts[0].gzip_bytes
    assert any(p.startswith("heavy.html: 201.") and "over the 200 kB budget of a page without charts" in p
               and "_static/big.js" in p for p in problems)
    assert any(p.startswith("chart-heavy.html: 502.") and "over the 500 kB budget of a page with charts" in p for p in problems)
    assert f"vega-no-chart.html: loads {BUNDLE_NAME} but has no chart" in problems
    assert f"chart-no-vega.html: has a chart but does not load {BUNDLE_NAME}: the chart cannot render" in problems
    assert "missing.html: names a script that is not in the site: _static/gone.js" in problems
    assert "cdn.html: loads a script from another host: https://cdn.example.org/vega.js" in problems


def test_page_scripts_counts_files_and_inline_scripts_raw_and_gzipped(tmp_path):
    site = _site(tmp_path, {"p.html": '<script src="_static/a.js?v=1"></script><script>var x = 1;</script>'
                                      '<script type="application/json">{"not": "a script"}</script>'},
                 {"a.js": 5_000})
    page = weight.page_scripts(site, site / "p.html")
    assert [s.source for s in page.scripts] == ["_static/a.js", "inline"]
    assert page.raw_bytes == 5_000 + len("var x = 1;") and page.inline_bytes == len("var x = 1;")
    assert page.gzip_bytes > 5_000  # incompressible content grows a little when gzipped
    assert not page.has_charts and page.budget == weight.BUDGET_NO_CHARTS


# --- the extension, on a small Sphinx project ---------------------------------------------------

def box_spec(height: int) -> dict:
    """A chart that is only its plot area (no axes, no padding): drawn `height` px high."""
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json", "mark": "rect", "width": "container",
            "height": height, "data": {"values": [{}]}, "config": {"padding": 0, "view": {"stroke": None}}}


PAGES = {
    "index": "Home\n====\n\n.. toctree::\n\n   chart\n   code\n   icons\n\nText only.\n",
    "chart": "Chart\n=====\n\n.. raw:: html\n\n   "
             + chart_markup(box_spec(120), "c", "A chart", "c-description").replace("\n", "\n   ") + "\n",
    "code": "Code\n====\n\n.. code-block:: python\n\n   print(1)\n",
    "icons": "Icons\n=====\n\n.. raw:: html\n\n   <i class=\"fa-solid fa-bars\"></i>\n",
}


def sphinx_build(tmp_path: Path, icons: list[str], extra_page: str = "") -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    src.mkdir()
    (src / "_static").mkdir()
    (src / "_static" / BUNDLE_NAME).write_text("window.vegaEmbed = function () { return Promise.resolve(); };\n")
    (src / "conf.py").write_text(
        "extensions = ['sphinx_copybutton', 'rare_earth_exports.build.page_assets']\n"
        "html_static_path = ['_static']\n"
        f"book_chart_library = {BUNDLE_NAME!r}\n"
        f"book_icons = {icons!r}\n")
    for name, text in PAGES.items():
        (src / f"{name}.rst").write_text(text + (extra_page if name == "icons" else ""))
    env = {**os.environ, "PYTHONPATH": str(Path(page_assets.__file__).parents[2])}
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)


def test_chart_pages_show_charts_drawn_in_advance_and_load_vega_on_demand_and_only_code_pages_copy_buttons(tmp_path):
    proc = sphinx_build(tmp_path, ["solid bars"])
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    html = {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}
    chart = html["chart"]
    assert f'<script src="_static/{BUNDLE_NAME}' not in chart and f'src="_static/{BUNDLE_NAME}' not in chart
    assert re.search(rf'script\.src = "_static/{re.escape(BUNDLE_NAME)}\?v=[0-9a-f]{{8}}";', chart)  # loaded by the queue
    assert chart.index("window.vegaEmbed = wait") < chart.index('vegaEmbed("#c"')
    view = 'class="book-chart-view" aria-hidden="true" style="display:block;width:100%;min-height:120px"></div>'
    picture = re.search(view + r'<picture class="book-chart-static"><source media="\(max-width: 499.98px\)" '
                        r'srcset="(_images/charts/[0-9a-f]{16}\.svg)"><img src="(_images/charts/[0-9a-f]{16}\.svg)" alt="" '
                        r'width="672" height="120" style="height:120px" decoding="async"></picture>', chart)
    assert picture, chart[chart.index("book-chart-view") - 200:][:900]
    for name, width in zip(picture.groups(), (342, 672)):
        assert re.match(rf'<svg[^>]*width="{width}" height="120"', (out / name).read_text(encoding="utf-8")), name
    for name in ("index", "code", "icons"):
        assert BUNDLE_NAME not in html[name] and "window.vegaEmbed" not in html[name], name
    assert "copybutton.js" in html["code"] and "clipboard.min.js" in html["code"]
    for name in ("index", "chart", "icons"):
        assert "copybutton.js" not in html[name] and "clipboard.min.js" not in html[name], name
    css = (out / "_static" / page_assets.ICONS_CSS).read_text(encoding="utf-8")
    assert "_static/book-icons.css" in html["icons"] and ".fa-solid.fa-bars::before{--book-icon:" in css
    assert "fa-list" not in css  # only the icons asked for


class Drawings(dict):
    """A stand-in for the site's folder: each drawing stored, under the address returned."""

    def __call__(self, svg: str) -> str:
        return self.setdefault(svg, f"charts/{len(self)}.svg")


def test_each_chart_is_drawn_in_advance_at_both_widths_and_its_view_reserves_its_height():
    body = chart_markup(box_spec(120), "a", "A", "d") + "<p>text</p>" + chart_markup(box_spec(260), "b", "B", "d")
    drawings = Drawings()
    drawn = page_assets.draw_in_advance(body, "page", drawings)
    assert drawn.count('<picture class="book-chart-static">') == 2 and len(drawings) == 4
    sizes = [re.search(r'<svg[^>]*width="(\d+)" height="(\d+)"', svg).groups() for svg in drawings]
    assert sizes == [("342", "120"), ("672", "120"), ("342", "260"), ("672", "260")]
    assert 'width:100%;min-height:120px"></div><picture class="book-chart-static"><source media="(max-width: 499.98px)" ' \
           'srcset="charts/0.svg"><img src="charts/1.svg" alt="" width="672" height="120" style="height:120px"' in drawn
    assert 'width:100%;min-height:260px"></div><picture' in drawn and 'src="charts/3.svg"' in drawn
    assert drawn.replace("</p>", "").count("</div>") == body.replace("</p>", "").count("</div>")  # no box left open
    assert page_assets.draw_in_advance("<p>no chart</p>", "page", drawings) == "<p>no chart</p>"


def test_small_multiples_are_drawn_at_a_grid_columns_width():
    grid = ('<div class="book-figure-charts book-grid">\n' + chart_markup(box_spec(80), "p1", "P1", "d") + "\n"
            + chart_markup(box_spec(80), "p2", "P2", "d") + "\n</div>\n" + chart_markup(box_spec(40), "key", "Key", "d"))
    drawings = Drawings()
    page_assets.draw_in_advance(grid, "page", drawings)
    widths = [re.search(r'<svg[^>]*width="(\d+)"', svg)[1] for svg in drawings]
    # the two panels (one drawing, stored once) at 342 and 211 px; the key under the grid at 342 and 672
    assert widths == ["342", "211", "342", "672"]


def test_a_chart_that_cannot_be_drawn_stops_the_build_naming_it():
    no_call = chart_markup(box_spec(120), "a", "A", "d").replace('vegaEmbed("#a"', 'vegaEmbed("#other"')
    with pytest.raises(page_assets.ExtensionError, match=r"book/x: no vegaEmbed\(\"#a\", ...\) for the chart view 'a'"):
        page_assets.draw_in_advance(no_call, "book/x", Drawings())
    with pytest.raises(page_assets.ExtensionError, match="book/x: chart 'a': could not draw it: .*Invalid specification"):
        page_assets.draw_in_advance(chart_markup({"width": "container"}, "a", "A", "d"), "book/x", Drawings())
    remote = {**box_spec(120), "data": {"url": "https://example.org/rows.csv"}}
    with pytest.raises(page_assets.ExtensionError, match="chart 'a': could not draw it: .*not allowed"):
        page_assets.draw_in_advance(chart_markup(remote, "a", "A", "d"), "book/x", Drawings())


def test_a_page_asking_for_an_icon_not_drawn_stops_the_build_naming_it(tmp_path):
    proc = sphinx_build(tmp_path, ["solid bars"], '\n.. raw:: html\n\n   <span class="fa-solid fa-moon fa-lg"></span>\n')
    assert proc.returncode != 0
    assert "pages use icons book-icons.css does not draw (add them to book_icons in _config.yml): " \
           "'solid moon' on icons.html" in proc.stderr


def test_icons_css_draws_each_icon_at_its_width_and_rejects_unknown_ones():
    css = page_assets.icons_css(["solid angle-left", "solid bars"], ICON_PACKS)
    assert ".fa.fa-angle-left::before,.fas.fa-angle-left::before,.fa-solid.fa-angle-left::before{" in css
    assert "viewBox='0 0 320 512'" in css and "width:0.625em}" in css  # 320 / 512
    assert "viewBox='0 0 448 512'" in css and "width:0.875em}" in css  # 448 / 512
    assert "a.reference.download::before{font-family:inherit;--book-icon:" in css  # the theme's own glyph
    with pytest.raises(page_assets.ExtensionError, match="no solid icon 'no-such-icon' in Font Awesome Free"):
        page_assets.icons_css(["solid no-such-icon"], ICON_PACKS)
    with pytest.raises(page_assets.ExtensionError, match="expected a style"):
        page_assets.icons_css(["bars"], ICON_PACKS)


def test_icons_of_reads_style_and_name_from_class_attributes():
    html = ('<i class="theme-switch fa-solid fa-sun fa-lg"></i><span class="fas fa-download"></span>'
            '<span class="fa-brands fa-github"></span><p class="fancy">not an icon</p>')
    assert page_assets.icons_of(html, ICON_PACKS) == {("fas", "sun"), ("fas", "download"), ("fab", "github")}
    with pytest.raises(page_assets.ExtensionError, match="no solid Font Awesome icon"):
        page_assets.icons_of('<i class="fa-solid fa-lg"></i>', ICON_PACKS)
