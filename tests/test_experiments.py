"""Experiments (nodding.experiments and `nodding compare/sweep/sensitivity`).

Small towns (300 residents, one neighbourhood), 12-20 days. Most tests run the
runs in this process through `InlineExecutor`; executors themselves are tested
once, with real process pools and a Dask LocalCluster.
"""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import Executor, Future
from contextlib import nullcontext

import numpy as np
import pandas as pd
import pytest

from nodding import Scenario
from nodding.model.places import BASELINE_PLACES
from nodding.cli import main
from nodding.experiments import RunFailed, compare, execute, sensitivity, sweep
from nodding.experiments.design import (DesignError, RunSpec, compare_design, sensitivity_design, sweep_design,
                                        window_for)
from nodding.experiments import report
from nodding.experiments.wording import decimals_for, effect_sentence
from nodding.experiments.summarise import BY_NAME, effect_drift

SMALL = {"population.size": 300, "population.neighbourhood_size": 300}
THIRD_PLACES = [name for name, place in BASELINE_PLACES.items() if place["kind"] == "third_place"]


def small(name: str = "baseline", **interventions) -> Scenario:
    return Scenario.from_dict({"name": name, "interventions": interventions}).with_values(SMALL)


def closed_third_places(start: int = 3) -> Scenario:
    return small("third_places_close", **{f"close_{p}": {"kind": "close_place", "place": p, "start": start}
                                          for p in THIRD_PLACES})


class InlineExecutor(Executor):
    """Runs each task at submit time, in this process. `interrupt_after=k`: the (k+1)-th and later
    tasks never finish, and a moment later raise KeyboardInterrupt, as if the experiment were
    killed (Ctrl-C) while they were still running."""

    def __init__(self, interrupt_after: int | None = None):
        self.submitted = 0
        self.interrupt_after = interrupt_after

    def submit(self, fn, *args, **kwargs):
        future = Future()
        self.submitted += 1
        if self.interrupt_after is not None and self.submitted > self.interrupt_after:
            threading.Timer(0.2, _interrupt, [future]).start()
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def _interrupt(future: Future) -> None:
    if not future.cancelled():  # the runner cancels what is left after the first interrupt
        future.set_exception(KeyboardInterrupt())


# ---------------------------------------------------------------- executors and determinism
def test_identical_tables_with_one_worker_two_workers_and_dask():
    pytest.importorskip("distributed")
    specs = compare_design([small(), closed_third_places()], replicates=2, days=12, seed=5).specs
    one = execute(specs, workers=1, progress=False).runs
    two = execute(specs, workers=2, progress=False).runs
    dask = execute(specs, workers=2, dask="local", progress=False).runs
    inline = execute(specs, InlineExecutor(), progress=False).runs
    assert len(one) == 4 * 12
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, dask)
    pd.testing.assert_frame_equal(one, inline)


def test_replicate_r_has_the_same_seed_in_every_scenario_and_point():
    specs = sweep_design(small(), {"decisions.fear_weight": [0.5, 1.0]}, replicates=3, days=5, seed=1).specs
    seeds = pd.DataFrame([(s.point, s.replicate, s.seed) for s in specs], columns=["point", "replicate", "seed"])
    assert seeds.groupby("replicate")["seed"].nunique().eq(1).all()
    assert seeds.groupby("point")["seed"].nunique().eq(3).all()


# ---------------------------------------------------------------- resuming and failures
def test_killed_then_resumed_sweep_equals_an_uninterrupted_one(tmp_path):
    vary = {"decisions.fear_weight": [0.6, 1.0, 1.4]}
    specs = sweep_design(small(), vary, replicates=2, days=12, seed=3).specs
    cache = tmp_path / "cache"
    with pytest.raises(KeyboardInterrupt):
        execute(specs, InlineExecutor(interrupt_after=4), cache=cache, progress=False)
    assert len(list(cache.glob("*.parquet"))) == 4  # the finished runs are kept
    resumed = InlineExecutor()
    result = sweep(small(), vary, replicates=2, days=12, seed=3, executor=resumed, cache=cache, progress=False)
    assert resumed.submitted == len(specs) - 4  # only the missing runs ran again
    uninterrupted = sweep(small(), vary, replicates=2, days=12, seed=3, executor=InlineExecutor(), progress=False)
    pd.testing.assert_frame_equal(result.runs, uninterrupted.runs)
    pd.testing.assert_frame_equal(result.summary, uninterrupted.summary)


def test_an_interrupted_cli_sensitivity_resumes_from_its_cache(tmp_path, monkeypatch, capsys):
    first, second = InlineExecutor(interrupt_after=2), InlineExecutor()
    executors = [first, second]
    runner = importlib.import_module("nodding.experiments.execute")  # the module: the package's `execute` is its function
    monkeypatch.setattr(runner, "make_executor", lambda workers, dask: nullcontext(executors.pop(0)))
    out = tmp_path / "out"
    args = ["sensitivity", _write(tmp_path, small()), "--param", "ties.slots=16:96", "--method", "morris", "--n", "2",
            "--days", "4", "--window", "2", "--out", str(out), "--quiet"]
    assert main(args) == 130
    assert "2 finished runs are kept" in capsys.readouterr().err and not out.exists()
    assert main(args) == 0
    assert second.submitted == 4 - 2  # Morris, one parameter, N = 2: 4 points; only the 2 missing ran again
    assert not list(tmp_path.glob(".out.cache-*")) and (out / "indices.csv").exists()


def test_a_failing_run_is_named_and_the_others_are_kept(tmp_path):
    specs = compare_design([small(), small("other")], replicates=2, days=5, seed=1).specs
    broken = RunSpec("broken", "not = [valid toml", 7, 12345, 5)
    with pytest.raises(RunFailed, match=r"scenario broken, point 0, replicate 7, seed 12345"):
        execute([*specs, broken], InlineExecutor(), cache=tmp_path / "cache", progress=False)
    assert len(list((tmp_path / "cache").glob("*.json"))) == len(specs)  # one record per finished run


# ---------------------------------------------------------------- statistics
@pytest.fixture(scope="module")
def closure():
    """Baseline, a copy of it under another name, and every third place closed from day 3."""
    return compare([small(), small("baseline_copy"), closed_third_places()], replicates=8, days=20, seed=11,
                   window=10, executor=InlineExecutor(), progress=False)


def _effect(result, scenario, metric, method="paired"):
    e = result.effects
    return e[(e["scenario"] == scenario) & (e["metric"] == metric) & (e["method"] == method)].iloc[0]


def test_known_effect_is_detected(closure):
    row = _effect(closure, "third_places_close", "third_place_interactions")
    assert row["distinguishable"] and row["effect"] < 0 and row["ci_high"] < 0


def test_null_effect_is_not_detected(closure):
    rows = closure.effects[closure.effects["scenario"] == "baseline_copy"]
    assert not rows["distinguishable"].any()


def test_paired_intervals_are_narrower_than_unpaired(closure):
    paired = _effect(closure, "third_places_close", "belonging_points", "paired")
    unpaired = _effect(closure, "third_places_close", "belonging_points", "unpaired")
    assert paired["half_width"] < unpaired["half_width"]
    assert paired["effect"] == pytest.approx(unpaired["effect"])  # same runs, same mean difference


def test_intervals_shrink_as_replicates_grow():
    def width(replicates):
        result = compare([small(), closed_third_places()], replicates=replicates, days=12, seed=2, window=6,
                         executor=InlineExecutor(), progress=False)
        s = result.summary
        return s[(s["scenario"] == "baseline") & (s["metric"] == "belonging_points")]["half_width"].iloc[0]
    assert width(12) < width(3)


@pytest.mark.parametrize("method, n, runs", [("morris", 2, 2 * 3), ("sobol", 4, 4 * 4)])
def test_sensitivity_gives_indices_for_each_parameter(tmp_path, method, n, runs):
    params = {"decisions.fear_weight": (0.5, 1.5), "ties.slots": (16, 96)}
    result = sensitivity(small(), params, method=method, n=n, days=8, seed=1, window=4,
                         executor=InlineExecutor(), progress=False)
    assert len(result.means) == runs
    index = "mu_star" if method == "morris" else "ST"
    belonging = result.indices[(result.indices["metric"] == "belonging_points") & (result.indices["index"] == index)]
    assert set(belonging["parameter"]) == set(params)
    result.write(tmp_path / "out")
    assert (tmp_path / "out" / "indices.png").exists()
    assert "depends most on" in (tmp_path / "out" / "report.md").read_text()


def test_two_field_sweep_writes_its_response_curves(tmp_path):
    vary = {"decisions.fear_weight": [0.6, 1.4], "ties.slots": [16, 64]}
    result = sweep(small(), vary, replicates=2, days=8, seed=1, window=4, executor=InlineExecutor(), progress=False)
    assert result.means.groupby(["decisions.fear_weight", "ties.slots"]).size().eq(2).all()
    result.write(tmp_path / "out")
    for name in ("response.png", "response_change.png", "curves.png", "summary.csv", "report.md"):
        assert (tmp_path / "out" / name).exists(), name
    assert "Raising `decisions.fear_weight` from 0.6 to 1.4 and `ties.slots` from 16 to 64" in (
        tmp_path / "out" / "report.md").read_text()


# ---------------------------------------------------------------- command line
def _write(tmp_path, scenario: Scenario):
    path = tmp_path / f"{scenario.name}.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args", [
    ["compare", "BASE"],
    ["compare", "BASE", "nosuch_scenario"],
    ["compare", "BASE", "OTHER", "--replicates", "0"],
    ["sweep", "BASE", "--vary", "decisions.fear_wieght=0.5:1.5:3"],
    ["sweep", "BASE", "--vary", "decisions.fear_weight=1.5:0.5:3"],
    ["sweep", "BASE", "--vary", "decisions.fear_weight=1:1:3"],
    ["sweep", "BASE", "--vary", "decisions.fear_weight=0.5:1.5:1"],
    ["sensitivity", "BASE", "--param", "decisions.fear_weight=0.5:1.5", "--n", "6"],
    ["compare", "BASE", "OTHER", "--dask", "tcp://127.0.0.1:9"],
    ["compare", "BASE", "LATE"],  # its change starts after the last day
    ["compare", "BASE", "BIG"],  # another town size: replicates cannot share a town
    ["compare", "BASE", "OTHER", "--window", "4"],  # longer than the 3 days
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys, args):
    files = {"BASE": _write(tmp_path, small()), "OTHER": _write(tmp_path, small("other")),
             "LATE": _write(tmp_path, closed_third_places(start=3)),
             "BIG": _write(tmp_path, small("big").with_values({"population.size": 400}))}
    before = set(tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    assert main([files.get(a, a) for a in args] + ["--days", "3", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert set(tmp_path.iterdir()) == before


@pytest.mark.parametrize("option, field", [("--vary", "decisions.fear_wieght=0.5:1.5:3"),
                                           ("--param", "decisions.fear_wieght=0.5:1.5")])
def test_a_misspelt_field_is_blamed_on_the_option_not_the_scenario_file(tmp_path, capsys, option, field):
    command = "sweep" if option == "--vary" else "sensitivity"
    assert main([command, _write(tmp_path, small()), option, field, "--days", "3", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {option} decisions.fear_wieght: unknown field") and "did you mean decisions.fear_weight" in err
    assert ".toml" not in err


def test_window_defaults_to_a_month_or_the_whole_run_and_never_exceeds_it():
    assert window_for(365, None) == 30 and window_for(12, None) == 12 and window_for(12, 12) == 12
    with pytest.raises(DesignError, match="--window: must be a whole number from 1 to the days per run \\(12\\)"):
        window_for(12, 13)


def test_precision_follows_the_interval_and_never_shows_a_small_effect_as_zero():
    belonging = BY_NAME["belonging_points"]  # usually 1 decimal
    assert decimals_for(belonging, 0.3) == 1
    assert decimals_for(belonging, 0.02) == 2  # an interval narrower than the last digit
    assert decimals_for(belonging, 0.3, -0.04) == 2  # -0.04 is not "-0.0"
    assert decimals_for(belonging, 0.2, 0.2, 0.004, 0.4) == 3  # nor is a bound of 0.004 "0.0"
    row = pd.Series({"effect": -0.045, "ci_low": -0.056, "ci_high": -0.033, "half_width": 0.0115, "replicates": 3,
                     "distinguishable": True, "method": "paired"})
    words = effect_sentence("Closing it", "belonging_points", row, "over the last 30 days", base_mean=78.1195)
    assert words == ("Closing it lowered mean belonging by 0.04 points (95% CI 0.03 to 0.06; baseline 78.120 "
                     "points) over the last 30 days, paired over 3 replicates.")  # the level one digit finer
    assert "by 0.045 points (95% CI 0.033 to 0.056)" in effect_sentence("It", "belonging_points", row, "", decimals=3)


def test_one_replicate_gives_an_effect_without_calling_it_clear_or_unclear():
    row = pd.Series({"effect": -0.3, "ci_low": np.nan, "ci_high": np.nan, "half_width": np.nan, "replicates": 1,
                     "distinguishable": False, "method": "paired"})
    words = effect_sentence("It", "belonging_points", row, "on the last day")
    assert words == ("It changed mean belonging by -0.3 points, but with one replicate there is no interval to tell "
                     "that from zero on the last day, paired over 1 replicate.")


def test_a_whole_number_parameter_is_recorded_as_it_ran():
    design = sensitivity_design(small(), {"ties.slots": (32, 64)}, "morris", 2, 1, 3, 1)
    ran = [spec.values["ties.slots"] for spec in design.specs]
    assert all(isinstance(v, int) for v in ran) and ran == [int(round(v)) for v in design.samples[:, 0]]
    assert [f"slots = {v}" in spec.toml for spec, v in zip(design.specs, ran)] == [True] * len(design.specs)


def test_an_effect_still_growing_in_the_window_is_flagged_and_a_settled_one_is_not():
    days = np.arange(20)
    rows = []
    for replicate in range(4):
        for k, (scenario, difference) in enumerate((("base", 0 * days), ("growing", -0.1 * np.maximum(days - 5, 0)),
                                                    ("settled", np.where(days >= 5, -1.0, 0.0)))):
            noise = np.random.default_rng([replicate, k]).normal(0, 0.01, len(days))
            rows += [{"scenario": scenario, "point": 0, "replicate": replicate, "day": d, "belonging_points": 70 + n + x}
                     for d, n, x in zip(days, noise, difference)]
    table = pd.DataFrame(rows)
    growing = effect_drift(table, "base", "growing", "belonging_points", window=10)
    settled = effect_drift(table, "base", "settled", "belonging_points", window=10)
    assert growing[0] == pytest.approx(-0.5, abs=0.02) and growing[2] < 0  # the later half is 0.5 lower
    assert settled[1] < 0 < settled[2]


def test_a_window_that_starts_before_the_change_is_pointed_out():
    result = compare([small(), closed_third_places(start=5)], replicates=2, days=8, seed=1, window=6,
                     executor=InlineExecutor(), progress=False)
    text = report.report_text(result)
    assert "The window starts on day 2, before the change on day 5: the averages include 3 days without it" in text
    assert "Run at least 11 days (--days)" in text and text.count("### For scale") == 1


def test_cli_compare_writes_everything_and_removes_its_cache(tmp_path, capsys):
    base, closed = _write(tmp_path, small()), _write(tmp_path, closed_third_places())
    out = tmp_path / "out"
    assert main(["compare", base, closed, "--replicates", "2", "--days", "8", "--window", "4", "--workers", "1",
                 "--out", str(out), "--quiet"]) == 0
    for name in ("runs.parquet", "summary.csv", "effects.csv", "run_means.csv", "curves.png", "effects.png",
                 "report.md", "run.json", "experiment.json"):
        assert (out / name).exists(), name
    assert not list(tmp_path.glob(".out.cache-*"))
    report = (out / "report.md").read_text()
    assert "Closing the community centre on day 3" in report and "paired over 2 replicates" in report
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs.columns[:6]) == ["scenario", "point", "replicate", "seed", "population", "day"]
    assert len(runs) == 2 * 2 * 8
    assert len(list((out / "scenarios").glob("*.toml"))) == 2  # the full scenarios that ran
