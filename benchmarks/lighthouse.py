"""Lighthouse on pages of the built site: performance score and what a phone downloads.

The site is served over loopback only (127.0.0.1, a port the system picks), by Python's
http.server, gzipping text files as any web host does (GitHub Pages, nginx); `--plain` serves
them uncompressed. Lighthouse (npm `lighthouse`, pinned in lighthouse/package-lock.json and
installed by `npm ci`, which `make bench` runs) drives Debian's Chromium (`CHROME_PATH`,
default /usr/bin/chromium) with its default settings: mobile form factor, simulated slow 4G
and a 4x slower CPU. Nothing leaves the machine: the pages load no other host.

    python benchmarks/lighthouse.py [--runs 3] [--plain] [PAGE ...]   # PAGE relative to _build/html
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync " \
               "--disable-background-networking --disable-component-update"
PAGES = ("book/index.html", "book/collapse.html")  # the home page and a chart page
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".csv", ".txt", ".map"}


class LighthouseError(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """Compressed once per file, as a host serving precompressed files would (no time per request)."""
    return gzip.compress(path.read_bytes(), 6, mtime=0)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, gzipping text files when the browser accepts it (as a web host does)."""

    compress = True

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and path.is_file() and path.suffix in COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path, compress: bool = True):
    """The site at http://127.0.0.1:PORT while the block runs."""
    handler = functools.partial(type("Handler", (_Handler,), {"compress": compress}), directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Run:
    score: float                  # 0-100
    metrics: dict[str, float]     # milliseconds (cumulative layout shift: unitless)
    script_bytes: int             # JavaScript as transferred (gzip when served gzipped)
    script_resource_bytes: int    # the same scripts uncompressed
    total_bytes: int              # everything the page transferred
    requests: int
    failed_audits: list[str]      # diagnostics Lighthouse could not compute (none of them scored)


@dataclass
class PageResult:
    page: str
    runs: list[Run] = field(default_factory=list)
    lighthouse_version: str = ""
    user_agent: str = ""

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def median_metric(self, key: str) -> float:
        return statistics.median(r.metrics[key] for r in self.runs)


def available() -> str | None:
    """None when Lighthouse can run, else why not."""
    if not LIGHTHOUSE.exists():
        return f"Lighthouse is not installed: run `npm ci --ignore-scripts --prefix {HERE / 'lighthouse'}` (`make bench` does)"
    if not Path(CHROME).exists():
        return f"no Chromium at {CHROME} (set CHROME_PATH)"
    return None


def lighthouse_once(url: str, out: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=performance", f"--chrome-flags={CHROME_FLAGS}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROME}, timeout=600)
    if proc.returncode != 0 or not out.exists():
        raise LighthouseError(f"lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise LighthouseError(f"lighthouse on {url}: {report['runtimeError']}")
    return report


def parse(report: dict) -> Run:
    audits = report["audits"]
    failed = sorted(k for k, a in audits.items() if a.get("scoreDisplayMode") == "error")
    if report["categories"]["performance"]["score"] is None:
        raise LighthouseError(f"{report['finalDisplayedUrl']}: no performance score; failed audits: {', '.join(failed)}")
    requests = audits["network-requests"]["details"]["items"]
    scripts = [r for r in requests if r.get("resourceType") == "Script"]
    return Run(score=round(report["categories"]["performance"]["score"] * 100),
               metrics={k: audits[k]["numericValue"] for k in METRICS},
               script_bytes=sum(r.get("transferSize", 0) for r in scripts),
               script_resource_bytes=sum(r.get("resourceSize", 0) for r in scripts),
               total_bytes=sum(r.get("transferSize", 0) for r in requests),
               requests=len(requests), failed_audits=failed)


def measure(site: Path, pages=PAGES, runs: int = 3, compress: bool = True,
            reports: Path | None = None) -> list[PageResult]:
    missing = [p for p in pages if not (site / p).is_file()]
    if missing:
        raise LighthouseError(f"not in {site}: {', '.join(missing)}")
    results = [PageResult(p) for p in pages]
    with serve(site, compress) as base, tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        for i in range(runs):
            for result in results:  # pages alternate, so a burst of load spreads over both
                print(f"lighthouse {result.page} run {i + 1}/{runs} ...", file=sys.stderr)
                out = (reports / f"{result.page.replace('/', '_')}-{i + 1}.json") if reports else Path(tmp) / "report.json"
                report = lighthouse_once(f"{base}/{result.page}", out)
                result.runs.append(parse(report))
                result.lighthouse_version = report["lighthouseVersion"]
                result.user_agent = report["environment"]["hostUserAgent"]
    return results


def report_lines(results: list[PageResult], compress: bool) -> list[str]:
    served = "gzipped" if compress else "uncompressed"
    first = results[0]
    chrome = next((part for part in first.user_agent.split() if part.startswith(("Chrome/", "HeadlessChrome/"))), "?")
    lines = [f"Lighthouse {first.lighthouse_version} ({chrome}), performance only, default settings (mobile, "
             f"simulated throttling); site served {served} by http.server on 127.0.0.1; "
             f"{len(first.runs)} run(s) per page, medians:", "",
             "| page | score | runs | FCP s | LCP s | TBT ms | CLS | Speed Index s | JS kB transferred | JS kB uncompressed | all kB transferred | requests |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.page} | **{r.median('score'):.0f}** | {', '.join(f'{x.score:.0f}' for x in r.runs)} | "
                     f"{r.median_metric('first-contentful-paint') / 1e3:.1f} | {r.median_metric('largest-contentful-paint') / 1e3:.1f} | "
                     f"{r.median_metric('total-blocking-time'):.0f} | {r.median_metric('cumulative-layout-shift'):.3f} | "
                     f"{r.median_metric('speed-index') / 1e3:.1f} | {r.median('script_bytes') / 1e3:.1f} | "
                     f"{r.median('script_resource_bytes') / 1e3:.1f} | {r.median('total_bytes') / 1e3:.1f} | {r.median('requests'):.0f} |")
    failed = sorted({a for r in results for run in r.runs for a in run.failed_audits})
    if failed:
        lines += ["", f"Diagnostics Lighthouse could not compute in some run (unscored; the score and the metrics above "
                      f"were computed in every run): {', '.join(failed)}."]
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pages", nargs="*", default=list(PAGES), help=f"pages relative to the site (default: {' '.join(PAGES)})")
    p.add_argument("--site", type=Path, default=HERE.parent / "_build" / "html")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--plain", action="store_true", help="serve without gzip")
    p.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = p.parse_args(argv)
    why = available()
    if why:
        print(why, file=sys.stderr)
        return 1
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    results = measure(args.site, args.pages, args.runs, not args.plain, args.reports)
    print("\n".join(report_lines(results, not args.plain)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
