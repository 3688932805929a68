"""The three experiments and their results: compare, sweep, sensitivity.

Each function builds a design once (design.py), runs it through an executor
(execute.py, via `run_design`), summarises it (summarise.py) and returns a result object with
`.runs` (tidy: one row per run x day), `.means` (one row per run: window means),
`.summary`, `.effects` (compare) or `.indices` (sensitivity), and `.write(out)`.
The command line builds the design itself (so that every input error surfaces before
the executor and the output directory are opened) and hands it to `run_design`.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..footprint import check_fits
from . import report
from .design import Design, compare_design, sensitivity_design, sweep_design
from .execute import default_workers, execute
from .summarise import (effects, effects_over_sets, group_effects, run_means, sensitivity_indices, summary,
                        with_groups)

__all__ = ["CompareResult", "ExperimentResult", "SensitivityResult", "SweepResult", "compare", "run_design",
           "sensitivity", "sweep"]


@dataclass
class ExperimentResult:
    """What an experiment found: its runs, their window means, and means with 95% CIs.

    Attributes
    ----------
    design : Design
        What ran.
    runs : DataFrame
        One row per run and day: `scenario, point, replicate, seed, population`, the varied fields, then
        the model's daily table.
    means : DataFrame
        One row per run: every metric (`summarise.METRICS`) averaged over the window.
    summary : DataFrame
        Per scenario (or point) and metric: the mean over replicates with its 95% CI.
    settings : dict
        The settings as written to experiment.json, among them `runs`, `reused_runs` (taken from the
        resume cache, not run by this invocation), `wall_seconds` (this invocation's) and `code` (the
        fingerprint of the code that made every run, `nodding.provenance.code_fingerprint`).
    effects : DataFrame or None
        A comparison's effects against the baseline, paired and unpaired (over plausible parameter sets:
        per set, and over all sets, `summarise.effects_over_sets`).
    indices : DataFrame or None
        A sensitivity analysis' indices.
    """

    design: Design
    runs: pd.DataFrame
    means: pd.DataFrame
    summary: pd.DataFrame
    settings: dict
    effects: pd.DataFrame | None = None
    indices: pd.DataFrame | None = None

    @property
    def kind(self) -> str:
        """'compare', 'sweep' or 'sensitivity'."""
        return self.design.kind

    @property
    def scenarios(self) -> dict[str, str]:
        """Scenario name -> the full TOML of the scenario as given (a comparison: the baseline first)."""
        return {s.name: s.to_toml() for s in self.design.scenarios}

    def write(self, out: str | Path) -> Path:
        """All tables, figures and report.md into `out`, all-or-nothing.

        Parameters
        ----------
        out : str or Path
            New, empty, or an earlier output directory (replaced whole).

        Returns
        -------
        Path
            `out`.
        """
        return report.write(self, out)


@dataclass
class CompareResult(ExperimentResult):
    """A comparison's result; `.effects` has each scenario minus the baseline, paired and unpaired.

    `.effects` has a `group` column: "town" for the whole town (paired and unpaired, every metric), and
    paired rows of belonging and the lonely share for each group of residents (`summarise.group_effects`,
    named as in `summarise.resident_groups`: "participants of <intervention>", "target of <intervention>",
    "regulars of <intervention>", "everyone else (<intervention>)", "living alone", "not living alone",
    "role: <role>"), with `group_size`, `hedges_g`, `g_ci_low`, `g_ci_high` and `lonely_per_100`.
    """


@dataclass
class SweepResult(ExperimentResult):
    """A sweep's result; `.summary` has a row per point and metric, with the varied fields as columns."""


@dataclass
class SensitivityResult(ExperimentResult):
    """A sensitivity analysis' result; `.indices` has SALib's indices per metric and parameter."""


def check_memory(largest, runs: int, executor: Executor | None, workers: int | None) -> None:
    """Refuse, before the first run, runs whose biggest town does not fit: side by side in the local worker
    processes against this machine's memory, or one run against a Dask worker's memory limit.

    Parameters
    ----------
    largest : Scenario
        The biggest town that will run (largest `population.size` and `ties.slots`).
    runs : int
        Runs in the experiment (at most this many run side by side).
    executor, workers
        As in `run_design`.
    """
    worker_memory = getattr(executor, "worker_memory", None)  # set by make_executor for Dask
    if worker_memory:
        check_fits(largest, outputs=False, available=worker_memory)
    elif executor is None or isinstance(executor, ProcessPoolExecutor):
        check_fits(largest, runs_at_once=min(workers or default_workers(), runs), outputs=False)


def _check_memory(design: Design, executor: Executor | None, workers: int | None) -> None:
    base = design.baseline
    largest = base.with_values({key: max(spec.values.get(key, base[key]) for spec in design.specs)
                                for key in ("population.size", "ties.slots")})
    check_memory(largest, len(design.specs), executor, workers)


def run_design(design: Design, *, workers: int | None = None, dask: str | None = None,
               executor: Executor | None = None, cache: Path | None = None,
               progress: bool | None = None) -> ExperimentResult:
    """Run a design's simulations (those not already in `cache`) and summarise them.

    Parameters
    ----------
    design : Design
        From `compare_design`, `sweep_design` or `sensitivity_design`.
    workers : int, optional
        Local worker processes (default: the cores); ignored when `executor` is given.
    dask : str, optional
        A Dask scheduler address, or "local" for a local Dask cluster.
    executor : concurrent.futures.Executor, optional
        Runs the simulations (default: one made from `workers` and `dask`).
    cache : Path, optional
        Directory of finished runs: a killed experiment resumes from it.
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).

    Returns
    -------
    CompareResult, SweepResult or SensitivityResult
        As `design.kind`. Raises `RunFailed` if a run failed, or ran other code than this process (the
        others are kept in `cache`).
    """
    started = time.perf_counter()
    _check_memory(design, executor, workers)
    executed = execute(list(design.specs), executor, workers=workers, dask=dask, cache=cache, progress=progress)
    runs = executed.runs
    base = design.baseline
    settings = {"days": design.days, "replicates": design.replicates, "seed": design.seed, "window": design.window,
                "residents": base["population.size"], "lonely_below": float(base["belonging.lonely_below"]),
                "workers": workers or default_workers(), "dask": dask, "runs": len(design.specs),
                "reused_runs": executed.reused, "code": executed.code}
    if design.kind == "compare":
        fields = design.over["fields"] if design.over else []
        means = run_means(runs, design.window, fields)
        settings |= {"wall_seconds": _seconds(started), "baseline": base.name,
                     "scenarios": [s.name for s in design.scenarios]} | ({"over": design.over} if design.over else {})
        found = effects_over_sets(means, base.name, fields) if design.over else effects(means, base.name)
        kept = {(spec.scenario, spec.replicate): table for spec, table in zip(design.specs, executed.residents)
                if table is not None}  # none over plausible sets: the groups are not paired across sets
        found = with_groups(found, group_effects(kept, base.name) if kept else pd.DataFrame(columns=["group"]))
        return CompareResult(design, runs, means, summary(means, fields), settings, effects=found)
    if design.kind == "sweep":
        fields = list(design.vary)
        means = run_means(runs, design.window, fields)
        settings |= {"wall_seconds": _seconds(started), "vary_fields": fields,
                     "vary": {f: sorted({spec.values[f] for spec in design.specs}) for f in fields}}
        return SweepResult(design, runs, means, summary(means, fields), settings)
    names = list(design.parameters)
    means = run_means(runs, design.window, names)
    indices = sensitivity_indices(design.problem, design.samples, means, design.method, design.seed)
    settings |= {"wall_seconds": _seconds(started), "method": design.method, "n": design.n, "parameters": names,
                 "bounds": {k: list(v) for k, v in design.parameters.items()}, "points": len(design.samples)}
    return SensitivityResult(design, runs, means, summary(means.assign(point=0)), settings, indices=indices)


def _seconds(started: float) -> float:
    return round(time.perf_counter() - started, 1)


def compare(scenarios, replicates: int = 10, days: int | None = None, seed: int | None = None,
            window: int | None = None, over=None, sets: int | None = None, *, workers: int | None = None, dask: str | None = None,
            executor: Executor | None = None, cache: Path | None = None, progress: bool | None = None) -> CompareResult:
    """Run each scenario `replicates` times and compare each with the first, the baseline.

    Replicate r runs with the same seed in every scenario, so the effects are paired.

    Parameters
    ----------
    scenarios : list of Scenario or str
        The baseline first; names or paths are loaded with `Scenario.named`.
    replicates : int
        Runs per scenario.
    days : int, optional
        Days per run (default: the baseline's `days`).
    seed : int, optional
        Master seed of the replicate seeds (default: the baseline's `seed`).
    window : int, optional
        Outcomes are averaged over the last `window` days (default: 30, or the whole run if shorter).
    over : str, Path or DataFrame, optional
        Plausible parameter sets (a CSV or Parquet file as `nodding calibrate` writes it, or its table):
        every scenario runs with each set's values, and the effects (method "over plausible sets") have
        intervals that include the spread across the sets (`summarise.effects_over_sets`).
    sets : int, optional
        With `over`: how many sets, from the top of the file (default: all, at most 10).
    workers, dask, executor, cache, progress
        As in `run_design`.

    Returns
    -------
    CompareResult

    Examples
    --------
    >>> result = compare(["baseline", "community_centre_closes"], replicates=20)  # doctest: +SKIP
    >>> result.effects  # doctest: +SKIP
    """
    return run_design(compare_design(scenarios, replicates, days, seed, window, over, sets), workers=workers, dask=dask,
                      executor=executor, cache=cache, progress=progress)


def sweep(scenario, vary: dict[str, list], replicates: int = 5, days: int | None = None, seed: int | None = None,
          window: int | None = None, *, workers: int | None = None, dask: str | None = None,
          executor: Executor | None = None, cache: Path | None = None, progress: bool | None = None) -> SweepResult:
    """Run the scenario at every combination of the `vary` values.

    Parameters
    ----------
    scenario : Scenario or str
    vary : dict
        Field (dotted path, e.g. "decisions.fear_weight") -> the values to run it at.
    replicates, days, seed, window
        As in `compare`; every point runs the same replicate seeds.
    workers, dask, executor, cache, progress
        As in `run_design`.

    Returns
    -------
    SweepResult
    """
    return run_design(sweep_design(scenario, vary, replicates, days, seed, window), workers=workers, dask=dask,
                      executor=executor, cache=cache, progress=progress)


def sensitivity(scenario, parameters: dict[str, tuple[float, float]], method: str = "sobol", n: int = 64,
                replicates: int = 1, days: int | None = None, seed: int | None = None, window: int | None = None,
                *, workers: int | None = None, dask: str | None = None, executor: Executor | None = None,
                cache: Path | None = None, progress: bool | None = None) -> SensitivityResult:
    """Sobol' (first and total order) or Morris screening of `parameters`, via SALib.

    Parameters
    ----------
    scenario : Scenario or str
    parameters : dict
        Field (dotted path) -> (low, high).
    method : {"sobol", "morris"}
    n : int
        SALib's base sample size (Sobol': a power of two) or number of Morris trajectories.
    replicates, days, seed, window
        As in `compare`; `seed` also seeds SALib's sampling and analysis.
    workers, dask, executor, cache, progress
        As in `run_design`.

    Returns
    -------
    SensitivityResult
    """
    return run_design(sensitivity_design(scenario, parameters, method, n, replicates, days, seed, window),
                      workers=workers, dask=dask, executor=executor, cache=cache, progress=progress)
