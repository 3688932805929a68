"""The runs the stylized facts are measured on: per seed, a default town (and the kindness challenge).

Default towns start mature (the warm-up, docs/model.md section 5), so every measure is taken in
the steady state over the reported run. `run_seed` keeps what the measures and plots need from
one seed (`SeedRun`); `familiar_strangers` and `within_person_slopes` are the two measures that
need more than the daily table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nodding import Scenario, Town
from nodding.model.routines import COMMUTE
from nodding.model.ties import ACQUAINTANCE, FAMILIAR_FACE

__all__ = ["CHALLENGE", "FOLLOWED", "SeedRun", "run_seed", "familiar_strangers", "within_person_slopes"]

CHALLENGE = "kindness_challenge"  # the shipped scenario the challenge fact runs
FOLLOWED = 300  # residents followed per seed for the within-person fact


@dataclass
class SeedRun:
    """What one seed's baseline (and challenge) run leaves for the measures."""

    days: int
    daily: object
    history: object
    commuters: np.ndarray
    familiar_strangers: np.ndarray
    strong_ties: np.ndarray
    weak_ties: np.ndarray
    gap_first: float
    gap_acquaintances: float
    challenge_days: np.ndarray = None
    challenge_rejection: np.ndarray = None   # participants' predicted rejection, challenge run, per day
    baseline_rejection: np.ndarray = None    # the same residents, baseline run
    challenge_fear_after: float = np.nan
    baseline_fear_after: float = np.nan


def familiar_strangers(town: Town) -> tuple[np.ndarray, np.ndarray]:
    """Regular commuters, and how many others of their stop and time slot each recognises.

    A familiar stranger is recognised without ever having been spoken to: rung `familiar_face`,
    rapport below nodding terms.

    Parameters
    ----------
    town : Town
        The town, on the day measured.

    Returns
    -------
    commuters : numpy.ndarray
        Indices of the residents with a commute.
    count : numpy.ndarray
        For each commuter, the familiar strangers at their stop and time slot.

    References
    ----------
    Milgram, S. (1972). The familiar stranger: an aspect of urban anonymity. *Division 8 Newsletter*.
    """
    r = town.routines
    who = np.flatnonzero(r.anchor[:, COMMUTE] >= 0)
    key = r.anchor[who, COMMUTE].astype(np.int64) * 1024 + r.slot[who, COMMUTE]
    order = np.argsort(key, kind="stable")
    who, key = who[order], key[order]
    bounds = np.flatnonzero(np.diff(key)) + 1
    owner, other = [], []
    for group in np.split(who, bounds):
        if len(group) > 1:
            a, b = np.meshgrid(group, group, indexing="ij")
            keep = a != b
            owner.append(a[keep]), other.append(b[keep])
    count = np.zeros(len(town.residents), dtype=np.int64)
    if owner:
        owner, other = np.concatenate(owner), np.concatenate(other)
        _, level = town.ties.recall(owner, other)
        np.add.at(count, owner, level == FAMILIAR_FACE)
    return who, count[who]


def within_person_slopes(history) -> tuple[float, float]:
    """Within-person slopes of felt belonging and affect on the day's weak-tie interactions.

    OLS on each followed resident's deviations from their own means, with the day's strong-tie
    interactions as a second regressor (held fixed).

    Parameters
    ----------
    history : pandas.DataFrame
        The followed residents' days (`Town.history()`).

    Returns
    -------
    tuple of float
        The slopes of felt belonging and of affect per weak-tie interaction.

    References
    ----------
    Sandstrom, G. M., & Dunn, E. W. (2014b). Social interactions and well-being: the surprising
    power of weak ties. *Personality and Social Psychology Bulletin*, 40(7), 910-922.
    """
    h = history
    cols = ["felt_belonging", "affect", "weak_interactions", "strong_interactions"]
    d = h[cols] - h.groupby("resident")[cols].transform("mean")
    x = np.column_stack([d["weak_interactions"], d["strong_interactions"]])
    slopes = []
    for y in ("felt_belonging", "affect"):
        beta, *_ = np.linalg.lstsq(x, d[y].to_numpy(), rcond=None)
        slopes.append(float(beta[0]))
    return slopes[0], slopes[1]


def run_seed(seed: int, days: int, with_challenge: bool) -> SeedRun:
    """Run a default town for `days` reported days, and the kindness challenge beside it if asked.

    Parameters
    ----------
    seed : int
        The seed of both towns.
    days : int
        Reported days of the baseline run.
    with_challenge : bool
        Also run `CHALLENGE` to a week after its end, following its participants and the same
        residents in the baseline (days before its start, the week, and a week after).

    Returns
    -------
    SeedRun
    """
    base = Town(Scenario.default(), seed=seed)
    rng = np.random.default_rng(seed)
    base.follow(np.sort(rng.choice(len(base.residents), FOLLOWED, replace=False)))
    if with_challenge:
        challenge = Town(Scenario.named(CHALLENGE), seed=seed)
        iv = challenge.interventions[0]
        window = np.arange(iv.start - 1, iv.end + 9)  # the day before, the week, and a week after
        participants = iv.draw_participants(challenge)  # its own stream: known before it begins
        rej_c, fear_c = [], []
        for day in range(window[-1] + 1):
            challenge.step()
            if day in window:
                rej_c.append(1.0 - challenge.residents.expected_acceptance[participants].mean())
                fear_c.append(challenge.residents.fear[participants].mean())
    rej_b, fear_b = [], []
    for day in range(days):
        base.step()
        if with_challenge and day in window:
            rej_b.append(1.0 - base.residents.expected_acceptance[participants].mean())
            fear_b.append(base.residents.fear[participants].mean())
    commuters, strangers = familiar_strangers(base)
    counts = base.ties.counts()
    gaps, levels = base.ties.gap, base.ties.levels()
    acquainted = (levels == ACQUAINTANCE) & ~np.isnan(gaps)
    run = SeedRun(days=days, daily=base.daily, history=base.history(), commuters=commuters,
                  familiar_strangers=strangers, strong_ties=counts["strong_ties"], weak_ties=counts["weak_ties"],
                  gap_first=base.config["liking.gap"],
                  gap_acquaintances=float(np.nanmean(gaps[acquainted])) if acquainted.any() else np.nan)
    if with_challenge:
        run.challenge_days = window
        run.challenge_rejection = np.array(rej_c)
        run.baseline_rejection = np.array(rej_b)
        run.challenge_fear_after = float(fear_c[-1])
        run.baseline_fear_after = float(fear_b[-1])
    return run
