"""The runs the stylized facts are measured on: per seed, a town of the scenario (and the kindness challenge).

Towns start mature (the warm-up, docs/model.md section 5), so every measure is taken in the
steady state over the reported run. `run_seed` keeps what the measures and plots need from one
seed (`SeedRun`); `familiar_strangers`, `within_person_slopes` and `loneliness_shares` are the
measures that need more than the daily table. The challenge fact runs the scenario a second
time with the shipped kindness challenge on top of it (`with_challenge`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nodding import Scenario, Town
from nodding.model.routines import COMMUTE
from nodding.model.ties import ACQUAINTANCE, FAMILIAR_FACE

__all__ = ["CAMPAIGN", "CHALLENGE", "FOLLOWED", "SeedRun", "at_least", "familiar_strangers", "loneliness_shares",
           "readout_subscales", "readout_thresholds", "run_seed", "with_challenge", "within_person_slopes"]

CHALLENGE = "kindness_challenge"  # the shipped scenario whose campaign the challenge fact runs
CAMPAIGN = "kindness_week"  # its intervention's name
FOLLOWED = 300  # residents followed per seed for the within-person fact
YEAR = 365  # days: the year the facts about change over time are measured over


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
    adult_belonging: np.ndarray = None  # every adult's belonging on every reported day, pooled (float32)
    senior_belonging: np.ndarray = None  # the same for seniors
    wider_circle: np.ndarray = None  # every resident 15+'s wider-circle score on every reported day, pooled
    close_bonds: np.ndarray = None   # the same for close bonds (the subscales' read-out, `readout_subscales`)
    thresholds: tuple = (np.nan, np.nan)  # (lonely_below, severely_lonely_below) the shares are measured at
    first_day: dict = None     # per resident on day 0: belonging, person, age, personal traits (numpy arrays)
    year: object = None        # the daily table of a year (`YEAR` days), for the facts about change
    last_day: dict = None      # per resident on the year's last day, as `first_day`
    year_belonging: np.ndarray = None  # every resident 15+'s belonging on every day of the year, pooled (float32)
    year_age: np.ndarray = None        # their age in whole years, aligned with `year_belonging` (uint8)


#: A resident's fixed personal traits: what a twin study's heritable part can stand for (`table.measure_course`)
PERSONAL_TRAITS = ("baseline", "sociability", "anxiety", "busyness", "digital")


def _snapshot(res) -> dict:
    return {"belonging": res.belonging.copy(), "person": res.person.copy(), "age": res.age.copy(),
            **{trait: getattr(res, trait).copy() for trait in PERSONAL_TRAITS}}


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


def loneliness_shares(adults: np.ndarray, seniors: np.ndarray, lonely_below: float,
                      severely_below: float) -> dict[str, float]:
    """The shares of adults and seniors below the loneliness thresholds, pooled over the sampled days.

    Parameters
    ----------
    adults, seniors : numpy.ndarray
        Belonging (0-1) of every adult (every resident not a child) and every senior, every day, pooled.
    lonely_below, severely_below : float
        The thresholds (`belonging.lonely_below`, `belonging.severely_lonely_below`).

    Returns
    -------
    dict of str to float
        `adults_lonely`, `adults_severely_lonely`, `seniors_lonely`, `seniors_severely_lonely`.

    References
    ----------
    GGD'en, CBS & RIVM (2020). Gezondheidsmonitor Volwassenen en Ouderen 2020 (De Jong Gierveld scale).
    """
    return {"adults_lonely": float(np.mean(adults < lonely_below)),
            "adults_severely_lonely": float(np.mean(adults < severely_below)),
            "seniors_lonely": float(np.mean(seniors < lonely_below)) if len(seniors) else np.nan,
            "seniors_severely_lonely": float(np.mean(seniors < severely_below)) if len(seniors) else np.nan}


def readout_thresholds(adults: np.ndarray, lonely: float, severely: float) -> tuple[float, float]:
    """The thresholds that put the survey's shares of adults below them: percentiles of pooled belonging.

    The loneliness thresholds only *read* the state (no rule of the model uses them), so a run
    fixes them exactly: this is how `nodding calibrate` sets them, a read-out step after each
    run rather than a fitted parameter (docs/calibration.md).

    Parameters
    ----------
    adults : numpy.ndarray
        Adults' belonging, pooled over the reported days.
    lonely, severely : float
        The survey's shares of adults lonely and severely lonely (targets `loneliness.adults_*`).

    Returns
    -------
    tuple of float
        (`belonging.lonely_below`, `belonging.severely_lonely_below`).
    """
    return float(np.quantile(adults, lonely)), float(np.quantile(adults, severely))


def readout_subscales(run: SeedRun, socially: float, emotionally: float) -> tuple[float, float]:
    """The subscale thresholds that put CBS's shares of residents 15+ below them, as `readout_thresholds` does
    for the adults' loneliness: percentiles of the run's pooled wider-circle and close-bonds scores.

    Parameters
    ----------
    run : SeedRun
    socially, emotionally : float
        CBS's shares strongly socially and emotionally lonely (targets `ages.socially_lonely`,
        `ages.emotionally_lonely`).

    Returns
    -------
    tuple of float
        (`belonging.socially_lonely_below`, `belonging.emotionally_lonely_below`).
    """
    return float(np.quantile(run.wider_circle, socially)), float(np.quantile(run.close_bonds, emotionally))


def with_challenge(scenario: Scenario) -> Scenario:
    """The scenario with the shipped kindness challenge's campaign on top (its own interventions kept).

    Raises ValueError if the scenario already has an intervention named like the campaign (`CAMPAIGN`).
    """
    if CAMPAIGN in scenario.interventions:
        raise ValueError(f"{scenario.name} already has an intervention named {CAMPAIGN!r}: the challenge fact "
                         f"adds {CHALLENGE}'s campaign of that name on top of the scenario")
    data = scenario.to_dict()
    data["interventions"] = {**data.get("interventions", {}), **Scenario.named(CHALLENGE).to_dict()["interventions"]}
    return Scenario.from_dict(data, source=f"{scenario.name} + {CHALLENGE}")


def at_least(scenario: Scenario, residents: int) -> Scenario:
    """The scenario, with `population.size` raised to `residents` if it has fewer (more neighbourhoods alike).

    A fact about small groups (an age band holds about a tenth of a town) needs more residents than
    a 2,000-resident town gives it to tell 0.85 from 1.0 times the adults' share.

    >>> at_least(Scenario.default(), 10_000)["population.size"]
    10000
    """
    if scenario["population.size"] >= residents:
        return scenario
    return scenario.with_values({"population.size": int(residents)})


def run_seed(scenario: Scenario, seed: int, days: int, challenge: bool, followed: bool = True,
             year: bool = False) -> SeedRun:
    """Run a town of the scenario for `days` reported days, and the kindness challenge on top if asked.

    Parameters
    ----------
    scenario : Scenario
        The town's scenario (`nodding validate SCENARIO`; the default baseline).
    seed : int
        The seed of both towns.
    days : int
        Reported days of the run.
    challenge : bool
        Also run the scenario with the kindness challenge on top (`with_challenge`) to a week after
        its end, following its participants and the same residents in the plain run (days before
        its start, the week, and a week after).
    followed : bool
        Follow `FOLLOWED` residents day by day (the within-person fact needs them).
    year : bool
        Also live a whole year (`YEAR` days; on past `days` if the run is shorter) and keep its daily table and
        the residents on its last day (the facts about change over time need them).

    Returns
    -------
    SeedRun
    """
    base = Town(scenario, seed=seed)
    rng = np.random.default_rng(seed)
    if followed:
        base.follow(np.sort(rng.choice(len(base.residents), min(FOLLOWED, len(base.residents)), replace=False)))
    if challenge:
        campaign = Town(with_challenge(scenario), seed=seed)
        iv = next(iv for iv in campaign.interventions if iv.name == CAMPAIGN)
        window = np.arange(iv.start - 1, iv.end + 9)  # the day before, the week, and a week after
        participants = iv.draw_participants(campaign)  # its own stream: known before it begins
        rej_c, fear_c = [], []
        for day in range(window[-1] + 1):
            campaign.step()
            if day in window:
                rej_c.append(1.0 - campaign.residents.expected_acceptance[participants].mean())
                fear_c.append(campaign.residents.fear[participants].mean())
    rej_b, fear_b, adults, seniors, over_15, ages, wider, close = [], [], [], [], [], [], [], []

    def pool_the_year(res) -> None:  # residents 15+, every day of the year: the facts by age band
        aged = res.age >= 15
        over_15.append(res.belonging[aged].astype(np.float32))
        ages.append(res.age[aged].astype(np.uint8))

    first_day = None
    for day in range(days):
        base.step()
        res = base.residents
        if day == 0:
            first_day = _snapshot(res)
        if year and day < YEAR:
            pool_the_year(res)
        adults.append(res.belonging[res.age >= 18].astype(np.float32))
        seniors.append(res.belonging[res.age >= 75].astype(np.float32))  # the survey's oldest group
        wider.append(res.wider_circle[res.age >= 15].astype(np.float32))  # CBS's subscales: residents 15+
        close.append(res.close_bonds[res.age >= 15].astype(np.float32))
        if challenge and day in window:
            rej_b.append(1.0 - res.expected_acceptance[participants].mean())
            fear_b.append(res.fear[participants].mean())
    commuters, strangers = familiar_strangers(base)
    counts = base.ties.counts()
    gaps, levels = base.ties.gap, base.ties.levels()
    acquainted = (levels == ACQUAINTANCE) & ~np.isnan(gaps)
    run = SeedRun(days=days, daily=base.daily, history=base.history() if followed else None, commuters=commuters,
                  familiar_strangers=strangers, strong_ties=counts["strong_ties"], weak_ties=counts["weak_ties"],
                  gap_first=base.config["liking.gap"],
                  gap_acquaintances=float(np.nanmean(gaps[acquainted])) if acquainted.any() else np.nan,
                  adult_belonging=np.concatenate(adults), senior_belonging=np.concatenate(seniors),
                  wider_circle=np.concatenate(wider), close_bonds=np.concatenate(close),
                  thresholds=(scenario["belonging.lonely_below"], scenario["belonging.severely_lonely_below"]),
                  first_day=first_day)
    if year:  # the facts about change need a year: live on past the run, for their own measures only
        for day in range(days, YEAR):
            base.step()
            pool_the_year(base.residents)
        run.year, run.last_day = base.daily.iloc[:YEAR], _snapshot(base.residents)
        run.year_belonging, run.year_age = np.concatenate(over_15), np.concatenate(ages)
    if challenge:
        run.challenge_days = window
        run.challenge_rejection = np.array(rej_c)
        run.baseline_rejection = np.array(rej_b)
        run.challenge_fear_after = float(fear_c[-1])
        run.baseline_fear_after = float(fear_b[-1])
    return run
