"""From runs to answers: window means per run, means with 95% CIs, effects.

Everything is in the units a policymaker reads (`METRICS`): belonging points
(belonging is a 0-1 score; x100 gives 0-100 points), percentage points of lonely
share, ties per resident, interactions per resident per day (the daily table
counts interactions for the whole town; we divide by the number of residents).

Effects of a scenario against the baseline are computed two ways: **paired**
(replicate r of both ran with the same seed: the mean of per-replicate
differences with a t-interval) and **unpaired** (Welch's t-interval on two
independent samples). Pairing pays off as far as the two runs of a replicate
share their randomness; the ratio of the two half-widths measures it.

Effects by group of residents (`group_effects`: the participants of a campaign, the regulars of a
place, everyone else, living alone or not, each role) pair resident by resident: the same seed
draws the same residents in every scenario. effects.csv keeps the town's rows (group "town") and
adds one row per group and outcome (`with_groups`), with Hedges' g (Hedges & Olkin 1985).

A comparison over plausible parameter sets (`compare --over`) pairs by set and
replicate, and its effects (`effects_over_sets`) add the spread across the sets
to the simulation's randomness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["BY_NAME", "GROUP_METRICS", "HEADLINE", "METRICS", "Metric", "OVER_SETS", "TOWN", "daily_bands",
           "effect_drift", "effects", "effects_over_sets", "group_effects", "hedges_g", "mean_ci", "paired_differences",
           "pairing_ratio", "random_effects", "resident_groups", "run_means", "sensitivity_indices", "summary",
           "town_effects", "welch_ci", "with_groups", "with_metrics"]

LEVELS = ("nod", "greeting", "chat", "help")
OVER_SETS = "over plausible sets"  # the method of an effect over plausible parameter sets, in effects.csv
ID_COLUMNS = ["scenario", "point", "replicate", "seed", "population"]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str  # plain words, as in a sentence: "mean belonging"
    unit: str  # of a level: "points (0-100)"
    effect_unit: str  # of a difference: "points"
    value: Callable[[pd.DataFrame], pd.Series]
    decimals: int = 1
    phrase: str = ""  # in a sentence, if not the label: "the lonely share"

    @property
    def in_sentence(self) -> str:
        return self.phrase or self.label

    @property
    def heading(self) -> str:
        """Label with its unit, for tables and axes, without saying the unit twice."""
        return self.label if self.unit in self.label else f"{self.label}, {self.unit}"


METRICS = (
    Metric("belonging_points", "mean belonging", "points (0-100)", "points", lambda d: 100 * d["mean_belonging"]),
    Metric("lonely_percent", "lonely share", "% of adults", "percentage points", lambda d: 100 * d["lonely_share"],
           phrase="the lonely share"),
    Metric("weak_ties", "weak ties per resident", "ties per resident", "weak ties per resident",
           lambda d: d["mean_weak_ties"], 2),
    Metric("strong_ties", "strong ties per resident", "ties per resident", "strong ties per resident",
           lambda d: d["mean_strong_ties"], 2),
    Metric("interactions_per_resident", "interactions per resident per day", "per resident per day",
           "interactions per resident per day",
           lambda d: sum(d[f"interactions_{level}"] for level in LEVELS) / d["population"], 2),
    Metric("third_place_interactions", "interactions in third places per resident per day", "per resident per day",
           "third-place interactions per resident per day", lambda d: d["interactions_third_place"] / d["population"], 3),
    Metric("transitory_interactions", "interactions in transitory zones per resident per day", "per resident per day",
           "transitory-zone interactions per resident per day", lambda d: d["interactions_transitory"] / d["population"], 3),
    Metric("fear_points", "fear of rejection", "points (0-100)", "points", lambda d: 100 * d["mean_fear"]),
)
BY_NAME = {m.name: m for m in METRICS}
#: The four outcomes every report, page and notebook leads with (their plots, their sentences).
HEADLINE = ("belonging_points", "lonely_percent", "weak_ties", "interactions_per_resident")


def with_metrics(runs: pd.DataFrame) -> pd.DataFrame:
    """The tidy table plus one column per metric in policymaker units."""
    out = runs.copy()
    for m in METRICS:
        out[m.name] = m.value(runs).astype(float)
    return out


def run_means(runs: pd.DataFrame, window: int, varied: list[str] = ()) -> pd.DataFrame:
    """One row per run: each metric averaged over the run's last `window` days.

    Parameters
    ----------
    runs : DataFrame
        The tidy table of runs (one row per run and day), as `execute` returns it.
    window : int
        Days at the end of each run to average over.
    varied : list of str
        The varied fields (sweep, sensitivity), kept as columns.

    Returns
    -------
    DataFrame
        `scenario, point, replicate, seed`, the varied fields, and one column per metric (`METRICS`).
    """
    table = with_metrics(runs)
    last = table.groupby(["scenario", "point", "replicate"])["day"].transform("max")
    table = table[table["day"] > last - window]
    keys = ["scenario", "point", "replicate", "seed", *varied]
    return table.groupby(keys, sort=False)[[m.name for m in METRICS]].mean().reset_index()


def mean_ci(values) -> tuple[float, float, float, int]:
    """(mean, low, high, n): a t-interval; NaN bounds with one value."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = x.mean()
    if n < 2:
        return mean, np.nan, np.nan, n
    half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half, n


def welch_ci(a, b) -> tuple[float, float, float]:
    """(mean(a) - mean(b), low, high): Welch's unequal-variance t-interval."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    diff = a.mean() - b.mean()
    if min(len(a), len(b)) < 2:
        return diff, np.nan, np.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    if not np.isfinite(se):
        return diff, np.nan, np.nan
    if se == 0:
        return diff, diff, diff
    df = se**4 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.975, df) * se
    return diff, diff - half, diff + half


def summary(means: pd.DataFrame, varied: list[str] = ()) -> pd.DataFrame:
    """Per scenario (and sweep point) and metric: mean over replicates with its 95% CI.

    Parameters
    ----------
    means : DataFrame
        From `run_means`.
    varied : list of str
        The varied fields, kept as columns.

    Returns
    -------
    DataFrame
        One row per scenario, point and metric: `label, unit, replicates, mean, ci_low, ci_high, half_width`.
    """
    rows = []
    for key, group in means.groupby(["scenario", "point", *varied], sort=False):
        ids = dict(zip(["scenario", "point", *varied], key))
        for m in METRICS:
            mean, low, high, n = mean_ci(group[m.name])
            rows.append({**ids, "metric": m.name, "label": m.label, "unit": m.unit, "replicates": n,
                         "mean": mean, "ci_low": low, "ci_high": high, "half_width": (high - low) / 2})
    return pd.DataFrame(rows)


def effects(means: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Each scenario minus the baseline, per metric: paired by replicate, and unpaired (Welch).

    Parameters
    ----------
    means : DataFrame
        From `run_means`.
    baseline : str
        The scenario the others are compared with.

    Returns
    -------
    DataFrame
        Two rows (`method` "paired" and "unpaired") per other scenario and metric: `effect, ci_low, ci_high,
        half_width, distinguishable` (the 95% CI excludes zero), in the metric's `effect_unit`.
    """
    base = means[means["scenario"] == baseline].set_index("replicate")
    rows = []
    for scenario, group in means[means["scenario"] != baseline].groupby("scenario", sort=False):
        group = group.set_index("replicate")
        shared = group.index.intersection(base.index)
        for m in METRICS:
            diff = group.loc[shared, m.name] - base.loc[shared, m.name]
            effect, low, high, n = mean_ci(diff)
            rows.append(_effect_row(scenario, baseline, m, "paired", n, effect, low, high))
            effect, low, high = welch_ci(group[m.name], base[m.name])
            rows.append(_effect_row(scenario, baseline, m, "unpaired", min(len(group), len(base)), effect, low, high))
    return pd.DataFrame(rows)


def effects_over_sets(means: pd.DataFrame, baseline: str, fields: list[str]) -> pd.DataFrame:
    """Each scenario minus the baseline over plausible parameter sets: per set, and over all of them.

    The paired differences d[s, r] (scenario minus baseline in set s, replicate r; R replicates in every
    one of S sets) follow a standard one-way random-effects model (one-way ANOVA with a random factor):
    d[s, r] = mu + a[s] + e[s, r], where a[s] (variance sb2) is how set s's true effect differs from the
    average and e[s, r] (variance sw2) the simulation's randomness. With m[s] the per-set means,
    sw2 is the pooled within-set variance (ddof 1 per set), and sb2 = max(var(m, ddof=1) - sw2 / R, 0)
    (the method-of-moments estimate). The effect of a plausible set drawn at random, as estimated with R
    replicates, has variance V = sb2 + sw2 / R. The interval is a 95% prediction interval over sets (our
    choice, not the only one): effect +- t(0.975, S - 1) * sqrt(V * (1 + 1/S)), which covers the effect
    of a new plausible set, allowing for the uncertainty of the mean over S sets. `share_parameters` is
    sb2 / V, `share_randomness` sw2 / R / V: how much of V comes from each. `half_width_randomness` is
    the half-width of one set's effect with the parameters known, t(0.975, S (R - 1)) * sqrt(sw2 / R)
    (the within-set variance pooled over sets): what the interval would be without parameter uncertainty.

    Parameters
    ----------
    means : DataFrame
        From `run_means`, with `point` the set and the set's fields as columns.
    baseline : str
        The scenario the others are compared with.
    fields : list of str
        The fields the sets give, kept as columns of the per-set rows.

    Returns
    -------
    DataFrame
        Per other scenario and metric: the rows of `effects` in each set (`method` "paired" and
        "unpaired", the set in `point`, its fields), and one row of `method` `OVER_SETS` with `effect,
        ci_low, ci_high, half_width, distinguishable, sets, replicates, share_parameters,
        share_randomness, half_width_randomness`.
    """
    per_set = [effects(group, baseline).assign(point=point, **dict(zip(fields, group[fields].iloc[0])))
               for point, group in means.groupby("point", sort=True)]
    base = means[means["scenario"] == baseline].set_index(["point", "replicate"])
    rows = []
    for scenario, group in means[means["scenario"] != baseline].groupby("scenario", sort=False):
        group = group.set_index(["point", "replicate"])
        for m in METRICS:
            d = group[m.name] - base[m.name].reindex(group.index)
            over = random_effects(d.unstack("replicate").to_numpy())
            row = _effect_row(scenario, baseline, m, OVER_SETS, over.pop("replicates"), over.pop("effect"),
                              over.pop("ci_low"), over.pop("ci_high"))
            rows.append(row | over)
    table = pd.concat([*per_set, pd.DataFrame(rows)], ignore_index=True)
    table["point"] = table["point"].astype("Int64")  # the rows over all sets have none
    return table


def random_effects(d: np.ndarray) -> dict:
    """The effect over sets and its 95% prediction interval, from differences d[s, r] (`effects_over_sets`).

    Parameters
    ----------
    d : ndarray
        S x R paired differences: one row per set, one column per replicate (S >= 2, R >= 2).

    Returns
    -------
    dict
        `effect, ci_low, ci_high, sets, replicates, share_parameters, share_randomness,
        half_width_randomness`; the shares are NaN when there is no variance to share.
    """
    sets, replicates = d.shape
    set_means = d.mean(axis=1)
    within = ((d - set_means[:, None]) ** 2).sum() / (sets * (replicates - 1))  # sw2, pooled
    between = max(set_means.var(ddof=1) - within / replicates, 0.0)  # sb2
    variance = between + within / replicates  # V
    effect = d.mean()
    half = stats.t.ppf(0.975, sets - 1) * np.sqrt(variance * (1 + 1 / sets))
    share = between / variance if variance > 0 else np.nan
    return {"effect": effect, "ci_low": effect - half, "ci_high": effect + half, "sets": sets,
            "replicates": replicates, "share_parameters": share, "share_randomness": 1 - share,
            "half_width_randomness": stats.t.ppf(0.975, sets * (replicates - 1)) * np.sqrt(within / replicates)}


def _effect_row(scenario, baseline, m: Metric, method, n, effect, low, high) -> dict:
    return {"scenario": scenario, "baseline": baseline, "metric": m.name, "label": m.label, "unit": m.effect_unit,
            "method": method, "replicates": n, "effect": effect, "ci_low": low, "ci_high": high,
            "half_width": (high - low) / 2, "distinguishable": bool(low > 0 or high < 0)}


def effect_drift(table: pd.DataFrame, baseline: str, scenario: str, metric: str, window: int):
    """Whether an effect had settled: per replicate (and plausible set), the paired difference averaged over the second half of
    the window minus that over the first half; returns `mean_ci` of it (distinguishable from zero, in the
    effect's direction: still growing; against it: fading). `table` is `with_metrics(runs)`."""
    half = window // 2
    if half < 1:
        return np.nan, np.nan, np.nan, 0
    last = table["day"].max()
    rows = table[(table["day"] > last - window) & table["scenario"].isin([baseline, scenario])]
    difference = paired_differences(rows, metric, baseline).pivot(index=["point", "replicate"], columns="day",
                                                                  values="difference")
    return mean_ci(difference.iloc[:, -half:].mean(axis=1) - difference.iloc[:, :half].mean(axis=1))


def paired_differences(table: pd.DataFrame, metric: str, baseline: str) -> pd.DataFrame:
    """The rows of every other scenario, with `difference`: their metric minus the baseline's in the same
    point (plausible set), replicate and day."""
    keys = ["point", "replicate", "day"]
    base = table[table["scenario"] == baseline].set_index(keys)[metric]
    other = table[table["scenario"] != baseline].copy()
    other["difference"] = other[metric].to_numpy() - base.reindex(pd.MultiIndex.from_frame(other[keys])).to_numpy()
    return other


def pairing_ratio(effect_table: pd.DataFrame, scenario: str, metric: str = "belonging_points") -> float:
    """Paired / unpaired CI half-width for one effect (< 1: pairing narrows the interval)."""
    rows = effect_table[(effect_table["scenario"] == scenario) & (effect_table["metric"] == metric)]
    widths = rows.set_index("method")["half_width"]
    return float(widths["paired"] / widths["unpaired"])


def daily_bands(runs: pd.DataFrame, metric: str, smooth: int = 7) -> pd.DataFrame:
    """Per scenario and day: mean and 95% band over replicates of a trailing `smooth`-day mean (from day
    `smooth` - 1 on: a mean over fewer days would show the weekly rhythm as a bump at the start)."""
    table = runs.copy() if metric in runs.columns else with_metrics(runs)
    table["value"] = (table.groupby(["scenario", "point", "replicate"], sort=False)[metric]
                      .transform(lambda s: s.rolling(smooth, min_periods=min(smooth, len(s))).mean()))
    grouped = table.groupby(["scenario", "day"], sort=False)["value"]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    t = stats.t.ppf(0.975, np.maximum(out["count"] - 1, 1))
    half = np.where(out["count"] > 1, t * out["std"] / np.sqrt(out["count"]), np.nan)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def sensitivity_indices(problem: dict, samples: np.ndarray, means: pd.DataFrame, method: str,
                        seed: int) -> pd.DataFrame:
    """SALib's Sobol' (S1, ST) or Morris (mu_star, sigma) indices of each metric's window mean."""
    from SALib.analyze import morris, sobol

    by_point = means.groupby("point")[[m.name for m in METRICS]].mean().sort_index()
    rows = []
    for m in METRICS:
        y = by_point[m.name].to_numpy()
        if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
            continue  # a constant output has no sensitivity to apportion
        if method == "sobol":
            result = sobol.analyze(problem, y, calc_second_order=False, seed=seed)
            pairs = [("S1", "S1_conf"), ("ST", "ST_conf")]
        else:
            result = morris.analyze(problem, samples, y, num_levels=4, seed=seed)
            pairs = [("mu_star", "mu_star_conf"), ("sigma", None)]
        for i, name in enumerate(problem["names"]):
            for index, conf in pairs:
                rows.append({"metric": m.name, "label": m.label, "parameter": name, "index": index,
                             "value": float(result[index][i]), "conf": float(result[conf][i]) if conf else np.nan})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- by group
TOWN = "town"  # the group of effects.csv's existing rows: the whole town
GROUP_METRICS = ("belonging_points", "lonely_percent")
_GROUP_WORDS = {"participant": "participants of {}", "target": "target of {}", "regular": "regulars of {}",
                "others": "everyone else ({})"}


def hedges_g(difference, baseline) -> float:
    """Hedges' g of paired per-resident differences (Hedges & Olkin 1985).

    The mean difference divided by the between-resident standard deviation of the outcome in the baseline
    (ddof 1), times the small-sample correction J = 1 - 3 / (4 (n - 1) - 1), n the group's size.

    Parameters
    ----------
    difference : array-like
        Each resident's outcome in the scenario minus the same resident's in the baseline.
    baseline : array-like
        The same residents' outcomes in the baseline.

    Returns
    -------
    float
        NaN with fewer than 3 residents or no spread in the baseline.
    """
    difference, baseline = np.asarray(difference, dtype=float), np.asarray(baseline, dtype=float)
    n = len(baseline)
    sd = baseline.std(ddof=1) if n > 2 else 0.0
    if sd == 0:
        return np.nan
    return difference.mean() / sd * (1 - 3 / (4 * (n - 1) - 1))


def resident_groups(changed: pd.DataFrame, baseline: pd.DataFrame) -> dict[str, np.ndarray]:
    """The groups a changed scenario's effects are reported for: {group name: boolean array over residents}.

    Names (as in effects.csv's `group` column): for each intervention of the changed scenario whose groups
    differ from the baseline's, "participants of <name>", "target of <name>", "regulars of <name>" and
    "everyone else (<name>)" (neither a participant nor a regular of it); then, for every what-if, "living
    alone", "not living alone" and "role: <role>" (child, worker, at_home, senior). Empty groups are left out.

    Parameters
    ----------
    changed, baseline : DataFrame
        The residents' outcomes of one replicate of each (`execute.resident_outcomes`).

    Returns
    -------
    dict
    """
    found = {}
    for column in changed.columns:
        kind, _, name = column.partition(":")
        if kind in _GROUP_WORDS and name and not (column in baseline and baseline[column].equals(changed[column])):
            found[_GROUP_WORDS[kind].format(name)] = changed[column].to_numpy(dtype=bool)
    alone = changed["living_alone"].to_numpy(dtype=bool)
    found |= {"living alone": alone, "not living alone": ~alone}
    found |= {f"role: {role}": (changed["role"] == role).to_numpy() for role in dict.fromkeys(changed["role"])}
    return {name: members for name, members in found.items() if members.any()}


def _check_paired(changed: pd.DataFrame, base: pd.DataFrame, scenario: str, baseline: str, replicate) -> None:
    """Both runs of a pair must hold the same residents, row by row: the same slots with the same persons
    (life events do not depend on interventions, model/life.py; `execute.resident_outcomes` keeps the
    residents present for the whole run). Outcomes saved before the `person` column pair by `resident`."""
    columns = [c for c in ("resident", "person") if c in changed and c in base]
    if not all(np.array_equal(changed[c].to_numpy(), base[c].to_numpy()) for c in columns):
        raise ValueError(f"{scenario!r} and {baseline!r}, replicate {replicate}: the runs do not hold the same "
                         "residents, so they cannot be paired resident by resident (did life events differ?)")


def group_effects(residents: dict, baseline: str, groups: bool = True) -> pd.DataFrame:
    """Each scenario minus the baseline for each group of residents, paired resident by resident.

    Per changed scenario, group (`resident_groups`; "town": every resident) and replicate r: the group's
    mean of (a resident's window outcome in the scenario) minus (the same resident's in the baseline,
    replicate r: same seed, same residents present for the whole run, checked); then the mean over replicates with a 95% t-interval
    (`mean_ci`). Outcomes: belonging in points (x100) and the lonely share in percentage points (the
    share of the window's days lonely, adults). Hedges' g (`hedges_g`, Hedges & Olkin 1985) per
    replicate from the belonging differences and the group's spread in the baseline, with its mean and
    t-interval over replicates. `lonely_per_100`: lonely residents more (negative: fewer) per 100 in
    the group, 100 x the paired difference in the lonely share (the same number as the lonely share's
    effect in percentage points, in other words).

    Parameters
    ----------
    residents : dict
        (scenario, replicate) -> its residents' outcomes (`execute.resident_outcomes`).
    baseline : str
        The scenario the others are compared with.
    groups : bool
        False: the town only.

    Returns
    -------
    DataFrame
        Per scenario, group and metric of `GROUP_METRICS`: the columns of `effects` (`method` "paired")
        and `group`, `group_size` (residents, mean over replicates), `hedges_g`, `g_ci_low`, `g_ci_high`,
        `lonely_per_100`.
    """
    per_replicate = []
    for (scenario, replicate), changed in residents.items():
        if scenario == baseline or (baseline, replicate) not in residents:
            continue
        base = residents[(baseline, replicate)]
        _check_paired(changed, base, scenario, baseline, replicate)
        everyone = {TOWN: np.ones(len(changed), dtype=bool)}
        members = everyone | (resident_groups(changed, base) if groups else {})
        belonging = changed["belonging"].to_numpy() - base["belonging"].to_numpy()
        lonely = changed["lonely"].to_numpy() - base["lonely"].to_numpy()
        for group, mask in members.items():
            per_replicate.append({"scenario": scenario, "group": group, "replicate": replicate,
                                  "size": mask.sum(), "belonging_points": 100 * belonging[mask].mean(),
                                  "lonely_percent": 100 * np.nanmean(lonely[mask]) if np.isfinite(lonely[mask]).any() else np.nan,
                                  "g": hedges_g(belonging[mask], base["belonging"].to_numpy()[mask])})
    rows = []
    for (scenario, group), table in pd.DataFrame(per_replicate).groupby(["scenario", "group"], sort=False):
        g, g_low, g_high, _ = mean_ci(table["g"])
        lonely = mean_ci(table["lonely_percent"])[0]
        extra = {"group": group, "group_size": table["size"].mean(), "hedges_g": g, "g_ci_low": g_low,
                 "g_ci_high": g_high, "lonely_per_100": lonely}
        for name in GROUP_METRICS:
            effect, low, high, n = mean_ci(table[name])
            rows.append(_effect_row(scenario, baseline, BY_NAME[name], "paired", n, effect, low, high) | extra)
    return pd.DataFrame(rows)


def with_groups(town: pd.DataFrame, by_group: pd.DataFrame) -> pd.DataFrame:
    """effects.csv: the town's rows (`effects`) unchanged, with the town's size, g and lonely residents per 100
    (`group_effects`' "town" rows), then the rows of every other group.

    Parameters
    ----------
    town : DataFrame
        From `effects` (or `effects_over_sets`).
    by_group : DataFrame
        From `group_effects`.

    Returns
    -------
    DataFrame
        `town` with the columns `group` ("town"), `group_size`, `hedges_g`, `g_ci_low`, `g_ci_high`,
        `lonely_per_100`, followed by the rows of the other groups.
    """
    columns = ["group_size", "hedges_g", "g_ci_low", "g_ci_high", "lonely_per_100"]
    whole = (by_group[by_group["group"] == TOWN].reindex(columns=["scenario", *columns]).drop_duplicates("scenario")
             .set_index("scenario"))
    town = town.assign(group=TOWN).join(whole, on="scenario")
    return pd.concat([town, by_group[by_group["group"] != TOWN]], ignore_index=True)


def town_effects(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of effects.csv for the whole town (all of them in a table without a `group` column)."""
    return table[table["group"] == TOWN] if "group" in table else table
