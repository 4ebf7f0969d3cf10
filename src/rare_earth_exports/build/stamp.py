"""The home page's build stamp: the date of the commit being built, never the wall clock.

`rebook build` passes SOURCE_DATE_EPOCH to Jupyter Book: the caller's value when set (the
reproducible-builds convention), else the date of the commit checked out (`commit_epoch`). This
Sphinx extension turns it into the `built_date` substitution MyST pages use (`{{ built_date }}`).
Without either (a copy of the project outside git), the stamp says the date was not recorded.
Two builds of one commit therefore write the same pages.

The stamp also says when the month after the data is due. The collapse page computes the date
from past releases; whether it has passed is known only here, against the build date: a book
built after it says the figures were due and are not in it, rather than "expected" in the past.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from ..core.words import date_words
from .diff import glued_values

NOT_RECORDED = "from an uncommitted copy (date not recorded)"


def commit_epoch(root: Path) -> str | None:
    """Seconds since 1970 of the commit checked out at `root`, when `root` is a git work tree's top."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                             check=True).stdout.strip()
        if Path(top).resolve() != root.resolve():
            return None
        return subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def source_date_epoch(root: Path, environ: dict[str, str]) -> str | None:
    """What the build passes on: the caller's SOURCE_DATE_EPOCH, else the commit's date."""
    return environ.get("SOURCE_DATE_EPOCH") or commit_epoch(root)


def built_date(environ: dict[str, str]) -> str:
    """'30 November 2026' from SOURCE_DATE_EPOCH (UTC), or `NOT_RECORDED`."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.strip().isdigit():
        return NOT_RECORDED
    return date_words(datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d"))


RELEASE_PAGE = "book/collapse.ipynb"


def glued_texts(notebook: Path, keys: set[str]) -> dict[str, str]:
    """Texts an executed notebook glued, by key (a missing notebook or key is left out)."""
    if not notebook.is_file():
        return {}
    return {k: v for k, v in glued_values(notebook.read_text(encoding="utf-8")).items() if k in keys}


def release_status(environ: dict[str, str], month: str, due_words: str, due_iso: str) -> str:
    """The stamp's clause on the next customs release: expected, or due and not in the book."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    built = datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%d") if epoch.strip().isdigit() else ""
    if built and due_iso and built > due_iso:
        return (f"the {month} figures were due around {due_words}, by the usual day of past releases, and are not in "
                "the book's sources yet")
    return f"next customs release ({month} figures) expected around {due_words}, by the usual day of past releases"


def _substitute(app, config) -> None:
    environ = dict(os.environ)
    texts = glued_texts(Path(app.srcdir) / RELEASE_PAGE, {"collapse_release_month_words", "collapse_release_date_words",
                                                          "collapse_release_date_iso"})
    status = (release_status(environ, texts["collapse_release_month_words"], texts["collapse_release_date_words"],
                             texts.get("collapse_release_date_iso", ""))
              if "collapse_release_month_words" in texts and "collapse_release_date_words" in texts
              else "no customs release date is known")
    config.myst_substitutions = {**(config.myst_substitutions or {}), "built_date": built_date(environ),
                                 "release_status": status}


def setup(app) -> dict:
    app.connect("config-inited", _substitute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
