"""The generated parameter reference stays in step with the code, and doc examples run."""

import doctest
from pathlib import Path

import pytest

import nodding.model as model
from nodding.model import belonging, decisions, parameters, responses, scenario, town

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_parameters_doc_matches_the_parameter_table():
    written = (DOCS / "parameters.md").read_text(encoding="utf-8").strip()
    assert written == parameters.parameter_table().strip(), (
        "docs/parameters.md is stale: regenerate with `make docs`")


def test_numbers_in_the_model_doc_come_from_the_code():
    from nodding import docs

    assert docs.stale() == [], "docs/model.md has stale generated passages: regenerate with `make docs`"


def test_every_parameter_has_a_reason_and_a_range():
    for path, p in parameters.PARAMETERS.items():
        assert p.reason, path
        assert p.choices is not None or isinstance(p.default, bool) or (p.low is not None and p.high is not None), path
        if p.low is not None:
            assert p.low <= p.default <= p.high, path


@pytest.mark.parametrize("module", [model, belonging, decisions, parameters, responses, scenario, town])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
