"""A build re-executes a page when data it read changed, and only then; what it then publishes is
byte for byte what a build that executes every page (`--force`) publishes.

Real builds of the three-page data project of tests/tiny_project.py: page a reads the United
States' magnets and the world's (a share), page b Korea's and the world's, page c only the events.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from tiny_project import build, make_data_project

MONTH = re.compile(r"^(\d{4}-\d{2}),CHN,(\w+),export,magnets,t,([\d.]+),", re.M)


def executed(proc) -> set[str]:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return set(re.findall(r"^  executed: book/(\w+)\.ipynb$", proc.stdout, re.M))


def change_month(project: Path, partner: str) -> str:
    """Adds one tonne to the newest monthly magnets figure of `partner`; returns its month."""
    path = project / "data" / "observations.csv"
    text = path.read_text(encoding="utf-8")
    month, value = max((m.group(1), m.group(3)) for m in MONTH.finditer(text) if m.group(2) == partner)
    old = f"{month},CHN,{partner},export,magnets,t,{value},"
    assert text.count(old) == 1
    path.write_text(text.replace(old, f"{month},CHN,{partner},export,magnets,t,{float(value) + 1:g},"), encoding="utf-8")
    return month


def published(project: Path) -> dict[str, bytes]:
    """The executed notebooks and metrics.csv, by path."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for p in sorted((project / "book").rglob("*")) if p.suffix in (".ipynb", ".csv")}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = make_data_project(tmp_path_factory.mktemp("reads") / "project")
    assert executed(build(project)) == {"a", "b", "c"}
    return project


def test_each_page_records_what_it_read(project):
    reads = {label: nbformat.read(project / "book" / f"{label}.ipynb", as_version=4).metadata["rebook"]["reads"]
             for label in "abc"}
    assert reads["a"] == {"observations": ["magnets/USA", "magnets/WLD"], "partners": None}
    assert reads["b"] == {"observations": ["magnets/KOR", "magnets/WLD"], "partners": None}
    assert reads["c"] == {"events": None}


def test_a_destination_changed_re_executes_its_page_alone_as_force_would(project, tmp_path):
    change_month(project, "KOR")
    assert executed(build(project)) == {"b"}
    forced = Path(shutil.copytree(project, tmp_path / "forced"))
    assert executed(build(forced, "--force")) == {"a", "b", "c"}
    assert published(forced) == published(project)


def test_the_world_changed_re_executes_the_pages_that_divide_by_it(project):
    change_month(project, "WLD")
    assert executed(build(project)) == {"a", "b"}


def test_nothing_changed_re_executes_nothing(project):
    assert executed(build(project)) == set()
