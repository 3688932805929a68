"""`nodding validate --quick`: every stylized fact and survey target, measured in the steady state.

One quick validation (3 seeds, 90 days; well under two minutes) is shared by the tests below.
Facts the model does not reproduce yet are marked xfail with the reason (docs/validation.md, and
docs/model.md section 9) -- never loosened to pass.
"""

from __future__ import annotations

import pytest

from nodding.cli import main
from nodding.validate import FACT_NAMES, validate

KNOWN_FAILURES: dict[str, str] = {}  # fact -> why it may fail today (docs/model.md section 9)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation") / "validation.md"
    found = {f.name: f for f in validate(FACT_NAMES, seeds=3, days=90, out=out)}
    found["_out"] = out
    return found


@pytest.mark.parametrize("name", FACT_NAMES)
def test_each_fact_holds_on_the_quick_setting(facts, name):
    fact = facts[name]
    if name in KNOWN_FAILURES and not fact.passed:
        pytest.xfail(KNOWN_FAILURES[name])
    failing = [f"{r.measure}: {r.measured()} (target {r.target})" for r in fact.rows if not r.passed]
    assert not failing, failing


def test_adults_match_the_survey_after_calibration(facts):
    rows = {r.measure.split(" (")[0]: r for r in facts["loneliness"].rows}
    assert rows["adults lonely"].passed and rows["adults severely lonely"].passed


def test_the_report_has_a_table_and_a_plot_per_fact(facts):
    out = facts["_out"]
    text = out.read_text(encoding="utf-8")
    assert "| fact | measure | source | target | measured (95% CI) | verdict |" in text
    for name in FACT_NAMES:
        assert (out.parent / "validation" / f"{name}.png").stat().st_size > 10_000
        assert f"validation/{name}.png" in text


@pytest.mark.parametrize("argv", [["validate", "--facts", "nonsense"], ["validate", "--seeds", "1"],
                                  ["validate", "--quick", "--bogus"], ["validate", "--facts", ","]])
def test_bad_input_is_one_line_and_exit_2(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err
