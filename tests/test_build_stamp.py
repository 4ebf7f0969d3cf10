"""The home page's "built" date: the commit's (SOURCE_DATE_EPOCH), never the wall clock."""

from __future__ import annotations

import json
import subprocess

from rare_earth_exports.build.stamp import (NOT_RECORDED, built_date, commit_epoch, glued_texts, release_status,
                                             source_date_epoch)


def test_the_date_comes_from_source_date_epoch():
    assert built_date({"SOURCE_DATE_EPOCH": "1764460800"}) == "30 November 2025"   # 2025-11-30T00:00:00Z
    assert built_date({"SOURCE_DATE_EPOCH": "1764547199"}) == "30 November 2025"   # 23:59:59 the same day, UTC
    assert built_date({}) == NOT_RECORDED and built_date({"SOURCE_DATE_EPOCH": "yesterday"}) == NOT_RECORDED


def test_the_build_passes_the_caller_s_value_or_the_commit_s_date(tmp_path):
    assert source_date_epoch(tmp_path, {"SOURCE_DATE_EPOCH": "42"}) == "42"
    assert source_date_epoch(tmp_path, {}) is None                    # a folder outside git: no date
    assert commit_epoch(tmp_path / "missing") is None


def test_the_commit_date_of_a_checkout(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f").write_text("x")
    env = {"GIT_AUTHOR_DATE": "2026-03-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-03-01T12:00:00Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(tmp_path), "add", "f"], check=True, env=env)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "c"], check=True, env=env)
    assert built_date({"SOURCE_DATE_EPOCH": commit_epoch(tmp_path)}) == "1 March 2026"
    (tmp_path / "sub").mkdir()
    assert commit_epoch(tmp_path / "sub") is None                     # inside a checkout, not its top: no date



def test_the_release_clause_says_expected_before_the_due_date_and_missing_after():
    due = ("April 2026", "20 May 2026", "2026-05-20")
    before = release_status({"SOURCE_DATE_EPOCH": "1778284800"}, *due)             # 2026-05-09
    after = release_status({"SOURCE_DATE_EPOCH": "1780272000"}, *due)              # 2026-06-01
    assert before == "next customs release (April 2026 figures) expected around 20 May 2026, by the usual day of past releases"
    assert after.startswith("the April 2026 figures were due around 20 May 2026") and after.endswith("not in the book's sources yet")
    assert release_status({}, *due) == before                                       # no build date: no claim it has passed
    assert release_status({"SOURCE_DATE_EPOCH": "1780272000"}, "April 2026", "when customs publish it", "") .startswith("next")


def test_the_stamp_reads_the_release_date_the_collapse_page_glued(tmp_path):
    record = {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1, "outputs": [
        {"output_type": "display_data", "metadata": {"scrapbook": {"name": "collapse_release_date_iso"}},
         "data": {"application/papermill.record/text/plain": "'2026-05-20'"}}]}
    notebook = tmp_path / "collapse.ipynb"
    notebook.write_text(json.dumps({"cells": [record]}), encoding="utf-8")
    assert glued_texts(notebook, {"collapse_release_date_iso", "absent_key"}) == {"collapse_release_date_iso": "2026-05-20"}
    assert glued_texts(tmp_path / "missing.ipynb", {"collapse_release_date_iso"}) == {}
