"""`compare --over`: a what-if over plausible parameter sets (nodding.experiments).

The statistics are checked on synthetic differences whose answer is known; the runs on a tiny town
(80 residents, 12 days, 2 replicates) over two or three sets of `decisions.fear_weight`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nodding import Scenario
from nodding.cli import main
from nodding.experiments import compare
from nodding.experiments.design import DesignError, compare_design
from nodding.experiments.summarise import METRICS, OVER_SETS, effects_over_sets, random_effects

TINY = {"population.size": 80, "population.neighbourhood_size": 80, "warmup": 0}
SETS = pd.DataFrame({"set": [11, 12, 13], "decisions.fear_weight": [0.6, 1.0, 1.4]})


def tiny(name: str = "baseline", **interventions) -> Scenario:
    return Scenario.from_dict({"name": name, "interventions": interventions}).with_values(TINY)


def closes() -> Scenario:
    return tiny("centre_closes", close_centre={"kind": "close_place", "place": "community_centre", "start": 2})


# ---------------------------------------------------------------- the statistics, on known numbers
def _differences(spread: float, noise: float, sets: int = 8, replicates: int = 5, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 2.0 + rng.normal(0, spread, (sets, 1)) + rng.normal(0, noise, (sets, replicates))


def test_no_spread_between_sets_leaves_the_interval_to_randomness():
    over = random_effects(_differences(spread=0.0, noise=1.0))
    assert over["share_parameters"] < 0.3 and over["share_randomness"] == pytest.approx(1 - over["share_parameters"])
    assert over["ci_low"] < over["effect"] < over["ci_high"]
    assert over["ci_high"] - over["effect"] >= over["half_width_randomness"]


def test_a_large_spread_between_sets_dominates_the_interval():
    d = _differences(spread=5.0, noise=0.1)
    over = random_effects(d)
    assert over["share_parameters"] > 0.99
    assert over["effect"] == pytest.approx(d.mean())
    assert over["ci_high"] - over["effect"] > 10 * over["half_width_randomness"]


def test_the_interval_is_the_documented_formula():
    d = np.array([[1.0, 3.0], [4.0, 6.0], [7.0, 11.0]])  # set means 2, 5, 9
    within = (2 + 2 + 8) / 3  # squared deviations from the set means, 3 x (2 - 1) degrees of freedom
    between = np.var([2, 5, 9], ddof=1) - within / 2
    half = 4.302653 * np.sqrt((between + within / 2) * (1 + 1 / 3))  # t(0.975, 2)
    over = random_effects(d)
    assert over["effect"] == pytest.approx(16 / 3)
    assert over["ci_high"] - over["effect"] == pytest.approx(half, rel=1e-6)
    assert over["share_parameters"] == pytest.approx(between / (between + within / 2))
    assert over["half_width_randomness"] == pytest.approx(3.182446 * np.sqrt(within / 2), rel=1e-6)  # t(0.975, 3)


def test_identical_differences_have_no_variance_to_share():
    over = random_effects(np.full((3, 2), 0.5))
    assert over["ci_low"] == over["ci_high"] == over["effect"] == 0.5 and np.isnan(over["share_parameters"])


def test_effects_over_sets_pairs_by_set_and_replicate():
    rows = []
    for point, shift in enumerate([1.0, 3.0, 5.0]):
        for replicate in range(3):
            noise = 0.1 * (replicate - 1)
            rows += [{"scenario": "base", "point": point, "replicate": replicate, "seed": replicate, "f": point,
                      **{m.name: 50.0 + 10 * replicate for m in METRICS}},
                     {"scenario": "other", "point": point, "replicate": replicate, "seed": replicate, "f": point,
                      **{m.name: 50.0 + 10 * replicate + shift + noise for m in METRICS}}]
    table = effects_over_sets(pd.DataFrame(rows), "base", ["f"])
    over = table[table["method"] == OVER_SETS].set_index("metric").loc["belonging_points"]
    assert over["effect"] == pytest.approx(3.0) and over["sets"] == 3 and over["replicates"] == 3
    assert over["share_parameters"] > 0.99  # the towns' spread (10 per replicate) cancels in the pairs
    paired = table[(table["method"] == "paired") & (table["metric"] == "belonging_points")]
    assert list(paired["point"]) == [0, 1, 2] and list(paired["effect"]) == pytest.approx([1.0, 3.0, 5.0])
    assert list(paired["f"]) == [0, 1, 2]


# ---------------------------------------------------------------- the design
def test_every_set_and_scenario_runs_the_same_replicate_seeds():
    design = compare_design([tiny(), closes()], replicates=2, days=12, seed=4, over=SETS)
    assert design.over == {"file": None, "sets": 3, "fields": ["decisions.fear_weight"], "labels": [11, 12, 13]}
    seeds = {(spec.point, spec.replicate): set() for spec in design.specs}
    for spec in design.specs:
        seeds[(spec.point, spec.replicate)].add(spec.seed)
        assert spec.values == {"decisions.fear_weight": SETS["decisions.fear_weight"][spec.point]}
        assert f"fear_weight = {spec.values['decisions.fear_weight']}" in spec.toml
    assert len(design.specs) == 2 * 3 * 2 and all(len(s) == 1 for s in seeds.values())
    assert seeds[(0, 0)] == seeds[(2, 0)] != seeds[(0, 1)]  # paired by (set, replicate)
    assert len({spec.key for spec in design.specs}) == len(design.specs)


def test_sets_takes_the_first_rows_and_defaults_to_at_most_ten(tmp_path):
    many = pd.DataFrame({"decisions.fear_weight": np.linspace(0.5, 2, 12)})
    assert compare_design([tiny(), closes()], 2, days=12, over=many).over["sets"] == 10
    assert compare_design([tiny(), closes()], 2, days=12, over=many, sets=3).over["sets"] == 3
    assert compare_design([tiny(), closes()], 2, days=12, over=SETS, sets=50).over["sets"] == 3  # all there are
    SETS.to_parquet(tmp_path / "plausible.parquet")
    assert compare_design([tiny(), closes()], 2, days=12, over=tmp_path / "plausible.parquet").over["sets"] == 3
    with pytest.raises(DesignError, match="--sets: must be a whole number of at least 2"):
        compare_design([tiny(), closes()], 2, days=12, over=SETS, sets=1)
    with pytest.raises(DesignError, match="--sets: only with --over"):
        compare_design([tiny(), closes()], 2, days=12, sets=3)


# ---------------------------------------------------------------- runs
@pytest.fixture(scope="module")
def over_sets():
    return compare([tiny(), closes()], replicates=2, days=12, seed=4, window=6, over=SETS.head(2), workers=1,
                   progress=False)


def test_effects_over_sets_cover_both_sources_of_uncertainty(over_sets):
    eff = over_sets.effects
    over = eff[eff["method"] == OVER_SETS]
    assert len(over) == len(METRICS) and (over["sets"] == 2).all() and (over["replicates"] == 2).all()
    assert np.isfinite(over[["effect", "ci_low", "ci_high", "half_width_randomness"]]).all().all()
    assert ((over["ci_low"] <= over["effect"]) & (over["effect"] <= over["ci_high"])).all()
    assert (over["half_width"] >= over["half_width_randomness"]).all()
    paired = eff[eff["method"] == "paired"]
    assert sorted(paired["point"].unique()) == [0, 1] and "decisions.fear_weight" in paired
    assert over_sets.summary.groupby("point")["decisions.fear_weight"].nunique().eq(1).all()
    assert over_sets.settings["over"]["fields"] == ["decisions.fear_weight"]


def test_one_worker_and_two_give_the_same_results(over_sets):
    two = compare([tiny(), closes()], replicates=2, days=12, seed=4, window=6, over=SETS.head(2), workers=2,
                  progress=False)
    pd.testing.assert_frame_equal(two.runs, over_sets.runs)  # exactly: the same machine (conftest.assert_same_results)
    pd.testing.assert_frame_equal(two.effects, over_sets.effects)


def test_the_report_says_what_the_intervals_cover(over_sets, tmp_path):
    over_sets.write(tmp_path / "out")
    text = (tmp_path / "out" / "report.md").read_text()
    assert text.index("This comparison ran over 2 plausible parameter sets") < text.index("## The question")
    assert "paired over 2 plausible parameter sets x 2 replicates" in text
    assert "comes from the spread across plausible parameter sets" in text or "no spread to share" in text
    assert "not the uncertainty of the model's assumptions" not in text
    assert "nor the model's structure" in text
    assert (tmp_path / "out" / "sets.png").exists()


# ---------------------------------------------------------------- the command line
def _files(tmp_path) -> dict[str, str]:
    files = {}
    for name, scenario in (("BASE", tiny()), ("CLOSES", closes())):
        files[name] = str(tmp_path / f"{scenario.name}.toml")
        (tmp_path / f"{scenario.name}.toml").write_text(scenario.to_toml(), encoding="utf-8")
    tables = {"GOOD": SETS, "MISSPELT": SETS.rename(columns={"decisions.fear_weight": "decisions.fear_wieght"}),
              "WORDS": SETS.assign(**{"decisions.fear_weight": ["low", "mid", "high"]}), "ONE": SETS.head(1),
              "RANGE": SETS.assign(**{"decisions.fear_weight": [1.0, -3.0, 1.0]})}
    for name, table in tables.items():
        files[name] = str(tmp_path / f"{name.lower()}.csv")
        table.to_csv(files[name], index=False)
    files["MISSING"] = str(tmp_path / "no_such.csv")
    return files


def test_cli_compare_over_writes_the_report(tmp_path, capsys):
    files = _files(tmp_path)
    out = tmp_path / "out"
    assert main(["compare", files["BASE"], files["CLOSES"], "--over", files["GOOD"], "--sets", "2", "--replicates",
                 "2", "--days", "8", "--window", "4", "--workers", "1", "--out", str(out), "--quiet"]) == 0
    effects = pd.read_csv(out / "effects.csv")
    assert OVER_SETS in set(effects["method"]) and "share_parameters" in effects
    assert {"point", "decisions.fear_weight"} <= set(pd.read_csv(out / "summary.csv").columns)
    assert f"`{files['GOOD']}`" in (out / "report.md").read_text()


@pytest.mark.parametrize("over, extra, blamed", [
    ("MISSPELT", [], "--over decisions.fear_wieght: unknown field"),
    ("WORDS", [], "--over row 1 (set 11), decisions.fear_weight: not a number"),
    ("RANGE", [], "--over row 2 (set 12), decisions.fear_weight:"),
    ("ONE", [], "--over: needs at least 2 parameter sets"),
    ("MISSING", [], "no such file"),
    ("GOOD", ["--sets", "1"], "--sets: must be a whole number of at least 2"),
    ("GOOD", ["--replicates", "1"], "--over: needs --replicates 2 or more"),
])
def test_bad_plausible_sets_exit_2_with_one_line_and_write_nothing(tmp_path, monkeypatch, capsys, over, extra, blamed):
    files = _files(tmp_path)
    before = set(tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    assert main(["compare", files["BASE"], files["CLOSES"], "--over", files[over], *extra, "--days", "3",
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and blamed in err
    assert set(tmp_path.iterdir()) == before


def test_the_definitions_name_the_thresholds_of_the_sets_that_ran():
    from nodding.experiments.wording import definitions

    assert "threshold, 77.6 points (" in definitions(0.776)
    assert "threshold, 76.1 to 77.3 points, depending on the plausible set" in definitions(0.761, 0.773)
