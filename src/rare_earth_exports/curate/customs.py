"""Customs downloads kept in the repository (`sources/customs/`) and replayed by curation.

`rebook import gacc|comtrade FILE` merges a download into the data folder and keeps the file as
imported, `<source_id><ext>`, with a row of `manifest.csv` that records its checksum and the
options it was read with. `rebook curate` rebuilds `data/` from the press figures and then
replays every manifest row, in order, with the same merge, so re-curation never loses an
import. A kept file whose checksum no longer matches, or that is missing, stops curation with
its name: the data would otherwise silently change.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

from .importers import ImportFileError, ImportResult, load_reference
from .importers.comtrade import read_comtrade
from .importers.gacc import read_gacc
from .importers.merge import MergeReport, import_into

MANIFEST = "manifest.csv"
MANIFEST_FIELDS = ["file", "sha256", "format", "flow", "period", "source_id", "publisher", "url", "title",
                   "published", "imported"]
PUBLISHERS = {
    "gacc": {"publisher": "General Administration of Customs of China (GACC)", "url": "http://stats.customs.gov.cn/"},
    "comtrade": {"publisher": "UN Comtrade", "url": "https://comtradeplus.un.org/"},
}


class CustomsError(ValueError):
    """A kept download that is missing or changed, or a manifest row that cannot be replayed."""


def sha256(path: Path) -> str:
    """Read in chunks: a wrong 2 GB download is hashed in bounded memory before the reader refuses it."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def default_source_id(fmt: str, path: Path) -> str:
    with open(path, "rb") as fh:
        return f"{fmt}-{hashlib.file_digest(fh, 'sha1').hexdigest()[:8]}"


def manifest_entry(path: Path, fmt: str, *, flow: str, period: str | None, source_id: str, url: str | None = None,
                   title: str | None = None, published: str | None = None) -> dict:
    """The manifest row of a download about to be imported (publisher, address and title defaulted per format)."""
    defaults = PUBLISHERS[fmt]
    return {"file": f"{source_id}{path.suffix.lower()}", "sha256": sha256(path), "format": fmt,
            "flow": flow if fmt == "gacc" else "", "period": period or "", "source_id": source_id,
            "publisher": defaults["publisher"], "url": url or defaults["url"],
            "title": title or f"{defaults['publisher']} download {path.name}", "published": published or "",
            "imported": dt.date.today().isoformat()}


def source_of(entry: dict) -> dict:
    """The sources.csv entry an import adds, as `merge.import_into` takes it."""
    return {k: entry[k] for k in ("source_id", "publisher", "title", "url", "published")}


def read_download(path: Path, entry: dict, reference_dir: Path) -> ImportResult:
    """Reads a download as its manifest row says (format, flow, period), mapping codes through reference_dir."""
    partners, products = load_reference(reference_dir)
    if entry["format"] == "gacc":
        return read_gacc(path, flow=entry["flow"], period=entry["period"] or None, source_id=entry["source_id"],
                         partners=partners, products=products)
    if entry["format"] == "comtrade":
        return read_comtrade(path, source_id=entry["source_id"], partners=partners, products=products)
    raise CustomsError(f"{MANIFEST}: {entry['file']}: unknown format {entry['format']!r} (expected gacc or comtrade)")


def read_manifest(customs_dir: Path) -> list[dict]:
    path = customs_dir / MANIFEST
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if list(reader.fieldnames or []) != MANIFEST_FIELDS:
            raise CustomsError(f"{path}: expected the columns {', '.join(MANIFEST_FIELDS)}")
        return list(reader)


def keep(download: Path, entry: dict, customs_dir: Path) -> bool:
    """Copies the download into customs_dir and appends its manifest row; False when it is already kept.

    Keeping the same file again adds nothing; another file under a kept source id is refused.
    """
    rows = read_manifest(customs_dir)
    for row in rows:
        if row["source_id"] == entry["source_id"]:
            if row["sha256"] != entry["sha256"]:
                raise CustomsError(f"source id {entry['source_id']} is already kept for another file ({row['file']}); "
                                   "import this download under another --source-id")
            return False
    customs_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(download, customs_dir / entry["file"])
    rows.append(entry)
    with open(customs_dir / MANIFEST, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return True


def replay(customs_dir: Path, data_dir: Path, reference_dir: Path) -> list[tuple[str, MergeReport]]:
    """Merges every kept download into data_dir, in manifest order, each checked against its checksum."""
    reports = []
    for line, entry in enumerate(read_manifest(customs_dir), start=2):
        path = customs_dir / entry["file"]
        where = f"{customs_dir.name}/{MANIFEST}, line {line}: {entry['file']}"
        if not path.is_file():
            raise CustomsError(f"{where}: the kept download is missing; restore it or remove its manifest row")
        if sha256(path) != entry["sha256"]:
            raise CustomsError(f"{where}: the file changed since it was imported (sha256 {sha256(path)[:12]}..., "
                               f"manifest {entry['sha256'][:12]}...); restore it, or re-import the new download "
                               "under another source id")
        try:
            reports.append((entry["file"], import_into(data_dir, read_download(path, entry, reference_dir), source_of(entry))))
        except (ImportFileError, ValueError) as exc:
            raise CustomsError(f"{where}: cannot be replayed: {exc}") from exc
    return reports
