"""Stress test of kernel start-up alone: many kernels started at once from several processes,
over TCP (jupyter_client's default) and over IPC as the build starts them.

    nice python benchmarks/stress_kernels.py [--processes 4] [--starts 75]

Each process starts, readies and shuts down `--starts` kernels one after another, as the build's
workers do; a start fails when the kernel dies before answering (over TCP: a port the manager
picked was taken before the kernel bound it, `zmq.error.ZMQError: Address already in use` in
the kernel's log). Cold builds show the race too rarely to count it in an afternoon; this shows
it in minutes. Prints a Markdown section for `benchmarks/RESULTS.md`; not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rare_earth_exports.build.kernels import kernel_config  # noqa: E402

COLLISION = re.compile(r"ZMQError: Address already in use")


def start_kernels(transport: str, starts: int, logs: str, process: int) -> int:
    """Starts `starts` kernels one after another; returns how many died before answering."""
    from jupyter_client.manager import KernelManager

    failed = 0
    with tempfile.TemporaryDirectory(prefix="rebook-stress-sockets-") as sockets:
        for n in range(starts):
            config = kernel_config(str(Path(sockets) / str(n))) if transport == "ipc" else None
            manager = KernelManager(kernel_name="python3", config=config)
            try:
                with open(Path(logs) / f"{transport}-{process}.log", "a") as log:
                    manager.start_kernel(stderr=log)
                client = manager.client()
                client.start_channels()
                client.wait_for_ready(timeout=120)
                client.stop_channels()
            except RuntimeError:  # "Kernel died before replying to kernel_info"
                failed += 1
            finally:
                manager.shutdown_kernel(now=True)
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--starts", type=int, default=75, help="kernel starts per process and transport")
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory(prefix="rebook-stress-logs-") as logs:
        for transport in ("tcp", "ipc"):
            start = time.perf_counter()
            with ProcessPoolExecutor(args.processes) as pool:
                failed = sum(pool.map(start_kernels, [transport] * args.processes, [args.starts] * args.processes,
                                      [logs] * args.processes, range(args.processes)))
            seconds = time.perf_counter() - start
            collisions = sum(len(COLLISION.findall(p.read_text(errors="replace")))
                             for p in Path(logs).glob(f"{transport}-*.log"))
            lines.append(f"- {transport.upper()}: {args.processes * args.starts} kernel starts, **{failed} failed**; "
                         f"\"Address already in use\" in the kernels' logs: {collisions}; {seconds:.0f} s")
            print(lines[-1], file=sys.stderr, flush=True)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    print(f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {cpu}, {os.cpu_count()} cores; "
          f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- command: `nice python benchmarks/stress_kernels.py --processes {args.processes} --starts {args.starts}`")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
