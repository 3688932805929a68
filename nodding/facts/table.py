"""The stylized facts of DESIGN.md and the Dutch survey targets, as a table (`FACTS`).

Each entry declares a fact once: its name and title, its source, its statistics (what is
measured, in words) and two functions, one measuring the statistics on one seed's run, one
drawing the fact. The targets the statistics are held to (value, band, source, use in a
calibration) are in the shipped target file, `targets.toml`, which `nodding calibrate` reads
too. Adding a fact is adding an entry, its two functions and its targets; `nodding validate`,
`nodding calibrate` and the report pick it up. Month 3 stands in for month 12 in a 90-day quick run.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nodding.model.population import AGE_BANDS

from .fact import Fact
from .runs import (FOLLOWED, PERSONAL_TRAITS, YEAR, at_least, loneliness_shares, readout_subscales,
                   readout_thresholds, run_seed, within_person_slopes)
from .targets import SHIPPED, Statistic, read_targets

__all__ = ["FACTS", "FACT_NAMES", "STATISTICS", "fact_named", "fact_of", "load_targets", "measure_statistics",
           "on_larger_towns"]

STATISTICS: dict[str, Statistic] = {}  # "fact.key" -> what it measures; filled by `_statistics` below


def _statistics(fact: str, *declared) -> tuple[Statistic, ...]:
    """A fact's statistics, from (key, measure in words[, digits]); each also registered in `STATISTICS`."""
    made = tuple(Statistic(f"{fact}.{key}", measure, *digits) for key, measure, *digits in declared)
    STATISTICS.update((s.name, s) for s in made)
    return made

LAST_MONTH = 30  # days: "the last month of the run"
MONTH_2 = slice(30, 60)  # the steady-state reference month


def _last_month(run) -> slice:
    return slice(max(run.days - LAST_MONTH, 0), run.days)


def _stack(runs, column: str) -> np.ndarray:
    """A daily column, one row per seed."""
    return np.vstack([r.daily[column].to_numpy() for r in runs])


def _band(ax, days, values, label):
    """Mean over seeds, with the range over seeds shaded."""
    mean = values.mean(0)
    line, = ax.plot(days, mean, label=label)
    ax.fill_between(days, values.min(0), values.max(0), color=line.get_color(), alpha=0.2)


def _days(runs) -> np.ndarray:
    return np.arange(len(runs[0].daily))


# ---------------------------------------------------------------------------- 1. acceptance
def measure_acceptance(run):
    return {"predicted": run.daily["mean_expected_acceptance"].mean(),
            "actual": run.daily["acceptance_rate_strangers"].mean()}


def plot_acceptance(fact, runs, axes):
    days = _days(runs)
    for ax, c, key, lab in ((axes[0], "mean_expected_acceptance", "predicted", "predicted (mean expected acceptance)"),
                            (axes[1], "acceptance_rate_strangers", "actual", "actual (strangers who welcome contact)")):
        t = fact.target(key).value
        _band(ax, days, _stack(runs, c), lab)
        ax.axhline(t, color="k", ls="--", label=f"target {t}")
        ax.set_ylim(0, 1), ax.set_xlabel("day"), ax.legend(), ax.set_title(lab)


ACCEPTANCE = Fact(
    "acceptance", "1. Predicted vs actual acceptance of strangers",
    "Epley & Schroeder 2014; Sandstrom, Boothby & Cooney 2022",
    _statistics("acceptance",
                ("predicted", "predicted acceptance of strangers (mean expected acceptance, whole run)"),
                ("actual", "actual acceptance of strangers (share of initiations toward strangers welcomed)")),
    measure_acceptance, plot_acceptance)


# ---------------------------------------------------------------------------- 2. liking gap
def measure_liking_gap(run):
    return {"gap": run.daily["mean_liking_gap"].iloc[_last_month(run)].mean(),
            "narrowing": run.gap_acquaintances / run.gap_first}


def plot_liking_gap(fact, runs, axes):
    _band(axes[0], _days(runs), _stack(runs, "mean_liking_gap"), "gap felt in the day's chats")
    axes[0].axhline(runs[0].gap_first, color="k", ls="--", label="gap after a first chat")
    axes[0].set_ylim(0, 0.15), axes[0].set_xlabel("day"), axes[0].legend()
    axes[0].set_title("liking gap (0-1 scale)")
    narrowing = fact.target("narrowing")
    axes[1].bar(range(1, len(runs) + 1), [measure_liking_gap(r)["narrowing"] for r in runs])
    axes[1].axhspan(narrowing.low, narrowing.high, color="g", alpha=0.1, label="tolerance")
    axes[1].set_xlabel("seed"), axes[1].set_ylabel("gap toward acquaintances / first-chat gap")
    axes[1].set_ylim(0, 1.05), axes[1].legend(), axes[1].set_title("persists, narrows slowly")


LIKING_GAP = Fact(
    "liking_gap", "2. The liking gap persists and narrows slowly", "Boothby et al. 2018 (suitemates over a year)",
    _statistics("liking_gap", ("gap", "liking gap felt in the day's chats, last month of the run (0-1 scale)"),
                ("narrowing", "gap toward acquaintances (months of repeated contact) / gap after a first chat", 2)),
    measure_liking_gap, plot_liking_gap)


# ---------------------------------------------------------------------------- 3. challenge
# challenge_rejection[0] is the day before the week, [1:8] the week, [-1] a week after its end
def measure_challenge(run):
    week = run.challenge_rejection[:8]
    return {"week_change": week[7] - week[0],
            "days_falling": float(np.mean(np.diff(week) < 0)),
            "fear_after": run.challenge_fear_after - run.baseline_fear_after}


def plot_challenge(fact, runs, axes):
    x = runs[0].challenge_days
    c = np.vstack([r.challenge_rejection for r in runs]).mean(0)
    b = np.vstack([r.baseline_rejection for r in runs]).mean(0)
    axes[0].plot(x, c, "o-", label="participants, challenge")
    axes[0].plot(x, b, "s-", label="same residents, baseline")
    axes[0].axvspan(x[1], x[7], color="orange", alpha=0.15, label="challenge week")
    axes[0].set_xlabel("day"), axes[0].set_ylabel("predicted rejection (1 − expected acceptance)")
    axes[0].legend(), axes[0].set_title("predicted rejection, mean over seeds")
    axes[1].bar(range(1, len(runs) + 1), [measure_challenge(r)["fear_after"] for r in runs])
    axes[1].axhline(0, color="k")
    axes[1].set_xlabel("seed"), axes[1].set_ylabel("fear a week after: challenge − baseline")
    axes[1].set_title("fear stays lower a week after the end")


CHALLENGE_WEEK = Fact(
    "challenge", "3. A week-long challenge lowers predicted rejection; fear stays lower a week later",
    "Sandstrom, Boothby & Cooney 2022",
    _statistics("challenge",
                ("week_change", "participants' predicted rejection: last day of the week minus the day before"),
                ("days_falling", "share of the week's days on which participants' predicted rejection fell", 2),
                ("fear_after", "participants' fear a week after the end: challenge minus paired baseline", 4)),
    measure_challenge, plot_challenge, needs_challenge=True)


# ---------------------------------------------------------------------------- 4. familiar strangers
def measure_familiar_strangers(run):
    return {"share": float(np.mean(run.familiar_strangers >= 1)), "count": float(np.mean(run.familiar_strangers))}


def plot_familiar_strangers(fact, runs, axes):
    allc = np.concatenate([r.familiar_strangers for r in runs])
    t = fact.target("count").value
    axes[0].hist(allc, bins=np.arange(0, allc.max() + 2) - 0.5)
    axes[0].axvline(t, color="k", ls="--", label=f"Milgram: ~{t:g} on average")
    axes[0].set_xlabel("familiar strangers at one's stop and time"), axes[0].set_ylabel("regular commuters")
    axes[0].legend(), axes[0].set_title("last day, all seeds")
    _band(axes[1], _days(runs), _stack(runs, "mean_familiar_faces"), "familiar faces per resident (all places)")
    axes[1].set_xlabel("day"), axes[1].legend(), axes[1].set_ylim(bottom=0)
    axes[1].set_title("familiar faces over the run")


FAMILIAR_STRANGERS = Fact(
    "familiar_strangers", "4. Milgram's familiar strangers at the transit stop", "Milgram 1972",
    _statistics("familiar_strangers",
                ("share", "regular commuters who recognise ≥ 1 familiar stranger at their stop and time"),
                ("count", "familiar strangers per regular commuter", 2)),
    measure_familiar_strangers, plot_familiar_strangers)


# ---------------------------------------------------------------------------- 5. network size
def measure_network_size(run):
    return {"strong": float(run.strong_ties.mean()), "weak": float(run.weak_ties.mean()),
            "weak_99": float(np.quantile(run.weak_ties, 0.99))}


def plot_network_size(fact, runs, axes):
    strong = np.concatenate([r.strong_ties for r in runs])
    weak = np.concatenate([r.weak_ties for r in runs])
    s, w = fact.target("strong"), fact.target("weak_99")
    axes[0].hist(strong, bins=np.arange(0, strong.max() + 2) - 0.5)
    axes[0].axvspan(s.low, s.high, color="g", alpha=0.1, label=f"{s.low:g}-{s.high:g}")
    axes[0].set_xlabel("strong ties"), axes[0].legend(), axes[0].set_title("strong ties per resident")
    axes[1].hist(weak, bins=40)
    axes[1].axvline(w.high, color="k", ls="--", label=f"~{w.high:g}")
    axes[1].set_xlabel("weak ties"), axes[1].legend(), axes[1].set_title("weak ties per resident")


NETWORK_SIZE = Fact(
    "network_size", "5. Dunbar-like network sizes", "Dunbar 1992; Sandstrom & Dunn 2014b",
    _statistics("network_size", ("strong", "strong ties per resident (mean, last day)", 2),
                ("weak", "weak ties per resident (mean, last day)", 2),
                ("weak_99", "weak ties, 99th percentile of residents", 1)),
    measure_network_size, plot_network_size)


# ---------------------------------------------------------------------------- 6. weak-tie days
def measure_weak_tie_days(run):
    belonging, affect = within_person_slopes(run.history)
    return {"belonging": belonging, "affect": affect}


def plot_weak_tie_days(fact, runs, axes):
    """Deciles of the day's weak-tie contact (own mean removed) against the outcome, seed 1."""
    h = runs[0].history
    cols = ["felt_belonging", "affect", "weak_interactions", "strong_interactions"]
    d = h[cols] - h.groupby("resident")[cols].transform("mean")
    bins = np.quantile(d["weak_interactions"], np.linspace(0, 1, 11))
    idx = np.clip(np.digitize(d["weak_interactions"], bins[1:-1]), 0, 9)
    for ax, y in ((axes[0], "felt_belonging"), (axes[1], "affect")):
        xm = [d["weak_interactions"][idx == k].mean() for k in range(10)]
        ym = [d[y][idx == k].mean() for k in range(10)]
        ax.plot(xm, ym, "o-")
        ax.axhline(0, color="k", lw=0.5), ax.axvline(0, color="k", lw=0.5)
        ax.set_xlabel("weak-tie interactions today − own mean")
        ax.set_ylabel(f"{y.replace('_', ' ')} today − own mean")
        ax.set_title(f"{y.replace('_', ' ')} (seed 1, {FOLLOWED} residents)")


WEAK_TIE_DAYS = Fact(
    "weak_tie_days", "6. Within a person: more weak-tie contact, more belonging and affect that day",
    "Sandstrom & Dunn 2014b (daily diary)",
    _statistics("weak_tie_days",
                ("belonging", "within-person slope of felt belonging per weak-tie interaction (strong-tie held fixed)",
                 4),
                ("affect", "within-person slope of positive affect per weak-tie interaction (strong-tie held fixed)",
                 4)),
    measure_weak_tie_days, plot_weak_tie_days, needs_followed=True)


# ---------------------------------------------------------------------------- 7. loneliness
LONELINESS_COLUMNS = {"adults_lonely": "lonely_share", "adults_severely_lonely": "severely_lonely_share",
                      "seniors_lonely": "lonely_share_75_plus",
                      "seniors_severely_lonely": "severely_lonely_share_75_plus"}


def measure_loneliness(run):
    """Shares below the thresholds, pooled over the reported days (`runs.loneliness_shares`)."""
    return loneliness_shares(run.adult_belonging, run.senior_belonging, *run.thresholds)


def plot_loneliness(fact, runs, axes):
    for ax, group, who in zip(axes, ("adults", "seniors"), ("adults (18+)", "residents 75+")):
        for kind, label in (("lonely", "lonely"), ("severely_lonely", "severely lonely")):
            _band(ax, _days(runs), _stack(runs, LONELINESS_COLUMNS[f"{group}_{kind}"]), label)
        for kind, colour in (("lonely", "C0"), ("severely_lonely", "C1")):
            t = fact.target(f"{group}_{kind}").value
            ax.axhline(t, color=colour, ls="--", label=f"survey {t:.0%}")
        ax.set_ylim(0, 1), ax.set_xlabel("day"), ax.legend(), ax.set_title(who)


LONELINESS = Fact(
    "loneliness", "7. Adult loneliness at Dutch survey levels",
    "Gezondheidsmonitor Volwassenen en Ouderen 2020 (De Jong Gierveld scale)",
    _statistics("loneliness", ("adults_lonely", "adults lonely (whole run)"),
                ("adults_severely_lonely", "adults severely lonely (whole run)"),
                ("seniors_lonely", "residents 75+ lonely (whole run)"),
                ("seniors_severely_lonely", "residents 75+ severely lonely (whole run)")),
    measure_loneliness, plot_loneliness,
    why_it_fails="The adult thresholds are calibrated by percentiles; the seniors' shares (past working age; the "
                 "model has no ages, the survey's group is 75+) depend on their everyday weak-tie contact, mostly "
                 "neighbours in the street, and their lonely and severely lonely shares trade off against each "
                 "other (docs/model.md 7.9 and section 9, item 2).")


# ---------------------------------------------------------------------------- steady state
STEADY_COLUMNS = {"mean_belonging": "mean belonging", "lonely_share": "lonely share", "mean_weak_ties": "weak ties",
                  "mean_familiar_faces": "familiar faces", "mean_fear": "mean fear"}


def measure_steady(run):
    last = _last_month(run)
    return {c: run.daily[c].iloc[last].mean() / run.daily[c].iloc[MONTH_2].mean() - 1.0 for c in STEADY_COLUMNS}


def plot_steady(fact, runs, axes):
    days = _days(runs)
    for c in STEADY_COLUMNS:
        m = _stack(runs, c).mean(0)
        axes[0].plot(days, m / m[MONTH_2].mean(), label=c)
    drift = fact.targets[0].high  # the band of the first statistic (all share it in targets.toml)
    axes[0].axhspan(1 - drift, 1 + drift, color="g", alpha=0.1, label=f"±{drift:.0%} of month 2")
    axes[0].set_xlabel("day"), axes[0].set_ylabel("relative to month 2"), axes[0].legend(fontsize=8)
    axes[0].set_title("baseline metrics, mean over seeds")
    _band(axes[1], days, _stack(runs, "mean_weak_ties"), "weak ties per resident")
    _band(axes[1], days, _stack(runs, "mean_familiar_faces"), "familiar faces per resident")
    axes[1].set_ylim(bottom=0), axes[1].set_xlabel("day"), axes[1].legend()
    axes[1].set_title("ties from day 0 (after the warm-up)")


STEADY = Fact(
    "steady", "Steady state: month 2 against the last month of the run",
    "DESIGN.md; issue 8 (a default town starts mature)",
    _statistics("steady", *((c, f"{label}: last month / month 2 − 1") for c, label in STEADY_COLUMNS.items())),
    measure_steady, plot_steady,
    why_it_fails="Familiar faces are the slowest part of the tie store to settle (docs/model.md section 5).")


# ---------------------------------------------------------------------------- 8. loneliness comes and goes
FOUR_WEEKS = 28


def adults_all_year(run) -> np.ndarray:
    """Per slot: the same adult on the year's first and last day."""
    return (run.first_day["person"] == run.last_day["person"]) & (run.first_day["age"] >= 18)


def measure_course(run):
    """Over a year: rank stability of adults present all year, the flows in and out of loneliness over the adults'
    places (newcomers included, so that the flows add up to the change of the share), and the year's drift."""
    first, last, below = run.first_day, run.last_day, run.thresholds[0]
    stayed = adults_all_year(run)
    rank = _spearman(first["belonging"][stayed], last["belonging"][stayed])
    adults = (first["age"] >= 18) & (last["age"] >= 18)
    lonely_then, lonely_now = first["belonging"][adults] < below, last["belonging"][adults] < below
    became, stopped = (~lonely_then & lonely_now).mean(), (lonely_then & ~lonely_now).mean()
    year = run.year
    adult_last = last["age"] >= 18
    traits = np.column_stack([np.ones(adult_last.sum())] + [last[t][adult_last] for t in PERSONAL_TRAITS])
    belonging = last["belonging"][adult_last]
    fitted = traits @ np.linalg.lstsq(traits, belonging, rcond=None)[0]
    stable_share = 1.0 - np.var(belonging - fitted) / np.var(belonging)
    return {"rank_year": rank, "flows": became - stopped,
            "flat_lonely": year["lonely_share"].iloc[-FOUR_WEEKS:].mean() - year["lonely_share"].iloc[:FOUR_WEEKS].mean(),
            "flat_belonging": (year["mean_belonging"].iloc[-FOUR_WEEKS:].mean()
                               - year["mean_belonging"].iloc[:FOUR_WEEKS].mean()),
            "stable_share": stable_share}


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ranks = [np.argsort(np.argsort(x, kind="stable"), kind="stable") for x in (a, b)]
    return float(np.corrcoef(*ranks)[0, 1]) if len(a) > 2 else np.nan


def plot_course(fact, runs, axes):
    days = np.arange(len(runs[0].year))
    _band(axes[0], days, np.vstack([r.year["lonely_share"].to_numpy() for r in runs]), "adults lonely")
    _band(axes[0], days, np.vstack([r.year["lasting_lonely_share"].to_numpy() for r in runs]),
          "lonely on most of the last 90 days")
    axes[0].set_ylim(0, 1), axes[0].set_xlabel("day"), axes[0].legend(), axes[0].set_title("a year of the town")
    run = runs[0]
    stayed = adults_all_year(run)
    axes[1].scatter(100 * run.first_day["belonging"][stayed], 100 * run.last_day["belonging"][stayed], s=3, alpha=0.4)
    axes[1].set_xlabel("belonging on day 0"), axes[1].set_ylabel(f"belonging on day {YEAR - 1}")
    axes[1].set_title("adults present all year, seed 1")


COURSE = Fact(
    "course", "8. Loneliness comes and goes, around a stable core",
    "Russell 1996; Mund et al. 2020; Boomsma et al. 2005; Dykstra et al. 2005; issue 25",
    _statistics("course", ("rank_year", "rank correlation of adults' belonging, day 0 against a year later (adults present all year)"),
                ("flows", "adults becoming lonely minus adults no longer lonely over the year, per adult"),
                ("flat_lonely", "adults lonely: the year's last four weeks minus its first four weeks", 4),
                ("flat_belonging", "mean belonging: the year's last four weeks minus its first four weeks", 4),
                ("stable_share", "share of the variance of adults' belonging their fixed personal traits explain "
                                 "(linear fit on baseline, sociability, anxiety, busyness, digital preference)")),
    measure_course, plot_course, needs_year=True,
    why_it_fails="The rank stability is set by the set point's drift (belonging.drift_sd, belonging.drift_days) "
                 "against the stable baseline, and by life events; a drift of the share over the year means the "
                 "warm-up did not end in the steady state (docs/model.md section 5).")


# ---------------------------------------------------------------------------- 9. loneliness by age
SEVERE_BANDS = ("15_25", "25_35", "35_45", "45_55", "55_65", "65_75", "75_plus")
#: Residents the ages fact is measured on: a band holds about a tenth of a town, and over 5 seeds of
#: 2,000 residents a band's ratio carried a 95% interval of +-0.2, too wide to tell 0.85 from 1.0.
AGES_TOWN = 10_000


def severe_by_band(run) -> np.ndarray:
    """Per band of `SEVERE_BANDS`, the share severely lonely over the year, x the adults' (18+) share.

    Pooled over every day of the year and measured at the run's threshold (`SeedRun.thresholds`: the
    scenario's, or in a calibration the read-out one), so a band's share and the adults' share come
    from the same scale.
    """
    severe = run.year_belonging < run.thresholds[1]
    adults = severe[run.year_age >= 18].mean()
    return np.array([severe[(run.year_age >= AGE_BANDS[band][0]) & (run.year_age < AGE_BANDS[band][1])].mean() / adults
                     for band in SEVERE_BANDS])


def measure_ages(run):
    daily = run.year
    ratios = {f"severe_{band}": ratio for band, ratio in zip(SEVERE_BANDS, severe_by_band(run))}
    return {**ratios, "socially_lonely": daily["socially_lonely_share"].mean(),
            "emotionally_lonely": daily["emotionally_lonely_share"].mean(),
            "lasting": daily["lasting_lonely_share"].mean() / daily["lonely_share"].mean()}


def plot_ages(fact, runs, axes):
    ratios = np.array([severe_by_band(r) for r in runs])
    x = np.arange(len(SEVERE_BANDS))
    axes[0].bar(x, ratios.mean(0), yerr=[ratios.mean(0) - ratios.min(0), ratios.max(0) - ratios.mean(0)], capsize=3)
    axes[0].axhspan(0.85, 1.3, color="g", alpha=0.1, label="0.85-1.3 x the adults' share (CBS 2019)")
    axes[0].set_xticks(x, [b.replace("_plus", "+").replace("_", "-") for b in SEVERE_BANDS])
    axes[0].set_ylabel("severely lonely, x the adults' share"), axes[0].legend(), axes[0].set_title("by age band")
    for column, label in (("socially_lonely_share", "socially lonely (15+)"),
                          ("emotionally_lonely_share", "emotionally lonely (15+)"),
                          ("lasting_lonely_share", "lonely on most of the last 90 days (18+)")):
        _band(axes[1], np.arange(len(runs[0].year)), np.vstack([r.year[column].to_numpy() for r in runs]), label)
    for key, colour in (("socially_lonely", "C0"), ("emotionally_lonely", "C1")):
        axes[1].axhline(fact.target(key).value, color=colour, ls="--")
    axes[1].set_ylim(0, 1), axes[1].set_xlabel("day"), axes[1].legend(), axes[1].set_title("social, emotional, lasting")


AGES = Fact(
    "ages", "9. Loneliness by age; social, emotional and lasting loneliness",
    "CBS 2019 and StatLine 85766NED 2022 (De Jong Gierveld scale, 15+)",
    _statistics("ages", *((f"severe_{band}", f"severely lonely aged {band.replace('_plus', '+').replace('_', '-')}, "
                           "x the adults' share") for band in SEVERE_BANDS),
                ("socially_lonely", "strongly socially lonely, residents 15+ (over a year)"),
                ("emotionally_lonely", "strongly emotionally lonely, residents 15+ (over a year)"),
                ("lasting", "adults lonely on most of the last 90 days, x the adults lonely that day")),
    measure_ages, plot_ages, needs_year=True, residents=AGES_TOWN,
    why_it_fails="Known failure (issue 25 left open): the need for contact falling with age moves the young and the old "
                 "together, so the 15-25 band reaches the adults' severe share only where the 75+ fall below the "
                 "survey's lonely share; families keep 35-45 a little below the band (docs/calibration.md, "
                 "'Recalibration for the population'; docs/model.md section 9, item 13).")


def on_larger_towns(facts, scenario) -> tuple[list, list]:
    """The facts measured on the scenario's own town, and those that need a larger one (`Fact.residents`)."""
    scaled = [f for f in facts if f.residents > scenario["population.size"]]
    return [f for f in facts if f not in scaled], scaled


def load_targets(path=None) -> dict:
    """The targets of a target file (default: the shipped `targets.toml`), checked against `STATISTICS`.

    Parameters
    ----------
    path : str or Path, optional
        A target file in the format of `targets.toml`.

    Returns
    -------
    dict of str to Target
        Statistic name ("fact.key") -> its target, in the file's order. Raises `TargetError`.
    """
    return read_targets(SHIPPED if path is None else path, STATISTICS)


def _with_shipped_targets(*facts: Fact) -> tuple[Fact, ...]:
    shipped = load_targets()
    missing = [s.name for f in facts for s in f.statistics if s.name not in shipped]
    assert not missing, f"targets.toml has no target for {missing}"
    return tuple(replace(f, targets=tuple(shipped[s.name] for s in f.statistics)) for f in facts)


#: The facts `nodding validate` checks, in the order of the report, each with its shipped targets.
FACTS: tuple[Fact, ...] = _with_shipped_targets(ACCEPTANCE, LIKING_GAP, CHALLENGE_WEEK, FAMILIAR_STRANGERS,
                                                NETWORK_SIZE, WEAK_TIE_DAYS, LONELINESS, COURSE, AGES, STEADY)
FACT_NAMES: tuple[str, ...] = tuple(f.name for f in FACTS)
assert len(set(FACT_NAMES)) == len(FACTS), "fact names must be unique"


def fact_of(statistic: str) -> Fact:
    """The fact a statistic ("fact.key") belongs to."""
    return fact_named(statistic.split(".", 1)[0])


def fact_named(name: str) -> Fact:
    """The fact called `name` (KeyError if none is)."""
    for fact in FACTS:
        if fact.name == name:
            return fact
    raise KeyError(f"no stylized fact {name!r} (known: {', '.join(FACT_NAMES)})")


def measure_statistics(scenario, seed: int, days: int, names, readout: tuple[float, float] | None = None) -> dict:
    """The named statistics of one run of the scenario: what a calibration trial measures per replicate.

    Runs only what the statistics need (the kindness challenge on top, followed residents).

    Parameters
    ----------
    scenario : Scenario
    seed, days : int
        The run's seed and reported days.
    names : iterable of str
        Statistics ("fact.key", `STATISTICS`).
    readout : tuple of float, optional
        The survey's shares of adults lonely and severely lonely: the loneliness statistics are then
        measured at the thresholds that put those shares of this run's adults below them
        (`runs.readout_thresholds`), as a scenario calibrated with them would be. Two more values, CBS's
        shares strongly socially and emotionally lonely, read the subscales' thresholds out too
        (`runs.readout_subscales`). Default: at the scenario's own thresholds.

    Returns
    -------
    dict of str to float
        Each statistic's value, and `lonely_below` and `severely_lonely_below`: the thresholds measured at
        (with four read-out shares, also `socially_lonely_below` and `emotionally_lonely_below`).
    """
    names = list(names)
    facts = list(dict.fromkeys(fact_of(n) for n in names))
    own, scaled = on_larger_towns(facts, scenario)
    run = run_seed(scenario, seed, days, any(f.needs_challenge for f in own), any(f.needs_followed for f in own),
                   any(f.needs_year for f in own))
    subscales = {}
    if readout is not None:
        run.thresholds = readout_thresholds(run.adult_belonging, *readout[:2])
        if len(readout) == 4:
            subscales = dict(zip(("socially_lonely_below", "emotionally_lonely_below"),
                                 readout_subscales(run, *readout[2:])))
    measured = {}
    for fact in facts:
        on = run
        if fact in scaled:  # its own, larger town, measured at the same thresholds
            on = run_seed(at_least(scenario, fact.residents), seed, days, False, False, fact.needs_year)
            on.thresholds = run.thresholds
        measured |= {f"{fact.name}.{key}": float(value) for key, value in fact.measure(on).items()}
    return {**{n: measured[n] for n in names}, "lonely_below": float(run.thresholds[0]),
            "severely_lonely_below": float(run.thresholds[1]), **subscales}
