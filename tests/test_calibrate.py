"""`nodding calibrate` (nodding.calibration) and the target file it shares with `nodding validate`.

A calibration recovers a parameter from targets the model itself made at a known value; a range
that cannot meet a target is reported as such; its trials do not depend on the executor, and a
resumed calibration equals an uninterrupted one; bad input is one line, exit 2, nothing written.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from nodding import Scenario
from nodding.calibration import CalibrationError, calibrate, plan
from nodding.calibration.fit import loss, miss, within
from nodding.calibration.search import THRESHOLDS
from nodding.cli import main
from nodding.experiments.design import replicate_seeds
from nodding.facts import FACTS
from nodding.facts.table import STATISTICS, load_targets, measure_statistics
from nodding.facts.targets import TargetError
from test_experiments import InlineExecutor

TRUE_PRIOR = 0.4  # learning.prior_acceptance the synthetic targets are made at
DAYS = 60


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> str:
    """A small town as a scenario file (the command line takes files)."""
    path = tmp_path_factory.mktemp("town") / "small_town.toml"
    path.write_text(Scenario.default().with_values({"name": "small_town", "population.size": 200}).to_toml())
    return str(path)


@pytest.fixture(scope="module")
def synthetic(town, tmp_path_factory) -> str:
    """A target file made by the model itself: predicted acceptance at the true prior, same seeds as a calibration."""
    scenario = Scenario.load(town).with_values({"learning.prior_acceptance": TRUE_PRIOR})
    seeds = replicate_seeds(scenario["seed"], 1)
    value = np.mean([measure_statistics(scenario, s, DAYS, ["acceptance.predicted"])["acceptance.predicted"]
                     for s in seeds])
    path = tmp_path_factory.mktemp("targets") / "synthetic.toml"
    path.write_text(f'[acceptance.predicted]\nvalue = {value}\ntolerance = 0.03\n'
                    f'source = "synthetic: this model at learning.prior_acceptance = {TRUE_PRIOR}"\n')
    return str(path)


# ---------------------------------------------------------------- the target file
def test_every_statistic_has_one_shipped_target_and_the_facts_hold_them():
    shipped = load_targets()
    assert list(shipped) == list(STATISTICS)
    for fact in FACTS:
        assert [t.statistic for t in fact.targets] == [s.name for s in fact.statistics]
        assert all(t is shipped[t.statistic] or t == shipped[t.statistic] for t in fact.targets)


def test_the_shipped_file_marks_construction_and_held_out_targets():
    uses = {name: t.use for name, t in load_targets().items()}
    assert uses["loneliness.adults_lonely"] == uses["loneliness.adults_severely_lonely"] == "construction"
    for held_out in ("familiar_strangers.share", "familiar_strangers.count", "weak_tie_days.belonging",
                     "weak_tie_days.affect"):
        assert uses[held_out] == "check"
    assert {"acceptance.predicted", "loneliness.seniors_lonely"} <= {n for n, u in uses.items() if u == "fit"}


@pytest.mark.parametrize("text, problem", [
    ('[acceptance.predictd]\nvalue = 0.4\ntolerance = 0.1\nsource = "x"\n', "did you mean 'acceptance.predicted'"),
    ('[acceptance.predicted]\nvalue = 0.4\nsource = "x"\n', "no tolerance"),
    ('[acceptance.predicted]\nvalue = 0.4\ntolerance = 0.1\n', "source is missing"),
    ('[acceptance.predicted]\nlow = 0.5\nhigh = 0.3\nsource = "x"\n', "empty or reversed"),
    ('[acceptance.predicted]\nvalue = 0.9\nlow = 0.3\nhigh = 0.5\nsource = "x"\n', "outside its own band"),
    ('[acceptance.predicted]\nvalue = 0.4\ntolerance = 0.1\nsource = "x"\nuse = "maybe"\n', "use must be one of"),
    ('[acceptance.predicted]\nvalue = 0.4\ntolerance = 0.1\nsource = "x"\nweight = 2\n', "unknown key 'weight'"),
    ("[acceptance.predicted\n", "not a valid TOML file"),
])
def test_a_bad_target_file_is_one_line_naming_the_problem(tmp_path, text, problem):
    path = tmp_path / "targets.toml"
    path.write_text(text)
    with pytest.raises(TargetError, match=problem) as err:
        load_targets(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


# ---------------------------------------------------------------- the loss
def test_the_miss_is_in_units_of_the_tolerance_and_zero_inside_a_one_sided_band():
    two_sided, one_sided = load_targets()["acceptance.predicted"], load_targets()["network_size.weak_99"]
    assert miss(two_sided, 0.5) == pytest.approx(1.0) and miss(two_sided, 0.3) == pytest.approx(-1.0)
    assert miss(one_sided, 120) == 0 and miss(one_sided, 165) == pytest.approx(1.0)
    assert within(two_sided, 0.45) and not within(two_sided, 0.55)
    assert loss([two_sided, one_sided], {"acceptance.predicted": 0.5, "network_size.weak_99": 180}) == \
        pytest.approx((1 + 4) / 2)


# ---------------------------------------------------------------- recovery
def test_a_calibration_recovers_a_parameter_the_targets_were_made_at(town, synthetic):
    result = calibrate(town, {"learning.prior_acceptance": (0.2, 0.6)}, targets=synthetic, trials=10, batch=5,
                       samples=16, replicates=1, days=DAYS, executor=InlineExecutor(), progress=False)
    best = result.points.loc[result.points["point"] == result.best, "learning.prior_acceptance"].item()
    assert abs(best - TRUE_PRIOR) < 0.03
    assert result.scenario["learning.prior_acceptance"] == pytest.approx(best)
    assert not result.misses()
    plausible = result.plausible["learning.prior_acceptance"]
    assert len(plausible) >= 1 and plausible.between(TRUE_PRIOR - 0.05, TRUE_PRIOR + 0.05).all()


def test_a_range_that_cannot_meet_a_target_says_so(town, synthetic, tmp_path):
    result = calibrate(town, {"learning.prior_acceptance": (0.75, 0.95)}, targets=synthetic, trials=3, batch=3,
                       samples=2, replicates=1, days=DAYS, executor=InlineExecutor(), progress=False)
    assert result.misses() == ["acceptance.predicted"]
    assert result.plausible.empty
    result.write(tmp_path / "out")
    report = (tmp_path / "out" / "report.md").read_text()
    assert "No trial within tolerance for `acceptance.predicted`" in report
    assert "no plausible set" in report.lower()


# ---------------------------------------------------------------- reproducible, resumable
def _small_calibration(town, **run):
    return calibrate(town, {"learning.prior_acceptance": (0.2, 0.6), "decisions.fear_weight": (2.0, 4.0)},
                     fit=["acceptance.predicted", "acceptance.actual"], trials=4, batch=2, samples=2, replicates=2,
                     days=DAYS, progress=False, **run)


def test_the_same_trials_with_one_worker_two_workers_and_dask(town):
    pytest.importorskip("distributed")
    one = _small_calibration(town, workers=1)
    two = _small_calibration(town, workers=2)
    dask = _small_calibration(town, workers=2, dask="local")
    pd.testing.assert_frame_equal(one.points, two.points)
    pd.testing.assert_frame_equal(one.points, dask.points)
    assert one.scenario.to_toml() == dask.scenario.to_toml()


def test_a_resumed_calibration_equals_an_uninterrupted_one(town, tmp_path):
    whole = _small_calibration(town, executor=InlineExecutor())
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        _small_calibration(town, executor=InlineExecutor(interrupt_after=5), cache=cache)
    resumed = _small_calibration(town, executor=InlineExecutor(), cache=cache)
    pd.testing.assert_frame_equal(whole.points, resumed.points)
    # the first batch (2 trials x 2 replicates) and the one run of the second that finished came from the cache
    assert resumed.settings["reused_runs"] == 5


# ---------------------------------------------------------------- the command line
def test_the_command_writes_a_calibrated_scenario_that_run_and_validate_accept(town, synthetic, tmp_path, capsys):
    out = tmp_path / "calibration"
    assert main(["calibrate", town, "--param", "learning.prior_acceptance=0.3:0.5", "--targets", synthetic,
                 "--trials", "2", "--batch", "2", "--samples", "4", "--replicates", "1", "--days", str(DAYS),
                 "--workers", "1", "--out", str(out), "--quiet"]) == 0
    for name in ("report.md", "fit.csv", "fit.png", "trials.parquet", "runs.parquet", "history.png", "importances.csv",
                 "plausible.csv", "identifiability.png", "correlations.csv", "calibrated.toml", "calibration.json"):
        assert (out / name).exists(), name
    trials = pd.read_parquet(out / "trials.parquet")
    assert len(trials) == 6 and set(trials["stage"]) == {"search", "sample"}
    calibrated = Scenario.load(out / "calibrated.toml")
    best = trials.loc[trials["loss"].idxmin(), "learning.prior_acceptance"]
    assert calibrated["learning.prior_acceptance"] == pytest.approx(best)
    plausible = pd.read_csv(out / "plausible.csv")
    assert list(plausible.columns) == ["set", "learning.prior_acceptance"]
    assert json.loads((out / "calibration.json").read_text())["trials"] == 2
    assert main(["run", str(out / "calibrated.toml"), "--days", "3", "--out", str(tmp_path / "run"), "--quiet"]) == 0
    checked = tmp_path / "validated"
    assert main(["validate", str(out / "calibrated.toml"), "--targets", synthetic, "--seeds", "2", "--quick",
                 "--out", str(checked)]) == 0
    report = (checked / "validation.md").read_text()
    assert "small_town_calibrated" in report and "predicted acceptance" in report
    assert "familiar strangers" not in report  # only the facts the target file has targets for


@pytest.mark.parametrize("arguments, problem", [
    (["--param", "learning.prior_acceptance=0.6:0.2"], "reversed"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--trials", "0"], "--trials"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--targets", "/no/such/targets.toml"], "no such target file"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--fit", "familiar_strangers.share"], "kept out of every fit"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--fit", "loneliness.adults_lonely"], "by construction"),
    (["--param", "learning.prior_acceptanse=0.2:0.6"], "learning.prior_acceptanse"),
    (["--param", "belonging.lonely_below=0.5:0.9"], "read out"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--days", "20"], "--days"),
    (["--param", "learning.prior_acceptance=0.2:0.6", "--fit", ","], "name at least one statistic"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(town, tmp_path, capsys, arguments, problem):
    out = tmp_path / "never"
    assert main(["calibrate", town, *arguments, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert problem in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize("text, problem", [
    ('[loneliness.senior_lonely]\nvalue = 0.56\ntolerance = 0.05\nsource = "x"\n', "unknown statistic"),
    ('[loneliness.seniors_lonely]\nvalue = 0.56\nsource = "x"\n', "no tolerance"),
    ("not toml at all [", "not a valid TOML file"),
])
def test_a_bad_target_file_stops_calibrate_and_validate_alike(town, tmp_path, capsys, text, problem):
    targets = tmp_path / "targets.toml"
    targets.write_text(text)
    for command in (["calibrate", town, "--param", "learning.prior_acceptance=0.2:0.6"], ["validate", town]):
        out = tmp_path / "never"
        assert main([*command, "--targets", str(targets), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert problem in err and err.count("\n") == 1 and not out.exists()


def test_a_direction_cannot_be_fitted(tmp_path):
    targets = tmp_path / "targets.toml"
    targets.write_text('[liking_gap.gap]\ndirection = "above 0"\nsource = "Boothby et al. 2018"\n')
    with pytest.raises(CalibrationError, match="cannot be fitted"):
        plan("baseline", {"liking.gap": (0.02, 0.1)}, targets=targets)


def test_the_plausible_set_carries_its_thresholds_into_a_what_if_over_it(tmp_path):
    """End to end on a tiny town: calibrate with the shipped loneliness targets (thresholds read out), then
    `compare --over` the plausible set it wrote."""
    tiny = {"population.size": 80, "population.neighbourhood_size": 80}
    base = Scenario.from_dict({"name": "tiny"}).with_values(tiny)
    closes = Scenario.from_dict({"name": "tiny_closes", "interventions": {"close_centre": {
        "kind": "close_place", "place": "community_centre", "start": 2}}}).with_values(tiny)
    (tmp_path / "tiny.toml").write_text(base.to_toml())
    (tmp_path / "tiny_closes.toml").write_text(closes.to_toml())
    targets = tmp_path / "targets.toml"
    wide = "low = 0.0\nhigh = 1.0\nsource = \"a band every set meets: this test's\"\n"
    targets.write_text('[loneliness.adults_lonely]\nvalue = 0.47\ntolerance = 0.03\nsource = "GM 2020"\nuse = "construction"\n'
                       '[loneliness.adults_severely_lonely]\nvalue = 0.11\ntolerance = 0.02\nsource = "GM 2020"\n'
                       'use = "construction"\n[loneliness.seniors_lonely]\n' + wide
                       + '[ages.socially_lonely]\nvalue = 0.137\ntolerance = 0.02\nsource = "CBS 2022"\nuse = "construction"\n'
                       '[ages.emotionally_lonely]\nvalue = 0.104\ntolerance = 0.02\nsource = "CBS 2022"\nuse = "construction"\n')
    out = tmp_path / "calibration"
    assert main(["calibrate", str(tmp_path / "tiny.toml"), "--param", "decisions.fear_weight=2:4", "--targets",
                 str(targets), "--trials", "2", "--batch", "2", "--samples", "3", "--replicates", "1", "--days",
                 str(DAYS), "--workers", "1", "--out", str(out), "--quiet"]) == 0
    plausible = pd.read_csv(out / "plausible.csv")
    assert list(plausible.columns) == ["set", "decisions.fear_weight", "belonging.lonely_below",
                                       "belonging.severely_lonely_below", "belonging.socially_lonely_below",
                                       "belonging.emotionally_lonely_below"]
    assert len(plausible) == 3 and plausible["belonging.lonely_below"].between(0.01, 0.99).all()
    calibrated = Scenario.load(out / "calibrated.toml")
    assert 0 < calibrated["belonging.severely_lonely_below"] < calibrated["belonging.lonely_below"] < 1
    default = Scenario.default()
    for subscale in ("belonging.socially_lonely_below", "belonging.emotionally_lonely_below"):
        assert 0 <= calibrated[subscale] < 1 and calibrated[subscale] != default[subscale]  # read out, not kept
    what_if = tmp_path / "what_if"
    assert main(["compare", str(tmp_path / "tiny.toml"), str(tmp_path / "tiny_closes.toml"), "--over",
                 str(out / "plausible.csv"), "--replicates", "2", "--days", "12", "--workers", "1",
                 "--out", str(what_if), "--quiet"]) == 0
    effects = pd.read_csv(what_if / "effects.csv")
    assert "over plausible sets" in set(effects["method"])


def test_a_town_too_big_for_the_machine_is_refused_before_the_first_run(town, tmp_path, capsys, monkeypatch):
    import nodding.footprint

    monkeypatch.setattr(nodding.footprint, "available_bytes", lambda: 2e9)  # a 2 GB machine
    out = tmp_path / "never"
    assert main(["calibrate", town, "--param", "population.size=100:1000000", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "population.size = 1,000,000" in err and err.count("\n") == 1 and not out.exists()


def test_the_subscales_are_read_out_at_cbs_shares_only_when_the_target_file_gives_them(tmp_path):
    from nodding.facts.runs import SeedRun, readout_subscales

    scores = np.linspace(0.0, 1.0, 1001)
    run = SeedRun.__new__(SeedRun)
    run.wider_circle, run.close_bonds = scores, scores ** 2
    social, emotional = readout_subscales(run, 0.137, 0.104)
    assert social == pytest.approx(0.137) and emotional == pytest.approx(0.104 ** 2)
    assert plan("baseline", {"decisions.fear_weight": (2, 4)}).thresholds == THRESHOLDS
    adults_only = tmp_path / "targets.toml"
    adults_only.write_text('[loneliness.adults_lonely]\nvalue = 0.47\ntolerance = 0.03\nsource = "GM 2020"\n'
                           'use = "construction"\n[loneliness.adults_severely_lonely]\nvalue = 0.11\ntolerance = 0.02\n'
                           'source = "GM 2020"\nuse = "construction"\n[loneliness.seniors_lonely]\nvalue = 0.56\n'
                           'tolerance = 0.05\nsource = "GM 2020"\n')
    assert plan("baseline", {"decisions.fear_weight": (2, 4)}, targets=adults_only).thresholds == THRESHOLDS[:2]
