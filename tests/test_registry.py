"""The metric registry documents exactly the metrics the book records, and stops undefined ones."""

import pandas as pd
import pytest

from rare_earth_exports.core.registry import METRICS, UnknownMetric, check, glossary_markdown
from rare_earth_exports.present.page import Page

from conftest import ROOT


def test_every_recorded_metric_is_defined_with_its_units_and_chapters():
    metrics = pd.read_csv(ROOT / "book" / "results" / "metrics.csv", dtype=str, keep_default_na=False)
    for name, rows in metrics.groupby("metric"):
        assert name in METRICS, f"metrics.csv records {name!r}, which core/registry.py does not define"
        assert set(rows["unit"]) <= set(METRICS[name].units), name
        assert set(rows["chapter"]) == set(METRICS[name].chapters), (
            f"{name}: recorded by chapters {sorted(set(rows['chapter']))}, registry says {sorted(METRICS[name].chapters)}")
    unused = set(METRICS) - set(metrics["metric"])
    assert not unused, f"defined in core/registry.py but recorded by no page: {sorted(unused)}"


def test_a_page_cannot_record_an_undefined_metric_or_unit():
    page = Page(chapter="collapse", page="collapse")
    with pytest.raises(UnknownMetric, match="'zscore' is not defined"):
        page.add("2025-05", "WLD", "magnets", "zscore", 1.2, "standard deviations")
    with pytest.raises(UnknownMetric, match="'level' in unit 'tons'"):
        page.add("2025-05", "WLD", "magnets", "level", 1238.0, "tons")
    assert page.add("2025-05", "WLD", "magnets", "level", float("nan"), "") is None, "a gap records nothing"
    check("level", "t")


def test_the_glossary_lists_every_metric_once():
    text = glossary_markdown()
    for name, metric in METRICS.items():
        assert text.count(f"| `{name}` |") == 1
        assert metric.definition in text


@pytest.mark.slow
def test_the_methods_page_shows_the_glossary(built_site):
    page = (built_site / "_build" / "html" / "book" / "methods.html").read_text(encoding="utf-8")
    for name in METRICS:
        assert f"<code class=\"docutils literal notranslate\"><span class=\"pre\">{name}</span></code>" in page, name
