"""Build timings, taken in a throwaway copy of the project so the working tree is never touched.

- cold: the copy's executed notebooks, `_build` and the generated Vega bundle deleted, then
  `rebook build --jobs 2` (dependencies already installed);
- no-op: the same command again, nothing changed;
- one destination's value: the latest magnets month of one destination (`DESTINATION`) in
  `data/observations.csv` raised by one tonne, then the same command (only the pages that read
  that destination's figures are executed again);
- the world's value: then the latest world magnets month raised by one tonne, the same command;
- reference: the same pages built by Jupyter Book's own execution (`execute_notebooks: cache`,
  serial), from the source notebooks with their parameters injected by papermill
  (`prepare_only`), from a clean `_build`. Only the `jupyter-book build` is timed.
"""

from __future__ import annotations

import copy
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

DESTINATION = "VNM"  # a destination with a page of its own and no comparison page
MONTHLY_MAGNETS = re.compile(r"^(\d{4}-\d{2}),CHN,(\w+),export,magnets,t,")
REFERENCE_EXECUTE = {"execute_notebooks": "cache", "timeout": 600}


class BenchError(RuntimeError):
    """A build inside the benchmark failed; the message carries the tail of its output."""


def copy_project(repo: Path, dest: Path, ref: str | None = None) -> Path:
    """The files git tracks, nothing else (no .venv, no _build, no executed leftovers).

    With `ref` (a branch or commit of the same repository), the files as committed there.
    """
    if ref:
        import io
        import tarfile

        data = subprocess.run(["git", "archive", "--format=tar", ref], cwd=repo, capture_output=True, check=True).stdout
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
        return dest
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = repo / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def replicate_pages(root: Path, copies: int) -> None:
    """Adds `copies - 1` replicas of every page to the copy's plan and table of contents.

    A stand-in for a bigger book (more chapters, more destinations) while it is still small;
    only the temporary copy is edited.
    """
    import yaml

    if copies <= 1:
        return
    params_path, toc_path = root / "parameters.yml", root / "_toc.yml"
    spec = yaml.safe_load(params_path.read_text(encoding="utf-8"))
    # Each replica gets a parameter of its own, so no cache (ours or jupyter-cache's) sees a
    # notebook it has executed before: the replicas are executed like distinct pages.
    replicas = [{**copy.deepcopy(page), "output": page["output"].replace(".ipynb", f"-copy{k}.ipynb"),
                 "params": {**page.get("params", {}), "bench_replica": k}}
                for k in range(2, copies + 1) for page in spec["pages"]]
    spec["pages"] += replicas
    params_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    toc.setdefault("parts", []).append({"caption": "Replicas (benchmark)", "chapters": [{"glob": "book/*-copy*"}]})
    toc_path.write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")


def project_env(root: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(root / "src"), "PYTHONHASHSEED": "0"}


class Timed(NamedTuple):
    seconds: float  # wall time
    output: str
    cpu_s: float    # user + system time of the command and every process it waited for


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], root: Path) -> Timed:
    cpu, start = _children_cpu_s(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=project_env(root), capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu_s() - cpu
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise BenchError(f"{' '.join(cmd)} failed (exit {proc.returncode}) in {root}:\n{tail}")
    return Timed(seconds, proc.stdout + proc.stderr, cpu)


def rebook_build(root: Path, jobs: int) -> Timed:
    return run_timed([sys.executable, "-m", "rare_earth_exports.cli", "build", "--jobs", str(jobs)], root)


def executed_count(summary: str) -> int:
    match = re.search(r"executed (\d+) notebook", summary)
    return int(match.group(1)) if match else -1


def make_cold(root: Path) -> None:
    for nb in (root / "book").rglob("*.ipynb"):
        nb.unlink()
    (root / "book" / "_static" / "vega-bundle.js").unlink(missing_ok=True)
    shutil.rmtree(root / "_build", ignore_errors=True)


def change_one_value(root: Path, partner: str = "WLD", step: float = 1.0) -> str:
    """Raises the latest monthly magnets figure of `partner` (WLD: the world) by `step`; returns
    what changed.

    Only that field of that line is rewritten, so the file stays byte-identical elsewhere.
    """
    path = root / "data" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [(m.group(1), i) for i, line in enumerate(lines)
            if (m := MONTHLY_MAGNETS.match(line)) and m.group(2) == partner]
    if not hits:
        raise BenchError(f"no monthly magnets figure of {partner} in data/observations.csv to change")
    period, i = max(hits)
    fields = lines[i].split(",", 7)
    old = fields[6]
    fields[6] = f"{float(old) + step:g}"
    lines[i] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    return f"{period} {'world' if partner == 'WLD' else partner} magnets {old} -> {fields[6]} t"


PREPARE = r"""
import sys, yaml, nbformat, papermill as pm
from pathlib import Path
from rare_earth_exports.build.plan import build_plan
from rare_earth_exports.present.render import write_vega_bundle
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
print("PAGES", len(build_plan(root, "data")))
"""


def prepare_reference(root: Path) -> int:
    """Source notebooks with parameters injected at the pages' paths; Jupyter Book executes them."""
    make_cold(root)
    out = run_timed([sys.executable, "-c", PREPARE, str(root), json.dumps(REFERENCE_EXECUTE)], root).output
    return int(re.search(r"^PAGES (\d+)$", out, re.M).group(1))


def reference_build(root: Path) -> Timed:
    """Jupyter Book's own serial, cached execution from a clean `_build` (cache included)."""
    shutil.rmtree(root / "_build", ignore_errors=True)
    jb = Path(sys.executable).with_name("jupyter-book")
    run = run_timed([str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"], root)
    executed = len(re.findall(r"Executed notebook in", run.output))
    return run._replace(output=f"executed {executed} notebook(s)")



# Where a build's time goes: the build's own functions wrapped with timers (cProfile would
# inflate the import-heavy steps several times over). Execution and the site build run in other
# processes; they show as the time the build waits for them. Lazy imports count in their step.
STEPS = r"""
import importlib, json, sys, time
start = time.perf_counter()
spent = {}
import rare_earth_exports.cli, rare_earth_exports.build.run, rare_earth_exports.curate.validate
import rare_earth_exports.build.plan, rare_earth_exports.present.render
run = rare_earth_exports.build.run
spent["importing the build's modules"] = time.perf_counter() - start

def timed(module, name, label):
    mod = importlib.import_module(module)
    inner = getattr(mod, name, None)
    if inner is None:  # another version of the build: that step is simply not timed
        return
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
    setattr(mod, name, wrapper)

def waiting(futures):
    it = iter(run.__dict__["_as_completed"](futures))
    while True:
        t = time.perf_counter()
        try:
            fut = next(it)
        except StopIteration:
            return
        finally:
            spent["notebook execution (waiting for the workers)"] = spent.get("notebook execution (waiting for the workers)", 0.0) + time.perf_counter() - t
        yield fut

if hasattr(run, "as_completed"):
    run._as_completed = run.as_completed
    run.as_completed = waiting
for module, name, label in json.loads(sys.argv[1]):
    timed(module, name, label)
code = rare_earth_exports.cli.main(["build", "--jobs", sys.argv[2]])
spent["total: inside Python, from the first import"] = time.perf_counter() - start
print(json.dumps(spent))
sys.exit(code)
"""
TIMED_STEPS = (
    ("rare_earth_exports.curate.validate", "validate_data_dir", "data validation"),
    ("rare_earth_exports.build.plan", "build_plan", "build plan"),
    ("rare_earth_exports.present.render", "write_vega_bundle", "Vega bundle generated and compared"),
    ("rare_earth_exports.build.run", "code_hash", "input hashes"),
    ("rare_earth_exports.build.run", "input_hash", "input hashes"),
    ("rare_earth_exports.build.run", "sync_tree", "staging copies"),
    ("rare_earth_exports.build.run", "write_metrics", "metrics.csv"),
    ("rare_earth_exports.build.run", "build_site", "site build (waiting for jupyter-book)"),
    ("rare_earth_exports.build.run", "publish", "publish"),
)


def build_steps(root: Path, jobs: int) -> dict[str, float]:
    """Seconds per step of one `rebook build` in `root`, plus `wall` (the process, start-up included)."""
    seconds, out, _ = run_timed([sys.executable, "-c", STEPS, json.dumps(TIMED_STEPS), str(jobs)], root)
    spent = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    parts = sum(v for k, v in spent.items() if not k.startswith("total"))
    return {**spent, "other (interpreter start-up, site hash, cleaning notebooks)": seconds - parts,
            "total: the process, wall": seconds}
