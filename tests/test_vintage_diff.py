"""`rebook diff` on two small builds that differ in known ways.

The new vintage changes one value (world magnets in November 2025, 5,500 t -> 5,600 t, so its
month-on-month change moves too), adds a month (December 2025) and drops a partner (USA). The
home page glues the newest world level, the number of observations and the newest month in words.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from rare_earth_exports import cli
from rare_earth_exports.build.diff import DiffError, compare, glued_values, home_glues, load_vintage, number, read_metrics, render_markdown, render_text

HEADER = "chapter,page,period,partner,product,metric,basis,value,unit,glue_key\n"
OLD_METRICS = HEADER + """\
data,data,2025-11,ALL,ALL,count,,30.0000,rows,data_n_observations
magnets,magnets,2025-10,USA,magnets,level,,500.0000,t,
magnets,magnets,2025-10,WLD,magnets,level,,5000.0000,t,
magnets,magnets,2025-11,DEU,magnets,level,,1200.0000,t,
magnets,magnets,2025-11,USA,magnets,level,,600.0000,t,
magnets,magnets,2025-11,WLD,magnets,level,,5500.0000,t,
magnets,magnets,2025-11,WLD,magnets,level,,5500.0000,t,magnets_last_level
magnets,magnets,2025-11,WLD,magnets,mom_pct,,10.0000,%,
"""
NEW_METRICS = HEADER + """\
data,data,2025-12,ALL,ALL,count,,31.0000,rows,data_n_observations
magnets,magnets,2025-10,WLD,magnets,level,,5000.0000,t,
magnets,magnets,2025-11,DEU,magnets,level,,1200.0000,t,
magnets,magnets,2025-11,WLD,magnets,level,,5600.0000,t,
magnets,magnets,2025-11,WLD,magnets,mom_pct,,12.0000,%,
magnets,magnets,2025-12,DEU,magnets,level,,1150.5000,t,
magnets,magnets,2025-12,WLD,magnets,level,,6160.0000,t,magnets_last_level
magnets,magnets,2025-12,WLD,magnets,mom_pct,,10.0000,%,
"""
HOME = """# The book

The data runs to {glue:text}`data.ipynb::data_newest_month:s`. It holds
{glue:text}`data.ipynb::data_n_observations:,.0f` figures; in the newest month China exported
{glue:text}`magnets.ipynb::magnets_last_level:,.0f` t of magnets. {glue:text}`local_key` is ignored.
"""


def notebook(glued: dict) -> str:
    """An executed notebook as the build writes it: one scrapbook output per glued value."""
    outputs = [{"output_type": "display_data", "data": {"application/papermill.record/text/plain": repr(v)},
                "metadata": {"scrapbook": {"mime_prefix": "application/papermill.record/", "name": k}}}
               for k, v in glued.items()]
    cell = {"cell_type": "code", "id": "cell-000", "metadata": {}, "source": "", "execution_count": 1, "outputs": outputs}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write_build(folder, metrics: str, newest: str) -> None:
    (folder / "book" / "results").mkdir(parents=True)
    (folder / "book" / "results" / "metrics.csv").write_text(metrics)
    (folder / "book" / "index.md").write_text(HOME)
    (folder / "book" / "data.ipynb").write_text(notebook({"data_newest_month": newest, "data_n_observations": 30.0}))


@pytest.fixture
def builds(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    write_build(old, OLD_METRICS, "November 2025")
    write_build(new, NEW_METRICS, "December 2025")
    return old, new


EXPECTED_TEXT = """\
Vintage diff: old -> new
Figures of book/results/metrics.csv: 7 figures before, 8 after: 3 changed, 3 added, 2 removed, 2 unchanged.

Home page (book/index.md): glued values that changed
    page     glue                 period              unit            old            new  difference   change
    data     data_n_observations  2025-11 -> 2025-12  rows             30             31          +1   +3.3 %
    data     data_newest_month                              November 2025  December 2025
    magnets  magnets_last_level   2025-11 -> 2025-12  t             5,500          6,160        +660  +12.0 %

Chapter data: 1 changed, 0 added, 0 removed
  Changed (1)
    page  period              partner  product  metric  basis  unit  old  new  difference  change  glue
    data  2025-11 -> 2025-12  ALL      ALL      count          rows   30   31          +1  +3.3 %  data_n_observations

Chapter magnets: 2 changed, 3 added, 2 removed
  Changed (2)
    page     period   partner  product  metric   basis  unit    old    new  difference   change  glue
    magnets  2025-11  WLD      magnets  level           t     5,500  5,600        +100   +1.8 %  magnets_last_level
    magnets  2025-11  WLD      magnets  mom_pct         %        10     12          +2  +20.0 %
  Added (3)
    page     period   partner  product  metric   basis  unit      new  glue
    magnets  2025-12  DEU      magnets  level           t     1,150.5
    magnets  2025-12  WLD      magnets  level           t       6,160  magnets_last_level
    magnets  2025-12  WLD      magnets  mom_pct         %          10
  Removed (2)
    page     period   partner  product  metric  basis  unit  old  glue
    magnets  2025-10  USA      magnets  level          t     500
    magnets  2025-11  USA      magnets  level          t     600
"""

EXPECTED_MARKDOWN = """\
## Vintage diff: `old` → `new`

Figures of `book/results/metrics.csv`: 7 figures before, 8 after: 3 changed, 3 added, 2 removed, 2 unchanged.

### Home page (`book/index.md`): glued values that changed

| page | glue | period | unit | old | new | difference | change |
| --- | --- | --- | --- | ---: | ---: | ---: | ---: |
| data | `data_n_observations` | 2025-11 → 2025-12 | rows | 30 | 31 | +1 | +3.3 % |
| data | `data_newest_month` |  |  | November 2025 | December 2025 |  |  |
| magnets | `magnets_last_level` | 2025-11 → 2025-12 | t | 5,500 | 6,160 | +660 | +12.0 % |

### Chapter `data`: 1 changed, 0 added, 0 removed

#### Changed (1)

| page | period | partner | product | metric | basis | unit | old | new | difference | change | glue |
| --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |
| data | 2025-11 → 2025-12 | ALL | ALL | count |  | rows | 30 | 31 | +1 | +3.3 % | `data_n_observations` |

### Chapter `magnets`: 2 changed, 3 added, 2 removed

#### Changed (2)

| page | period | partner | product | metric | basis | unit | old | new | difference | change | glue |
| --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |
| magnets | 2025-11 | WLD | magnets | level |  | t | 5,500 | 5,600 | +100 | +1.8 % | `magnets_last_level` |
| magnets | 2025-11 | WLD | magnets | mom_pct |  | % | 10 | 12 | +2 | +20.0 % |  |

#### Added (3)

| page | period | partner | product | metric | basis | unit | new | glue |
| --- | --- | --- | --- | --- | --- | --- | ---: | --- |
| magnets | 2025-12 | DEU | magnets | level |  | t | 1,150.5 |  |
| magnets | 2025-12 | WLD | magnets | level |  | t | 6,160 | `magnets_last_level` |
| magnets | 2025-12 | WLD | magnets | mom_pct |  | % | 10 |  |

#### Removed (2)

| page | period | partner | product | metric | basis | unit | old | glue |
| --- | --- | --- | --- | --- | --- | --- | ---: | --- |
| magnets | 2025-10 | USA | magnets | level |  | t | 500 |  |
| magnets | 2025-11 | USA | magnets | level |  | t | 600 |  |
"""


def test_diff_command_prints_the_report_and_writes_markdown(builds, capsys, monkeypatch):
    old, new = builds
    monkeypatch.chdir(old.parent)
    assert cli.main(["diff", "old", "new", "--markdown", "pr/body.md"]) == 0
    assert capsys.readouterr().out == EXPECTED_TEXT + "Markdown: pr/body.md\n"
    assert (old.parent / "pr" / "body.md").read_text(encoding="utf-8") == EXPECTED_MARKDOWN


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_a_git_ref_against_the_working_tree(builds, tmp_path):
    """`rebook diff HEAD`: the committed outputs against a rebuild in the working tree."""
    old, new = builds
    git(old, "init", "-q")
    git(old, "add", "-A")
    git(old, "commit", "-q", "-m", "old vintage")
    for rel in ("book/results/metrics.csv", "book/data.ipynb"):
        (old / rel).write_bytes((new / rel).read_bytes())
    report = compare(load_vintage("HEAD", old), load_vintage(None, old))
    assert render_text(report) == EXPECTED_TEXT.replace("old -> new", "HEAD -> working tree")
    assert render_markdown(report) == EXPECTED_MARKDOWN.replace("`old` → `new`", "`HEAD` → `working tree`")


def test_a_metrics_file_of_a_build_brings_its_home_page(builds):
    old, new = builds
    report = compare(load_vintage(str(old / "book/results/metrics.csv"), old),
                     load_vintage(str(new / "book/results/metrics.csv"), old))
    assert [h.key for h in report.home] == ["data_n_observations", "data_newest_month", "magnets_last_level"]


def test_a_lone_metrics_file_has_no_home_section(builds, tmp_path):
    (tmp_path / "a.csv").write_text(OLD_METRICS)
    (tmp_path / "b.csv").write_text(NEW_METRICS)
    text = render_text(compare(load_vintage(str(tmp_path / "a.csv"), tmp_path), load_vintage(str(tmp_path / "b.csv"), tmp_path)))
    assert "Home page" not in text
    assert text.splitlines()[1].endswith("3 changed, 3 added, 2 removed, 2 unchanged.")


def test_identical_vintages(builds):
    old, _ = builds
    report = compare(load_vintage(str(old), old), load_vintage(str(old), old))
    assert report.changes == () and report.home == ()
    assert render_text(report).endswith("Chapters without a change: data, magnets.\n\nNo figure changed.\n")


def test_an_unreadable_vintage_is_an_error(builds, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["diff", "no-such-ref-or-folder", "old"]) == 1
    assert "neither a file, a folder nor a git ref" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    with pytest.raises(DiffError, match="no book/results/metrics.csv"):
        load_vintage(str(tmp_path / "empty"), tmp_path)


def test_one_figure_with_two_values_is_an_error():
    with pytest.raises(DiffError, match="magnets / magnets / 2025-11 / WLD / magnets / level /  / t"):
        read_metrics(HEADER + "magnets,magnets,2025-11,WLD,magnets,level,,1,t,\n"
                              "magnets,magnets,2025-11,WLD,magnets,level,,2,t,a\n")


def test_home_glues_reads_the_roles_that_point_at_a_notebook():
    assert home_glues(HOME + "{glue}`sub/page.ipynb::k` {glue:md}`./x.ipynb::y:s`") == [
        ("data", "data_n_observations"), ("data", "data_newest_month"),
        ("magnets", "magnets_last_level"), ("sub/page", "k"), ("x", "y")]


def test_glued_values_reads_numbers_and_text():
    assert glued_values(notebook({"a": "May 2025", "b": 12.5})) == {"a": "May 2025", "b": 12.5}


@pytest.mark.parametrize("value, signed, text", [(1234.5, False, "1,234.5"), (210.0, False, "210"),
                                                 (0.1 + 0.2, False, "0.3"), (-0.00001, True, "0"),
                                                 (-12.25, True, "-12.25"), (3.0, True, "+3"), (None, False, "—")])
def test_number(value, signed, text):
    assert number(value, signed) == text
