"""The home page's "built" date: the commit's (SOURCE_DATE_EPOCH), never the wall clock."""

from __future__ import annotations

import subprocess

from rare_earth_exports.build.stamp import NOT_RECORDED, built_date, commit_epoch, source_date_epoch


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

