"""The release note (`rebook release-note`, make release-note): the vintage diff in a reader's words.

Two small editions that differ in known ways (the builds of test_vintage_diff: one value revised,
a month added, a partner dropped) give a note whose every line is known. The committed note must
be what the comparison of the previous edition (the commit it names) with this checkout's build
writes, and the built site must show it on a page the home page links.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from rare_earth_exports import cli
from rare_earth_exports.build.diff import DiffError, load_vintage
from rare_earth_exports.build.release_note import (PAGE, RELEASES_DIR, Names, amount, decimals, figure_words,
                                                   newest_month, page_title, render_release_note, title_of,
                                                   toc_titles)
from rare_earth_exports.core.registry import LABELS, METRICS

from conftest import ROOT
from test_vintage_diff import NEW_METRICS, OLD_METRICS, git, notebook, write_build

PARTNERS = "partner,name\nWLD,All destinations\nUSA,United States\nDEU,Germany\nEU27,European Union (27)\n"
PRODUCTS = "product,name\nmagnets,Rare-earth permanent magnets\nre_products_incl_magnets,Rare-earth products including magnets\n"
TOC = "format: jb-book\nroot: book/index\nchapters:\n  - file: book/magnets\n  - file: book/data\n"
NAMES = Names(partners={"WLD": "All destinations", "USA": "United States", "DEU": "Germany"},
              products={"magnets": "Rare-earth permanent magnets",
                        "re_products_incl_magnets": "Rare-earth products including magnets"})


def titled_notebook(title: str, glued: dict) -> str:
    nb = json.loads(notebook(glued))
    nb["cells"].insert(0, {"cell_type": "markdown", "id": "title", "metadata": {}, "source": [f"# {title}\n", "\n", "Text."]})
    return json.dumps(nb)


def write_edition(folder, metrics: str, newest: str, months: list[str]) -> None:
    """A build as test_vintage_diff writes it, with what the note reads besides: the data's names
    and monthly figures (an annual total does not count), the table of contents, a chapter's title."""
    write_build(folder, metrics, newest)
    (folder / "data").mkdir()
    (folder / "data" / "partners.csv").write_text(PARTNERS)
    (folder / "data" / "products.csv").write_text(PRODUCTS)
    (folder / "data" / "observations.csv").write_text(
        "period,partner,product,value\n" + "".join(f"{m},WLD,magnets,1\n" for m in months) + "2026,WLD,magnets,12\n")
    (folder / "_toc.yml").write_text(TOC)
    (folder / "book" / "magnets.ipynb").write_text(titled_notebook("Exports of {glue:text}`what`", {"what": "magnets"}))


@pytest.fixture
def editions(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    write_edition(old, OLD_METRICS, "November 2025", ["2025-10", "2025-11"])
    write_edition(new, NEW_METRICS, "December 2025", ["2025-10", "2025-11", "2025-12"])
    return old, new


EXPECTED = """\
% Written by `rebook release-note` (make release-note) from the figures of two builds: do not edit by hand.

This edition's figures run through December 2025; those of the previous edition{edition} ran through November 2025. \
Of the 8 figures the book computes now, 2 are as they were, 3 changed and 3 are new; 2 figures of the previous \
edition are no longer computed.

Each figure is named by what it measures, for which product and destination, and how (in brackets). *Before* is \
the previous edition's value, *Now* this one's; where the period moved (the newest month, for instance) the period \
shows both. A dash is a gap: no figure.

## On the home page

| Figure | Period | Before | Now |
| --- | --- | ---: | ---: |
| Number of rows | November 2025 → December 2025 | 30 | 31 |
| Rare-earth permanent magnets, all destinations: exports | November 2025 | 5,500 t | 5,600 t |
| Rare-earth permanent magnets, all destinations: exports | December 2025 | — | 6,160 t |

## Exports of magnets

2 changed, 3 new and 2 no longer computed.

| Figure | Period | Before | Now |
| --- | --- | ---: | ---: |
| Rare-earth permanent magnets, all destinations: change on the month before | November 2025 | 10% | 12% |
| Rare-earth permanent magnets, all destinations: exports | November 2025 | 5,500 t | 5,600 t |

:::{{dropdown}} New figures (3)

| Figure | Period | Now |
| --- | --- | ---: |
| Rare-earth permanent magnets, all destinations: change on the month before | December 2025 | 10% |
| Rare-earth permanent magnets, all destinations: exports | December 2025 | 6,160 t |
| Rare-earth permanent magnets, Germany: exports | December 2025 | 1,150 t |
:::

:::{{dropdown}} Figures no longer computed (2)

| Figure | Period | Before |
| --- | --- | ---: |
| Rare-earth permanent magnets, United States: exports | October 2025 | 500 t |
| Rare-earth permanent magnets, United States: exports | November 2025 | 600 t |
:::

## Data

1 changed, 0 new and 0 no longer computed.

| Figure | Period | Before | Now |
| --- | --- | ---: | ---: |
| Number of rows | November 2025 → December 2025 | 30 | 31 |
"""


def note_of(old, new, root) -> str:
    return render_release_note(load_vintage(str(old), root), load_vintage(str(new), root), root)


def test_the_note_of_two_small_editions(editions):
    """Chapters in the order of the table of contents under their titles, figures by name, values
    with units, the home page's figures first; no code, key or path."""
    old, new = editions
    note = note_of(old, new, old)
    assert note == EXPECTED.format(edition="")
    for code in ("WLD", "USA", "DEU", "ALL", "mom_pct", "level", "count", "magnets_last_level", "metrics.csv", str(old)):
        assert not re.search(rf"(?<![\w/-]){re.escape(code)}(?![\w/-])", note.split("\n", 1)[1]), code


def test_a_previous_edition_that_is_a_commit_is_named_by_its_date_and_commit(editions):
    old, new = editions
    git(old, "init", "-q")
    git(old, "add", "-A")
    subprocess.run(["git", "-C", str(old), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q",
                    "-m", "December 2025 book"], check=True, capture_output=True,
                   env={"GIT_COMMITTER_DATE": "2026-01-05T12:00:00+00:00", "PATH": "/usr/bin:/bin"})
    commit = subprocess.run(["git", "-C", str(old), "rev-parse", "--short=7", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert render_release_note(load_vintage("HEAD", old), load_vintage(str(new), old), old) == \
        EXPECTED.format(edition=f" (built on 5 January 2026, commit {commit})")


def test_the_command_writes_the_note_named_by_the_newest_month(editions, capsys, monkeypatch):
    old, new = editions
    root = old.parent  # a project root, so the command writes nothing into this checkout
    (root / "_config.yml").write_text("title: t\n")
    (root / "src" / "rare_earth_exports").mkdir(parents=True)
    monkeypatch.chdir(root)
    assert cli.main(["release-note", "old", "new"]) == 0
    assert (root / RELEASES_DIR / "2025-12.md").read_text(encoding="utf-8") == EXPECTED.format(edition="")
    assert capsys.readouterr().out == ("release note: releases/2025-12.md\nnote: book/changes.md does not include "
                                       "releases/2025-12.md yet: point its {include} at it\n")
    (root / "book").mkdir()
    (root / PAGE).write_text("# What changed\n\n```{include} ../releases/2025-12.md\n```\n")
    assert cli.main(["release-note", "old", "new"]) == 0
    assert capsys.readouterr().out == "release note: releases/2025-12.md\n"


def test_an_edition_against_itself(editions):
    old, _ = editions
    note = note_of(old, old, old)
    assert "Of the 7 figures the book computes now, 7 are as they were, 0 changed and 0 are new; 0 figures" in note
    assert note.endswith("shows both. A dash is a gap: no figure.\n\nNo figure changed in Exports of magnets and Data.\n")


def test_an_edition_without_its_data_has_no_newest_month(editions):
    old, _ = editions
    (old / "data" / "observations.csv").unlink()
    with pytest.raises(DiffError, match="no data/observations.csv"):
        newest_month(load_vintage(str(old), old))


def test_figures_in_words():
    key = ("eu-us", "eu-us", "2025-04/2025-12", "USA vs DEU", "magnets", "share_pct", "pooled from 2025-04-04, of WLD", "%")
    assert figure_words(key, NAMES) == ("Rare-earth permanent magnets, United States vs Germany: share of China's total "
                                        "(pooled from 4 April 2025, of all destinations)")
    key = ("flow", "flow", "2025-04/2025-10->2025-11/2026-03", "WLD", "magnets/re_products_incl_magnets", "ratio_change",
           "mean of 2025-04/2025-10->2025-11/2026-03, in events.csv", "times")
    assert figure_words(key, NAMES) == (
        "Rare-earth permanent magnets / Rare-earth products including magnets, all destinations: growth of magnets "
        "against a raw input (mean of April to October 2025, then November 2025 to March 2026, in the events data)")
    assert figure_words(("timeline", "timeline", "2026-03", "ALL", "ALL", "count", "control", "events"), NAMES) == \
        "Number of events (control)"
    # a metric an older edition recorded and the registry no longer defines keeps a readable name
    assert figure_words(("c", "c", "2025", "WLD", "magnets", "months_with_data", "", "months"), NAMES) == \
        "Rare-earth permanent magnets, all destinations: number of months with a figure"
    assert figure_words(("c", "c", "2025", "WLD", "magnets", "retired_key", "", "months"), NAMES) == \
        "Rare-earth permanent magnets, all destinations: retired key"


def test_every_metric_has_a_label_in_plain_words():
    assert set(LABELS) == set(METRICS)
    assert all(label[:1].islower() and "_" not in label for label in LABELS.values())  # it follows "Magnets, United States: "


@pytest.mark.parametrize("values, places", [((5500.0, 5600.0), 0), ((1150.5,), 0), ((9.6747, 9.677), 2),
                                            ((12.2, 12.2001), 4), ((0.6863,), 2), ((3.0, 4.0), 0), ((None,), 0)])
def test_decimals_read_the_values_and_tell_them_apart(values, places):
    assert decimals(*values) == places


@pytest.mark.parametrize("value, metric, unit, text", [
    (1238.47, "level", "t", "1,238 t"), (9.6747, "share_pct", "%", "9.7%"), (108.09, "index", "index", "108.1"),
    (2.0, "months_to_regain", "months", "2 months"), (1.0, "months_to_regain", "months", "1 month"),
    (1.0, "ratio_change", "times", "1.0 times"), (114.0, "count", "events", "114"), (-2.0, "z", "sd", "-2 standard deviations"),
    (float("nan"), "level", "t", "—"),
    (None, "level", "t", "—")])
def test_amounts_carry_their_units(value, metric, unit, text):
    places = 1 if unit in ("%", "index", "times") else 0
    assert amount(value, metric, unit, places) == text


def test_text_from_the_data_stays_text_in_a_table(editions):
    old, new = editions
    metrics = (new / "book/results/metrics.csv").read_text()
    (new / "book/results/metrics.csv").write_text(
        metrics + "magnets,magnets,2025-12,WLD,magnets,level,a | b *c* <i>`d`</i> [e](f),7.0000,t,\n")
    row = next(line for line in note_of(old, new, old).splitlines() if "7 t" in line)
    assert row == r"| Rare-earth permanent magnets, all destinations: exports (a \| b \*c\* \<i\>\`d\`\</i\> \[e\](f)) " \
                  r"| December 2025 | 7 t |"


def test_a_section_is_titled_as_the_navigation_titles_its_page(editions):
    old, new = editions
    (new / "_toc.yml").write_text(TOC.replace("  - file: book/data\n", "  - file: book/data\n    title: The data\n")
                                  .replace("  - file: book/magnets\n", ""))
    o, n = load_vintage(str(old), old), load_vintage(str(new), old)
    toc = toc_titles(n)
    assert toc == {"data": "The data"}
    assert title_of("data", toc, n, o) == "The data"
    assert title_of("magnets", toc, n, o) == "Exports of magnets (a page of the previous edition)"
    assert title_of("gone/DEU", toc, n, o) == "Gone/DEU (a page of the previous edition)"
    assert [line for line in note_of(old, new, old).splitlines() if line.startswith("## ")] == [
        "## On the home page", "## The data", "## Exports of magnets (a page of the previous edition)"]


def test_a_page_title_fills_in_its_glued_words():
    assert page_title(titled_notebook("Did China treat {glue:text}`label_a` and {glue:text}`label_b:s` differently?",
                                      {"label_a": "Japan", "label_b": "South Korea"})) == \
        "Did China treat Japan and South Korea differently?"
    assert page_title(notebook({})) is None


# --- the committed note -------------------------------------------------------------------------

def committed_note() -> tuple[str, str]:
    """The newest note in releases/ and the commit of the previous edition it names."""
    notes = sorted((ROOT / RELEASES_DIR).glob("*.md"))
    assert notes, f"no release note in {RELEASES_DIR}/: run `make release-note`"
    text = notes[-1].read_text(encoding="utf-8")
    named = re.search(r"previous edition \(built on [^,]+, commit ([0-9a-f]{7})\)", text)
    assert named, "the release note does not name the previous edition's commit"
    return notes[-1].name, named.group(1)


def test_the_committed_note_is_what_the_comparison_of_the_two_builds_writes():
    """Regenerated from the previous edition's commit and this checkout's build, the note is the
    committed one, byte for byte: after new figures, `make release-note` brings it up to date."""
    name, commit = committed_note()
    if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"]).returncode != 0:
        pytest.fail(f"the previous edition's commit {commit} is not in this clone: fetch the history "
                    "(git fetch --unshallow; CI checks out with fetch-depth 0)")
    old, new = load_vintage(commit, ROOT), load_vintage(None, ROOT)
    assert f"{newest_month(new)}.md" == name
    assert render_release_note(old, new, ROOT) == \
        (ROOT / RELEASES_DIR / name).read_text(encoding="utf-8"), "the release note is stale: run `make release-note`"


def test_the_changes_page_includes_the_newest_note():
    name, _ = committed_note()
    page = (ROOT / PAGE).read_text(encoding="utf-8")
    assert re.search(rf"^```{{include}} \.\./{RELEASES_DIR}/{re.escape(name)}$", page, re.M), page
    assert "book/changes" in (ROOT / "_toc.yml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_site_shows_the_note_on_a_page_the_home_page_links(built_site):
    html = built_site / "_build" / "html" / "book"
    page = (html / "changes.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "This edition’s figures run through" in text and "those of the previous edition (built on" in text
    assert "{include}" not in page and "dropdown" in page and "<table" in page
    home = (html / "index.html").read_text(encoding="utf-8")
    article = home[home.index("<article"):home.index("</article>")]
    stamp = re.search(r"Data through .*?</p>", article, re.S)
    assert stamp and re.search(r'<a class="reference internal" href="changes.html">(<span[^>]*>)?What changed since the '
                               r'previous edition</', stamp.group(0)), "the home page's stamp does not link the changes page"
