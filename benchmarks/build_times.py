"""Build timings, taken in a throwaway copy of the project so the working tree is never touched.

- cold: the copy's executed notebooks, `_build` and the generated Vega bundle deleted, then
  `rebook build --jobs 2` (dependencies already installed);
- no-op: the same command again, nothing changed;
- one value: the latest world magnets month in `data/observations.csv` raised by one tonne, then
  the same command;
- reference: the same pages built by Jupyter Book's own execution (`execute_notebooks: cache`,
  serial), from the source notebooks with their parameters injected by papermill
  (`prepare_only`), from a clean `_build`. Only the `jupyter-book build` is timed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

CHANGED_SERIES = re.compile(r"^(\d{4}-\d{2}),CHN,WLD,export,magnets,t,")
REFERENCE_EXECUTE = {"execute_notebooks": "cache", "timeout": 600}


class BenchError(RuntimeError):
    """A build inside the benchmark failed; the message carries the tail of its output."""


def copy_project(repo: Path, dest: Path) -> Path:
    """The files git tracks, nothing else (no .venv, no _build, no executed leftovers)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = repo / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def project_env(root: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(root / "src"), "PYTHONHASHSEED": "0"}


def run_timed(cmd: list[str], root: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=project_env(root), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise BenchError(f"{' '.join(cmd)} failed (exit {proc.returncode}) in {root}:\n{tail}")
    return seconds, proc.stdout + proc.stderr


def rebook_build(root: Path, jobs: int) -> tuple[float, str]:
    return run_timed([sys.executable, "-m", "rare_earth_exports.cli", "build", "--jobs", str(jobs)], root)


def executed_count(summary: str) -> int:
    match = re.search(r"executed (\d+) notebook", summary)
    return int(match.group(1)) if match else -1


def make_cold(root: Path) -> None:
    for nb in (root / "book").rglob("*.ipynb"):
        nb.unlink()
    (root / "book" / "_static" / "vega-bundle.js").unlink(missing_ok=True)
    shutil.rmtree(root / "_build", ignore_errors=True)


def change_one_value(root: Path, step: float = 1.0) -> str:
    """Raises the latest monthly world magnets figure by `step`; returns what changed.

    Only that field of that line is rewritten, so the file stays byte-identical elsewhere.
    """
    path = root / "data" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [(m.group(1), i) for i, line in enumerate(lines) if (m := CHANGED_SERIES.match(line))]
    if not hits:
        raise BenchError("no monthly world magnets figure in data/observations.csv to change")
    period, i = max(hits)
    fields = lines[i].split(",", 7)
    old = fields[6]
    fields[6] = f"{float(old) + step:g}"
    lines[i] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    return f"{period} world magnets {old} -> {fields[6]} t"


PREPARE = r"""
import sys, yaml, nbformat, papermill as pm
from pathlib import Path
from rare_earth_exports.plan import build_plan
from rare_earth_exports.site_assets import write_vega_bundle
root = Path(sys.argv[1])
execute = yaml.safe_load(sys.argv[2])
for job in build_plan(root, "data"):
    out = root / job.output
    out.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(str(root / job.notebook), str(out), parameters=job.params, prepare_only=True,
                        kernel_name="python3", progress_bar=False, log_output=False)
    nb = nbformat.read(out, as_version=4)
    for cell in nb.cells:  # hidden as in the real build, so both sites show the same page
        tags = cell.metadata.get("tags", [])
        if ("injected-parameters" in tags or "parameters" in tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(nb, out)
write_vega_bundle(root / "book" / "_static")
config = root / "_config.yml"
text = config.read_text(encoding="utf-8")
spec = yaml.safe_load(text)
spec["execute"] = execute
config.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
print(len(build_plan(root, "data")))
"""


def prepare_reference(root: Path) -> int:
    """Source notebooks with parameters injected at the pages' paths; Jupyter Book executes them."""
    make_cold(root)
    _, out = run_timed([sys.executable, "-c", PREPARE, str(root), json.dumps(REFERENCE_EXECUTE)], root)
    return int(out.strip().splitlines()[-1])


def reference_build(root: Path) -> tuple[float, str]:
    """Jupyter Book's own serial, cached execution from a clean `_build` (cache included)."""
    shutil.rmtree(root / "_build", ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    seconds, out = run_timed([str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"], root)
    executed = len(re.findall(r"Executed notebook in", out))
    return seconds, f"executed {executed} notebook(s)"
