"""plan.py: parameters.yml into pages; destinations qualify by a rule applied to the data."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rare_earth_exports.build.plan import PlanError, build_plan, qualifying_partners

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


@pytest.fixture
def project(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "page.ipynb").write_text("{}", encoding="utf-8")
    shutil.copytree(ROOT / "data", tmp_path / "data")

    def with_pages(pages, defaults=None):
        spec = {"defaults": defaults or {"start": "2024-01"}, "pages": pages}
        (tmp_path / "parameters.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
        return tmp_path
    return with_pages


def test_pages_get_defaults_overrides_and_the_data_folder(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/a.ipynb", "chapter": "a", "params": {"start": "2023-01"}}])
    (job,) = build_plan(root, "data", {"end": "2025-06"})
    assert (job.notebook, job.output, job.chapter, job.page) == ("notebooks/page.ipynb", "book/a.ipynb", "a", "a")
    assert job.params == {"start": "2023-01", "end": "2025-06", "data_dir": "data"}
    (job,) = build_plan(root, "data", {"start": "2025-01"})
    assert job.params["start"] == "2025-01", "--param wins over a page's own value"


def test_for_each_makes_one_page_per_qualifying_partner(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/partner_{partner}.ipynb", "chapter": "p",
                     "for_each": {"product": "magnets", "since": "2025-01", "min_months": 6}}])
    jobs = build_plan(root, str(root / "data"))
    assert [j.output for j in jobs] == [f"book/partner_{p}.ipynb" for p in sorted(j.params["partner"] for j in jobs)]
    assert "book/partner_USA.ipynb" in [j.output for j in jobs]
    assert all(j.params["partner"] != "WLD" for j in jobs)


def test_two_pages_writing_one_output_is_an_error(project):
    page = {"notebook": "notebooks/page.ipynb", "output": "book/same.ipynb", "chapter": "a"}
    with pytest.raises(PlanError, match="several pages write book/same.ipynb"):
        build_plan(project([page, page]), "data")


def test_a_for_each_output_without_the_parameter_collides(project):
    root = project([{"notebook": "notebooks/page.ipynb", "output": "book/partner.ipynb", "chapter": "p",
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
