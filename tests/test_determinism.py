"""Two builds of the same commit and data write byte-identical outputs, equal to the committed ones.

The project (every file git tracks or would track) is copied to a temporary folder and built
twice with `--force`: the first build starts from nothing, the second reuses Sphinx's cache, as
on a developer's machine. Both must write the same executed notebooks, metrics.csv and site
(except `build.SITE_STAMPED`), and the notebooks and metrics.csv must be the committed ones, so
that building leaves `git status` clean. A third build, on a copy of the data with one figure
changed, checks that `rebook diff` against the committed outputs reports that figure's
consequences and nothing else.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from rare_earth_exports.build.run import SITE_STAMPED
from rare_earth_exports.curate.consistency import span_checks
from rare_earth_exports.core.periods import months_of
from rare_earth_exports.build.diff import compare, load_vintage, render_text

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
MEMORY_ADDRESS = re.compile(rb" at 0x[0-9a-f]{6,}")


def project_files() -> list[str]:
    """Tracked and untracked-but-not-ignored files (the .venv link excluded)."""
    proc = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          capture_output=True, check=True)
    names = {n for n in proc.stdout.decode().split("\0") if n}
    return sorted(n for n in names if n.split("/")[0] != ".venv" and (ROOT / n).is_file())


def rebook(project: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    proc = subprocess.run([sys.executable, "-m", "rare_earth_exports.cli", *args], cwd=project, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def outputs(project: Path, site: bool = True) -> dict[str, bytes]:
    """The executed notebooks, metrics.csv, the CSV files the pages offer and (with site) every
    file of _build/html."""
    files = (sorted((project / "book").rglob("*.ipynb")) + [project / "book/results/metrics.csv"]
             + sorted(p for p in (project / "book/_static/downloads").rglob("*") if p.is_file()))
    if site:
        files += [p for p in sorted((project / "_build/html").rglob("*"))
                  if p.is_file() and p.relative_to(project / "_build/html").as_posix() not in SITE_STAMPED]
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    try:
        names = project_files()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    base = tmp_path_factory.mktemp("determinism")
    project = base / "project"
    for name in names:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, project / name)
    committed = outputs(project, site=False)
    shutil.copytree(project / "book", base / "committed" / "book")
    rebook(project, "build", "--force", "--jobs", "2")
    first = outputs(project)
    rebook(project, "build", "--force", "--jobs", "2")
    return SimpleNamespace(base=base, project=project, committed=committed, first=first, second=outputs(project))


def test_two_builds_write_identical_files(builds):
    assert "_build/html/index.html" in builds.first and "book/results/metrics.csv" in builds.first
    assert sorted(builds.first) == sorted(builds.second)
    assert sorted(k for k in builds.first if builds.first[k] != builds.second[k]) == []


def test_a_build_writes_the_committed_notebooks_and_metrics(builds):
    """Building leaves git status clean (notebooks, metrics.csv, downloads); if not, run `make
    book` and commit book/."""
    built = {k: v for k, v in builds.first.items() if not k.startswith("_build/")}
    assert sorted(built) == sorted(builds.committed)
    assert sorted(k for k in built if built[k] != builds.committed[k]) == []


def test_outputs_hold_no_path_or_memory_address(builds):
    here = [str(builds.project).encode(), str(ROOT).encode()]
    leaks = sorted(k for k, v in builds.first.items()
                   if any(h in v for h in here) or MEMORY_ADDRESS.search(v))
    assert leaks == []


def changed_data(project: Path, target: Path) -> dict:
    """Copies data/ to target, moving the last month of a complete total out of rounding (by 3
    tolerances, under the 5 % that stops the build); returns what was changed."""
    shutil.copytree(project / "data", target)
    path = target / "observations.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    before = span_checks(rows)
    for rec in before:
        if rec["status"] != "agrees" or 4 * rec["tolerance"] >= rec["total"] * 5 / 100:
            continue
        month = str(months_of(rec["period"])[-1])
        row = next(r for r in rows if r["partner"] == rec["partner"] and r["product"] == rec["product"]
                   and r["unit"] == rec["unit"] and r["flow"] == rec["flow"] and r["period"] == month)
        old = row["value"]
        row["value"] = f"{float(old) + 3 * float(rec['tolerance']):.1f}"
        after = span_checks(rows)
        if not any(r["status"] == "contradicts" for r in after):
            break
        row["value"] = old
    else:
        pytest.fail("no figure to change in data/")
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    agree = sum(r["status"] == "agrees" for r in before), sum(r["status"] == "agrees" for r in after)
    return {"partner": row["partner"], "product": row["product"], "agree": agree}


def test_a_changed_figure_reports_exactly_its_consequences(builds):
    project = builds.project
    change = changed_data(project, project / "data-changed")
    rebook(project, "build", "--data", "data-changed", "--jobs", "2")
    report = compare(load_vintage(str(builds.base / "committed"), project), load_vintage(None, project))
    text = render_text(report)
    assert [c.kind for c in report.changes if c.kind != "changed"] == [], text
    # the span checks of the data page count one or more agreeing totals fewer ...
    agree = [c for c in report.changes if c.glue_key == "data_n_span_agree"]
    assert [(c.old, c.new) for c in agree] == [tuple(float(n) for n in change["agree"])], text
    # ... and every other figure that moved belongs to the changed series or to a book-wide count
    def partners(label: str) -> set[str]:  # "USA vs WLD", "USA+EU27+DEU" name several partners
        return set(re.split(r" vs |\+|/", label))

    unrelated = [c for c in report.changes if c not in agree
                 and not (c.key[4] in (change["product"], "ALL")
                          and partners(c.key[3]) & {change["partner"], "WLD", "ALL"})]
    assert unrelated == [], text
    # the home page lists a glued value only if its figure changed
    glued = {(c.key[1], g) for c in report.changes for g in c.glue_key.split(";") if g}
    assert all((h.page, h.key) in glued for h in report.home if not isinstance(h.old, str)), text
