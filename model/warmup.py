"""The warm-up: unreported days before day 0, with the town's slow processes fast-forwarded.

A freshly built town has seeded strong ties but no familiar faces or weak ties; `warmup` days
(numbered -warmup .. -1) lived with `warmup_config` make day 0 a mature town (docs/model.md,
section 5). The Town runs each with `fast_forwarded` around its ordinary day, at the speed
`speed_on` gives it: fast at first, normal by day 0, so the reported days continue the warm-up's
last days without a jump.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

from .scenario import Scenario

__all__ = ["fast_forwarded", "speed_on", "warmup_config"]

#: Slow processes a fast-forwarded warm-up day speeds up: retentions r become r**speed, step sizes
#: a become 1 - (1 - a)**speed (rates of change per day), and gains per event are multiplied.
_RETENTIONS = ("ties.rapport_decay", "learning.modeling_memory")
_STEPS = ("belonging.decay", "learning.rebound", "liking.gap_learning")
_GAINS = ("ties.rapport_nod", "ties.rapport_greeting", "ties.rapport_chat", "ties.rapport_help",
          "learning.acceptance_rate", "learning.fear_rate", "routines.turnover", "life.moving_rate",
          "life.leaving_home_rate")
#: Time scales in days, divided by the speed (mortality, a table, is sped up by `life.Life.live` itself).
_TIME_SCALES = ("belonging.drift_days",)


def speed_on(day: int, days: int, speed: float) -> float:
    """How many days of a town's life warm-up day `day` (-days .. -1) stands for: `speed` on the first, 1 on the last.

    The speed falls linearly, so the warm-up's `days` stand for about days x (1 + speed) / 2 days of
    life. Processes with a memory of weeks (recognition, which runs at normal speed, and routines
    meeting it) settle at their normal pace in the last weeks, so day 0 is what a town living at
    normal speed would show; a warm-up fast to the end left familiar faces 30-50% short of it, to be
    made up over the first reported months (docs/model.md, section 5). A modelling choice.

    Parameters
    ----------
    day : int
        The warm-up day, from -days (the first) to -1 (the last).
    days : int
        Warm-up days (`warmup`).
    speed : float
        The first day's speed (`warmup_speed`).

    Returns
    -------
    float

    Examples
    --------
    >>> [round(speed_on(d, 5, 6.0), 2) for d in range(-5, 0)]
    [6.0, 4.75, 3.5, 2.25, 1.0]
    """
    if days <= 1:
        return float(speed)
    return 1.0 + (speed - 1.0) * (-day - 1) / (days - 1)


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
    values["warmup_speed"] = speed  # today's speed, for the processes that read it (the life table)
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
