"""Shared helpers: small, cached towns for direction-of-effect tests.

`run_town(values, interventions, seed=..., days=...)` builds a 300-resident
town (one neighbourhood) with dotted overrides and interventions, runs it and
caches the result per worker, so the control arm shared by several tests runs
once. Cached towns are shared: tests must only read them.
"""

from __future__ import annotations

import functools
import json
import os

import numba
import numpy as np
import pandas as pd

from nodding import Scenario, Town

# The dashboard's app module pins NUMBA_NUM_THREADS when it is imported (for `solara run`), and numba re-reads
# the environment at every compilation: a kernel compiled for the first time after that import, in a process
# whose threads already run, would be refused. Pin the launched count here, before any test imports the app.
os.environ.setdefault("NUMBA_NUM_THREADS", str(numba.config.NUMBA_NUM_THREADS))

# Mechanism tests run on young towns (no warm-up): fast, and every rung of the ladder is still being
# climbed within their 20 days -- which the familiar-stranger penalty would freeze after a few days, so
# it is off here (its own test is in test_mechanisms.py), and routines stay fixed (no turnover; tested in
# test_mechanisms.py). The steady state is tested by test_validate.py.
SMALL = {"population.size": 300, "population.neighbourhood_size": 300, "warmup": 0,
         "decisions.familiar_stranger_penalty": 0.0, "routines.turnover": 0.0}
SEEDS = (1, 2, 3)
DAYS = 20


#: How close two runs' float results must be to count as the same results on different machines. numpy
#: picks SIMD kernels by CPU (AVX2, AVX-512, ...), which sum floats in another order: the last digit of a
#: daily mean may differ (1e-16 relative, seen on an AVX-512 EPYC). Any rule's effect is far larger
#: (a 0.1% change of one parameter moves daily means by 1e-4 or more within a month: see
#: test_the_golden_table_catches_a_small_rule_change), so this tolerance keeps a golden test's power.
FLOAT_RTOL = 1e-9


def assert_same_results(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Two runs' tables hold the same results on any CPU: same columns, integer columns (counts, days)
    exactly equal, float columns equal to FLOAT_RTOL. For a run against itself on one machine (the
    same seed twice, 1 worker against 2), compare exactly instead: that determinism is exact."""
    assert list(actual.columns) == list(expected.columns) and len(actual) == len(expected)
    for column in actual.columns:
        got, want = actual[column].to_numpy(), expected[column].to_numpy()
        if np.issubdtype(got.dtype, np.floating) or np.issubdtype(want.dtype, np.floating):
            np.testing.assert_allclose(got.astype(float), want.astype(float), rtol=FLOAT_RTOL, atol=1e-12,
                                       err_msg=f"column {column!r}")
        else:
            np.testing.assert_array_equal(got, want, err_msg=f"column {column!r}")


def small_scenario(values: dict | None = None, interventions: dict | None = None) -> Scenario:
    base = Scenario.from_dict({"interventions": interventions or {}})
    return base.with_values({**SMALL, **(values or {})})


@functools.lru_cache(maxsize=256)
def _cached(key: str, seed: int, days: int, log_events: bool) -> Town:
    values, interventions = json.loads(key)
    town = Town(small_scenario(values, interventions), seed=seed, log_events=log_events)
    town.run(days=days)
    return town


def run_town(values: dict | None = None, interventions: dict | None = None, *, seed: int = 1, days: int = DAYS,
             log_events: bool = False) -> Town:
    """A small town after `days` days (cached: do not mutate)."""
    key = json.dumps([values or {}, interventions or {}], sort_keys=True)
    return _cached(key, seed, days, log_events)


def seed_mean(measure, values=None, interventions=None, *, seeds=SEEDS, days: int = DAYS,
              log_events: bool = False) -> float:
    """Mean of `measure(town)` over the same seeds."""
    return float(np.mean([measure(run_town(values, interventions, seed=s, days=days, log_events=log_events))
                          for s in seeds]))


def total(column: str, days: slice = slice(None)):
    """Measure: sum of a daily column over a range of days."""
    return lambda town: float(town.daily[column].iloc[days].sum())


def mean(column: str, days: slice = slice(None)):
    """Measure: mean of a daily column over a range of days."""
    return lambda town: float(town.daily[column].iloc[days].mean())


def place_events(town: Town, place_name: str):
    """Logged interactions at any copy of the place table `place_name`."""
    events = town.events_frame()
    return events[events["place"].isin(town.places.of_spec(place_name))]
