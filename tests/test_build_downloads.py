"""What the build writes from the executed notebooks besides the pages: the CSV file under every
chart and table, and the link-preview image (build/run.py)."""

from __future__ import annotations

import json

import altair as alt
import nbformat
import pandas as pd

from rare_earth_exports.build.run import write_downloads, write_share_card
from rare_earth_exports.present.figure import SHARE_CARD_KEY, Figure, share_card


def glue_output(key: str, value: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"application/papermill.record/text/plain": repr(value)},
                                  metadata={"scrapbook": {"name": key, "mime_prefix": "application/papermill.record/"}})


def executed(path, outputs) -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show(...)")
    cell.outputs = outputs
    nb.cells = [cell]
    nbformat.write(nb, path)


def offered(page: str, name: str, csv: str) -> nbformat.NotebookNode:
    return glue_output(f"book_download_{name}", json.dumps({"file": f"{page}/{name}.csv", "csv": csv}))


def test_the_build_writes_every_offered_file_and_removes_the_others(tmp_path):
    executed(tmp_path / "a.ipynb", [offered("collapse", "monthly", "x\n1\n"), glue_output("book_metrics", "[]")])
    executed(tmp_path / "b.ipynb", [offered("destinations/USA", "monthly", "x\n2\n")])
    folder = tmp_path / "downloads"
    (folder / "gone").mkdir(parents=True)
    (folder / "gone" / "old.csv").write_text("stale")
    assert write_downloads([tmp_path / "a.ipynb", tmp_path / "b.ipynb"], folder) == 2
    written = {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}
    assert written == {"collapse/monthly.csv": "x\n1\n", "destinations/USA/monthly.csv": "x\n2\n"}
    assert not (folder / "gone").exists()


def test_the_link_preview_image_is_the_shared_chart_drawn_the_same_every_time(tmp_path):
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
    spec = share_card(Figure(name="exports", title="Exports", charts=[chart], data=pd.DataFrame(), description="",
                             credit="Source: customs.", share=True))
    assert spec["width"] == 1100 and spec["title"]["text"] == "Exports" and spec["title"]["subtitle"] == ["Source: customs."]
    executed(tmp_path / "a.ipynb", [glue_output(SHARE_CARD_KEY, json.dumps(spec))])
    first, second = tmp_path / "one.png", tmp_path / "two.png"
    assert write_share_card([tmp_path / "a.ipynb"], first) and write_share_card([tmp_path / "a.ipynb"], second)
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and first.read_bytes() == second.read_bytes()
    executed(tmp_path / "none.ipynb", [])
    assert not write_share_card([tmp_path / "none.ipynb"], tmp_path / "three.png")
