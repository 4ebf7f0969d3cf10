"""Stress test of the parallel kernels: many cold builds with more workers than cores.

    nice python benchmarks/stress_builds.py [--runs 20] [--jobs 4] [--ref REF]

Each run deletes the executed notebooks, `_build` and the Vega bundle of a temporary copy of
the project (the files git tracks; with `--ref`, the files as committed there, e.g. `--ref main`
to stress an older build), then runs `rebook build --jobs J`. A run fails when the build exits
non-zero; its output is searched for the known kernel failures. Runs whose output shows the
kernels' "running over TCP without encryption" warning are counted too. Prints a Markdown
section for `benchmarks/RESULTS.md`. Not part of `make test` (20 runs take 20 to 30 minutes on
2 cores); a measurement of flakiness, so a run is never retried.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_times  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KNOWN_FAILURES = {
    "port collision": re.compile(r"ZMQError: Address already in use"),
    "kernel died at start": re.compile(r"Kernel died before replying to kernel_info"),
}
TCP_WARNING = "Kernel is running over TCP without encryption"


def one_run(root: Path, jobs: int) -> dict:
    build_times.make_cold(root)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "rare_earth_exports.cli", "build", "--jobs", str(jobs)],
                          cwd=root, env=build_times.project_env(root), capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    kinds = [name for name, pattern in KNOWN_FAILURES.items() if pattern.search(output)]
    last = [line for line in output.strip().splitlines() if line.strip()][-1:] or [""]
    return {"seconds": time.perf_counter() - start, "exit": proc.returncode, "kinds": kinds,
            "tcp_warning": TCP_WARNING in output, "last_line": last[0][:160]}


def report(runs: list[dict], args: argparse.Namespace, commit: str, loads: tuple) -> str:
    failed = [(i, r) for i, r in enumerate(runs, 1) if r["exit"] != 0]
    seconds = [r["seconds"] for r in runs]
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    lines = [
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; project {'ref ' + args.ref if args.ref else 'working tree'} "
        f"at commit {commit}",
        f"- machine: {cpu}, {os.cpu_count()} cores; {platform.platform()}; Python {platform.python_version()}",
        f"- command: `nice python benchmarks/stress_builds.py --runs {args.runs} --jobs {args.jobs}"
        f"{' --ref ' + args.ref if args.ref else ''}` (each run a cold `rebook build --jobs {args.jobs}`)",
        f"- load average before: {loads[0]}; after: {loads[1]}",
        f"- runs: {len(runs)}; failures: **{len(failed)}**; runs whose output shows the TCP warning: "
        f"{sum(r['tcp_warning'] for r in runs)}",
        f"- wall time per build: min {min(seconds):.1f} s, median {statistics.median(seconds):.1f} s, "
        f"max {max(seconds):.1f} s; all runs {sum(seconds) / 60:.1f} min",
    ]
    for i, r in failed:
        lines.append(f"  - run {i}: exit {r['exit']}, {', '.join(r['kinds']) or 'not a known kernel failure'}: "
                     f"`{r['last_line']}`")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--ref", help="build the project as committed at this git ref (default: the working tree)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", args.ref or "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    runs = []
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rebook-stress-") as tmp:
        root = build_times.copy_project(REPO, Path(tmp) / "project", args.ref)
        for i in range(1, args.runs + 1):
            runs.append(one_run(root, args.jobs))
            r = runs[-1]
            print(f"run {i}/{args.runs}: exit {r['exit']} in {r['seconds']:.1f} s"
                  f"{' (' + ', '.join(r['kinds']) + ')' if r['kinds'] else ''}"
                  f"{'; TCP warning' if r['tcp_warning'] else ''}", file=sys.stderr, flush=True)
    after = os.getloadavg()
    print(report(runs, args, commit, (", ".join(f"{x:.2f}" for x in before), ", ".join(f"{x:.2f}" for x in after))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
