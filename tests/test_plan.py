"""plan.py: parameters.yml into pages; destinations qualify by a rule applied to the data."""

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from rare_earth_exports.build.plan import PlanError, build_plan, notebook_parameters
from rare_earth_exports.core.series import qualifying_partners

ROOT = Path(__file__).resolve().parents[1]


def frame(rows):
    """(period, partner, product) rows as load.py shapes them (months only)."""
    df = pd.DataFrame(rows, columns=["period", "partner", "product"])
    df["flow"] = "export"
    df["first_month"] = pd.PeriodIndex(df["period"], freq="M")
    df["n_months"] = 1
    return df


def test_qualifying_partners_counts_months_of_the_product_since_a_date():
    obs = frame([
        ("2025-05", "USA", "magnets"), ("2025-06", "USA", "magnets"), ("2025-07", "USA", "magnets"),
        ("2025-06", "JPN", "magnets"), ("2025-07", "JPN", "magnets"),
        ("2024-05", "KOR", "magnets"), ("2024-06", "KOR", "magnets"), ("2025-07", "KOR", "magnets"),  # old months
        ("2025-05", "IND", "rare_earths"), ("2025-06", "IND", "rare_earths"), ("2025-07", "IND", "rare_earths"),
        ("2025-05", "WLD", "magnets"), ("2025-06", "WLD", "magnets"), ("2025-07", "WLD", "magnets"),
    ])
    rule = {"product": "magnets", "since": "2025-01", "min_months": 2}
    assert qualifying_partners(obs, rule) == ["JPN", "USA"]
    assert qualifying_partners(obs, {**rule, "min_months": 3}) == ["USA"]
    assert qualifying_partners(obs, {"product": "magnets", "min_months": 3}) == ["KOR", "USA"]
    assert qualifying_partners(obs, {**rule, "exclude": ["WLD", "USA"]}) == ["JPN"]


def test_spans_and_imports_do_not_count():
    obs = frame([("2025-05", "USA", "magnets"), ("2025-06", "USA", "magnets")])
    obs.loc[0, "n_months"] = 6
    obs.loc[1, "flow"] = "import"
    assert qualifying_partners(obs, {"product": "magnets"}) == []


def write_notebook(path: Path, parameters: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page", id="cell-000"),
                nbformat.v4.new_code_cell(parameters, id="cell-001", metadata={"tags": ["parameters"]})]
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "notebooks").mkdir()
    write_notebook(tmp_path / "notebooks" / "page.ipynb", 'data_dir = "data"\nstart = "2024-01"\nend = "2025-12"\n')
    write_notebook(tmp_path / "notebooks" / "partner.ipynb", 'data_dir = "data"\nstart = "2024-01"\npartner = "WLD"\n')
    shutil.copytree(ROOT / "data", tmp_path / "data")

    def with_pages(pages, defaults=None):
        spec = {"defaults": defaults or {"start": "2024-01"}, "pages": pages}
        (tmp_path / "parameters.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
        return tmp_path
    return with_pages


def test_pages_get_defaults_overrides_and_the_data_folder(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a",
                     "params": {"start": "2023-01", "end": "2025-12"}}])
    (job,) = build_plan(root, "data", {"end": "2025-06"})
    assert (job.notebook, job.output, job.chapter, job.page) == ("notebooks/page.ipynb", "book/a.ipynb", "a", "a")
    assert job.params == {"start": "2023-01", "end": "2025-06", "data_dir": "data", "chapter": "a", "page": "a"}
    (job,) = build_plan(root, "data", {"start": "2025-01"})
    assert job.params["start"] == "2025-01", "--param wins over a page's own value"


def test_for_each_makes_one_page_per_qualifying_partner(project):
    root = project([{"notebook": "notebooks/partner.ipynb", "output": "book/partner_{partner}.ipynb", "chapter": "p",
                     "for_each": {"product": "magnets", "since": "2025-01", "min_months": 6}}])
    jobs = build_plan(root, str(root / "data"))
    assert [j.output for j in jobs] == [f"book/partner_{p}.ipynb" for p in sorted(j.params["partner"] for j in jobs)]
    assert "book/partner_USA.ipynb" in [j.output for j in jobs]
    assert all(j.params["partner"] != "WLD" for j in jobs)


def test_two_pages_writing_one_output_is_an_error(project):
    page = {"notebook": "notebooks/page.ipynb", "output": "book/same.ipynb", "chapter": "a", "params": {"end": "2025-12"}}
    with pytest.raises(PlanError, match="several pages write book/same.ipynb"):
        build_plan(project([page, page]), "data")


def test_a_for_each_output_without_the_parameter_collides(project):
    root = project([{"notebook": "notebooks/partner.ipynb", "output": "book/partner.ipynb", "chapter": "p",
                     "for_each": {"product": "magnets", "since": "2025-01", "min_months": 6}}])
    with pytest.raises(PlanError, match="several pages write book/partner.ipynb"):
        build_plan(root, str(root / "data"))


def test_a_missing_notebook_is_an_error(project):
    with pytest.raises(PlanError, match="page 1: notebook notebooks/gone.ipynb does not exist"):
        build_plan(project([{"notebook": "notebooks/gone.ipynb", "output": "book/a.ipynb", "chapter": "a"}]), "data")


def test_a_page_without_a_required_key_is_an_error(project):
    with pytest.raises(PlanError, match="page 1 lacks 'chapter'"):
        build_plan(project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb"}]), "data")


def test_an_output_naming_an_unknown_parameter_is_an_error(project):
    with pytest.raises(PlanError, match="output uses unknown parameter 'country'"):
        build_plan(project([{"notebook": "notebooks/page.ipynb", "output": "book/{country}.ipynb", "chapter": "a"}]), "data")


def test_a_broken_parameters_file_is_an_error(tmp_path):
    (tmp_path / "parameters.yml").write_text("pages: [unclosed", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        build_plan(tmp_path, "data")
    (tmp_path / "parameters.yml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(PlanError, match="expected a mapping with a 'pages' list"):
        build_plan(tmp_path, "data")


def test_the_project_plan_builds():
    jobs = build_plan(ROOT, "data")
    assert jobs and all((ROOT / j.notebook).exists() for j in jobs)
    assert len({j.output for j in jobs}) == len(jobs)


def test_a_value_for_a_name_the_notebook_does_not_declare_is_refused(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a",
                     "params": {"end": "2025-12", "baseline_strat": "2024-01"}}])
    with pytest.raises(PlanError, match=r"page 1 \(book/a.ipynb\): 'baseline_strat' is not a parameter of notebooks/page.ipynb"):
        build_plan(root, "data")


def test_a_declared_parameter_without_a_value_is_refused(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a"}])
    with pytest.raises(PlanError, match=r"page 1 \(book/a.ipynb\): 'end' has no value"):
        build_plan(root, "data")


def test_a_for_each_page_is_named_by_its_output(project):
    root = project([{"notebook": "notebooks/partner.ipynb", "output": "book/p_{partner}.ipynb", "chapter": "p",
                     "params": {"colour": "red"}, "for_each": {"product": "magnets", "since": "2025-01", "min_months": 6}}])
    with pytest.raises(PlanError, match=r"page 1 \(book/p_[A-Z0-9]+.ipynb\): 'colour' is not a parameter"):
        build_plan(root, "data")


def test_a_command_line_override_reaches_only_pages_that_declare_it(project):
    pages = [{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a", "params": {"end": "2025-12"}},
             {"notebook": "notebooks/partner.ipynb", "output": "book/b.ipynb", "chapter": "b", "params": {"partner": "USA"}}]
    a, b = build_plan(project(pages), "data", {"end": "2025-06"})
    assert a.params["end"] == "2025-06" and "end" not in b.params
    with pytest.raises(PlanError, match="--param colour: no page's notebook has such a parameter"):
        build_plan(project(pages), "data", {"colour": "red"})


def test_a_notebook_needs_exactly_one_parameters_cell(tmp_path):
    path = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1", id="cell-000")]
    nbformat.write(nb, path)
    with pytest.raises(PlanError, match="expected one cell tagged 'parameters', found 0"):
        notebook_parameters(path)
    write_notebook(path, "a = 1\nb: int = 2\na = 3\n")
    assert notebook_parameters(path) == ["a", "b"]


def test_chapter_and_page_come_from_the_page_entry_never_from_parameters(project):
    root = project([{"notebook": "notebooks/partner.ipynb", "output": "book/dest/{partner}.ipynb", "chapter": "dest",
                     "for_each": {"product": "magnets", "since": "2025-01", "min_months": 6}}])
    usa = next(j for j in build_plan(root, "data") if j.params["partner"] == "USA")
    assert (usa.params["chapter"], usa.params["page"]) == ("dest", "dest/USA")
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a",
                     "params": {"end": "2025-12", "page": "b"}}])
    with pytest.raises(PlanError, match="'page' is set by the build"):
        build_plan(root, "data")
