"""The build plan: which notebook runs with which parameters into which page.

`parameters.yml` (version-controlled) lists the pages and is the only source of their
parameters: every parameter a notebook's `parameters` cell declares must get its value there
(or from the build: `data_dir`), and a value for a name the notebook does not declare is refused,
page and key named. A notebook default is never used silently. A page with `for_each` is
expanded into one page per partner that qualifies by a rule applied to the data, so a new
destination in the data adds a page without code changes. Output names are derived from the
parameters, so they are the same on every build.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..core.series import qualifying_partners

PARAMETERS_FILE = "parameters.yml"
# Set by the build itself, never in parameters.yml: the data folder, and the page's chapter and
# name (its output path under book/, without extension), which metrics.csv records.
BUILD_PARAMETERS = ("data_dir", "chapter", "page")


class PlanError(ValueError):
    """A parameter file that cannot be turned into pages."""


@dataclass(frozen=True)
class Job:
    notebook: str          # source notebook, relative to the project root
    output: str            # executed notebook, relative to the project root
    chapter: str
    params: dict = field(default_factory=dict)

    @property
    def page(self) -> str:
        return Path(self.output).with_suffix("").as_posix().removeprefix("book/")


LATEST = "latest"


def notebook_parameters(path: Path) -> list[str]:
    """The names a notebook's cell tagged `parameters` assigns, in order."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not a notebook at all
        raise PlanError(f"{path.name}: not a readable notebook ({exc})") from exc
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise PlanError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise PlanError(f"{path.name}: the parameters cell is not valid Python: {exc}") from exc
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return names


def check_parameters(where: str, notebook: str, declared: list[str], given: dict) -> None:
    """Refuses a page whose parameters do not match its notebook's parameters cell, key by key."""
    unknown = [k for k in given if k not in declared and k not in BUILD_PARAMETERS]
    missing = [k for k in declared if k not in given]
    problems = [f"'{k}' is set by the build (data_dir from --data, chapter and page from the page's entry)"
                for k in given if k in BUILD_PARAMETERS]
    problems += [f"'{k}' is not a parameter of {notebook} (not in its parameters cell)" for k in unknown]
    if missing:
        problems.append(", ".join(f"'{k}'" for k in missing) + f" {'has' if len(missing) == 1 else 'have'} no value "
                        f"(state {'it' if len(missing) == 1 else 'them'} here: a notebook default is never used silently)")
    if problems:
        raise PlanError(f"{PARAMETERS_FILE}: {where}: " + "; ".join(problems))


def newest_month(obs: pd.DataFrame) -> str:
    """The newest month with a monthly figure: what `latest` stands for in parameters.yml."""
    months = obs.loc[obs["n_months"] == 1, "first_month"]
    if months.empty:
        raise PlanError("the data has no monthly figure, so 'latest' means nothing")
    return str(months.max())


def load_parameters(root: Path, overrides: dict | None = None) -> dict:
    path = root / PARAMETERS_FILE
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanError(f"{PARAMETERS_FILE}: not valid YAML: {exc}") from exc
    if not isinstance(spec, dict) or "pages" not in spec:
        raise PlanError(f"{PARAMETERS_FILE}: expected a mapping with a 'pages' list")
    spec = copy.deepcopy(spec)
    spec.setdefault("defaults", {})
    return spec


def build_plan(root: Path, data_dir: str, overrides: dict | None = None) -> list[Job]:
    """Expands `parameters.yml` into jobs; `overrides` (from --param) win over the values of every
    page whose notebook declares that parameter (an override no page declares is an error).

    A value `latest` becomes the newest month in the data, so a new month extends every page.
    """
    from ..core.load import load_observations

    spec = load_parameters(root)
    overrides = overrides or {}
    jobs: list[Job] = []
    obs = None
    unused = set(overrides)
    for i, page in enumerate(spec["pages"], start=1):
        for key in ("notebook", "output", "chapter"):
            if key not in page:
                raise PlanError(f"{PARAMETERS_FILE}: page {i} lacks '{key}'")
        if not (root / page["notebook"]).exists():
            raise PlanError(f"{PARAMETERS_FILE}: page {i}: notebook {page['notebook']} does not exist")
        declared = notebook_parameters(root / page["notebook"])
        mine = {k: v for k, v in overrides.items() if k in declared}
        base = {**spec["defaults"], **page.get("params", {}), **mine}
        unused.difference_update(mine)
        expansions = [{}]
        if "for_each" in page:
            if obs is None:
                obs = load_observations(data_dir)
            rule = page["for_each"]
            expansions = [{rule.get("param", "partner"): p} for p in qualifying_partners(obs, rule)]
        if LATEST in base.values():
            if obs is None:
                obs = load_observations(data_dir)
            base = {k: newest_month(obs) if v == LATEST else v for k, v in base.items()}
        for extra in expansions:
            try:
                output = page["output"].format(**base, **extra)
            except KeyError as exc:
                raise PlanError(f"{PARAMETERS_FILE}: page {i}: output uses unknown parameter {exc}") from exc
            check_parameters(f"page {i} ({output})", page["notebook"],
                             [k for k in declared if k not in BUILD_PARAMETERS], {**base, **extra})
            name = Job(page["notebook"], output, page["chapter"]).page
            jobs.append(Job(page["notebook"], output, page["chapter"],
                            {**base, "data_dir": data_dir, "chapter": page["chapter"], "page": name, **extra}))
    if unused:
        raise PlanError(f"--param {', '.join(sorted(unused))}: no page's notebook has such a parameter")
    outputs = [j.output for j in jobs]
    duplicates = sorted({o for o in outputs if outputs.count(o) > 1})
    if duplicates:
        raise PlanError(f"{PARAMETERS_FILE}: several pages write {', '.join(duplicates)}")
    return jobs
