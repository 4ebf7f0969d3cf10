"""A Sphinx extension: the `metric-glossary` directive writes the methods page's glossary from
`core/registry.py`, so the page and the metrics the book records cannot disagree."""

from __future__ import annotations

from docutils.parsers.rst import Directive
from docutils.statemachine import StringList

from ..core.registry import glossary_markdown


class MetricGlossary(Directive):
    has_content = False

    def run(self):
        from docutils import nodes

        container = nodes.container(classes=["metric-glossary"])
        self.state.nested_parse(StringList(glossary_markdown().splitlines(), source="core/registry.py"),
                                self.content_offset, container)
        return [container]


def setup(app) -> dict:
    app.add_directive("metric-glossary", MetricGlossary)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
