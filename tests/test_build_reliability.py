"""A build that is killed, interrupted or runs out of disk never leaves half a book, and one
build runs at a time per checkout.

Real builds of a two-page project (tests/tiny_project.py) are killed with SIGKILL at chosen
moves of publishing (REBOOK_FAULT) and stopped with SIGINT or SIGKILL while their notebooks run;
in-process, publishing is stopped at every one of its steps and runs out of space. Nothing is
timed: a test waits for files the build's notebooks write, with a deadline only so that a hung
build fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from rare_earth_exports.build import faults, publish as publishing, run
from rare_earth_exports.build.errors import BuildError
from rare_earth_exports.build.kernels import SOCKETS_PREFIX
from rare_earth_exports.build.lock import LOCK, build_lock
from rare_earth_exports.build.publish import JOURNAL, PUBLISH, publish, recover
from tiny_project import build, make_project, rebook_command, rebook_env, set_value, state

DEADLINE_S = 300  # only for a build that hangs; no assertion is about time


def copy(project: Path, dest: Path) -> Path:
    return Path(shutil.copytree(project, dest / "project"))


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The tiny project built with value 1: the last good build a stopped build must leave."""
    project = make_project(tmp_path_factory.mktemp("first") / "project")
    proc = build(project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return SimpleNamespace(project=project, proc=proc, state=state(project))


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_published(project: Path, value: int) -> None:
    """book/'s executed notebooks, metrics.csv and _build/html are the complete build of `value`:
    each is its staged copy (builds are deterministic, see test_determinism.py), and nothing more."""
    stage = project / "_build" / "stage"
    for rel in ("book/a.ipynb", "book/b.ipynb", "book/results/metrics.csv"):
        assert (project / rel).read_bytes() == (stage / rel).read_bytes(), rel
    assert files(project / "_build" / "html") == files(stage / "_build" / "html")
    for label in ("a", "b"):
        assert f"{label} = {value}" in (project / "book" / f"{label}.ipynb").read_text(encoding="utf-8")
    assert f"{value}.0000" in (project / "book" / "results" / "metrics.csv").read_text(encoding="utf-8")
    assert not (project / PUBLISH).exists()


# --- kernels ----------------------------------------------------------------------------------

def test_kernels_talk_over_ipc_and_nothing_else_reaches_the_output(first):
    for label in ("a", "b"):
        assert f"transport ipc; {label} = 1" in (first.project / "book" / f"{label}.ipynb").read_text(encoding="utf-8")
    # no "Kernel is running over TCP without encryption", no kernel log line: only the build's own words
    assert first.proc.stderr == f"validating {first.project / 'data'} ...\n"
    assert first.proc.stdout.startswith("executed 2 notebook(s), reused 0; 2 metric rows; site built;")


# --- one build at a time ----------------------------------------------------------------------

def test_a_second_build_stops_while_one_runs(first, tmp_path):
    project = copy(first.project, tmp_path)
    set_value(project, 2)
    with build_lock(project):  # this test process is the build in progress
        proc = build(project)
        assert (project / LOCK).read_text() == f"{os.getpid()}\n"
    assert proc.returncode == 1
    assert proc.stderr.endswith(f"rebook build: another build is running in this checkout (pid {os.getpid()}); "
                                f"wait for it to finish, or stop it (the lock is {project / LOCK})\n")
    assert state(project) == first.state
    assert (project / LOCK).read_text() == ""  # released and emptied: the next build finds no stale lock


def test_a_stale_lock_names_the_killed_build(tmp_path):
    (tmp_path / LOCK).parent.mkdir(parents=True)
    (tmp_path / LOCK).write_text("4242\n")
    with build_lock(tmp_path) as killed:
        assert killed == 4242
        assert (tmp_path / LOCK).read_text() == f"{os.getpid()}\n"
    with build_lock(tmp_path) as killed:
        assert killed is None


# --- killed while publishing ------------------------------------------------------------------

@pytest.mark.parametrize("point", ["publish-apply:2", "publish-apply:5"])
def test_a_build_killed_while_publishing_is_completed_by_the_next(point, first, tmp_path):
    """The journal lists 5 moves: a.ipynb, b.ipynb, metrics.csv, the old site aside, the new site
    in. Killed after the first move, or between the two moves of the site (no site at all)."""
    project = copy(first.project, tmp_path)
    set_value(project, 2)
    killed = build(project, REBOOK_FAULT=f"kill:{point}")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert (project / PUBLISH / JOURNAL).exists()
    assert (project / "_build" / "html").exists() == (point != "publish-apply:5")
    pid = int((project / LOCK).read_text())

    after = build(project)
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout.startswith(
        f"cleared the stale lock of build {pid}, which was killed before it finished\n"
        "finished publishing the build that was stopped while publishing (book/ and the site are now that build)\n"
        "executed 0 notebook(s), reused 2; 2 metric rows; site unchanged;")
    assert_published(project, 2)
    assert files(project / "data") == files(first.project / "data")


# --- stopped while executing ------------------------------------------------------------------

def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def wait_for(condition, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the build ended before {what}:\n{proc.stdout.read()}{proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_build_stopped_while_executing_leaves_the_last_good_book(first, tmp_path):
    """SIGINT (Ctrl-C) and SIGKILL while both notebooks run: the book and site stay the last good
    ones, no worker or kernel outlives the build, and the next build succeeds."""
    project = copy(first.project, tmp_path)
    set_value(project, 2)
    hold = tmp_path / "hold"
    for sig in (signal.SIGINT, signal.SIGKILL):
        hold.touch()
        proc = subprocess.Popen(rebook_command("build", "--jobs", "2"), cwd=project, text=True,
                                env=rebook_env(REBOOK_TEST_HOLD=str(hold)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        pid_files = [Path(f"{hold}.{label}.pid") for label in ("a", "b")]
        wait_for(lambda: all(p.exists() and p.read_text() for p in pid_files), "both notebooks run", proc)
        kernels_and_workers = [int(n) for p in pid_files for n in p.read_text().split()]
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=DEADLINE_S)
        if sig == signal.SIGINT:
            assert proc.returncode == 1, out + err
            assert err.endswith("rebook build: interrupted; the previous book and site are untouched\n")
        else:
            assert proc.returncode == -signal.SIGKILL
            assert list(Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}{proc.pid}-*")), "its sockets are left"
        assert state(project) == first.state
        wait_for(lambda: not any(alive(p) for p in kernels_and_workers), "the kernels and workers to end")
        for p in pid_files:
            p.unlink()
    hold.unlink()

    after = build(project)
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout.startswith(f"cleared the stale lock of build {proc.pid}, which was killed before it finished\n"
                                   "executed 2 notebook(s)")
    assert_published(project, 2)
    assert not list(Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}{proc.pid}-*"))


# --- publishing, step by step, in-process -------------------------------------------------------

REPLACE = ["book/a.ipynb", "book/results/metrics.csv", "book/new.ipynb"]
REMOVE = ["book/gone.ipynb"]
OLD = {"book/a.ipynb": b"old a", "book/results/metrics.csv": b"old metrics", "book/gone.ipynb": b"old gone",
       "book/index.md": b"# kept", "_build/html/index.html": b"old site", "_build/html/old.html": b"old page",
       "_build/.site-hash": b"old-hash"}
NEW = {"book/a.ipynb": b"new a", "book/results/metrics.csv": b"new metrics", "book/new.ipynb": b"new page",
       "book/index.md": b"# kept", "_build/html/index.html": b"new site", "_build/html/book/new.html": b"new html",
       "_build/.site-hash": b"new-hash"}
# 3 files and 2 site files copied aside, the journal, then 3 moves, 1 removal and the site's 2 renames
STEPS = [("publish-prepare", n) for n in range(1, 6)] + [("publish-commit", 1)] + \
        [("publish-apply", n) for n in range(1, 7)]


def tree(root: Path) -> dict[str, bytes]:
    paths = [p for folder in ("book", "_build/html") for p in (root / folder).rglob("*") if p.is_file()]
    stamp = root / "_build" / ".site-hash"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(paths + [stamp] * stamp.exists())}


@pytest.fixture
def root(tmp_path):
    """A last good build in root/ and a finished new one in root/_build/stage, as `build` leaves
    them just before publishing."""
    for rel, data in OLD.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    stage = tmp_path / "_build" / "stage"
    for rel, data in NEW.items():
        target = stage / rel if rel.startswith("book/") else stage / "_build" / "html" / rel.removeprefix("_build/html/")
        if rel != "_build/.site-hash":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    faults._reached.clear()
    return tmp_path


def publish_new(root: Path) -> None:
    publish(root, root / "_build" / "stage", REPLACE, REMOVE, True, "new-hash")


class Stopped(BaseException):
    """Stands for a kill: nothing of publish() runs after it (it is no Exception, so no handler catches it)."""


def stop_at(monkeypatch, point: str, n: int) -> None:
    seen = []

    def reached(where, path):
        if where == point:
            seen.append(path)
            if len(seen) == n:
                raise Stopped(path)
    monkeypatch.setattr(faults, "reached", reached)


def test_publishing_replaces_everything_and_leaves_no_copies(root):
    assert tree(root) == OLD
    publish_new(root)
    assert tree(root) == NEW
    assert not (root / PUBLISH).exists()


@pytest.mark.parametrize("point,n", STEPS, ids=[f"{p}:{n}" for p, n in STEPS])
def test_publishing_stopped_at_any_step_is_rolled_back_or_completed(point, n, root, monkeypatch):
    stop_at(monkeypatch, point, n)
    with pytest.raises(Stopped):
        publish_new(root)
    committed = (root / PUBLISH / JOURNAL).exists()
    assert committed == (point == "publish-apply")
    if not committed:
        assert tree(root) == OLD  # nothing was touched before the journal
    copies = (root / PUBLISH).exists()  # none before the first copy
    monkeypatch.undo()
    said = recover(root)
    assert tree(root) == (NEW if committed else OLD)
    if copies:
        assert said.startswith("finished publishing" if committed else "discarded the copies")
    assert not (root / PUBLISH).exists() and recover(root) is None


def test_a_recovery_stopped_in_its_turn_is_completed_by_the_next(root, monkeypatch):
    stop_at(monkeypatch, "publish-apply", 3)
    with pytest.raises(Stopped):
        publish_new(root)
    stop_at(monkeypatch, "publish-apply", 2)  # the recovery itself is killed after one more move
    with pytest.raises(Stopped):
        recover(root)
    monkeypatch.undo()
    recover(root)
    assert tree(root) == NEW


def test_a_journal_lists_every_move(root, monkeypatch):
    stop_at(monkeypatch, "publish-apply", 1)
    with pytest.raises(Stopped):
        publish_new(root)
    assert json.loads((root / PUBLISH / JOURNAL).read_text()) == {"replace": REPLACE, "remove": REMOVE, "site": True}


# --- out of space -----------------------------------------------------------------------------

def test_publishing_checks_the_free_space_first(root, monkeypatch):
    (root / "_build/stage/book/a.ipynb").write_bytes(b"x" * 2_500_000)
    monkeypatch.setattr(publishing, "free_space", lambda folder: 1_000_000)
    with pytest.raises(BuildError) as info:
        publish_new(root)
    assert str(info.value) == (f"publishing needs 2.5 MB in {root / '_build'}, 1.0 MB free; "
                               "the previous book and site are untouched")
    assert tree(root) == OLD and not (root / PUBLISH).exists()


@pytest.mark.parametrize("point,path", [("publish-prepare:2", "_build/publish/files/book/results/metrics.csv"),
                                        ("publish-commit:1", "_build/publish/journal.json")])
def test_a_full_disk_while_publishing_leaves_the_last_good_book(point, path, root, monkeypatch):
    monkeypatch.setenv(faults.VARIABLE, f"enospc:{point}")
    monkeypatch.setattr(publishing, "free_space", lambda folder: 4_100_000)
    with pytest.raises(BuildError) as info:
        publish_new(root)
    assert str(info.value) == (
        f"publishing failed before anything was replaced: writing {root / path}: No space left on device "
        f"(publishing needs 20.5 kB in {root / '_build'}, 4.1 MB free before it started); "
        "the previous book and site are untouched")
    assert tree(root) == OLD and not (root / PUBLISH).exists()


def test_a_full_disk_while_staging_names_the_file_and_the_space(tmp_path, monkeypatch):
    source, stage = tmp_path / "book", tmp_path / "_build" / "stage" / "book"
    source.mkdir()
    (source / "page.ipynb").write_bytes(b"{}" * 750)
    monkeypatch.setenv(faults.VARIABLE, "enospc:stage:1")
    monkeypatch.setattr(faults, "_reached", {})
    monkeypatch.setattr(run, "free_space", lambda folder: 300)
    with pytest.raises(BuildError) as info:
        run.sync_tree(source, stage)
    assert str(info.value) == (f"staging failed: copying {source / 'page.ipynb'} to {stage / 'page.ipynb'}: "
                               "No space left on device (1.5 kB to write, 0.3 kB free); "
                               "the previous book and site are untouched")


def test_fault_injection_refuses_a_spec_it_cannot_follow(monkeypatch):
    monkeypatch.setenv(faults.VARIABLE, "kill:publish")
    with pytest.raises(ValueError, match="expected <kill|enospc>"):
        faults.reached("publish-apply", Path("x"))
