"""A two-page project the build tests can build, kill and rebuild in seconds, and a three-page
one whose pages read the data (`make_data_project`).

Each page's notebook prints its kernel's transport and its value, and records the value as a
metric, so a new value changes both executed notebooks, metrics.csv and the site. With
REBOOK_TEST_HOLD=<file> in the environment, each kernel writes `<file>.<label>.pid` (its pid and
its worker's) and waits while <file> exists: a test can stop a build in mid-execution, without
timing anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
HOLD = "REBOOK_TEST_HOLD"
PAGE_CODE = """\
import os, time
from pathlib import Path
from ipykernel.kernelapp import IPKernelApp
from rare_earth_exports.present.page import Page

hold = os.environ.get("REBOOK_TEST_HOLD")
if hold:
    Path(f"{hold}.{label}.pid").write_text(f"{os.getpid()} {os.getppid()}")
    while Path(hold).exists():
        time.sleep(0.05)
page = Page("tiny", label)
page.add("2025-01", "WLD", "magnets", "level", value, "t")
page.publish()
print(f"transport {IPKernelApp.instance().transport}; {label} = {value}")
"""


# A page of the data project: one destination's magnets, as tonnes and as a share of the world,
# or (partner "") the number of events. It reads through core.load, as the book's pages do.
DATA_PAGE_CODE = """\
from rare_earth_exports.core.load import load_book_data
from rare_earth_exports.present.page import Page

data = load_book_data(data_dir)
page = Page("tiny", label)
if partner:
    obs = data.observations
    months = obs[(obs["product"] == "magnets") & (obs["unit"] == "t") & (obs["n_months"] == 1)].set_index("period")
    mine, world = months.loc[months["partner"] == partner, "value"], months.loc[months["partner"] == "WLD", "value"]
    share = 100 * mine.sum() / world.reindex(mine.index).sum()
    page.add("2025", partner, "magnets", "level", mine.sum(), "t")
    page.publish()
    print(f"{data.partner_name(partner)}: {mine.sum():.1f} t, {share:.3f}% of the world")
else:
    print(f"{len(data.events)} events")
"""


def write_notebook(path: Path, code: str = PAGE_CODE, parameters: str = 'data_dir = "data"\nlabel = "a"\nvalue = 0') -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"),
                nbformat.v4.new_code_cell(parameters),
                nbformat.v4.new_code_cell(code)]
    nb.cells[1].metadata["tags"] = ["parameters"]
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    nbformat.write(nb, path)


def set_value(project: Path, value: int) -> None:
    """Both pages take `value`: a new value re-executes them and changes every output."""
    (project / "parameters.yml").write_text(
        f"defaults:\n  value: {value}\npages:\n"
        "  - {notebook: notebooks/page.ipynb, output: book/a.ipynb, chapter: tiny, params: {label: a}}\n"
        "  - {notebook: notebooks/page.ipynb, output: book/b.ipynb, chapter: tiny, params: {label: b}}\n",
        encoding="utf-8")


def make_project(project: Path, value: int = 1) -> Path:
    for name in ("notebooks", "book/results", "src/rare_earth_exports"):
        (project / name).mkdir(parents=True)  # src/rare_earth_exports marks the project root for `rebook`
    shutil.copytree(ROOT / "data", project / "data")
    for name in ("book/_static", "book/_root"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copyfile(ROOT / "_config.yml", project / "_config.yml")
    (project / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/a\n  - file: book/b\n",
                                      encoding="utf-8")
    (project / "book" / "index.md").write_text("# Tiny\n", encoding="utf-8")
    write_notebook(project / "notebooks" / "page.ipynb")
    set_value(project, value)
    return project


def make_data_project(project: Path) -> Path:
    """Three pages that read the data: the United States, Korea, and the events alone."""
    make_project(project)
    write_notebook(project / "notebooks" / "page.ipynb", DATA_PAGE_CODE, 'data_dir = "data"\nlabel = "a"\npartner = "USA"')
    (project / "parameters.yml").write_text(
        "pages:\n"
        "  - {notebook: notebooks/page.ipynb, output: book/a.ipynb, chapter: tiny, params: {label: a, partner: USA}}\n"
        "  - {notebook: notebooks/page.ipynb, output: book/b.ipynb, chapter: tiny, params: {label: b, partner: KOR}}\n"
        "  - {notebook: notebooks/page.ipynb, output: book/c.ipynb, chapter: tiny, params: {label: c, partner: ''}}\n",
        encoding="utf-8")
    (project / "_toc.yml").write_text("format: jb-book\nroot: book/index\nchapters:\n  - file: book/a\n  - file: book/b\n"
                                      "  - file: book/c\n", encoding="utf-8")
    return project


def rebook_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "rare_earth_exports.cli", *args]


def rebook_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REBOOK_FAULT", HOLD)}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def build(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(rebook_command("build", "--jobs", "2", *args), cwd=project, env=rebook_env(**env),
                          capture_output=True, text=True)


def state(project: Path) -> dict[str, bytes]:
    """Every file of book/, data/ and _build/html, by path."""
    return {p.relative_to(project).as_posix(): p.read_bytes()
            for folder in ("book", "data", "_build/html") if (project / folder).exists()
            for p in sorted((project / folder).rglob("*")) if p.is_file()}
