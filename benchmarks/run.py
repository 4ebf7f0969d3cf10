"""Benchmark of the book's build, of a full-scale customs extract, and of the pages' weight.

    make bench                      # or: python benchmarks/run.py [--runs 3] [--skip-build] [--rows N]

Prints a Markdown report (machine, load, medians of --runs runs, each target met or missed).
The pages' weight is read from the built site; Lighthouse then loads the home page and a chart
page as a phone on a slow network would (benchmarks/lighthouse.py; Node.js and npm needed,
`make bench` installs Lighthouse with `npm ci`; `--skip-lighthouse` without them).
Builds run in a temporary copy of the project (the files git tracks), so the working tree is
never touched; the generated extract lives in the same temporary folder and is deleted after.
A measurement, not a test: nothing here fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_times  # noqa: E402
import lighthouse  # noqa: E402
import page_weight  # noqa: E402
import scale  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"noop_speedup": 5.0, "reference_speedup": 1.5, "scale_seconds": 60.0, "scale_peak_bytes": 4 * 1024**3,
           "lighthouse_score": 95}
LOADS: list[float] = []    # 1-minute load average before each measurement (includes our own builds)
OTHERS: list[float] = []   # cores busy with other processes during each measurement


def loadavg() -> tuple[float, float, float]:
    load = os.getloadavg()
    LOADS.append(load[0])
    return load


def _machine_busy_s() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def observed(fn, *args):
    """Runs one measurement and records how busy the rest of the machine was meanwhile."""
    loadavg()
    busy, own, start = _machine_busy_s(), _own_cpu_s(), time.perf_counter()
    result = fn(*args)
    wall = time.perf_counter() - start
    others = (_machine_busy_s() - busy) - (_own_cpu_s() - own)
    OTHERS.append(max(0.0, others / wall))
    return result


def machine(ref: str | None) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    versions = {}
    for dist in ("jupyter-book", "sphinx", "myst-nb", "papermill", "duckdb", "pyarrow", "pandas", "altair"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = "?"
    commit = subprocess.run(["git", "rev-parse", "--short", ref or "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = "" if ref else subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                                          capture_output=True, text=True).stdout.strip()
    if ref:
        commit = f"{ref} = {commit}"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem / 1024**3, "os": platform.platform(),
            "python": platform.python_version(), "versions": versions,
            "commit": commit + (" (with uncommitted changes)" if dirty else "")}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def bench_builds(tmp: Path, runs: int, jobs: int, copies: int, git_ref: str | None) -> dict:
    work = build_times.copy_project(REPO, tmp / "work", git_ref)
    ref = build_times.copy_project(REPO, tmp / "ref", git_ref)
    for root in (work, ref):
        build_times.replicate_pages(root, copies)
    pages = build_times.prepare_reference(ref)
    out = {"cold": [], "noop": [], "destination": [], "world": [], "reference": [], "cpu": {}, "notes": {},
           "pages": pages}

    def record(key: str, run: build_times.Timed) -> str:
        out[key].append(run.seconds)
        out["cpu"].setdefault(key, []).append(run.cpu_s)
        return run.output

    for i in range(runs):
        print(f"build run {i + 1}/{runs} ...", file=sys.stderr)
        build_times.make_cold(work)
        text = record("cold", observed(build_times.rebook_build, work, jobs))
        out["notes"]["cold"] = f"executed {build_times.executed_count(text)} notebook(s)"
        text = record("noop", observed(build_times.rebook_build, work, jobs))
        if build_times.executed_count(text) != 0 or "site unchanged" not in text:
            raise build_times.BenchError("the no-op rebuild did work:\n" + text)
        out["notes"]["noop"] = "executed 0 notebooks, site unchanged"
        for key, partner in (("destination", build_times.DESTINATION), ("world", "WLD")):
            change = build_times.change_one_value(work, partner)
            text = record(key, observed(build_times.rebook_build, work, jobs))
            out["notes"][key] = f"{change}; executed {build_times.executed_count(text)} notebook(s)"
        out["notes"]["reference"] = record("reference", observed(build_times.reference_build, ref))
    print("timing the steps of one cold and one no-op build ...", file=sys.stderr)
    build_times.make_cold(work)
    out["steps_cold"] = observed(build_times.build_steps, work, jobs)
    out["steps_noop"] = observed(build_times.build_steps, work, jobs)
    out["site_dir"] = work / "_build" / "html"
    out["site"] = page_weight.page_weights(out["site_dir"])
    return out


def bench_scale(tmp: Path, runs: int, rows: int) -> dict:
    print(f"generating {rows:,} rows ...", file=sys.stderr)
    start = time.perf_counter()
    shape = scale.generate(tmp / "extract", REPO, rows)
    shape["generate_s"] = time.perf_counter() - start
    results = []
    for i in range(runs):
        print(f"scale run {i + 1}/{runs} ...", file=sys.stderr)
        results.append(observed(scale.measure, tmp / "extract", REPO))
    return {"shape": shape, "runs": results}


def verdict(ok: bool | None) -> str:
    return "not measured at the target's size" if ok is None else "met" if ok else "**missed**"


def report(args, info: dict, load_before, load_after, builds: dict | None, extract: dict | None,
           site: list | None, scores: list | None = None, no_scores: str = "") -> str:
    lines = ["# Benchmark run", "",
             f"- command: `{' '.join(['python', 'benchmarks/run.py'] + sys.argv[1:])}`"
             + (" (what `make bench` runs)" if len(sys.argv) == 1 else ""),
             f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; project commit {info['commit']}",
             f"- machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']:.1f} GB RAM; {info['os']}; Python {info['python']}",
             "- versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
             f"- load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
             f"after: {', '.join(f'{x:.2f}' for x in load_after)}; 1-min load at each measurement: "
             f"min {min(LOADS, default=0):.2f}, median {median(LOADS):.2f}, max {max(LOADS, default=0):.2f} "
             "(includes the benchmark's own previous step)",
             f"- cores busy with other processes during the measurements (from /proc/stat minus this run's own CPU): "
             + (f"min {min(OTHERS):.2f}, median {median(OTHERS):.2f}, max {max(OTHERS):.2f} of {info['cores']}" if OTHERS else "not measured"),
             f"- runs per figure: {args.runs} (medians below)"]
    if args.site:
        lines.append(f"- site measured: {args.site} (built before this run, not by it)")
    lines.append("")
    if median(OTHERS) > 0.25:
        lines += ["**Taken under load**: other processes shared the cores during the run (see above);",
                  "wall times are higher and noisier than on an idle machine.", ""]
    targets = []
    if builds:
        cold, noop, destination, world, ref = (median(builds[k]) for k in ("cold", "noop", "destination", "world", "reference"))
        replicated = f", every page built {args.pages} times (`--pages {args.pages}`)" if args.pages > 1 else ""
        lines += [f"## Builds ({builds['pages']} notebook page(s){replicated}, `rebook build --jobs {args.jobs}`)", "",
                  "| build | median s | runs s | median CPU s | what happened |", "|---|---:|---:|---:|---|"]
        for key, label in (("cold", "1. cold (no executed outputs, no `_build`)"), ("noop", "2. no-op rebuild"),
                           ("destination", "3. one destination's value changed"),
                           ("world", "4. then one world value changed"),
                           ("reference", "5. reference: Jupyter Book `execute_notebooks: cache`, serial")):
            lines.append(f"| {label} | {median(builds[key]):.1f} | {runs_text(builds[key])} | "
                         f"{median(builds['cpu'][key]):.1f} | {builds['notes'].get(key, '')} |")
        cpu = {k: median(v) for k, v in builds["cpu"].items()}
        lines += ["", "CPU s: user + system time of the build and every process it waited for (kernels, workers,",
                  "jupyter-book); less sensitive to other people's load than wall time, blind to parallelism.", "",
                  f"- cold / no-op: **{cold / noop:.2f}x** (target at least {TARGETS['noop_speedup']:g}x); "
                  f"in CPU time {cpu['cold'] / cpu['noop']:.2f}x",
                  f"- reference / cold: **{ref / cold:.2f}x** (target: cold at least {TARGETS['reference_speedup']:g}x faster); "
                  f"in CPU time {cpu['reference'] / cpu['cold']:.2f}x",
                  f"- cold / one destination's value changed: {cold / destination:.2f}x; "
                  f"cold / one world value changed: {cold / world:.2f}x",
                  f"- reference / one destination's value changed: {ref / destination:.2f}x; "
                  f"reference / one world value changed: {ref / world:.2f}x", "",
                  "Where the time goes, one cold and one no-op build with each step timed (lazy imports count in",
                  "their step; execution and the site build run in other processes and show as waiting):", "",
                  "| step | cold s | no-op s |", "|---|---:|---:|"]
        cold_steps, noop_steps = builds["steps_cold"], builds["steps_noop"]
        for key in sorted(set(cold_steps) | set(noop_steps), key=lambda k: (k.startswith("total"), k.startswith("other"), -cold_steps.get(k, 0), k)):
            lines.append(f"| {key} | {cold_steps.get(key, 0):.2f} | {noop_steps.get(key, 0):.2f} |")
        lines.append("")
        targets += [("no-op rebuild at least 5x faster than a cold build", f"{cold / noop:.2f}x", cold / noop >= TARGETS["noop_speedup"]),
                    ("cold build at least 1.5x faster than Jupyter Book's serial execution", f"{ref / cold:.2f}x",
                     ref / cold >= TARGETS["reference_speedup"])]
    if extract:
        shape, rs = extract["shape"], extract["runs"]
        wall = median([r["wall_s"] for r in rs])
        peak = max(r["peak_rss_bytes"] for r in rs)
        lines += ["## Scale: a generated customs-like extract", "",
                  f"{shape['rows']:,} rows ({shape['months']} months x {shape['partners']} partners x {shape['codes']} "
                  f"eight-digit codes, one flow), Parquet {shape['parquet_bytes'] / 1e6:.1f} MB (zstd), generated in "
                  f"{shape['generate_s']:.1f} s (not counted). Child process: DuckDB with a {scale.MEMORY_LIMIT} memory limit, "
                  f"all cores; aggregated to {rs[0]['monthly_rows']:,} product x partner x month rows and "
                  f"{rs[0]['world_rows']:,} world rows ({rs[0]['aggregates_bytes'] / 1e6:.1f} MB in pandas).", "",
                  "| stage | median s | runs s |", "|---|---:|---:|"]
        for key, label in (("imports_s", "start-up and imports"), ("load_s", "loading (Parquet registered)"),
                           ("validate_s", "validation (every rule, every row)"),
                           ("aggregate_s", "aggregation (totals, world, shares, month on month)"),
                           ("wall_s", "**whole child process, wall**")):
            values = [r[key] for r in rs]
            lines.append(f"| {label} | {median(values):.2f} | {', '.join(f'{v:.2f}' for v in values)} |")
        peaks = ", ".join(f"{r['peak_rss_bytes'] / 1024**3:.2f}" for r in rs)
        lines += ["", f"- peak resident memory of the child (max of runs): **{peak / 1024**3:.2f} GB** (runs: {peaks})", ""]
        full = shape["rows"] >= scale.FULL_ROWS
        targets.append((f"{shape['rows'] / 1e6:.1f}M-row extract loaded, validated, aggregated in under 60 s, under 4 GB"
                        + ("" if full else " (scaled down: not the target's size)"),
                        f"{wall:.1f} s, {peak / 1024**3:.2f} GB",
                        (wall < TARGETS["scale_seconds"] and peak < TARGETS["scale_peak_bytes"]) if full else None))
    if site:
        pages = [p for p in site if p.html_bytes > 1000]
        lines += ["## Page weight (built site)", "",
                  "| page | HTML kB | JS kB (files + inline) | JS kB gzip | JS budget kB gzip | JS kB gzip with the page | Vega | charts | drawings kB gzip | chart specs kB | embedded rows | unused columns (kB) |",
                  "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
        for p in sorted(pages, key=lambda p: -p.html_bytes):
            unused = "; ".join(f"{', '.join(c.unused)} ({c.unused_bytes / 1e3:.1f})" for c in p.charts if c.unused) or "none"
            lines.append(f"| {p.page} | {p.html_bytes / 1e3:.1f} | {p.js_bytes / 1e3:.1f} | {p.js_gzip_bytes / 1e3:.1f} | "
                         f"{p.js_budget / 1e3:.0f} | {p.js_at_load_gzip_bytes / 1e3:.1f} | "
                         f"{'on demand' if p.loads_vega else 'no'} | "
                         f"{len(p.charts)} | {p.drawings_gzip_bytes / 1e3:.1f} | {p.chart_bytes / 1e3:.1f} | {sum(c.rows for c in p.charts):,} | {unused} |")
        largest = max(pages, key=lambda p: p.html_bytes)
        waste = [(p.page, c) for p in pages for c in p.charts if c.unused]
        lines += ["", f"- largest page: {largest.page}, {largest.html_bytes / 1e3:.1f} kB of HTML"]
        for label, group in (("without charts", [p for p in pages if not p.charts]), ("with charts", [p for p in pages if p.charts])):
            if group:
                heaviest = max(group, key=lambda p: p.js_gzip_bytes)
                lines.append(f"- JavaScript per page {label}: up to {heaviest.js_bytes / 1e3:.1f} kB, "
                             f"{heaviest.js_gzip_bytes / 1e3:.1f} kB gzip ({heaviest.page}; budget {heaviest.js_budget / 1e3:.0f} kB gzip)")
                over = [p for p in group if p.js_gzip_bytes > p.js_budget or p.loads_vega != bool(p.charts)]
                targets.append((f"pages {label} load at most {group[0].js_budget / 1e3:.0f} kB of JavaScript gzipped"
                                + (", the Vega bundle only with a chart" if label == "without charts" else ""),
                                f"up to {heaviest.js_gzip_bytes / 1e3:.1f} kB ({len(group)} pages)"
                                + (f"; over: {', '.join(p.page for p in over)}" if over else ""), not over))
        shared = {}
        for p in pages:
            for name, size in p.scripts.items():
                shared.setdefault(name, [size, 0])[1] += 1
        largest_js = sorted(shared.items(), key=lambda kv: -kv[1][0])[:4]
        lines += ["- largest scripts: " + "; ".join(f"{name} {size / 1e3:.0f} kB (on {n} of {len(pages)} pages)"
                                                  for name, (size, n) in largest_js), ""]
        targets.append(("no page embeds more data than its charts need",
                        "none unused" if not waste else
                        f"{len(waste)} chart(s) embed unused columns, {sum(c.unused_bytes for _, c in waste) / 1e3:.1f} kB",
                        not waste))
    if scores or no_scores:
        lines += ["## Lighthouse (a phone on a slow network)", ""]
        if scores:
            lines += lighthouse.report_lines(scores, compress=True) + [""]
            for r in scores:
                targets.append((f"Lighthouse performance score of {r.page} at least {TARGETS['lighthouse_score']} (mobile)",
                                f"{r.median('score'):.0f} (runs {', '.join(f'{x.score:.0f}' for x in r.runs)})",
                                r.median("score") >= TARGETS["lighthouse_score"]))
        else:
            lines += [f"Not measured: {no_scores}", ""]
    lines += ["## Targets", "", "| target | figure | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {f} | {verdict(ok)} |" for t, f, ok in targets]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are reported (default 3)")
    p.add_argument("--skip-build", action="store_true", help="skip the build timings; page weight then reads _build/html")
    p.add_argument("--skip-scale", action="store_true", help="skip the extract")
    p.add_argument("--site", type=Path, help="measure the weight and Lighthouse of this built site (a _build/html); "
                   "implies --skip-build (default: the site the builds write, or this checkout's _build/html)")
    p.add_argument("--skip-lighthouse", action="store_true", help="skip Lighthouse on the built pages")
    p.add_argument("--lighthouse-pages", nargs="+", default=list(lighthouse.PAGES), metavar="PAGE",
                   help=f"pages Lighthouse measures, relative to the site (default: {' '.join(lighthouse.PAGES)})")
    p.add_argument("--rows", type=int, default=scale.FULL_ROWS, help=f"rows of the extract (default {scale.FULL_ROWS:,})")
    p.add_argument("--jobs", type=int, default=2, help="rebook build --jobs (default 2)")
    p.add_argument("--pages", type=int, default=1, metavar="N",
                   help="build N copies of every page (a stand-in for a bigger book; default 1: the book as it is)")
    p.add_argument("--ref", metavar="GIT_REF",
                   help="build the book as committed at this branch or commit (default: this working tree's files)")
    p.add_argument("--json", type=Path, help="also write the raw figures to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (copies and extract)")
    args = p.parse_args(argv)
    info = machine(args.ref)
    load_before = loadavg()
    tmp = Path(tempfile.mkdtemp(prefix="rebook-bench-"))
    try:
        builds = None if args.skip_build or args.site else bench_builds(tmp, args.runs, args.jobs, args.pages, args.ref)
        site_dir = args.site or (builds["site_dir"] if builds else REPO / "_build" / "html")
        site = page_weight.page_weights(site_dir) if site_dir.is_dir() else None
        scores, no_scores = None, ""
        if not args.skip_lighthouse:
            no_scores = lighthouse.available() or ("" if site else f"no built site in {site_dir}")
            if not no_scores:
                print("Lighthouse ...", file=sys.stderr)
                scores = observed(lighthouse.measure, site_dir, args.lighthouse_pages, args.runs)
        extract = None if args.skip_scale else bench_scale(tmp, args.runs, args.rows)
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    load_after = loadavg()
    text = report(args, info, load_before, load_after, builds, extract, site, scores, no_scores)
    print(text)
    if args.json:
        raw = {"machine": info, "load_before": load_before, "load_after": load_after, "loads": LOADS, "others": OTHERS,
               "builds": {k: v for k, v in (builds or {}).items() if k not in ("site", "site_dir")},
               "extract": extract, "site": [p.__dict__ | {"charts": [c.__dict__ for c in p.charts]} for p in site or []],
               "lighthouse": [{"page": r.page, "runs": [x.__dict__ for x in r.runs]} for r in scores or []]}
        args.json.write_text(json.dumps(raw, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
