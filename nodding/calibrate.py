"""Calibrate the loneliness thresholds to the Dutch survey: `python -m nodding.calibrate [--seeds N] [--days D]`.

What is calibrated, and how
---------------------------
The model's belonging score (0-1) has no survey scale of its own. The Gezondheidsmonitor
Volwassenen en Ouderen 2020 (GGD'en, CBS, RIVM; De Jong Gierveld loneliness scale, adults 18+)
found 47% of Dutch adults lonely (score 3 or more of 11) and 11% severely lonely (9 or more).
We map the belonging score onto that scale by two thresholds: `belonging.lonely_below` is the
47th and `belonging.severely_lonely_below` the 11th percentile of adults' belonging (residents
who are not children) in a mature default town, pooled over `--seeds` seeds and every 28th
reported day of a `--days`-day baseline run (after the warm-up). The thresholds only *read* the
state (no rule uses them), so one set of runs fixes them exactly.

What is *not* calibrated here: everything else. The shares of seniors (the survey's 75+: 56% lonely,
12% severely) are then a check (`nodding validate --facts loneliness`); the street, where seniors and
residents at home meet their neighbours, was tuned by hand against it (docs/model.md 7.9).
"""

from __future__ import annotations

import argparse

import numpy as np

from nodding import Scenario, Town
from nodding.facts import fact_named
from nodding.model.residents import CHILD

__all__ = ["TARGETS", "adult_belonging", "thresholds", "main"]

_SURVEY = fact_named("loneliness")  # the survey shares are declared once, as the fact's targets
TARGETS = {"belonging.lonely_below": _SURVEY.target("adults_lonely").value,
           "belonging.severely_lonely_below": _SURVEY.target("adults_severely_lonely").value}


def adult_belonging(seeds: int, days: int, every: int = 28) -> np.ndarray:
    """Adults' belonging, pooled over seeds 1..`seeds` and every `every`-th reported day.

    Parameters
    ----------
    seeds : int
        Default towns with seeds 1..`seeds`.
    days : int
        Reported days per town (after the warm-up).
    every : int
        Days between two samples.

    Returns
    -------
    numpy.ndarray
        Belonging (0-1) of every adult, every sampled day, every seed.
    """
    pooled = []
    for seed in range(1, seeds + 1):
        town = Town(Scenario.default(), seed=seed)
        adult = town.residents.role != CHILD
        for _ in range(days // every):
            town.run(every)
            pooled.append(town.residents.belonging[adult].copy())
    return np.concatenate(pooled)


def thresholds(seeds: int = 3, days: int = 364) -> dict[str, float]:
    """The loneliness thresholds that put the survey's shares of adults below them.

    Parameters
    ----------
    seeds, days : int
        As in `adult_belonging`.

    Returns
    -------
    dict of str to float
        `belonging.lonely_below` and `belonging.severely_lonely_below`, rounded to 3 decimals.

    References
    ----------
    GGD'en, CBS & RIVM (2020). Gezondheidsmonitor Volwassenen en Ouderen 2020.
    """
    belonging = adult_belonging(seeds, days)
    return {key: round(float(np.quantile(belonging, share)), 3) for key, share in TARGETS.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nodding.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--days", type=int, default=364)
    args = parser.parse_args(argv)
    found = thresholds(args.seeds, args.days)
    for key, value in found.items():
        print(f"{key} = {value}   (share of adults below it in a mature default town: {TARGETS[key]:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
