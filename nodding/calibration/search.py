"""The calibration itself: an Optuna search for the best parameter set, and a plausible set drawn by rejection.

Two samples of the parameter ranges, each point run `replicates` times (the same replicate seeds at
every point: common random numbers, as in `nodding compare`):

1. **The search** (`trials`): Optuna's TPE sampler (Bergstra et al. 2011; Akiba et al. 2019)
   proposes parameter sets in batches of `batch`; each batch runs through the experiments' executor
   (worker processes or Dask) and its losses are told back in trial order. So the trials depend
   only on the seed and the batch size, never on which worker finished first: 1 worker, 2 workers
   and Dask give the same trials, and a calibration resumed from the cache equals one that ran
   uninterrupted (the cache is the experiments' `RunCache`, with its stale-code and damaged-file
   checks). The best set is the point with the lowest loss (`fit.loss`) of all points run.
2. **The plausible set** (`samples`): an optimiser's trials are where it searched, not a sample of
   what fits. The plausible set is drawn properly, by rejection (the simplest approximate Bayesian
   computation, Beaumont 2010): a scrambled Sobol' sample of the ranges (uniform prior), each point
   kept if every fitted target's mean over its replicates lies within its tolerance. Its rows are
   the parameter sets `nodding compare --over` runs a what-if over.

The loneliness thresholds are not searched: they are read out of every run (the percentiles of
adults' belonging at the survey's shares, `nodding.facts.runs.readout_thresholds`), so the
adults' targets hold by construction and the seniors' shares are measured as a scenario with
those thresholds would be; the subscales' thresholds are read out the same way at CBS's shares
(`nodding.facts.runs.readout_subscales`) when the target file has them. The calibrated scenario
gets the best point's read-out thresholds (mean over its replicates, to 3 decimals).
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nodding.model.scenario import Scenario

from ..errors import UserError
from ..experiments.design import RunSpec, cast_values, load_scenario, replicate_seeds, salib_problem, set_values
from ..experiments.execute import default_workers, execute, make_executor
from ..facts.table import load_targets
from .fit import loss, within

__all__ = ["CalibrationError", "Calibration", "Plan", "calibrate", "plan", "run_plan"]

SEARCH, SAMPLE = "search", "sample"  # the two stages a point belongs to
THRESHOLDS = ("belonging.lonely_below", "belonging.severely_lonely_below", "belonging.socially_lonely_below",
              "belonging.emotionally_lonely_below")
CONSTRUCTION = ("loneliness.adults_lonely", "loneliness.adults_severely_lonely")
#: CBS's subscale shares: read out with the adults' thresholds when the target file has them (not measured)
SUBSCALES = ("ages.socially_lonely", "ages.emotionally_lonely")
#: The run's column of each threshold (`nodding.facts.table.measure_statistics`)
READ_OUT = dict(zip(THRESHOLDS, ("lonely_below", "severely_lonely_below", "socially_lonely_below",
                                 "emotionally_lonely_below")))


class CalibrationError(UserError):
    """A calibration that cannot run as asked (one line, the user's fault)."""


@dataclass(frozen=True, eq=False)
class Plan:
    """What a calibration runs, checked before anything is simulated (`plan`)."""

    scenario: Scenario
    parameters: dict  # field -> (low, high)
    targets: dict  # statistic -> Target: every target the runs measure (fitted and by construction)
    fitted: tuple  # the Targets in the loss
    trials: int
    batch: int
    samples: int
    replicates: int
    days: int
    seed: int
    targets_file: str
    subscale_shares: tuple = ()  # CBS's shares the subscale thresholds are read out at (`SUBSCALES`), if given

    @property
    def statistics(self) -> tuple[str, ...]:
        return tuple(self.targets)

    @property
    def readout(self) -> tuple[float, ...] | None:
        """The survey shares the thresholds are read out at, if the targets hold the adults' shares (then also
        the subscales', if the target file has them)."""
        if all(name in self.targets for name in CONSTRUCTION):
            return tuple(float(self.targets[name].value) for name in CONSTRUCTION) + self.subscale_shares
        return None

    @property
    def thresholds(self) -> tuple[str, ...]:
        """The thresholds read out of every run: none, the adults' two, or those and the subscales' two."""
        return THRESHOLDS[:len(self.readout)] if self.readout else ()

    @property
    def key(self) -> str:
        """Names the resumable cache: everything that decides which runs are made."""
        text = json.dumps([self.scenario.to_toml(), self.parameters, self.statistics, self.readout, self.trials,
                           self.batch, self.samples, self.replicates, self.days, self.seed], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def _whole(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CalibrationError(f"--{name}: must be a whole number of at least {minimum} (got {value!r})")
    return value


def plan(scenario, parameters: dict[str, tuple[float, float]], targets=None, fit=None, trials: int = 48,
         batch: int = 8, samples: int = 64, replicates: int = 3, days: int = 180, seed: int | None = None) -> Plan:
    """A calibration, checked: scenario, ranges, targets and settings (CalibrationError or ScenarioError).

    Parameters
    ----------
    scenario : Scenario or str
    parameters : dict
        Field (dotted path) -> (low, high): the ranges searched and sampled.
    targets : str or Path, optional
        A target file (default: the shipped `nodding/facts/targets.toml`).
    fit : list of str, optional
        The statistics to fit (default: the file's targets with `use = "fit"`).
    trials, batch, samples, replicates, days, seed
        As in `calibrate`.

    Returns
    -------
    Plan
    """
    base = load_scenario(scenario)
    for name, value, minimum in (("trials", trials, 1), ("batch", batch, 1), ("samples", samples, 0),
                                 ("replicates", replicates, 1), ("days", days, 1)):
        _whole(value, name, minimum)
    if days < 60:
        raise CalibrationError(f"--days: the statistics need at least 60 reported days (month 2 is the steady "
                               f"state's reference; got {days})")
    try:
        salib_problem(base, parameters)  # every range non-empty and inside the field's own range
    except ValueError as err:
        raise CalibrationError(str(err)) from None
    fixed = [p for p in parameters if p in THRESHOLDS]
    if fixed:
        raise CalibrationError(f"--param {fixed[0]}: the loneliness thresholds are read out of every run "
                               "(docs/calibration.md), not searched")
    file = str(targets) if targets else "nodding/facts/targets.toml (shipped)"
    available = load_targets(targets)
    if fit:
        unknown = [name for name in fit if name not in available]
        if unknown:
            raise CalibrationError(f"--fit: {unknown[0]!r} has no target in {file} (targets: {', '.join(available)})")
        held_out = [name for name in fit if available[name].use != "fit"]
        if held_out:
            t = available[held_out[0]]
            why = ("holds by construction (the thresholds are read out at it)" if t.use == "construction" else
                   "is kept out of every fit, so that validation after a calibration is not circular")
            raise CalibrationError(f"--fit: {t.statistic} {why} (use = \"{t.use}\" in {file})")
        chosen = [available[name] for name in fit]
    else:
        chosen = [t for t in available.values() if t.use == "fit"]
        if not chosen:
            raise CalibrationError(f"{file}: no target has use = \"fit\": name the statistics to fit with --fit")
    directions = [t.statistic for t in chosen if t.direction]
    if directions:
        raise CalibrationError(f"{directions[0]}: a direction (above or below 0) cannot be fitted; give the target a "
                               "band (tolerance, or low/high) or mark it use = \"check\"")
    measured = {t.statistic: t for t in chosen}
    measured |= {name: available[name] for name in CONSTRUCTION if name in available}
    subscales = tuple(float(available[name].value) for name in SUBSCALES) if all(n in available for n in SUBSCALES) else ()
    return Plan(base, dict(parameters), measured, tuple(chosen), trials, batch, samples, replicates, days,
                base["seed"] if seed is None else seed, file, subscales)


@dataclass
class Calibration:
    """What a calibration found.

    Attributes
    ----------
    plan : Plan
    runs : DataFrame
        One row per run (point x replicate): the point's parameter values and each statistic measured.
    points : DataFrame
        One row per point: `point`, `stage` ("search" or "sample"), the parameters, each statistic's
        mean and standard deviation over replicates, `loss`, `within:<statistic>` per fitted target,
        and `plausible` (within tolerance for every fitted target).
    best : int
        The point with the lowest loss.
    scenario : Scenario
        The calibrated scenario: the best point's parameters and read-out thresholds.
    importances : dict
        Parameter -> Optuna's PED-ANOVA importance over the search's trials (Watanabe et al. 2023).
    settings : dict
    """

    plan: Plan
    runs: pd.DataFrame
    points: pd.DataFrame
    best: int
    scenario: Scenario
    importances: dict
    settings: dict = field(default_factory=dict)

    @property
    def plausible(self) -> pd.DataFrame:
        """The plausible set: the sample's points within tolerance for every fitted target, as `set` + fields.

        With the loneliness thresholds read out, each set carries its own (mean over its replicates, to 3
        decimals), so that a what-if over the set measures loneliness as its calibration did."""
        kept = self.points[(self.points["stage"] == SAMPLE) & self.points["plausible"]]
        fields = list(self.plan.parameters) + list(self.plan.thresholds)
        table = kept[fields].round({name: 3 for name in self.plan.thresholds}).reset_index(drop=True)
        table.insert(0, "set", range(len(table)))
        return table

    def misses(self) -> list[str]:
        """The fitted targets that no point met ("no trial within tolerance for ...")."""
        return [t.statistic for t in self.plan.fitted if not self.points[f"within:{t.statistic}"].any()]

    def write(self, out: str | Path) -> Path:
        """Every table, figure, the calibrated scenario and report.md into `out`, all-or-nothing."""
        from .outputs import write

        return write(self, Path(out))


def _specs(plan: Plan, point: int, values: dict, seeds: list[int]) -> list[RunSpec]:
    toml = set_values(plan.scenario, values).to_toml()
    return [RunSpec(plan.scenario.name, toml, r, seed, plan.days, point, values, plan.statistics, plan.readout)
            for r, seed in enumerate(seeds)]


def _summarise(plan: Plan, table: pd.DataFrame, point: int, stage: str, values: dict) -> dict:
    """One point's row of `Calibration.points` from its replicates' rows."""
    means = {name: float(table[name].mean()) for name in plan.statistics}
    row = {"point": point, "stage": stage, **values}
    for name in plan.statistics:
        row[f"mean:{name}"] = means[name]
        row[f"sd:{name}"] = float(table[name].std(ddof=1)) if len(table) > 1 else np.nan
    for threshold in THRESHOLDS[:2] + plan.thresholds[2:]:
        row[threshold] = float(table[READ_OUT[threshold]].mean())
    row["loss"] = loss(plan.fitted, means)
    flags = {f"within:{t.statistic}": within(t, means[t.statistic]) for t in plan.fitted}
    return row | flags | {"plausible": all(flags.values())}


def _sobol(plan: Plan) -> list[dict]:
    """The plausible set's candidates: a scrambled Sobol' sample of the ranges (as the values will run)."""
    from scipy.stats import qmc

    if not plan.samples:
        return []
    with warnings.catch_warnings():  # a sample size that is not a power of two only loses balance
        warnings.simplefilter("ignore", UserWarning)
        unit = qmc.Sobol(len(plan.parameters), scramble=True, seed=plan.seed).random(plan.samples)
    lows, highs = (np.array([r[i] for r in plan.parameters.values()]) for i in (0, 1))
    rows = qmc.scale(unit, lows, highs)
    return [cast_values(plan.scenario, dict(zip(plan.parameters, map(float, row)))) for row in rows]


def calibrate(scenario, parameters: dict[str, tuple[float, float]], targets=None, fit=None, trials: int = 48,
              batch: int = 8, samples: int = 64, replicates: int = 3, days: int = 180, seed: int | None = None, *,
              workers: int | None = None, dask: str | None = None, executor: Executor | None = None,
              cache: Path | None = None, progress: bool | None = None) -> Calibration:
    """Fit parameters to published targets with Optuna, and draw the plausible set (module docstring).

    Parameters
    ----------
    scenario : Scenario or str
        The town calibrated (a name or path is loaded with `Scenario.named`).
    parameters : dict
        Field (dotted path) -> (low, high).
    targets : str or Path, optional
        A target file (default: the shipped one, `nodding/facts/targets.toml`).
    fit : list of str, optional
        The statistics to fit (default: the targets marked `use = "fit"`).
    trials : int
        The search's parameter sets (Optuna trials).
    batch : int
        Trials asked for at once (run in parallel, told back in trial order); part of the design:
        another batch size gives other trials.
    samples : int
        The Sobol' points the plausible set is drawn from (0: no plausible set).
    replicates : int
        Runs per point (replicate seeds from `seed`, the same at every point).
    days : int
        Reported days per run.
    seed : int, optional
        Seeds the replicates, the sampler and the Sobol' sample (default: the scenario's `seed`).
    workers, dask, executor, cache, progress
        As in `nodding.experiments.run_design`.

    Returns
    -------
    Calibration

    Examples
    --------
    >>> result = calibrate("baseline", {"decisions.fear_weight": (0.5, 1.5)}, trials=16)  # doctest: +SKIP
    >>> result.scenario.to_toml()  # doctest: +SKIP
    """
    return run_plan(plan(scenario, parameters, targets, fit, trials, batch, samples, replicates, days, seed),
                    workers=workers, dask=dask, executor=executor, cache=cache, progress=progress)


def run_plan(p: Plan, *, workers: int | None = None, dask: str | None = None, executor: Executor | None = None,
             cache: Path | None = None, progress: bool | None = None) -> Calibration:
    """Run a checked calibration (`plan`): the search in batches, then the plausible set's sample.

    Parameters
    ----------
    p : Plan
    workers, dask, executor, cache, progress
        As in `calibrate`.

    Returns
    -------
    Calibration
    """
    if executor is None:  # one pool for every batch: workers start (and compile) once
        with make_executor(workers, dask) as made:
            return run_plan(p, workers=workers, dask=dask, executor=made, cache=cache, progress=progress)
    import optuna

    from ..experiments.experiment import check_memory

    largest = set_values(p.scenario, {key: high for key, (_, high) in p.parameters.items()
                                      if key in ("population.size", "ties.slots")})
    check_memory(largest, p.batch * p.replicates, executor, workers)  # before the first run, not hours later
    started = time.perf_counter()
    seeds = replicate_seeds(p.seed, p.replicates)
    run = dict(workers=workers, dask=dask, cache=cache, progress=progress)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=p.seed, multivariate=True,
                                                                   n_startup_trials=startup_trials(p.trials)))
    space = {name: optuna.distributions.FloatDistribution(low, high) for name, (low, high) in p.parameters.items()}
    tables, rows, reused, code = [], [], 0, None
    for first in range(0, p.trials, p.batch):
        asked = [study.ask(space) for _ in range(min(p.batch, p.trials - first))]
        points = [(first + i, cast_values(p.scenario, trial.params)) for i, trial in enumerate(asked)]
        done = execute([s for point, values in points for s in _specs(p, point, values, seeds)], executor, **run)
        reused, code = reused + done.reused, done.code
        for trial, (point, values) in zip(asked, points):
            table = done.runs[done.runs["point"] == point]
            rows.append(_summarise(p, table, point, SEARCH, values))
            tables.append(table.assign(stage=SEARCH))
            study.tell(trial, rows[-1]["loss"] if np.isfinite(rows[-1]["loss"]) else float("inf"))
    candidates = list(enumerate(_sobol(p), start=p.trials))
    if candidates:
        done = execute([s for point, values in candidates for s in _specs(p, point, values, seeds)], executor, **run)
        reused += done.reused
        for point, values in candidates:
            table = done.runs[done.runs["point"] == point]
            rows.append(_summarise(p, table, point, SAMPLE, values))
            tables.append(table.assign(stage=SAMPLE))
    points = pd.DataFrame(rows)
    best = int(points.loc[points["loss"].idxmin(), "point"])
    importances = _importances(study, p)
    settings = {"scenario": p.scenario.name, "parameters": {k: list(v) for k, v in p.parameters.items()},
                "targets_file": p.targets_file, "fitted": [t.statistic for t in p.fitted], "trials": p.trials,
                "batch": p.batch, "samples": p.samples, "replicates": p.replicates, "days": p.days, "seed": p.seed,
                "runs": len(points) * p.replicates, "reused_runs": reused, "workers": workers or default_workers(),
                "dask": dask, "code": code, "wall_seconds": round(time.perf_counter() - started, 1)}
    return Calibration(p, pd.concat(tables, ignore_index=True), points, best, _calibrated(p, points, best),
                       importances, settings)


def startup_trials(trials: int) -> int:
    """Random trials before TPE models the loss: Optuna's 10, but at most a quarter of a short search (ours)."""
    return max(2, min(10, trials // 4))


def _importances(study, p: Plan) -> dict:
    """PED-ANOVA importances of the parameters for the search's loss (empty with one parameter or few trials)."""
    import optuna

    if len(p.parameters) < 2 or p.trials < 4:
        return {name: 1.0 for name in p.parameters} if len(p.parameters) == 1 else {}
    finite = [t for t in study.trials if t.value is not None and np.isfinite(t.value)]
    if len(finite) < 4:
        return {}
    evaluator = optuna.importance.PedAnovaImportanceEvaluator()
    return {k: float(v) for k, v in optuna.importance.get_param_importances(study, evaluator=evaluator).items()}


def _calibrated(p: Plan, points: pd.DataFrame, best: int) -> Scenario:
    """The scenario with the best point's parameters (and read-out thresholds), named `<name>_calibrated`."""
    row = points[points["point"] == best].iloc[0]
    values = {name: row[name] for name in p.parameters}
    values |= {name: round(float(row[name]), 3) for name in p.thresholds}
    fitted = ", ".join(f"{k} = {v:.4g}" for k, v in values.items())
    described = (f"{p.scenario['description'].strip()} Calibrated by `nodding calibrate` against {p.targets_file} "
                 f"({p.trials} trials, {p.replicates} replicates of {p.days} days, seed {p.seed}): {fitted}.").strip()
    return set_values(p.scenario, values).with_values({"name": f"{p.scenario.name}_calibrated",
                                                      "description": described})
