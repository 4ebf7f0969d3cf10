"""Fault injection, so the reliability tests can kill a real build or fill its disk at a chosen write.

`REBOOK_FAULT=<action>:<point>:<n>` acts at the n-th time the build reaches `point`:
`kill` sends the build SIGKILL (nothing of it runs after), `enospc` raises
OSError(ENOSPC) as a full disk would. The points are `stage` (a file written into
`_build/stage`), `publish-prepare` (a file copied next to the book and site before the swap),
`publish-commit` (the publishing journal written) and `publish-apply` (one move of the swap).
Unset, as in every real build, `reached` does nothing.
"""

from __future__ import annotations

import errno
import os
import signal
from pathlib import Path

VARIABLE = "REBOOK_FAULT"
ACTIONS = ("kill", "enospc")
POINTS = ("stage", "publish-prepare", "publish-commit", "publish-apply")
_reached: dict[str, int] = {}


def reached(point: str, path: Path) -> None:
    """Called just before the build writes `path` at `point`."""
    spec = os.environ.get(VARIABLE)
    if not spec:
        return
    action, _, rest = spec.partition(":")
    where, _, count = rest.partition(":")
    if action not in ACTIONS or where not in POINTS or not count.isdigit():
        raise ValueError(f"{VARIABLE}={spec!r}: expected <{'|'.join(ACTIONS)}>:<{'|'.join(POINTS)}>:<n>")
    if where != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] != int(count):
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
