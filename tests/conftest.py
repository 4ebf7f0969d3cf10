"""Shared fixtures: the project root, what a page glues, and a site built from this checkout in a temporary copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def project_files() -> list[str]:
    """The files git tracks (plus untracked ones it does not ignore), as a fresh clone has them."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line and (ROOT / line).is_file()]


def copy_project(dest: Path) -> Path:
    for rel in project_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    return dest


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run([sys.executable, "-m", "rare_earth_exports.cli", "build", "--jobs", "2", *args],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture
def glued(monkeypatch) -> dict:
    """What a page's `glue_page` glues, by key, instead of writing it into a notebook."""
    import myst_nb

    recorded = {}

    def record(key, value, display=True):
        assert key not in recorded, f"{key} glued twice"
        recorded[key] = value

    monkeypatch.setattr(myst_nb, "glue", record)
    return recorded


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """`rebook build` in a copy of the checkout; returns the copy (site in _build/html)."""
    project = copy_project(tmp_path_factory.mktemp("site"))
    proc = run_build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project
