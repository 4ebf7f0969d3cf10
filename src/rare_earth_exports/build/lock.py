"""One build at a time per checkout: `_build/.lock`, held with fcntl and holding the builder's pid.

The lock is a POSIX record lock (`lockf`): the kernel releases it when the process ends, however
it ends, and a child process (a notebook worker, `jupyter-book`) never holds it. So a second
build finds it held only while the first runs, and stops with "another build is running (pid N)".
The file's text is the pid of the build in progress, erased when that build ends; a build that
finds the lock free but a pid written was preceded by a build that was killed: that stale lock is
reported and cleared, and the caller tidies what the killed build left.
"""

from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import BuildError

LOCK = Path("_build/.lock")


@contextmanager
def build_lock(root: Path) -> Iterator[int | None]:
    """Holds the checkout's build lock; yields the pid of a killed build whose stale lock was cleared."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = _pid(os.pread(fd, 64, 0))
            raise BuildError(f"another build is running in this checkout (pid {holder or 'unknown'}); "
                             f"wait for it to finish, or stop it (the lock is {path})") from None
        stale = _pid(os.pread(fd, 64, 0))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield stale
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


def _pid(text: bytes) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None
