"""A Sphinx extension that backports sphinx-doc/sphinx#13402 to Sphinx 7 (pinned by Jupyter Book 1).

Inline scripts added with `app.add_js_file(None, body=...)` after the builder exists are stored
with filename None and re-added at write time with filename '', so the duplicate check misses
them and every page carries them twice (sphinx-togglebutton's `var togglebuttonSelector`).
Normalising None to '' makes the check see the duplicate.
"""

from __future__ import annotations

from sphinx.application import Sphinx

_original_add_js_file = Sphinx.add_js_file


def _add_js_file(self, filename, priority=500, loading_method=None, **kwargs):
    return _original_add_js_file(self, filename or "", priority, loading_method, **kwargs)


def setup(app: Sphinx) -> dict:
    if Sphinx.add_js_file is not _add_js_file:
        Sphinx.add_js_file = _add_js_file
    return {"parallel_read_safe": True, "parallel_write_safe": True}
