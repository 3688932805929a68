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
from nodding.experiments.summarise import OVER_SETS, effects_over_sets, random_effects

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
                      **{m: 50.0 + 10 * replicate for m in _metrics()}},
                     {"scenario": "other", "point": point, "replicate": replicate, "seed": replicate, "f": point,
                      **{m: 50.0 + 10 * replicate + shift + noise for m in _metrics()}}]
    table = effects_over_sets(pd.DataFrame(rows), "base", ["f"])
    over = table[table["method"] == OVER_SETS].set_index("metric").loc["belonging_points"]
    assert over["effect"] == pytest.approx(3.0) and over["sets"] == 3 and over["replicates"] == 3
    assert over["share_parameters"] > 0.99  # the towns' spread (10 per replicate) cancels in the pairs
    paired = table[(table["method"] == "paired") & (table["metric"] == "belonging_points")]
    assert list(paired["point"]) == [0, 1, 2] and list(paired["effect"]) == pytest.approx([1.0, 3.0, 5.0])
    assert list(paired["f"]) == [0, 1, 2]


def _metrics():
    from nodding.experiments.summarise import METRICS
    return [m.name for m in METRICS]
