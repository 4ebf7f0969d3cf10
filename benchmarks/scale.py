"""A customs-like extract at full scale, run through `rare_earth_exports.extract`.

`generate` writes 10 years x 240 partners x 400 eight-digit codes x 12 months (11,520,000 rows)
as Parquet, one month at a time (pyarrow, seeded), plus the reference lists the validation
joins against. `measure` runs loading, validation and aggregation in a child process and reads
that child's peak resident memory from the kernel (`os.wait4`), so the figure covers DuckDB's
threads and buffers as well as Python's.

    python benchmarks/scale.py generate DIR [--rows N]
    python benchmarks/scale.py run DIR          # the child: prints its stage timings as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST_YEAR, YEARS, PARTNERS, CODES = 2016, 10, 240, 400
FULL_ROWS = YEARS * 12 * PARTNERS * CODES
# Synthetic codes sit under the headings the book's products come from.
HEADINGS = ("2805", "2846", "8505", "7202", "8112")
GAP_SHARE = 0.01  # one figure in a hundred not published: an empty value, not zero
MEMORY_LIMIT = "2GB"
EXTRACT = "extract.parquet"


def reference_lists(repo: Path, seed: int = 8):
    """240 partner codes (the package's countries first) and 400 codes mapped to products."""
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(repo / "src"))
    from rare_earth_exports.curate.extract import known_partners, product_codes
    from rare_earth_exports.core.load import load_table

    real = known_partners(load_table(repo / "data", "partners"))["partner"].tolist()
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    synthetic = [f"Z{a}{b}" for a in letters for b in letters if f"Z{a}{b}" not in real]
    partners = pd.DataFrame({"partner": (real + synthetic)[:PARTNERS], "kind": "country"})
    codes = product_codes(load_table(repo / "data", "products"))
    rng = np.random.default_rng(seed)
    taken = set(codes["code"])
    extra = []
    while len(codes) + len(extra) < CODES:
        heading = HEADINGS[len(extra) % len(HEADINGS)]
        code = f"{heading}{rng.integers(0, 10_000):04d}"
        if code not in taken:
            taken.add(code)
            extra.append((code, f"other_{heading}"))
    codes = pd.concat([codes, pd.DataFrame(extra, columns=["code", "product"])], ignore_index=True)
    return partners, codes


def generate(directory: Path, repo: Path, rows: int = FULL_ROWS, seed: int = 8) -> dict:
    """Writes the extract month by month (96,000 rows each) so memory stays flat; returns its shape."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.mkdir(parents=True, exist_ok=True)
    partners, codes = reference_lists(repo, seed)
    partners.to_csv(directory / "partners.csv", index=False)
    codes.to_csv(directory / "codes.csv", index=False)
    rng = np.random.default_rng(seed)
    n_p, n_c = len(partners), len(codes)
    per_month = n_p * n_c
    partner_dict = pa.array(partners["partner"], pa.string())
    code_dict = pa.array(codes["code"], pa.string())
    code_of_row = np.tile(np.arange(n_c, dtype=np.int32), n_p)
    partner_idx = pa.array(np.repeat(np.arange(n_p, dtype=np.int32), n_c))
    code_idx = pa.array(code_of_row)
    price = rng.lognormal(3.0, 1.0, n_c)  # USD per kg, one level per code
    scale = rng.lognormal(6.0, 2.0, per_month)  # a partner x code's typical monthly kilograms
    schema = pa.schema([("period", pa.string()), ("partner", pa.string()), ("code", pa.string()),
                        ("flow", pa.string()), ("quantity", pa.float64()), ("value_usd", pa.float64())])
    written = 0
    with pq.ParquetWriter(directory / EXTRACT, schema, compression="zstd") as writer:
        for m in range(YEARS * 12):
            if written >= rows:
                break
            n = min(per_month, rows - written)
            period = f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}"
            quantity = np.round(scale[:n] * rng.lognormal(0.0, 0.3, n), 1)
            value = np.round(quantity * price[code_of_row[:n]] * rng.lognormal(0.0, 0.1, n), 0)
            gaps = rng.random(n) < GAP_SHARE
            table = pa.table({
                "period": pa.array([period] * n, pa.string()),
                "partner": pa.DictionaryArray.from_arrays(partner_idx[:n], partner_dict).cast(pa.string()),
                "code": pa.DictionaryArray.from_arrays(code_idx[:n], code_dict).cast(pa.string()),
                "flow": pa.array(["export"] * n, pa.string()),
                "quantity": pa.array(quantity, mask=gaps),
                "value_usd": pa.array(value, mask=gaps),
            }, schema=schema)
            writer.write_table(table, row_group_size=per_month)
            written += n
    size = (directory / EXTRACT).stat().st_size
    return {"rows": written, "partners": n_p, "codes": n_c, "products": codes["product"].nunique(),
            "months": -(-written // per_month), "parquet_bytes": size}


def run_child(directory: Path) -> dict:
    """Loading, validation, aggregation, each timed; what the parent's child process does."""
    t0 = time.perf_counter()
    import pandas as pd

    from rare_earth_exports.curate.extract import aggregate_extract, connect, load_extract, validate_extract

    partners = pd.read_csv(directory / "partners.csv", dtype=str)
    codes = pd.read_csv(directory / "codes.csv", dtype=str)
    t1 = time.perf_counter()
    con = connect(memory_limit=MEMORY_LIMIT)
    load_extract(directory / EXTRACT, con)
    t2 = time.perf_counter()
    report = validate_extract(con, partners, codes)
    t3 = time.perf_counter()
    if not report.ok:
        raise SystemExit(str(report))
    agg = aggregate_extract(con, report, codes)
    t4 = time.perf_counter()
    return {"imports_s": t1 - t0, "load_s": t2 - t1, "validate_s": t3 - t2, "aggregate_s": t4 - t3,
            "rows": report.rows, "monthly_rows": len(agg.monthly), "world_rows": len(agg.world),
            "aggregates_bytes": int(agg.monthly.memory_usage(deep=True).sum() + agg.world.memory_usage(deep=True).sum())}


def measure(directory: Path, repo: Path) -> dict:
    """Runs the child, returns its figures plus wall time and peak RSS (bytes) from wait4."""
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "run", str(directory)], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # reaps the child: its own peak RSS, no one else's
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"scale run failed (exit {proc.returncode}):\n{err.read().strip()[-2000:]}")
        figures = json.loads(out.read().strip().splitlines()[-1])
    return {**figures, "wall_s": wall, "peak_rss_bytes": usage.ru_maxrss * 1024}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=["generate", "run"])
    p.add_argument("directory", type=Path)
    p.add_argument("--rows", type=int, default=FULL_ROWS)
    args = p.parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    if args.command == "generate":
        print(json.dumps(generate(args.directory, repo, args.rows)))
    else:
        print(json.dumps(run_child(args.directory)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
