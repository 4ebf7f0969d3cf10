"""Execute the notebooks with papermill, then build the site with Jupyter Book (execution off).

The build is all-or-nothing. Notebooks execute into a staging copy of the book; the site is
built from that copy; only when every notebook and the site build succeed are the executed
notebooks, `book/results/` and `_build/html` replaced (`publish`: a kill or a full disk never
leaves half of them). A failure leaves the last good book and site in place and says which
notebook, which cell and what error. One build runs at a time per checkout (`lock`).

A notebook is executed again only when the hash of its inputs changed: its source, its
parameters, the package code and the part of the data it read when it last ran (`inputs`). The
hash and the record of reads are stored in the executed notebook's metadata, so a fresh clone
reuses the committed outputs.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..core.reads import READS_ENV
from ..core.sizes import file_size
from ..present.downloads import DOWNLOAD_PREFIX
from ..present.figure import SHARE_CARD_KEY
from ..present.page import DECIMALS, METRIC_COLUMNS, METRICS_KEY
from . import faults
from .diff import glued_values
from .errors import BuildError
from .inputs import PACKAGE_DIR, DataSlices, Reads, code_hash, digest_files, extension_files, input_hash, stored_inputs
from .kernels import KERNEL_LOG, die_with_parent, init_worker, kernel_config, remove_sockets_of, socket_folder
from .lock import build_lock
from .plan import Job
from .publish import SITE, SITE_STAMP, free_space, is_disk_full, publish, recover
from .stamp import source_date_epoch

BOOK_DIR = "book"
RESULTS = "book/results/metrics.csv"
DOWNLOADS = "book/_static/downloads"          # the CSV under every chart and table: published with book/
SHARE_CARD = "book/_static/share-card.png"    # the link-preview image, in the site only
STAGE = Path("_build/stage")
READS = Path("_build/reads")                  # what each kernel read of the data (`core.reads`)
SITE_INPUTS = ("_config.yml", "_toc.yml")
INCLUDED_DIRS = ("releases",)                 # folders whose files a page includes (book/changes.md)
# The hash of the Vega bundle as last written whole (see `install_vega_bundle`).
VEGA_BUNDLE_HASH = Path("_build/.vega-bundle-hash")
VOLATILE_NOTEBOOK_KEYS = ("papermill", "execution", "widgets")
# Site files that two builds of the same inputs may write differently, with the reason; the
# determinism test compares every other file of _build/html byte for byte. Empty: Sphinx's
# stamps are pinned (html_last_updated_fmt off, PYTHONHASHSEED=0 for the search index, myst-nb's
# stylesheet seeded before the first page is written, see `seed_mystnb_css`).
SITE_STAMPED: dict[str, str] = {}


# --- execution ----------------------------------------------------------------------------

def execute_job(source: str, output: str, params: dict, cwd: str, sockets: str, reads: str) -> None:
    """Runs in a worker process: papermill execution of one notebook, its kernel over IPC
    sockets named from `sockets` (see `kernels`), recording what it reads of the data in the
    file `reads` (the kernel inherits the worker's environment)."""
    import papermill as pm

    os.environ[READS_ENV] = reads
    pm.execute_notebook(source, output, parameters=params, cwd=cwd, kernel_name="python3",
                        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                        config=kernel_config(sockets))


def execute_all(root: Path, stage: Path, todo: list[tuple[Job, str]], data: DataSlices, jobs_n: int) -> list[str]:
    """Executes the notebooks into the stage, `jobs_n` at a time; returns a message per failure.

    `todo` pairs each job with its `code_hash`; an executed notebook stores its input hash
    computed from what its kernel recorded reading.

    Interrupted, it stops the workers at once (their kernels follow) instead of letting them
    finish the queue.
    """
    from tqdm import tqdm

    failures = []
    log = root / KERNEL_LOG
    log.write_bytes(b"")
    shutil.rmtree(root / READS, ignore_errors=True)
    (root / READS).mkdir(parents=True)
    with socket_folder() as sockets:
        pool = ProcessPoolExecutor(max_workers=max(1, min(jobs_n, len(todo))),
                                   initializer=init_worker, initargs=(os.getpid(), str(log)))
        try:
            futures = {}
            for number, (job, code) in enumerate(todo):
                out = stage / job.output
                out.parent.mkdir(parents=True, exist_ok=True)
                reads = root / READS / f"{number}.json"
                futures[pool.submit(execute_job, str(root / job.notebook), str(out), job.params, str(out.parent),
                                    str(sockets / str(number)), str(reads))] = (job, code, reads)
            bar = tqdm(total=len(futures), desc="executing", unit="notebook", file=sys.stderr, disable=None)
            for fut in as_completed(futures):
                job, code, reads = futures[fut]
                bar.set_postfix_str(job.output)
                try:
                    fut.result()
                    recorded = json.loads(reads.read_text(encoding="utf-8")) if reads.exists() else None
                    clean_notebook(stage / job.output, input_hash(code, data, recorded), recorded)
                except Exception as exc:  # report every failing notebook, then stop
                    failures.append(failure_message(job, exc, root / job.notebook))
                bar.update(1)
            bar.close()
        except BaseException:
            for worker in multiprocessing.active_children():
                worker.terminate()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return failures


def clean_notebook(path: Path, digest: str, reads: Reads | None) -> None:
    """Strips what changes between runs, hides the parameters cells and records the input hash
    and what the page read of the data (none recorded: the whole folder counts)."""
    nb = nbformat.read(path, as_version=4)
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["rebook"] = {"input_hash": digest, **({"reads": reads} if reads is not None else {})}
    for cell in nb.cells:
        for key in VOLATILE_NOTEBOOK_KEYS:
            cell.metadata.pop(key, None)
        tags = cell.metadata.get("tags", [])
        if ("injected-parameters" in tags or "parameters" in tags) and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
    nbformat.write(nb, path)


def failure_message(job: Job, exc: BaseException, source: Path | None = None) -> str:
    """Which notebook, which cell and what error, in the terms of the source notebook.

    papermill counts cells in the executed copy (with an injected-parameters cell and its own
    error banners), so the cell is found in the source notebook by its code and named by its id
    (`cell-002`, as in notebooks/) and its position, with the first line it ran.
    """
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    code = getattr(exc, "source", None)
    if code is None:
        return f"{job.notebook} -> {job.output} failed before running a cell: {ename}: {evalue}"
    where = "the injected parameters cell"
    try:
        cells = nbformat.read(source, as_version=4).cells if source else []
    except Exception:  # an unreadable source notebook: the code line below still locates the cell
        cells = []
    matches = [c for c in cells if c.cell_type == "code" and c.source == code]
    if matches:
        number = cells.index(matches[0]) + 1
        where = f"cell {number} (id {matches[0].get('id')})" if matches[0].get("id") else f"cell {number}"
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    first = f", which starts `{lines[0][:80]}`" if lines else ""
    return f"{job.notebook} -> {job.output} failed in {where}{first}: {ename}: {evalue}"


# --- metrics ------------------------------------------------------------------------------

def notebook_metrics(path: Path) -> list[dict]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == METRICS_KEY:
                text = out["data"]["application/papermill.record/text/plain"]
                return json.loads(ast.literal_eval(text))
    return []


def write_metrics(notebooks: list[Path], target: Path) -> int:
    import pandas as pd

    rows = [r for nb in notebooks for r in notebook_metrics(nb)]
    df = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    df = df.sort_values(METRIC_COLUMNS[:7] + ["glue_key"], kind="mergesort").reset_index(drop=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    # fixed decimals: the text of a value does not depend on float formatting, and a changed
    # figure is a one-line diff
    df.to_csv(target, index=False, lineterminator="\n", float_format=f"%.{DECIMALS}f")
    return len(df)


# --- files the pages offer ------------------------------------------------------------------

def glued(path: Path, wanted) -> dict[str, str]:
    """The strings a notebook glued (without showing them) under the keys `wanted(key)` accepts."""
    return {k: v for k, v in glued_values(path.read_text(encoding="utf-8")).items() if wanted(k)}


def write_if_changed(target: Path, content: bytes) -> None:
    if not target.exists() or target.read_bytes() != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def write_downloads(notebooks: list[Path], folder: Path) -> int:
    """The CSV files the pages' charts and tables offer (`present.downloads`), and no other file."""
    files = {}
    for nb in notebooks:
        for text in glued(nb, lambda key: key.startswith(DOWNLOAD_PREFIX)).values():
            record = json.loads(text)
            files[record["file"]] = record["csv"].encode("utf-8")
    for rel, content in files.items():
        write_if_changed(folder / rel, content)
    for path in sorted(folder.rglob("*"), reverse=True) if folder.exists() else []:
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return len(files)


def write_share_card(notebooks: list[Path], target: Path) -> bool:
    """The link-preview image: the chart a page marked `share`, as PNG (vl-convert, no network)."""
    import vl_convert

    specs = [text for nb in notebooks for text in glued(nb, lambda key: key == SHARE_CARD_KEY).values()]
    if not specs:
        return False
    write_if_changed(target, vl_convert.vegalite_to_png(json.loads(specs[0]), scale=1))
    return True


# --- staging and publishing -----------------------------------------------------------------

def stage_file(src: Path, dst: Path) -> None:
    """Copies one file into the stage; a failed write says which file, its size and the space left."""
    try:
        faults.reached("stage", dst)
        shutil.copyfile(src, dst)
    except OSError as exc:
        space = (f" ({file_size(src.stat().st_size)} to write, {file_size(free_space(dst.parent))} free)"
                 if is_disk_full(exc) else "")
        raise BuildError(f"staging failed: copying {src} to {dst}: {exc.strerror}{space}; "
                         "the previous book and site are untouched") from exc


def sync_tree(src: Path, dst: Path, ignore: tuple[str, ...] = ()) -> None:
    """Makes dst a copy of src, writing only files whose content differs (keeps Sphinx incremental)."""
    dst.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        if any(part in ignore for part in rel.parts):
            continue
        wanted.add(rel)
        target = dst / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif not target.exists() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            stage_file(path, target)
    for path in sorted(dst.rglob("*"), reverse=True):
        if path.relative_to(dst) not in wanted:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def site_hash(stage: Path) -> str:
    """What the site is built from: the staged book and configuration, and the package's Sphinx extensions."""
    files = [p for p in stage.rglob("*") if p.is_file() and "_build" not in p.relative_to(stage).parts]
    return digest_files(files, stage) + digest_files(extension_files(stage / "_config.yml"), PACKAGE_DIR)


def seed_mystnb_css(html_dir: Path) -> None:
    """Puts myst-nb's stylesheet in the site before Sphinx writes any page.

    myst-nb copies it only when the build finishes, so a first build would link it without
    Sphinx's `?v=` checksum and every later build with one; seeded, both write the same HTML.
    """
    from importlib import resources

    css = (resources.files("myst_nb.static") / "mystnb.css").read_bytes()
    target = html_dir / "_static" / f"mystnb.{hashlib.sha256(css).hexdigest()}.css"
    if not target.exists() or target.read_bytes() != css:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(css)


def build_site(root: Path, stage: Path) -> None:
    """Jupyter Book 1, execution off, warnings as errors, into stage/_build/html.

    Sphinx's own scratch in stage/_build is reused only after a run that finished: the stamp
    of the configuration is removed while Sphinx runs, so a run that was stopped, failed or
    ran out of space (possibly leaving pages half written) is followed by a site built afresh.
    """
    config_stamp = stage / "_build" / ".config-hash"
    # the page list is part of the configuration: Sphinx never deletes the HTML of a page that
    # went away, so a new set of pages starts from an empty site
    pages = sorted(p.relative_to(stage).as_posix() for p in (stage / BOOK_DIR).rglob("*")
                   if p.suffix in (".md", ".ipynb"))
    config_hash = digest_files([stage / n for n in SITE_INPUTS], stage) + \
        digest_files(extension_files(stage / "_config.yml"), PACKAGE_DIR) + \
        hashlib.sha256("\n".join(pages).encode()).hexdigest()  # Sphinx rereads no page for an edited extension
    if not config_stamp.exists() or config_stamp.read_text() != config_hash:
        shutil.rmtree(stage / "_build", ignore_errors=True)  # Sphinx keeps stale configuration
    config_stamp.unlink(missing_ok=True)
    seed_mystnb_css(stage / "_build" / "html")
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb), "build", str(stage), "--builder", "html", "-W", "-n", "--keep-going"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    epoch = source_date_epoch(root, dict(os.environ))
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch  # the home page's "built" date: the commit's, never the wall clock
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          preexec_fn=functools.partial(die_with_parent, os.getpid()))
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-40:])
        raise BuildError(f"Jupyter Book failed (exit {proc.returncode}); the previous site is untouched:\n{tail}")
    config_stamp.parent.mkdir(parents=True, exist_ok=True)
    config_stamp.write_text(config_hash)


def install_vega_bundle(root: Path) -> None:
    """The charts' library in book/_static, never a truncated one.

    `write_vega_bundle` keeps a bundle whose first line names the right versions and writes in
    place, so a build stopped while writing it would leave a truncated bundle every later build
    reused. The bundle is kept only if its hash is the one recorded after it was last written whole.
    """
    from ..present.render import BUNDLE_NAME, write_vega_bundle

    bundle, record = root / BOOK_DIR / "_static" / BUNDLE_NAME, root / VEGA_BUNDLE_HASH
    if bundle.exists() and (not record.exists() or record.read_text() != file_hash(bundle)):
        bundle.unlink()
    write_vega_bundle(bundle.parent)
    record.parent.mkdir(parents=True, exist_ok=True)
    aside = record.with_suffix(".tmp")
    aside.write_text(file_hash(bundle))
    os.replace(aside, record)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class BuildSummary:
    executed: list[str]
    reused: list[str]
    metrics_rows: int
    site_built: bool
    seconds: float

    def __str__(self) -> str:
        lines = [f"executed {len(self.executed)} notebook(s), reused {len(self.reused)}; "
                 f"{self.metrics_rows} metric rows; site {'built' if self.site_built else 'unchanged'}; "
                 f"{self.seconds:.1f} s"]
        lines += [f"  executed: {o}" for o in self.executed]
        if not self.executed:
            lines.append("  nothing changed: no notebook was executed")
        return "\n".join(lines)


def build(root: Path, jobs: list[Job], data_dir: Path, *, jobs_n: int, force: bool, log=print) -> BuildSummary:
    """Holds the checkout's build lock, tidies what a killed build left, then builds.

    Interrupted (Ctrl-C) or short of disk space, the build stops with a message and leaves the
    last good book and site (or, stopped while moving the new files in, the complete new ones).
    """
    with build_lock(root) as killed:
        if killed is not None:
            remove_sockets_of(killed)
            log(f"cleared the stale lock of build {killed}, which was killed before it finished")
        recovered = recover(root)
        if recovered:
            log(recovered)
        try:
            return build_locked(root, jobs, data_dir, jobs_n=jobs_n, force=force)
        except KeyboardInterrupt:
            recovered = recover(root)
            raise BuildError("interrupted; " + (recovered or "the previous book and site are untouched")) from None
        except OSError as exc:
            space = f" ({file_size(free_space(root / '_build'))} free in {root / '_build'})" if is_disk_full(exc) else ""
            raise BuildError(f"the build stopped: {exc}{space}; the previous book and site are untouched") from exc


def build_locked(root: Path, jobs: list[Job], data_dir: Path, *, jobs_n: int, force: bool) -> BuildSummary:
    start = time.monotonic()
    stage = root / STAGE
    install_vega_bundle(root)
    sync_tree(root / BOOK_DIR, stage / BOOK_DIR)
    sync_tree(data_dir, stage / "data")  # the site offers the data it was built from as downloads
    for name in INCLUDED_DIRS:
        if (root / name).is_dir():
            sync_tree(root / name, stage / name)
    for name in SITE_INPUTS:
        stage_file(root / name, stage / name)
    # outputs the plan no longer writes are not carried into the new site
    planned = {j.output for j in jobs}
    todo, reused = [], []
    data = DataSlices(data_dir)
    for job in jobs:
        code = code_hash(job, root)
        stored, reads = stored_inputs(root / job.output)
        if not force and stored == input_hash(code, data, reads):
            reused.append(job.output)
        else:
            todo.append((job, code))
    failures = execute_all(root, stage, todo, data, jobs_n) if todo else []
    if failures:
        raise BuildError("notebook execution failed; the previous book and site are untouched:\n  " + "\n  ".join(failures)
                         + f"\n(what the kernels printed is in {KERNEL_LOG})")
    for stray in [p for p in (stage / BOOK_DIR).rglob("*.ipynb") if p.relative_to(stage).as_posix() not in planned]:
        stray.unlink()
    rows = write_metrics([stage / j.output for j in jobs], stage / RESULTS)
    write_downloads([stage / j.output for j in jobs], stage / DOWNLOADS)
    write_share_card([stage / j.output for j in jobs], stage / SHARE_CARD)
    digest = site_hash(stage) + (source_date_epoch(root, dict(os.environ)) or "")  # a new commit date restamps the site
    stamp = root / SITE_STAMP
    site_built = False
    if not (root / SITE / "index.html").exists() or not stamp.exists() or stamp.read_text() != digest or force:
        build_site(root, stage)
        site_built = True
    downloads = sorted(p.relative_to(stage).as_posix() for p in (stage / DOWNLOADS).rglob("*") if p.is_file())
    outputs = [j.output for j in jobs] + [RESULTS] + downloads
    replace = [rel for rel in outputs
               if not (root / rel).exists() or (root / rel).read_bytes() != (stage / rel).read_bytes()]
    stale = [p.relative_to(root).as_posix() for p in (root / BOOK_DIR).rglob("*.ipynb")]  # a page the plan no longer makes
    stale += [p.relative_to(root).as_posix() for p in (root / DOWNLOADS).rglob("*") if p.is_file()]  # a chart gone
    remove = sorted(rel for rel in stale if rel not in planned and rel not in downloads)
    publish(root, stage, replace, remove, site_built, digest)
    return BuildSummary([j.output for j, _ in todo], reused, rows, site_built, time.monotonic() - start)
