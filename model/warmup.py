"""The warm-up: unreported days before day 0, with the town's slow processes fast-forwarded.

A freshly built town has seeded strong ties but no familiar faces or weak ties; `warmup` days
(numbered -warmup .. -1) lived with `warmup_config` make day 0 a mature town (docs/model.md,
section 5). The Town runs them with `fast_forwarded` around its ordinary day.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

from .scenario import Scenario

__all__ = ["fast_forwarded", "warmup_config"]

#: Slow processes a fast-forwarded warm-up day speeds up: retentions r become r**speed, step sizes
#: a become 1 - (1 - a)**speed (rates of change per day), and gains per event are multiplied.
_RETENTIONS = ("ties.rapport_decay", "learning.modeling_memory")
_STEPS = ("belonging.decay", "learning.rebound", "liking.gap_learning")
_GAINS = ("ties.rapport_nod", "ties.rapport_greeting", "ties.rapport_chat", "ties.rapport_help",
          "learning.acceptance_rate", "learning.fear_rate", "routines.turnover", "life.moving_rate",
          "life.leaving_home_rate")
#: Time scales in days, divided by the speed (mortality, a table, is sped up by `life.Life.live` itself).
_TIME_SCALES = ("belonging.drift_days",)


def warmup_config(s: Scenario, speed: float) -> Scenario:
    """The scenario a warm-up day runs with: every slow process `speed` times faster.

    Familiarity and rapport keep their scale (gains x speed, retention ** speed), so their
    long-run levels and the ladder's thresholds are unchanged; only the time to get there shrinks.
    Recognition (familiarity's decay) runs at normal speed. A modelling choice (docs/model.md,
    section 5).

    Parameters
    ----------
    s : Scenario
        The scenario of the reported days.
    speed : float
        How many days of a town's life one warm-up day stands for (`warmup_speed`).

    Returns
    -------
    Scenario

    >>> warmup_config(Scenario.default(), 4)["ties.rapport_decay"] == 0.99 ** 4
    True
    """
    values = dict(s.values)
    for key in _RETENTIONS:
        values[key] = s[key] ** speed
    for key in _STEPS:
        values[key] = 1.0 - (1.0 - s[key]) ** speed
    for key in _GAINS:
        values[key] = s[key] * speed
    for key in _TIME_SCALES:
        values[key] = s[key] / speed
    return replace(s, values=values)


@contextmanager
def fast_forwarded(town, speed: float):
    """Within the block, `town.config` is its `warmup_config`; afterwards (also after an error) the plain one.

    Parameters
    ----------
    town : Town
    speed : float
        As for `warmup_config`.
    """
    plain, town.config = town.config, warmup_config(town.config, speed)
    try:
        yield
    finally:
        town.config = plain
