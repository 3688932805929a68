"""How well a parameter set meets its targets: the miss per target, the loss, "within tolerance".

The loss is ours, a documented weighted sum rather than a multi-objective front: every fitted
target weighs the same, and its miss is the distance of the replicates' mean from the target
in units of the target's own tolerance, so targets on different scales (a share, a count of
ties) are comparable:

- a two-sided band [low, high] around a value v: (mean - v) / (high - v) above v, and
  (v - mean) / (v - low) below it (v is the band's middle where the source gives no value); a
  mean on the band's edge misses by 1;
- a one-sided band (only `high`, or only `low`): no miss inside it, and beyond it the distance
  to the bound in units of a tenth of the bound (or of 1, for a bound of 0).

loss = the mean of the squared misses. A parameter set is *within tolerance* for a target when
the mean over its replicates lies inside the band: the same rule as `nodding validate`'s verdict.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["ONE_SIDED_SCALE", "loss", "miss", "within"]

ONE_SIDED_SCALE = 0.1  # a one-sided band's miss is counted in tenths of its bound (ours)


def miss(target, mean: float) -> float:
    """How far a mean lies from a target, in units of the target's tolerance (0 inside a one-sided band).

    Parameters
    ----------
    target : nodding.facts.Target
        With a band (`low` and/or `high`); a direction cannot be fitted.
    mean : float
        The statistic's mean over replicates.

    Returns
    -------
    float
        Signed for a two-sided band (negative below the value); inf for a NaN mean.

    Examples
    --------
    >>> from nodding.facts import Target
    >>> t = Target("x", "x", "0.4 ± 0.1", low=0.3, high=0.5, value=0.4)
    >>> round(miss(t, 0.45), 6), round(miss(t, 0.2), 6)
    (0.5, -2.0)
    """
    if not math.isfinite(mean):
        return math.inf
    low, high = target.low, target.high
    if low is not None and high is not None:
        value = target.value if target.value is not None else (low + high) / 2
        return (mean - value) / (high - value) if mean >= value else (mean - value) / (value - low)
    bound = high if high is not None else low
    beyond = max(0.0, mean - high) if high is not None else max(0.0, low - mean)
    return beyond / (ONE_SIDED_SCALE * abs(bound) if bound else 1.0)


def loss(targets, means: dict[str, float]) -> float:
    """The mean squared miss over the fitted targets (module docstring).

    Parameters
    ----------
    targets : iterable of Target
    means : dict of str to float
        Statistic name -> mean over replicates.

    Returns
    -------
    float
    """
    return float(np.mean([miss(t, means[t.statistic]) ** 2 for t in targets]))


def within(target, mean: float) -> bool:
    """Whether the mean lies inside the target's band (inclusive), as `nodding validate` judges it."""
    return bool(math.isfinite(mean) and (target.low is None or mean >= target.low)
                and (target.high is None or mean <= target.high))
