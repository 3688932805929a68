"""What runs: an experiment is a list of run specs (scenario x point x replicate).

Replicate r of every scenario and every sweep point gets the SAME seed (common
random numbers): the runs are paired by replicate, so that differences between
scenarios are not swamped by differences between random towns. Replicate seeds
come from `numpy.random.SeedSequence(seed).spawn(replicates)`. A comparison over
plausible parameter sets (`plausible_sets`, from `nodding calibrate`) runs every
scenario with each set's values, set s as point s, the same seeds in every set:
its runs pair by (set, replicate).

An experiment's design is built once (`compare_design`, `sweep_design`,
`sensitivity_design`) and is everything the run needs: the runs, the scenarios,
the seeds and the window, and its `key`, which names the resumable cache.
Everything here is checked before anything is simulated: a bad field, range or
scenario raises `ScenarioError` (or `DesignError`) with a one-line message.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nodding.model.scenario import Scenario, ScenarioError

__all__ = ["DEFAULT_SETS", "DEFAULT_WINDOW", "Design", "DesignError", "RunSpec", "changes", "compare_design",
           "parse_params", "parse_range", "parse_vary", "plausible_sets", "replicate_seeds", "sensitivity_design",
           "sweep_design", "window_for"]

DEFAULT_WINDOW = 30  # days: outcomes are averaged over the last month of each run
DEFAULT_SETS = 10  # plausible parameter sets a comparison runs over, unless --sets says otherwise


class DesignError(ValueError):
    """An experiment that cannot be run as asked (one line, the user's fault)."""


@dataclass(frozen=True)
class RunSpec:
    """One simulation: a scenario, a seed and a length.

    The scenario travels as TOML text: it pickles small to a worker, and the text (with the seed and
    length) is what identifies the run's result in the cache (`key`)."""

    scenario: str  # label in the tables: the scenario's name
    toml: str  # the full validated scenario (`Scenario.to_toml`)
    replicate: int
    seed: int
    days: int
    point: int = 0  # sweep / sensitivity sample index (0 for a comparison)
    values: dict = field(default_factory=dict)  # varied field -> value at this point
    # A calibration's run: its result is one row of these statistics (nodding.facts), not the daily table;
    # `readout` (the survey's lonely and severely lonely shares, then optionally CBS's socially and emotionally
    # lonely shares) reads the loneliness thresholds out of the run.
    statistics: tuple[str, ...] = ()
    readout: tuple[float, ...] | None = None
    # A comparison's run also keeps each resident's outcomes over its last `window` days (`execute.resident_outcomes`);
    # 0: the daily table only (a sweep, a sensitivity analysis, a calibration).
    window: int = 0

    @property
    def key(self) -> str:
        """Identifies the run's result: same scenario text, seed and days (and statistics) give the same table."""
        identity = [self.scenario, self.toml, self.seed, self.days, self.point, self.values]
        if self.statistics:
            identity += [list(self.statistics), self.readout]
        if self.window:
            identity += [self.window]
        text = json.dumps(identity, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Independent, reproducible seeds for replicates 0..R-1 (the same for every scenario)."""
    if replicates < 1:
        raise DesignError(f"--replicates: must be a whole number of at least 1 (got {replicates})")
    children = np.random.SeedSequence(seed).spawn(replicates)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]


@dataclass(frozen=True, eq=False)
class Design:
    """What an experiment runs, checked and built once.

    `scenarios` are the scenarios as given (a comparison: the baseline first; a sweep or a sensitivity
    analysis: the one scenario whose fields vary); `specs` the runs in the order their tables are
    concatenated. A sweep has `vary` ({field: values}); a sensitivity analysis `parameters` ({field:
    (low, high)}), `method`, `n`, and SALib's `problem` and `samples`; a comparison over plausible
    parameter sets `over` ({"file", "sets", "fields", "labels"}: where the sets came from (None: a
    DataFrame), how many ran,
    which fields they set, and each set's label in the file, set s running as `point` s)."""

    kind: str  # "compare", "sweep" or "sensitivity"
    scenarios: tuple[Scenario, ...]
    specs: tuple[RunSpec, ...]
    replicates: int
    seed: int
    days: int
    window: int
    vary: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    method: str | None = None
    n: int | None = None
    problem: dict | None = None
    samples: np.ndarray | None = None
    over: dict | None = None

    @property
    def baseline(self) -> Scenario:
        """The scenario the others are compared with (a sweep's or sensitivity analysis' only one)."""
        return self.scenarios[0]

    @property
    def key(self) -> str:
        """A hash of the whole experiment: names its resumable cache."""
        return hashlib.sha256("".join(s.key for s in self.specs).encode()).hexdigest()[:12]


def load_scenario(scenario: Scenario | str) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else Scenario.named(scenario)


def _seed(scenario: Scenario, seed: int | None) -> int:
    return scenario["seed"] if seed is None else seed


def _days(scenario: Scenario, days: int | None, window: int | None) -> int:
    """The days per run, checked (and the window the outcomes are averaged over checked against them)."""
    days = scenario["days"] if days is None else days
    if not isinstance(days, int) or days < 1:
        raise DesignError(f"--days: must be a whole number of at least 1 (got {days!r})")
    window_for(days, window)
    return days


def window_for(days: int, window: int | None) -> int:
    """The last `window` days of a run, over which outcomes are averaged: by default a month (or the whole
    run, if shorter); never longer than the run."""
    if window is None:
        return min(DEFAULT_WINDOW, days)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= days:
        raise DesignError(f"--window: must be a whole number from 1 to the days per run ({days}) (got {window!r})")
    return window


def changes(scenario: Scenario, baseline: Scenario) -> dict[str, dict]:
    """The interventions of `scenario` that the baseline does not have (by name and settings).

    Parameters
    ----------
    scenario, baseline : Scenario

    Returns
    -------
    dict
        Intervention name -> its settings (kind, place, start, ...), for those not in the baseline
        as they are in `scenario`.
    """
    old = baseline.interventions
    return {name: iv for name, iv in scenario.interventions.items() if old.get(name) != iv}


def _check_comparable(scenario: Scenario, baseline: Scenario, days: int) -> None:
    """Replicate r of both must run in the same town, and the change must happen within the run."""
    size, base_size = scenario["population.size"], baseline["population.size"]
    if size != base_size:
        raise DesignError(f"{scenario.name} has {size:,} residents and {baseline.name} (the baseline) {base_size:,}: "
                          "compare runs every scenario in the same town, so give them one population.size "
                          "(to see how town size matters, sweep population.size)")
    new = changes(scenario, baseline)
    if new and min(iv["start"] for iv in new.values()) >= days:
        name, iv = min(new.items(), key=lambda item: item[1]["start"])
        raise DesignError(f"{scenario.name}: its change ({name}) starts on day {iv['start']}, but the runs end on "
                          f"day {days - 1} (days count from 0): use --days {iv['start'] + 1} or more, "
                          f"{iv['start'] + 30} or more to see its effect over a month")


def compare_design(scenarios, replicates: int, days: int | None = None, seed: int | None = None,
                   window: int | None = None, over=None, sets: int | None = None) -> Design:
    """Every scenario, replicate r with the same seed. The first scenario is the baseline.

    Parameters
    ----------
    scenarios : list of Scenario or str
        The baseline first; a name or path is loaded with `Scenario.named`.
    replicates : int
        Runs per scenario (and plausible set).
    days : int, optional
        Days per run (default: the baseline's `days`).
    seed : int, optional
        Master seed of the replicate seeds (default: the baseline's `seed`).
    window : int, optional
        Days at the end of each run that outcomes are averaged over (default: `window_for`).
    over : str, Path or DataFrame, optional
        Plausible parameter sets (`plausible_sets`): every scenario runs with each set's values, set s
        as `point` s, and replicate r with the same seed in every set and scenario, so runs pair by
        (set, replicate).
    sets : int, optional
        With `over`: run its first `sets` rows (default: all, at most `DEFAULT_SETS`).

    Returns
    -------
    Design
        Raises DesignError or ScenarioError, before anything runs, if the comparison cannot be made.
    """
    loaded = [load_scenario(s) for s in scenarios]
    if len(loaded) < 2:
        raise DesignError("compare needs at least two scenarios: a baseline and one to compare with it")
    names = [s.name for s in loaded]
    if len(set(names)) < len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise DesignError(f"scenario {dup!r} is given twice; give each scenario once (or copy it under another name)")
    days = _days(loaded[0], days, window)
    for scenario in loaded[1:]:
        _check_comparable(scenario, loaded[0], days)
    seed = _seed(loaded[0], seed)
    seeds = replicate_seeds(seed, replicates)
    if over is None:
        if sets is not None:
            raise DesignError("--sets: only with --over FILE (the plausible parameter sets to run over)")
        kept = window_for(days, window)
        specs = tuple(RunSpec(s.name, s.to_toml(), r, seeds[r], days, window=kept) for s in loaded for r in range(replicates))
        return Design("compare", tuple(loaded), specs, replicates, seed, days, kept)
    if replicates < 2:
        raise DesignError(f"--over: needs --replicates 2 or more, to tell the simulation's randomness from the "
                          f"spread across parameter sets (got {replicates})")
    table = plausible_sets(over, loaded, sets)
    values = [{f: v for f, v in zip(table.columns, row)} for row in table.itertuples(index=False)]
    specs = tuple(RunSpec(s.name, set_values(s, point).to_toml(), r, seeds[r], days, i, cast_values(s, point))
                  for s in loaded for i, point in enumerate(values) for r in range(replicates))
    source = None if isinstance(over, pd.DataFrame) else str(over)
    return Design("compare", tuple(loaded), specs, replicates, seed, days, window_for(days, window),
                  over={"file": source, "sets": len(table), "fields": list(table.columns),
                        "labels": [label.item() if hasattr(label, "item") else label for label in table.index]})


# ---------------------------------------------------------------- plausible parameter sets
def plausible_sets(over, scenarios: list[Scenario], sets: int | None = None) -> pd.DataFrame:
    """The first `sets` plausible parameter sets, every value checked against every scenario's rules.

    Parameters
    ----------
    over : str, Path or DataFrame
        A CSV or Parquet file (or its table) as `nodding calibrate` writes it: one row per parameter set,
        in the order they were drawn; an optional column `set` (the set's label) and one column per field,
        named by its dotted path (e.g. `decisions.fear_weight`).
    scenarios : list of Scenario
        The scenarios the values will be applied to.
    sets : int, optional
        How many rows to take from the top (at least 2; more than the file has: all of them). Default: all,
        at most `DEFAULT_SETS`.

    Returns
    -------
    DataFrame
        One row per set, one float column per field, indexed by the set's label (`set`, or the row number
        from 0). Raises DesignError, naming the file, row or field, if the sets cannot be run.
    """
    if sets is not None and (not isinstance(sets, int) or isinstance(sets, bool) or sets < 2):
        raise DesignError(f"--sets: must be a whole number of at least 2 (got {sets!r})")
    table = over.copy() if isinstance(over, pd.DataFrame) else _read_table(Path(over))
    table = table.head(DEFAULT_SETS if sets is None else sets)
    labels = table.pop("set") if "set" in table.columns else pd.Series(range(len(table)))
    if table.columns.empty:
        raise DesignError("--over: the file has no parameter columns (one per field, named by its dotted path, "
                          "e.g. decisions.fear_weight)")
    if len(table) < 2:
        raise DesignError(f"--over: needs at least 2 parameter sets to show their spread (the file has {len(table)})")
    for name in table.columns:
        if name in ("days", "seed"):
            raise DesignError(f"--over {name}: not a parameter of the model (--{name} sets it for every run)")
        try:
            cast_values(scenarios[0], {name: 0.0})  # a field, and a number ("did you mean" if misspelt)
        except ScenarioError as err:
            raise DesignError(f"--over {name}: {err.problem}") from None
    for i, (label, row) in enumerate(zip(labels, table.itertuples(index=False)), start=1):
        for name, value in zip(table.columns, row):
            if not _is_number(value):
                raise DesignError(f"--over row {i} (set {label}), {name}: not a number (got {value!r})")
        for scenario in scenarios:
            try:
                set_values(scenario, dict(zip(table.columns, (float(v) for v in row))))
            except ScenarioError as err:
                raise DesignError(f"--over row {i} (set {label}), {err.field or 'a field'}: {err.problem}") from None
    table.index = pd.Index(labels, name="set")
    return table.astype(float)


def _read_table(path: Path) -> pd.DataFrame:
    """A CSV or Parquet file, or a DesignError that says why not."""
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise DesignError(f"--over {path}: must be a .csv or .parquet file of plausible parameter sets")
    if not path.is_file():
        raise DesignError(f"--over {path}: no such file")
    try:
        return pd.read_csv(path) if path.suffix.lower() == ".csv" else pd.read_parquet(path)
    except Exception as err:  # any parser's complaint, said in one line
        raise DesignError(f"--over {path}: cannot be read ({type(err).__name__}: {err})".splitlines()[0]) from None


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_))
            and bool(np.isfinite(value)))


# ---------------------------------------------------------------- varying fields
def set_values(scenario: Scenario, values: dict) -> Scenario:
    """A validated copy with numeric values cast to the field's type (whole numbers for counts)."""
    return scenario.with_values(cast_values(scenario, values))


def cast_values(scenario: Scenario, values: dict) -> dict:
    """The values as they will run: whole numbers for whole-number fields (SALib samples 53.33 slots; 53 run)."""
    cast = {}
    for path, value in values.items():
        current = scenario.get(path)
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            if current is None:
                scenario.with_values({path: value})  # raises ScenarioError with a "did you mean"
            raise ScenarioError(f"cannot vary a field that is not a number (it is {current!r})", file=scenario.source, field=path)
        cast[path] = int(round(value)) if isinstance(current, int) else float(value)
    return cast


def parse_range(text: str, with_steps: bool) -> tuple[str, float, float, int | None]:
    """'FIELD=LOW:HIGH:STEPS' (sweep) or 'FIELD=LOW:HIGH' (sensitivity)."""
    form = "FIELD=LOW:HIGH:STEPS" if with_steps else "FIELD=LOW:HIGH"
    name, eq, rest = text.partition("=")
    parts = rest.split(":")
    if not eq or not name.strip() or len(parts) != (3 if with_steps else 2):
        raise DesignError(f"{text!r}: expected {form}, e.g. decisions.fear_weight=0.5:1.5{':5' if with_steps else ''}")
    try:
        low, high = float(parts[0]), float(parts[1])
        steps = int(parts[2]) if with_steps else None
    except ValueError:
        raise DesignError(f"{text!r}: LOW and HIGH must be numbers{' and STEPS a whole number' if with_steps else ''} ({form})") from None
    if not (np.isfinite(low) and np.isfinite(high)):
        raise DesignError(f"{text!r}: LOW and HIGH must be finite numbers")
    if low > high:
        raise DesignError(f"{text!r}: the range is reversed (LOW {low:g} is above HIGH {high:g})")
    if low == high:
        raise DesignError(f"{text!r}: the range is empty (LOW equals HIGH)")
    if with_steps and steps < 2:
        raise DesignError(f"{text!r}: STEPS must be at least 2 (got {steps})")
    return name.strip(), low, high, steps


def sweep_points(scenario: Scenario, vary: dict[str, list]) -> list[dict]:
    """The full grid over the varied fields, each point checked against the scenario's rules."""
    if not vary:
        raise DesignError("sweep needs at least one --vary FIELD=LOW:HIGH:STEPS")
    grid = {}
    for path, values in vary.items():
        values = list(values)
        if not values:
            raise DesignError(f"--vary {path}: no values to sweep")
        current = scenario.get(path)
        if isinstance(current, int) and not isinstance(current, bool):
            values = list(dict.fromkeys(int(round(v)) for v in values))  # whole numbers: no duplicate points
        grid[path] = values
    points = [dict(zip(grid, combo)) for combo in itertools.product(*grid.values())]
    for point in points:
        _checked_values(scenario, point, "--vary")  # validates every point before anything runs
    return points


def _checked_values(scenario: Scenario, values: dict, option: str) -> None:
    """`set_values`, with an error blamed on the command-line option that asked for the values."""
    try:
        set_values(scenario, values)
    except ScenarioError as err:
        raise DesignError(f"{option} {err.field or ', '.join(values)}: {err.problem}") from None


def parse_vary(texts: list[str]) -> dict[str, list[float]]:
    """`--vary FIELD=LOW:HIGH:STEPS` options as {field: STEPS evenly spaced values from LOW to HIGH}."""
    vary = {}
    for text in texts:
        name, low, high, steps = parse_range(text, with_steps=True)
        vary[name] = [low + (high - low) * i / (steps - 1) for i in range(steps)]
    return vary


def parse_params(texts: list[str]) -> dict[str, tuple[float, float]]:
    """`--param FIELD=LOW:HIGH` options as {field: (low, high)}."""
    params = {}
    for text in texts:
        name, low, high, _ = parse_range(text, with_steps=False)
        params[name] = (low, high)
    return params


def sweep_design(scenario, vary: dict[str, list], replicates: int, days: int | None = None, seed: int | None = None,
                 window: int | None = None) -> Design:
    """The scenario at every combination of the `vary` values; every point runs the same replicate seeds.

    Parameters
    ----------
    scenario : Scenario or str
    vary : dict
        Field (dotted path) -> the values to run it at; whole-number fields are rounded.
    replicates, days, seed, window
        As in `compare_design`.

    Returns
    -------
    Design
        With `vary`; one point per combination, in `itertools.product` order.
    """
    base = load_scenario(scenario)
    days = _days(base, days, window)
    seed = _seed(base, seed)
    seeds = replicate_seeds(seed, replicates)
    specs = []
    for i, point in enumerate(sweep_points(base, vary)):
        toml = set_values(base, point).to_toml()
        specs += [RunSpec(base.name, toml, r, seeds[r], days, i, point) for r in range(replicates)]
    return Design("sweep", (base,), tuple(specs), replicates, seed, days, window_for(days, window), vary=dict(vary))


# ---------------------------------------------------------------- sensitivity (SALib)
def salib_problem(scenario: Scenario, parameters: dict[str, tuple[float, float]]) -> dict:
    if not parameters:
        raise DesignError("sensitivity needs at least one --param FIELD=LOW:HIGH")
    for path, (low, high) in parameters.items():
        if not low < high:
            raise DesignError(f"--param {path}: the range {low:g}:{high:g} is empty or reversed")
        _checked_values(scenario, {path: low}, "--param")
        _checked_values(scenario, {path: high}, "--param")
    return {"num_vars": len(parameters), "names": list(parameters), "bounds": [list(b) for b in parameters.values()]}


def sensitivity_samples(problem: dict, method: str, n: int, seed: int) -> np.ndarray:
    """Saltelli/Sobol' (first and total order) or Morris trajectories, drawn by SALib."""
    from SALib.sample import morris, sobol

    if n < 2:
        raise DesignError(f"--n: must be at least 2 (got {n})")
    if method == "sobol":
        if n & (n - 1):
            raise DesignError(f"--n: Sobol' sampling needs a power of two (got {n}; try {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})")
        return sobol.sample(problem, n, calc_second_order=False, seed=seed)
    if method == "morris":
        return morris.sample(problem, n, num_levels=4, seed=seed)
    raise DesignError(f"--method: must be sobol or morris (got {method!r})")


def sensitivity_design(scenario, parameters: dict[str, tuple[float, float]], method: str, n: int,
                       replicates: int, days: int | None = None, seed: int | None = None,
                       window: int | None = None) -> Design:
    """One point per SALib sample row; every point runs the same replicate seeds.

    Parameters
    ----------
    scenario : Scenario or str
    parameters : dict
        Field (dotted path) -> (low, high).
    method : {"sobol", "morris"}
    n : int
        SALib's base sample size (Sobol': a power of two) or number of Morris trajectories.
    replicates, days, seed, window
        As in `compare_design`; `seed` also seeds SALib's sampling.

    Returns
    -------
    Design
        With `parameters`, `method`, `n`, `problem` and `samples`. The runs record the values as they
        ran (whole numbers for whole-number fields); SALib analyses its own `samples`.
    """
    base = load_scenario(scenario)
    days = _days(base, days, window)
    seed = _seed(base, seed)
    problem = salib_problem(base, parameters)
    samples = sensitivity_samples(problem, method, n, seed)
    seeds = replicate_seeds(seed, replicates)
    specs = []
    for i, row in enumerate(samples):
        # the tables record the values that ran; SALib analyses its own samples
        point = cast_values(base, dict(zip(problem["names"], (float(v) for v in row))))
        toml = set_values(base, point).to_toml()
        specs += [RunSpec(base.name, toml, r, seeds[r], days, i, point) for r in range(replicates)]
    return Design("sensitivity", (base,), tuple(specs), replicates, seed, days, window_for(days, window),
                  parameters=dict(parameters), method=method, n=n, problem=problem, samples=samples)
