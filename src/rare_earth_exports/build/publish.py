"""Publishing a finished build so that a kill or a full disk never leaves half of it in place.

The new executed notebooks, `book/results/metrics.csv`, the site and its stamp are first copied
into `_build/publish/`, on the same file system as book/ (each later move is then one rename),
after checking that the disk has room for them. Then `_build/publish/journal.json` is written in
one step (written aside, then renamed): it lists every move. Only then are the moves made, and
the journal removed.

- Stopped (killed, interrupted, out of space) before the journal exists: book/ and the site were
  not touched; the next build deletes `_build/publish/`.
- Stopped after: the next build, before anything else, makes the moves the journal lists (a move
  already made is skipped), so book/ and the site become the complete new build.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

from ..core.sizes import file_size
from . import faults
from .errors import BuildError

PUBLISH = Path("_build/publish")
JOURNAL = "journal.json"
SITE = Path("_build/html")
SITE_STAMP = Path("_build/.site-hash")
BLOCK = 4096  # a file takes whole blocks on disk


def free_space(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def disk_size(paths: list[Path]) -> int:
    """Bytes the files (and every file under the folders) take once copied, whole blocks counted."""
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return sum(-(-f.stat().st_size // BLOCK) * BLOCK for f in files)


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def publish(root: Path, stage: Path, replace: list[str], remove: list[str], site: bool, site_hash: str) -> None:
    """Replaces the files `replace` (paths from the root) by their staged copies, deletes `remove`
    and, with `site`, swaps in the staged site and its stamp; all or nothing (see the module)."""
    if not (replace or remove or site):
        return
    work = root / PUBLISH
    site_dir = stage / "_build" / "html"
    needed = disk_size([stage / rel for rel in replace] + ([site_dir] if site else []))
    free = free_space(root / "_build")
    space = f"publishing needs {file_size(needed)} in {root / '_build'}, {file_size(free)} free"
    if needed > free:
        raise BuildError(f"{space}; the previous book and site are untouched")
    if os.stat(root / "_build").st_dev != os.stat(root).st_dev:
        raise BuildError(f"{root / '_build'} is on another file system than the project, so publishing "
                         "cannot swap files in one step; make _build a plain folder of the project")
    try:
        shutil.rmtree(work, ignore_errors=True)
        for rel in replace:
            _prepare_copy(stage / rel, work / "files" / rel)
        if site:
            shutil.copytree(site_dir, work / "html", copy_function=_prepare_copy)
            (work / "site-hash").write_text(site_hash, encoding="utf-8")
        journal = work / JOURNAL
        aside = journal.with_suffix(".tmp")
        aside.write_text(json.dumps({"replace": replace, "remove": remove, "site": site}), encoding="utf-8")
        faults.reached("publish-commit", journal)
        os.replace(aside, journal)  # from here on, the new build is published, now or by the next build
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        cause = f"writing {exc.filename}: {exc.strerror}" if exc.filename else str(exc)
        detail = f" ({space} before it started)" if is_disk_full(exc) else ""
        raise BuildError(f"publishing failed before anything was replaced: {cause}{detail}; "
                         "the previous book and site are untouched") from exc
    complete(root)


def _prepare_copy(src, dst) -> None:
    dst = Path(dst)
    faults.reached("publish-prepare", dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def complete(root: Path) -> None:
    """Makes every move the journal lists that is not made yet, then removes the journal."""
    work = root / PUBLISH
    plan = json.loads((work / JOURNAL).read_text(encoding="utf-8"))
    try:
        for rel in plan["replace"]:
            new = work / "files" / rel
            if new.exists():
                faults.reached("publish-apply", root / rel)
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(new, root / rel)
        for rel in plan["remove"]:
            faults.reached("publish-apply", root / rel)
            (root / rel).unlink(missing_ok=True)
        if plan["site"]:
            new, old = work / "html", work / "html.old"
            if new.exists():
                if (root / SITE).exists():
                    faults.reached("publish-apply", root / SITE)
                    (root / SITE).rename(old)
                faults.reached("publish-apply", root / SITE)
                new.rename(root / SITE)
            if (work / "site-hash").exists():
                os.replace(work / "site-hash", root / SITE_STAMP)
        (work / JOURNAL).unlink()
    except OSError as exc:
        raise BuildError(f"publishing stopped half way: {exc}; the next build finishes it "
                         f"(the moves left are listed in {work / JOURNAL})") from exc
    shutil.rmtree(work, ignore_errors=True)


def recover(root: Path) -> str | None:
    """Finishes or discards the publishing of a build that was stopped; says which, or None."""
    work = root / PUBLISH
    if (work / JOURNAL).exists():
        complete(root)
        return "finished publishing the build that was stopped while publishing (book/ and the site are now that build)"
    if work.exists():
        shutil.rmtree(work)
        return "discarded the copies of a build that was stopped before publishing (book/ and the site were untouched)"
    return None
