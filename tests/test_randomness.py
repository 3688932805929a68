"""Common random numbers: draws are uniform, independent across purposes, days and parts, and stable."""

import numpy as np
import pytest

from nodding.model.randomness import RandomSource

IDS = np.arange(200_000)


def test_draws_are_uniform_on_the_unit_interval():
    u = RandomSource(seed=1).on(day=0).uniform("visit", IDS)
    assert ((u >= 0) & (u < 1)).all()
    counts = np.histogram(u, bins=20, range=(0, 1))[0]
    expected = len(u) / 20
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 43.8  # 99.9% point of chi-square with 19 degrees of freedom


@pytest.mark.parametrize("other", [dict(seed=2), dict(day=1), dict(part=1), dict(purpose="start")])
def test_draws_differ_by_seed_day_part_and_purpose(other):
    def draws(seed=1, day=0, part=0, purpose="visit"):
        return RandomSource(seed).on(day).uniform(purpose, IDS, part=part)

    base, changed = draws(), draws(**other)
    assert abs(np.corrcoef(base, changed)[0, 1]) < 0.01
    assert (base != changed).mean() > 0.999


def test_a_residents_draw_does_not_depend_on_who_else_draws():
    day = RandomSource(seed=3).on(day=5)
    everyone = day.uniform("visit", IDS)
    some = IDS[::7]
    assert (day.uniform("visit", some) == everyone[some]).all()


def test_pairs_are_ordered_and_stable():
    day = RandomSource(seed=3).on(day=5)
    a, b = IDS[:1000], IDS[1000:2000]
    ab = day.uniform("start", a, b)
    assert (day.uniform("start", a[::-1], b[::-1]) == ab[::-1]).all()
    assert (day.uniform("start", b, a) != ab).mean() > 0.99  # i deciding about j is not j about i


def test_poisson_counts_have_the_asked_mean_and_variance():
    counts = RandomSource(seed=4).on(day=0).poisson("calls", IDS, 0.6)
    assert counts.mean() == pytest.approx(0.6, abs=0.01)
    assert counts.var() == pytest.approx(0.6, abs=0.02)
    assert (RandomSource(seed=4).on(day=0).poisson("calls", IDS[:10], 0.6) == counts[:10]).all()
