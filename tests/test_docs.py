"""The generated parameter reference stays in step with the code, and doc examples run."""

import doctest
from pathlib import Path

import pytest

import nodding.model as model
from nodding.model import (belonging, day, decisions, parameters, places, randomness, readouts, residents, responses,
                           routines, scenario, town, warmup)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_parameters_doc_matches_the_parameter_table():
    written = (DOCS / "parameters.md").read_text(encoding="utf-8").strip()
    assert written == parameters.parameter_table().strip(), (
        "docs/parameters.md is stale: regenerate with `make docs`")


def test_each_recalibration_names_a_parameter_and_ends_at_its_default():
    for field, before, after, why in parameters.RECALIBRATIONS:
        assert parameters.PARAMETERS[field].default == after != before, field
        assert why, field


def test_numbers_in_the_model_doc_come_from_the_code():
    from nodding import docs

    assert docs.stale() == [], "docs/model.md or docs/architecture.md has stale generated passages: `make docs`"


def test_the_architecture_doc_shows_the_day_as_the_code_runs_it():
    from nodding import docs
    from nodding.model import day

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert "<!-- generated: day-stages -->\n" + docs.day_stages() in text
    for stage in day.DAY + day.PART:
        assert f" {stage.name}" in docs.day_stages()


def _modules(folder: Path, package: str) -> set[str]:
    return {f"{package}{p.stem}" for p in folder.glob("*.py") if p.stem not in ("__init__", "__main__")}


def test_the_module_map_names_every_module():
    """Every module of `model/` and `nodding/` has a row in docs/architecture.md's module map, and every
    module of `nodding/experiments/` one in the Experiments table."""
    root = DOCS.parent
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    module_map = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    experiments = text.split("## Experiments", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip().split()[0].strip("`") for line in module_map.splitlines()
            if line.startswith("| `")}
    experiment_rows = {line.split("|")[1].strip().strip("`") for line in experiments.splitlines()
                       if line.startswith("| `")}
    missing = (_modules(root / "model", "") | _modules(root / "nodding", "nodding.")) - rows
    assert not missing, f"docs/architecture.md's module map misses {sorted(missing)}"
    missing = _modules(root / "nodding" / "experiments", "") - experiment_rows
    assert not missing, f"docs/architecture.md's Experiments table misses {sorted(missing)}"


def test_every_parameter_has_a_reason_and_a_range():
    for path, p in parameters.PARAMETERS.items():
        assert p.reason, path
        assert p.choices is not None or isinstance(p.default, bool) or (p.low is not None and p.high is not None), path
        if p.low is not None:
            assert p.low <= p.default <= p.high, path


@pytest.mark.parametrize("module", [model, belonging, day, decisions, parameters, places, randomness, readouts,
                                    residents, responses, routines, scenario, town, warmup])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("folder, package", [("model", "nodding.model"), ("nodding", "nodding"),
                                             ("nodding/experiments", "nodding.experiments"),
                                             ("nodding/facts", "nodding.facts")])
def test_every_public_module_declares_its_public_names(folder, package):
    """`__all__` on every module of the library (networkx's habit): what a reader may import, and that it exists."""
    import importlib

    for path in sorted((DOCS.parent / folder).glob("*.py")):
        if path.stem == "__main__":
            continue
        name = package if path.stem == "__init__" else f"{package}.{path.stem}"
        module = importlib.import_module(name)
        assert hasattr(module, "__all__"), f"{name} has no __all__"
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert not missing, f"{name}.__all__ names what it does not define: {missing}"


@pytest.mark.parametrize("module", ["belonging", "day", "decisions", "encounters", "interventions", "learning",
                                    "metrics", "places", "readouts", "residents", "responses", "routines", "scenario",
                                    "ties", "warmup"])
def test_public_functions_of_the_model_document_their_parameters(module):
    """numpydoc sections (Parameters, Returns) on every public function of the model, as networkx has them."""
    import importlib
    import inspect

    def sections(function) -> set[str]:
        return {line.strip() for line in (function.__doc__ or "").splitlines()} & {"Parameters", "Returns"}

    mod = importlib.import_module(f"nodding.model.{module}")
    bare = [name for name in mod.__all__ if inspect.isfunction(getattr(mod, name)) and not sections(getattr(mod, name))]
    assert not bare, f"nodding.model.{module}: no numpydoc sections in {bare}"
