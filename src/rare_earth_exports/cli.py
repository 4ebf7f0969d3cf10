"""`rebook`: build the book, validate a data folder, snapshot and curate the sources, diff two vintages,
write the release note.

Every command exits non-zero with a readable message when something is wrong; none leaves a
half-built book behind.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml


def _param(text: str) -> tuple[str, object]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--param takes key=value, got {text!r}")
    key, value = text.split("=", 1)
    return key.strip(), yaml.safe_load(value) if value else ""


def _root() -> Path:
    from .core.load import project_root

    return project_root()


def cmd_build(args: argparse.Namespace) -> int:
    from .build.run import build
    from .core.load import resolve_data_dir
    from .build.plan import build_plan
    from .curate.validate import validate_data_dir

    root = _root()
    os.chdir(root)
    data_dir = resolve_data_dir(args.data)
    print(f"validating {data_dir} ...", file=sys.stderr)
    validate_data_dir(data_dir)
    data_param = args.data if not Path(args.data).is_absolute() else str(data_dir)
    jobs = build_plan(root, data_param, dict(args.param))
    summary = build(root, jobs, data_dir, jobs_n=args.jobs, force=args.force)
    print(summary)
    print(f"site: {root / '_build' / 'html' / 'index.html'}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .curate.validate import validate_data_dir

    validate_data_dir(Path(args.folder))
    print(f"{args.folder}: valid")
    return 0


def cmd_curate(args: argparse.Namespace) -> int:
    """Press vintages (curation/inputs.yml) through the rules, then every kept customs download
    replayed, all in a scratch folder: `--out` is replaced only when everything succeeded."""
    import csv
    import shutil
    import tempfile

    from .curate.customs import replay
    from .curate.inputs import load_inputs
    from .curate.rules import CURATED_FILES, curate, write_data_package

    root = _root()
    curation = args.curation if args.curation.is_absolute() else root / args.curation
    out = args.out if args.out.is_absolute() else root / args.out
    inputs = load_inputs(curation, root)
    with open(root / "data" / "products.csv", newline="", encoding="utf-8") as fh:
        names = {r["product"]: r["name"] for r in csv.DictReader(fh)}
    tables = curate(inputs.press, curation, names)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        write_data_package(tables, scratch)
        replayed = replay(inputs.customs, scratch, root / "data")
        out.mkdir(parents=True, exist_ok=True)
        for name in CURATED_FILES:
            shutil.copyfile(scratch / name, out / name)
    print("curated:", ", ".join(f"{k} {len(v)}" for k, v in tables.items()))
    for name, report in replayed:
        print(f"replayed {name}: {report.summary().splitlines()[0]}")
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    from .curate.snapshot import snapshot_press

    out = args.out if args.out.is_absolute() else _root() / args.out
    snap = snapshot_press(Path(args.file), args.vintage, out)
    target = out / args.vintage
    print(f"{target / snap.name}: {len(snap.rows)} row(s) without page text; "
          f"{len(snap.percentages)} stated percentage(s) in {target / 'stated_percentages.csv'}; "
          f"{snap.corrections_applied} hand correction(s) applied")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Reads a download, merges it into a copy of the data folder, validates, keeps the download
    in sources/customs/ with its manifest row (so `rebook curate` replays it), then replaces."""
    import shutil
    import tempfile

    from .core.load import resolve_data_dir
    from .curate.customs import default_source_id, keep, manifest_entry, read_download, source_of
    from .curate.importers.merge import import_into
    from .curate.validate import validate_data_dir

    path = Path(args.file)
    if not path.is_file():
        raise ImportCommandError(f"{path}: no such file")
    data_dir = resolve_data_dir(args.data)
    customs_dir = args.customs if args.customs.is_absolute() else _root() / args.customs
    entry = manifest_entry(path, args.format, flow=args.flow, period=args.period,
                           source_id=args.source_id or default_source_id(args.format, path),
                           url=args.url, title=args.title, published=args.published)
    result = read_download(path, entry, data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / data_dir.name
        shutil.copytree(data_dir, trial)
        report = import_into(trial, result, source_of(entry))
        validate_data_dir(trial)
        kept = keep(path, entry, customs_dir)
        for name in ("observations.csv", "sources.csv"):
            shutil.copyfile(trial / name, data_dir / name)
    for line, reason in result.skipped:
        print(f"skipped {path.name}:{line}: {reason}")
    for note in getattr(result, "notes", []):
        print(f"note: {note}")
    print(report.summary())
    print(f"{customs_dir / entry['file']}: {'kept' if kept else 'already kept'}; `rebook curate` replays it")
    print(f"{data_dir}: updated; run `make book` (or `rebook build`) to rebuild the pages")
    return 0


class ImportCommandError(ValueError):
    """An import that cannot start (no file)."""


def cmd_diff(args: argparse.Namespace) -> int:
    from .build.diff import compare, load_vintage, render_markdown, render_text

    root = _root()
    report = compare(load_vintage(args.old, root), load_vintage(args.new, root))
    print(render_text(report), end="")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(render_markdown(report), encoding="utf-8")
        print(f"Markdown: {args.markdown}")
    return 0


def cmd_release_note(args: argparse.Namespace) -> int:
    from .build.diff import load_vintage
    from .build.release_note import PAGE, release_note_path, render_release_note

    root = _root()
    old, new = load_vintage(args.old, root), load_vintage(args.new, root)
    path = release_note_path(new, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_release_note(old, new, root), encoding="utf-8")
    print(f"release note: {path.relative_to(root)}")
    included = path.relative_to(root).as_posix()
    page = root / PAGE
    if not page.is_file() or included not in page.read_text(encoding="utf-8"):
        print(f"note: {PAGE} does not include {included} yet: point its {{include}} at it")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rebook", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute the notebooks and build the site",
                       description="Validate the data, execute changed notebooks with papermill, build the site.")
    b.add_argument("--data", default="data", help="data folder laid out like data/ (default: data)")
    b.add_argument("--param", action="append", type=_param, default=[], metavar="KEY=VALUE",
                   help="override a parameter of every page (repeatable), e.g. baseline_start=2025-01")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks executed in parallel (default: cores)")
    b.add_argument("--force", action="store_true", help="execute every notebook and rebuild the site")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check a data folder against datapackage.json",
                       description="Report every problem in a data folder: file, line, column, value, what was expected.")
    v.add_argument("folder", nargs="?", default="data")
    v.set_defaults(func=cmd_validate)

    imp = sub.add_parser("import", help="merge a GACC or UN Comtrade download into a data folder",
                         description="Read a customs download, merge its rows into the data folder by key "
                                     "(append or replace), validate, and report what changed. Nothing is "
                                     "written when the file has a problem.")
    imp.add_argument("format", choices=["gacc", "comtrade"], help="gacc: GACC online-query CSV/XLS(X); comtrade: Comtrade Plus CSV or API JSON")
    imp.add_argument("file", help="the downloaded file")
    imp.add_argument("--flow", choices=["export", "import"], default="export",
                     help="gacc only: the query's trade flow (the file does not say it; default export)")
    imp.add_argument("--period", help="gacc only: YYYY-MM when the file has no month column")
    imp.add_argument("--data", default="data", help="data folder to update (default: data)")
    imp.add_argument("--source-id", help="id for sources.csv (default: format and a hash of the file)")
    imp.add_argument("--url", help="address of the query or download page")
    imp.add_argument("--title", help="title for sources.csv")
    imp.add_argument("--published", help="release date, YYYY-MM-DD")
    imp.add_argument("--customs", type=Path, default=Path("sources/customs"),
                     help="where the download is kept with its manifest row, for `rebook curate` to replay "
                          "(default: sources/customs of the project)")
    imp.set_defaults(func=cmd_import)

    c = sub.add_parser("curate", help="rebuild data/ from the sources/ of the repository",
                       description="Apply the curation rules (curation/*.csv) to the press vintages that "
                                   "curation/inputs.yml lists, then replay every customs download kept in "
                                   "sources/customs/manifest.csv. Relative paths are from the project root.")
    c.add_argument("--curation", type=Path, default=Path("curation"), help="rules folder (default: curation)")
    c.add_argument("--out", type=Path, default=Path("data"), help="folder to write (default: data)")
    c.set_defaults(func=cmd_curate)

    s = sub.add_parser("snapshot", help="keep a gathered file of press figures in sources/, without the pages' text",
                       description="Write FILE (a file of reported figures or events with a `quote` column) into "
                                   "sources/press/<vintage>/ without the pages' sentences, with a hash of each excerpt, "
                                   "the body it credits, qualifiers and headlines as columns, and the percentages the "
                                   "excerpts state in stated_percentages.csv; applies extraction_corrections.csv.")
    s.add_argument("kind", choices=["press"], help="press: figures and events as the press reported them")
    s.add_argument("file", help="the gathered CSV")
    s.add_argument("--vintage", required=True, help="YYYY-MM: the month the gathering covers up to")
    s.add_argument("--out", type=Path, default=Path("sources/press"),
                   help="folder of the vintages (default: sources/press of the project)")
    s.set_defaults(func=cmd_snapshot)

    d = sub.add_parser("diff", help="the figures that changed between two builds (metrics.csv)",
                       description="Per chapter, the figures of book/results/metrics.csv that changed (old, new, "
                                   "difference), were added or were removed, and the home page's glued values that changed.")
    d.add_argument("old", help="a git ref, a folder holding book/results/metrics.csv, or a metrics.csv")
    d.add_argument("new", nargs="?", default=None, help="the same kinds; default: this working tree")
    d.add_argument("--markdown", type=Path, metavar="FILE", help="also write the report as Markdown (a pull request description)")
    d.set_defaults(func=cmd_diff)

    r = sub.add_parser("release-note", help="the figures that changed since the previous edition, for readers",
                       description="The comparison `rebook diff` makes, in a reader's words (names, labels, months; "
                                   "no codes), written to releases/<newest month>.md for book/changes.md to include.")
    r.add_argument("old", help="the previous edition: a git ref (the note names its commit and date) or a folder")
    r.add_argument("new", nargs="?", default=None, help="the same kinds; default: this working tree")
    r.set_defaults(func=cmd_release_note)
    return p


def main(argv: list[str] | None = None) -> int:
    from .build.run import BuildError
    from .curate.importers import ImportFileError
    from .build.plan import PlanError
    from .curate.rules import CurationError
    from .curate.validate import DataValidationError
    from .build.diff import DiffError
    from .curate.snapshot import SnapshotError
    from .curate.customs import CustomsError

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataValidationError, BuildError, PlanError, CurationError, ImportFileError, ImportCommandError,
            DiffError, SnapshotError, CustomsError) as exc:
        print(f"rebook {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
