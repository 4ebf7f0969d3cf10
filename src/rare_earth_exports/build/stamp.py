"""The home page's build stamp: the date of the commit being built, never the wall clock.

`rebook build` passes SOURCE_DATE_EPOCH to Jupyter Book: the caller's value when set (the
reproducible-builds convention), else the date of the commit checked out (`commit_epoch`). This
Sphinx extension turns it into the `built_date` substitution MyST pages use (`{{ built_date }}`).
Without either (a copy of the project outside git), the stamp says the date was not recorded.
Two builds of one commit therefore write the same pages.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from ..core.words import date_words

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


def _substitute(app, config) -> None:
    config.myst_substitutions = {**(config.myst_substitutions or {}), "built_date": built_date(dict(os.environ))}


def setup(app) -> dict:
    app.connect("config-inited", _substitute)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
