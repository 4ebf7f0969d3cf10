"""The lighter pages still work in a browser: the icons drawn without Font Awesome are visible on
buttons with names, the visible toggles open the navigation, and the light/dark switch works.
The chart queue, on small pages with a stand-in library: charts drawn one per task as they near
the screen, every chart before printing. (That the real charts draw, over http and from file://,
is checked in test_site_browser.py.)"""

from __future__ import annotations

import pytest

from test_site_browser import ARGS, CHROMIUM, browser, server, site, visit  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed: `apt-get install chromium` "
                                                      "(Debian) puts it at /usr/bin/chromium"),
]

# Each button of the article's header a reader sees: its name, and its icon's box and mask.
BUTTONS = """() => [...document.querySelectorAll('.bd-header-article button')]
  .filter(b => b.offsetParent !== null)
  .map(b => {
    const icon = [...b.querySelectorAll('i, span')].find(i => i.offsetParent !== null && getComputedStyle(i, '::before').content === '""');
    const before = icon ? getComputedStyle(icon, '::before') : null;
    return {name: (b.getAttribute('aria-label') || b.getAttribute('title') || b.textContent).trim(),
            width: before ? parseFloat(before.width) : 0, height: before ? parseFloat(before.height) : 0,
            mask: before ? before.maskImage : 'none', paint: before ? before.backgroundColor : '',
            colour: icon ? getComputedStyle(icon).color : ''};
  })"""


@pytest.mark.parametrize("width", [1280, 390])
def test_header_buttons_show_their_icons_and_have_names(browser, server, width):
    page, errors, _ = visit(browser, f"{server}/book/collapse.html", width)
    buttons = page.evaluate(BUTTONS)
    page.close()
    assert len(buttons) >= 4  # navigation, download, full screen, colour mode (+ search, contents at 390 px)
    for b in buttons:
        assert b["name"], b
        assert b["width"] >= 8 and b["height"] >= 8, b
        assert b["mask"].startswith('url("data:image/svg+xml'), b
        assert b["paint"] == b["colour"], b  # drawn in the text's colour, in light and dark mode
    assert errors == []


def test_visible_navigation_toggle_opens_the_navigation_on_a_phone(browser, server):
    page, errors, _ = visit(browser, f"{server}/book/collapse.html", 390)
    modal = page.locator("#pst-primary-sidebar-modal")
    assert not modal.evaluate("m => m.open")
    page.locator("button.primary-toggle:visible").click()
    page.wait_for_function("document.querySelector('#pst-primary-sidebar-modal').open")
    assert modal.locator("a.reference", has_text="Methods").is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#pst-primary-sidebar-modal').open")
    page.locator("button.secondary-toggle:visible").click()
    page.wait_for_function("document.querySelector('#pst-secondary-sidebar-modal').open")
    assert page.locator("#pst-secondary-sidebar-modal a.nav-link").first.is_visible()
    page.close()
    assert errors == []


def test_visible_navigation_toggle_hides_and_shows_the_sidebar_on_a_wide_screen(browser, server):
    page, errors, _ = visit(browser, f"{server}/book/collapse.html", 1280)
    sidebar = page.locator("#pst-primary-sidebar")
    toggle = page.locator("button.primary-toggle:visible")
    toggle.click()
    assert "pst-sidebar-hidden" in sidebar.get_attribute("class")
    toggle.click()
    assert "pst-sidebar-hidden" not in sidebar.get_attribute("class")
    page.close()
    assert errors == []


def test_colour_mode_switch_turns_the_page_dark(browser, server):
    page, errors, _ = visit(browser, f"{server}/book/index.html", 1280)
    assert page.evaluate("document.documentElement.dataset.theme") == "light"  # the default
    switch = page.locator("button.theme-switch-button:visible")
    themes = []
    for _ in range(3):
        switch.click()
        themes.append(page.evaluate("document.documentElement.dataset.theme"))
    assert "dark" in themes
    page.close()
    assert errors == []


# A stand-in for the charts' library: records each call, and whether a task queued by the call
# before it has run since (a chart drawn in a task of its own).
LIBRARY = """window.drawn = [];
window.vegaEmbed = function (el) {
  window.drawn.push(el + (window.between ? " after a task" : ""));
  window.between = false;
  setTimeout(function () { window.between = true; }, 0);
  return Promise.resolve("drawn");
};"""
STATES = "[...document.querySelectorAll('[id^=c]')].map(c => c.dataset.chart)"
# Nothing is being drawn or waiting for its turn: what is not drawn by now waits to be scrolled to.
IDLE = f"{STATES}.every(s => s === 'waiting' || s === 'drawn')"


def _queue_page(tmp_path, bundle: str | None, above=(0, 0, 0)):
    """A page as the extension writes a chart page: the queue, the deferred library and a chart
    100 px high after each of `above`'s gaps (px)."""
    from rare_earth_exports.build.page_assets import CHART_QUEUE

    if bundle is not None:
        (tmp_path / "lib.js").write_text(bundle)
    calls = "".join(f'<div style="height:{gap}px"></div><div id="c{i}" style="min-height:100px"></div>'
                    f'<script>vegaEmbed("#c{i}", {{}}, {{}}).then(function (r) {{ window.settled.push("c{i} " + r); }}, '
                    f'function (e) {{ window.settled.push("c{i} " + e.message); }});</script>'
                    for i, gap in enumerate(above))
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><head><script>window.settled = [];</script><script>{CHART_QUEUE}</script>"
                    f'<script defer src="lib.js"></script></head><body style="margin:0">{calls}</body></html>')
    return page.as_uri()


def test_chart_queue_draws_the_charts_in_page_order_one_task_each(browser, tmp_path):
    page = browser.new_page()
    page.goto(_queue_page(tmp_path, LIBRARY))
    page.wait_for_function("window.settled.length === 3")
    assert page.evaluate("window.settled") == ["c0 drawn", "c1 drawn", "c2 drawn"]
    assert page.evaluate("window.drawn") == ["#c0", "#c1 after a task", "#c2 after a task"]
    assert page.evaluate(STATES) == ["drawn"] * 3
    page.close()


def _far_page(browser, tmp_path, script: str | None = None):
    """800 x 600 px: chart 0 on the screen, chart 1 below it but within a screen's height (drawn
    with the page), charts 2 and 3 five thousand pixels down (not drawn until scrolled to)."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    if script:
        page.add_init_script(script)
    page.goto(_queue_page(tmp_path, LIBRARY, above=(0, 1000, 5000, 1000)))
    return page


def test_chart_queue_draws_a_chart_when_it_comes_within_a_screen_of_the_viewport(browser, tmp_path):
    page = _far_page(browser, tmp_path)
    page.wait_for_function(f"window.settled.length >= 2 && {IDLE}")
    assert page.evaluate(STATES) == ["drawn", "drawn", "waiting", "waiting"]
    assert page.evaluate("window.drawn") == ["#c0", "#c1 after a task"]
    page.evaluate("window.scrollTo(0, document.getElementById('c2').offsetTop - 1100)")  # 500 px below the screen
    page.wait_for_function(f"window.settled.length === 3 && {IDLE}")
    assert page.evaluate("window.settled") == ["c0 drawn", "c1 drawn", "c2 drawn"]
    assert page.evaluate(STATES) == ["drawn", "drawn", "drawn", "waiting"]  # 1,100 px below c2: not yet
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("window.settled.length === 4")
    assert page.evaluate(STATES) == ["drawn"] * 4
    page.close()


def test_chart_queue_starts_every_chart_when_the_page_is_about_to_print(browser, tmp_path):
    """Printing lays the page out when the beforeprint handlers and their microtasks are done: every
    chart's drawing must have started by then (the library draws in microtasks), not one per task."""
    page = _far_page(browser, tmp_path)
    page.wait_for_function(f"window.settled.length >= 2 && {IDLE}")
    states = page.evaluate(f"() => {{ window.dispatchEvent(new Event('beforeprint')); return {STATES}; }}")
    assert states == ["drawn", "drawn", "drawing", "drawing"]
    page.wait_for_function("window.settled.length === 4")
    assert page.evaluate(STATES) == ["drawn"] * 4
    page.close()


def test_chart_queue_draws_every_chart_when_print_media_applies(browser, tmp_path):
    page = _far_page(browser, tmp_path)
    page.wait_for_function(f"window.settled.length >= 2 && {IDLE}")
    assert page.evaluate(STATES)[2:] == ["waiting", "waiting"]
    page.emulate_media(media="print")
    page.wait_for_function("window.settled.length === 4")
    assert page.evaluate(STATES) == ["drawn"] * 4
    page.close()


def test_window_print_prints_once_every_chart_is_drawn(browser, tmp_path):
    """The theme's print button calls window.print(); the browser's print (here a stand-in that
    records what it would print) runs once the charts are drawn."""
    page = _far_page(browser, tmp_path, f"window.print = function () {{ window.printed = {STATES}; }};")
    page.wait_for_function(f"window.settled.length >= 2 && {IDLE}")
    page.evaluate("window.print()")
    page.wait_for_function("window.printed !== undefined")
    assert page.evaluate("window.printed") == ["drawn"] * 4
    page.close()


def test_chart_queue_draws_every_chart_without_intersection_observer(browser, tmp_path):
    page = _far_page(browser, tmp_path, "delete window.IntersectionObserver;")
    page.wait_for_function("window.settled.length === 4")
    assert page.evaluate("typeof IntersectionObserver") == "undefined"
    assert page.evaluate("window.drawn") == ["#c0", "#c1 after a task", "#c2 after a task", "#c3 after a task"]
    page.close()


def test_chart_queue_rejects_every_chart_when_the_library_is_missing(browser, tmp_path):
    page = browser.new_page()
    page.goto(_queue_page(tmp_path, None))
    page.wait_for_function("window.settled.length === 3")
    assert page.evaluate("window.settled") == [f"c{i} the charts' library did not load" for i in range(3)]
    assert page.evaluate(STATES) == ["failed"] * 3
    page.close()
