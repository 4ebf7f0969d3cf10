"""How much of a download the importers will read, so a wrong file is refused, not loaded.

A customs query is a few megabytes (GACC cuts its files at 10,000 lines), so a file larger than
the limit (64 MB unless REBOOK_IMPORT_LIMIT_MB says otherwise) is refused before it is read, and
so is an Excel workbook (a zip archive) that is cut short or whose parts unpack beyond the limit
(a zip bomb): the check reads only the archive's directory. A text line longer than 64 kB is
refused with its line number: customs lines are a few hundred bytes, and a file of one huge line
is not a download the importers know (nor is it worth holding in memory as cells); so is a
quoted cell that runs over many lines to the same length. The CSV module's own field limit is
not relied on: it is global, and other libraries (frictionless) raise it.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

from ...core.sizes import file_size
from . import Problem, UnreadableFile

LIMIT_VARIABLE = "REBOOK_IMPORT_LIMIT_MB"
DEFAULT_LIMIT_MB = 64
LINE_LIMIT = 65_536  # bytes
ZIP_SUFFIXES = (".xlsx",)  # Office Open XML: a zip archive


def limit_bytes(path: Path) -> tuple[int, Problem | None]:
    """The limit in bytes, or a problem when the variable is not a positive number of megabytes."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_LIMIT_MB * 10**6, None
    try:
        limit = float(text)
    except ValueError:
        limit = 0
    if limit <= 0:
        return 0, Problem(str(path), 1, "(file)", f"{LIMIT_VARIABLE}={text}", "a positive number of megabytes, e.g. 200",
                          f"unset {LIMIT_VARIABLE} to use the default limit of {DEFAULT_LIMIT_MB} MB")
    return int(limit * 10**6), None


def file_problems(path: Path) -> list[Problem]:
    """A file too large to read, or a workbook cut short or unpacking beyond the limit."""
    limit, problem = limit_bytes(path)
    if problem:
        return [problem]
    where, size = str(path), path.stat().st_size
    raise_it = (f"if the file is right, raise the limit in the environment of `rebook import`: "
                f"{LIMIT_VARIABLE}={-(-size // 10**6)} (megabytes)")
    if size > limit:
        return [Problem(where, 1, "(file)", f"{file_size(size)}", f"a download of at most {file_size(limit)}",
                        "a customs query is a few MB: check this is the file you meant; " + raise_it)]
    if path.suffix.lower() not in ZIP_SUFFIXES:
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        return [Problem(where, 1, "(file)", f"{file_size(size)}, {exc}", "a complete Excel workbook (.xlsx: a zip archive)",
                        "the file is cut short or damaged, e.g. by an interrupted download: download it again")]
    if unpacked > limit:
        return [Problem(where, 1, "(file)", f"{file_size(size)} unpacking to {file_size(unpacked)}",
                        f"a workbook that unpacks to at most {file_size(limit)}",
                        "a GACC workbook unpacks to a few MB; one that unpacks this far is damaged or a zip bomb")]
    return []


def long_line(path: Path, data: bytes) -> Problem | None:
    """The first line (counted as an editor counts them) longer than LINE_LIMIT bytes, if any."""
    for number, line in enumerate(data.splitlines(), start=1):
        if len(line) > LINE_LIMIT:
            return Problem(str(path), number, "(line)", f"{len(line):,} bytes", f"a line of at most {LINE_LIMIT:,} bytes",
                           "lines of customs downloads are a few hundred bytes: this is not a CSV download "
                           "(or its line breaks were lost)")
    return None


def csv_records(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every CSV record of `text`, numbered by the record's last line.

    Raises UnreadableFile, naming the line a record starts on, for a cell longer than LINE_LIMIT
    characters or a record the CSV reader cannot split.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    records, start = [], 1
    try:
        for row in reader:
            if any(len(cell) > LINE_LIMIT for cell in row):
                size = max(len(cell) for cell in row)
                raise UnreadableFile(Problem(str(path), start, "(cell)", f"{size:,} characters",
                                             f"a cell of at most {LINE_LIMIT:,} characters",
                                             "a quoted cell that runs on over many lines: a quote left open?"))
            records.append((reader.line_num, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(Problem(str(path), reader.line_num, "(line)", "", "CSV cells",
                                     f"the CSV reader says: {exc}")) from exc
    return records
