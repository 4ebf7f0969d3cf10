"""The lighter pages still work in a browser: the icons drawn without Font Awesome are visible on
buttons with names, the visible toggles open the navigation, and the light/dark switch works.
The chart queue, on small pages with a stand-in library: no chart drawn live and no library loaded
until a reader points at a chart or touches it (a chart with controls: when it nears the screen),
charts drawn one per task in page order, the library loaded once. (That the real charts draw, over
http and from file://, is checked in test_site_browser.py.)"""

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


# A stand-in for the charts' library: counts its loads, records each call, and whether a task
# queued by the call before it has run since (a chart drawn in a task of its own).
LIBRARY = """window.loads = (window.loads || 0) + 1;
window.drawn = [];
window.vegaEmbed = function (el) {
  window.drawn.push(el + (window.between ? " after a task" : ""));
  window.between = false;
  setTimeout(function () { window.between = true; }, 0);
  return Promise.resolve("drawn");
};"""
STATES = "[...document.querySelectorAll('.book-chart-view')].map(c => c.dataset.chart)"
# Nothing is being drawn or waiting for its turn.
IDLE = f"{STATES}.every(s => s === 'waiting' || s === 'drawn' || s === 'failed')"


def _queue_page(browser, tmp_path, bundle: str | None, above=(0, 1000, 5000, 1000), controls=(), script: str = ""):
    """An 800 x 600 px page as the extension writes a chart page: the queue (which loads lib.js when
    a chart is first drawn) and a chart box 100 px high after each of `above`'s gaps (px): chart 0
    on the screen, chart 1 within a screen's height below, charts 2 and 3 five thousand pixels
    down. The charts numbered in `controls` have controls (a filter)."""
    import json

    from rare_earth_exports.build.page_assets import CHART_QUEUE

    if bundle is not None:
        (tmp_path / "lib.js").write_text(bundle)
    calls = "".join(f'<div style="height:{gap}px"></div>'
                    f'<div class="book-chart" id="b{i}"><div id="c{i}" class="book-chart-view" style="min-height:100px"></div></div>'
                    f'<script>vegaEmbed("#c{i}", {{}}, {json.dumps({"bind": f"#c{i}-controls"} if i in controls else {})})'
                    f'.then(function (r) {{ window.settled.push("c{i} " + r); }}, '
                    f'function (e) {{ window.settled.push("c{i} " + e.message); }});</script>'
                    for i, gap in enumerate(above))
    queue = CHART_QUEUE.replace("LIBRARY", json.dumps("lib.js"), 1)
    (tmp_path / "page.html").write_text(f"<!doctype html><html><head><script>window.settled = [];</script>"
                                        f"<script>{queue}</script></head><body style=\"margin:0\">{calls}</body></html>")
    page = browser.new_page(viewport={"width": 800, "height": 600})
    if script:
        page.add_init_script(script)
    page.goto((tmp_path / "page.html").as_uri())
    page.wait_for_timeout(300)  # time to draw what the page would draw by itself
    return page


def _point_at(page, *charts: int) -> None:
    """A reader's pointer moving onto each chart, in the same task."""
    page.evaluate("ids => ids.forEach(i => document.getElementById('b' + i)"
                  ".dispatchEvent(new PointerEvent('pointerover', {bubbles: true})))", list(charts))


def test_no_chart_is_drawn_nor_the_library_loaded_until_a_reader_points_at_one(browser, tmp_path):
    page = _queue_page(browser, tmp_path, LIBRARY)
    assert page.evaluate(STATES) == ["waiting"] * 4
    assert page.evaluate("window.loads") is None and page.evaluate("window.settled") == []
    page.locator("#b2").scroll_into_view_if_needed()
    page.hover("#b2")
    page.wait_for_function("window.settled.length === 1")
    assert page.evaluate("window.settled") == ["c2 drawn"]
    assert page.evaluate(STATES) == ["waiting", "waiting", "drawn", "waiting"]
    _point_at(page, 2, 0)  # a chart already drawn is not drawn again
    page.wait_for_function(f"window.settled.length === 2 && {IDLE}")
    assert page.evaluate("window.drawn") == ["#c2", "#c0 after a task"] and page.evaluate("window.loads") == 1
    page.close()


def test_touching_a_chart_draws_it(browser, tmp_path):
    page = _queue_page(browser, tmp_path, LIBRARY)
    page.dispatch_event("#b1", "touchstart")
    page.wait_for_function("window.settled.length === 1")
    assert page.evaluate(STATES) == ["waiting", "drawn", "waiting", "waiting"]
    page.close()


def test_charts_asked_for_together_are_drawn_in_page_order_one_task_each(browser, tmp_path):
    page = _queue_page(browser, tmp_path, LIBRARY)
    _point_at(page, 3, 1, 0, 2)  # the first starts at once; the others wait their turn in page order
    page.wait_for_function("window.settled.length === 4")
    assert page.evaluate("window.drawn") == ["#c3", "#c0 after a task", "#c1 after a task", "#c2 after a task"]
    assert page.evaluate(STATES) == ["drawn"] * 4 and page.evaluate("window.loads") == 1
    page.close()


def test_a_chart_with_controls_is_drawn_when_it_comes_within_a_screen_of_the_viewport(browser, tmp_path):
    page = _queue_page(browser, tmp_path, LIBRARY, controls=(2,))
    assert page.evaluate(STATES) == ["waiting"] * 4  # chart 1 is near, but has no controls
    page.evaluate("window.scrollTo(0, document.getElementById('c2').offsetTop - 1100)")  # 500 px below the screen
    page.wait_for_function("window.settled.length === 1")
    assert page.evaluate(STATES) == ["waiting", "waiting", "drawn", "waiting"]
    page.close()


def test_a_chart_with_controls_is_drawn_with_the_page_without_intersection_observer(browser, tmp_path):
    page = _queue_page(browser, tmp_path, LIBRARY, controls=(3,), script="delete window.IntersectionObserver;")
    page.wait_for_function("window.settled.length === 1")
    assert page.evaluate("typeof IntersectionObserver") == "undefined"
    assert page.evaluate(STATES) == ["waiting", "waiting", "waiting", "drawn"]
    page.close()


def test_a_chart_fails_when_the_library_does_not_load(browser, tmp_path):
    page = _queue_page(browser, tmp_path, None)
    _point_at(page, 0, 1)
    page.wait_for_function("window.settled.length === 2")
    assert page.evaluate("window.settled") == [f"c{i} the charts' library did not load" for i in (0, 1)]
    assert page.evaluate(STATES) == ["failed", "failed", "waiting", "waiting"]
    page.close()
