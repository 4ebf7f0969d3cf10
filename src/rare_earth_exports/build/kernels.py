"""Kernels that cannot collide, and workers that do not outlive the build.

Over TCP, every kernel manager picks "free" ports by binding and releasing them; the kernel binds
them a moment later, and a kernel started meanwhile by another worker process can take the same
port (`zmq.error.ZMQError: Address already in use`, then "Kernel died before replying to
kernel_info"). The build's kernels talk over IPC instead: Unix sockets under a folder of this
build's own, with a prefix per notebook, so no two kernels can ever name the same socket (and
ipykernel has no reason to warn that TCP is unencrypted). The folder is removed when the build
ends; a killed build's folder is removed by the next build (see `remove_sockets_of`).

Workers ignore Ctrl-C (the build decides what an interrupt stops) and, on Linux, die with the
build even when it is killed with SIGKILL; their kernels follow them (ipykernel exits when its
parent goes), and so does the site build's `jupyter-book` process. What workers and kernels
print to stderr (the kernels' own log lines, such as "KeyboardInterrupt caught in kernel" when
jupyter_client interrupts an idle kernel to shut it down) goes to `_build/kernels.log`, not into
the build's output: a notebook's own output is in the notebook, and a failure names the log.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Looked up here, in the build process: a child calls it between fork and exec, where looking
# up a symbol (taking the loader's lock, which another thread may hold) is not safe.
PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
SOCKETS_PREFIX = "rebook-kernels-"
KERNEL_LOG = Path("_build/kernels.log")


def kernel_config(prefix: str):
    """nbclient's configuration for one notebook: IPC transport, sockets named `<prefix>-<n>`."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc", "ip": prefix}})


@contextmanager
def socket_folder() -> Iterator[Path]:
    """A folder for this build's kernel sockets, in the system's temporary folder.

    Not under the project: a Unix socket path is limited to about 100 bytes. The name carries
    the build's pid, so the next build can remove the folder of a build that was killed.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_sockets_of(pid: int) -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}{pid}-*"):
        shutil.rmtree(folder, ignore_errors=True)


def die_with_parent(parent: int) -> None:
    """Asks Linux to SIGKILL this process when its parent (pid `parent`) dies; elsewhere nothing."""
    if PRCTL is None:
        return
    PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def init_worker(parent: int, log: str) -> None:
    """ProcessPoolExecutor initializer of the notebook workers: `parent` is the build's pid,
    `log` the file their stderr and their kernels' goes to."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
