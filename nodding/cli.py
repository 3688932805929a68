"""The `nodding` command line (also `python -m nodding`).

    nodding run SCENARIO [--days N] [--seed S] [--out DIR] [--quiet] [--panel]
    nodding scenarios
    nodding compare | sweep | sensitivity ...   (replicated experiments: nodding.experiments)
    nodding validate [SCENARIO] [--quick] [--facts ...] [--targets FILE]   (the stylized facts: nodding.facts)
    nodding calibrate SCENARIO --param FIELD=LOW:HIGH ... [--targets FILE]  (fit to targets: nodding.calibration)
    nodding dashboard [--port P] [--scenario NAME]   (serve the dashboard: nodding.serve)

User errors (a bad flag, a broken scenario file, an unusable output directory)
print one line on stderr and exit with status 2 -- never a traceback, never a
partial output directory.
"""

from __future__ import annotations

import argparse
import re
import os
import shutil
import sys
import time
from pathlib import Path

from nodding import __version__
from .serve import add_dashboard_command, serve
from .errors import UserError, WriteError
from .footprint import check_fits
from .output import OutputError, check_out_option, release_claims
from .run_files import write_run
from nodding.model.parameters import TOP_LEVEL
from nodding.model.scenario import Scenario, ScenarioError, available, one_line

__all__ = ["USER_ERROR", "UserError", "WriteError", "add_experiment_commands", "build_parser", "experiment_design",
           "run_calibration", "run_resumable",
           "main", "run_experiment", "summary_table"]

USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)  # `--p` is not silently `--panel`: options are spelt out
        super().__init__(*args, **kwargs)

    def error(self, message):  # one line instead of usage + message
        raise UserError(f"{self.prog}: {message} (see {self.prog} --help)")


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse; a flag given a value it does not take (`-h0`, `--quiet=1`) is named as typed, since
    argparse names only the flag and the value."""
    try:
        return parser.parse_args(argv)
    except UserError as err:
        value = re.search(r"ignored explicit argument '(.*)'\)? \(see", str(err))
        typed = [a for a in argv if value and a.startswith("-") and a.endswith(value.group(1)) and a != value.group(1)]
        if typed:
            raise UserError(f"{typed[0]}: {err}") from None
        raise


def _count(minimum: int, maximum: int = 10**6):
    """A whole number within bounds (for `days` and `seed`: the bounds a scenario file allows)."""
    def parse(text: str) -> int:
        shown = text if len(text) <= 30 else text[:30] + "..."
        problem = f"must be a whole number of at least {minimum} (got {shown!r})"
        try:
            value = int(text)
        except ValueError:  # also digits beyond Python's int() limit
            raise argparse.ArgumentTypeError(problem) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(problem)
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be a whole number from {minimum} to {maximum:_} (got {shown!r})")
        return value
    return parse


def _out_dir(text: str) -> Path:
    """Only the emptiness check: Path('') would silently mean the current directory."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"must name a directory (got {text!r})")
    return Path(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nodding", description="Nodding Terms: small everyday interactions and belonging.")
    parser.add_argument("--version", action="version", version=f"nodding {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help="run one scenario and write its results")
    run.add_argument("scenario", help="a scenario file, or the name of a shipped scenario (see `nodding scenarios`)")
    days, seed = TOP_LEVEL["days"], TOP_LEVEL["seed"]
    run.add_argument("--days", type=_count(days.low, days.high), help="days to simulate (default: the scenario's `days`)")
    run.add_argument("--seed", type=_count(seed.low, seed.high), help="random seed (default: the scenario's `seed`)")
    run.add_argument("--out", type=_out_dir, help="output directory: new, empty, or an earlier nodding output with "
                                                  "nothing else in it (default: runs/<scenario name>)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    run.add_argument("--panel", action="store_true", help="also write panel.parquet: one row per resident and week "
                                                         "(belonging, lonely, contacts, ties), paired by resident id")
    commands.add_parser("scenarios", help="list the shipped scenarios and the question each answers")
    add_experiment_commands(commands)
    _add_validate(commands)
    _add_calibrate(commands)
    add_dashboard_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parse(build_parser(), sys.argv[1:] if argv is None else argv)
        if args.command == "scenarios":
            return _list_scenarios()
        if args.command in EXPERIMENTS:
            return run_experiment(args)
        if args.command == "validate":
            from .facts import run_command
            return run_command(args)
        if args.command == "calibrate":
            return run_calibration(args)
        if args.command == "dashboard":
            return serve(args)
        return _run(args)
    except (UserError, ScenarioError, OutputError) as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return USER_ERROR
    except WriteError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `nodding scenarios | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")  # nor fail again when Python flushes stdout at exit
        return 128 + 13  # as if killed by SIGPIPE, like other command-line tools
    except OSError as err:  # not the user's fault, but no traceback either
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return 1
    finally:
        release_claims()  # an --out checked but never written: its lock and new folders go now


def _run(args) -> int:
    from tqdm import tqdm

    from nodding.model.town import Town

    scenario = Scenario.named(args.scenario)
    days = args.days or scenario["days"]
    seed = scenario["seed"] if args.seed is None else args.seed
    scenario = scenario.with_values({"days": days, "seed": seed})  # the written scenario.toml reproduces this run
    check_fits(scenario)  # a town too big for this machine is refused now, not at the write step hours later
    out = check_out_option(args.out or Path("runs") / scenario.name)  # before the first day, not after the last
    late = sorted(name for name, iv in scenario.interventions.items() if iv["start"] >= days)
    if late:
        print(f"warning: {', '.join(late)} start{'s' if len(late) == 1 else ''} after the last simulated day "
              f"({days - 1}; days count from 0), so {'it does' if len(late) == 1 else 'they do'} nothing in this run",
              file=sys.stderr)
    started = time.perf_counter()
    town = Town(scenario, seed=seed, panel=args.panel)
    show = not args.quiet and sys.stderr.isatty()
    with tqdm(total=days, unit="day", desc=scenario.name, disable=not show, leave=False) as bar:
        town.run(days, progress=bar.update)
    seconds = time.perf_counter() - started
    meta = {"scenario": scenario.name, "source": scenario.source, "seed": seed, "days": days,
            "residents": scenario["population.size"], "wall_seconds": round(seconds, 2), "version": __version__}
    try:
        write_run(town, out, meta)
    except OSError as err:  # e.g. a full disk; printing the summary later is not "writing results"
        raise WriteError(f"could not write results ({err}); nothing was written") from None
    if not args.quiet:
        print(summary_table(town.daily, scenario))
        print(f"\n{days} days, {scenario['population.size']:,} residents, seed {seed}: {seconds:.1f} s. Results in {out}/")
    return 0


def summary_table(daily, scenario) -> str:
    """Start versus end of the run, in plain words."""
    week = min(7, len(daily) // 2) or 1  # two weeks that do not overlap (halves of a shorter run)
    first, last = daily.iloc[:week].mean(), daily.iloc[-week:].mean()
    heads = ("first week", "last week") if week == 7 else (f"first {week} d", f"last {week} d")
    n = scenario["population.size"]
    # the units of `nodding compare`'s report: points (0-100), percentages, counts per resident
    rows = [
        ("mean belonging, points (0-100)", "mean_belonging", 100, 2), ("lonely share, % of adults", "lonely_share", 100, 1),
        ("strong ties per resident", "mean_strong_ties", 1, 2), ("weak ties per resident", "mean_weak_ties", 1, 2),
        ("familiar faces per resident", "mean_familiar_faces", 1, 2),
        ("fear of rejection, points (0-100)", "mean_fear", 100, 2),
        ("expected acceptance of strangers, %", "mean_expected_acceptance", 100, 1),
        ("actual acceptance of strangers, %", "acceptance_rate_strangers", 100, 1),
        ("nods per resident per day", "interactions_nod", 1 / n, 3),
        ("greetings per resident per day", "interactions_greeting", 1 / n, 3),
        ("chats per resident per day", "interactions_chat", 1 / n, 3), ("help per resident per day", "interactions_help", 1 / n, 3),
    ]
    lines = [f"{'':36} {heads[0]:>11} {heads[1]:>11}"]
    lines += [f"{label:36} {first[col] * scale:11.{d}f} {last[col] * scale:11.{d}f}" for label, col, scale, d in rows]
    return "\n".join(lines)


def _add_validate(commands) -> None:
    """`nodding validate`: the stylized facts and survey targets across seeds (nodding/facts/)."""
    v = commands.add_parser("validate", help="check the stylized facts and survey targets across seeds")
    v.add_argument("scenario", nargs="?", default="baseline",
                   help="the town to check: a scenario file or shipped scenario name (default: baseline); the "
                        "challenge fact runs the kindness challenge on top of it")
    v.add_argument("--targets", metavar="FILE", help="a target file (TOML, the format of the shipped "
                   "nodding/facts/targets.toml): check the facts it gives targets for, against its numbers (their "
                   "other statistics against the shipped ones)")
    v.add_argument("--quick", action="store_true", help="3 seeds, 90 days (about a minute on a quiet machine)")
    v.add_argument("--facts", help="comma-separated facts to check (default: all; see docs/validation.md)")
    v.add_argument("--seeds", type=_count(2), help="seeds to run (default: 5, or 3 with --quick)")
    v.add_argument("--out", type=_out_dir, default=Path("runs/validation"), metavar="DIR",
                   help="output directory for the report (validation.md) and its figures, under the same rules as "
                        "`nodding run --out` (default: runs/validation; the repository's docs/validation/ is the "
                        "full run, --out docs/validation)")


def _add_calibrate(commands) -> None:
    """`nodding calibrate`: fit parameters to the target file's statistics (nodding/calibration/)."""
    c = commands.add_parser("calibrate", help="fit parameters to published targets (Optuna) and draw the plausible set")
    c.add_argument("scenario", help="a scenario file or shipped scenario name")
    c.add_argument("--param", action="append", required=True, metavar="FIELD=LOW:HIGH",
                   help="a parameter and its range, e.g. decisions.fear_weight=0.5:1.5 (repeat)")
    c.add_argument("--targets", metavar="FILE", help="a target file (TOML; default: the shipped "
                   "nodding/facts/targets.toml, whose top explains the format)")
    c.add_argument("--fit", metavar="STATISTIC,...", help="the statistics to fit (default: the targets with "
                   "use = \"fit\")")
    c.add_argument("--trials", type=_count(1), default=48, metavar="N", help="Optuna trials (default 48)")
    c.add_argument("--batch", type=_count(1), default=8, metavar="B",
                   help="trials asked for at once and run in parallel (default 8; part of the design: another "
                        "batch size gives other trials)")
    c.add_argument("--samples", type=_count(0), default=64, metavar="S",
                   help="Sobol' points the plausible set is drawn from (default 64; 0: none)")
    c.add_argument("--replicates", type=_count(1), default=3, metavar="R", help="runs per point (default 3)")
    c.add_argument("--days", type=_count(60, TOP_LEVEL["days"].high), default=180, metavar="N",
                   help="reported days per run (default 180)")
    c.add_argument("--seed", type=_count(TOP_LEVEL["seed"].low, TOP_LEVEL["seed"].high), metavar="S",
                   help="seeds the replicates, the sampler and the Sobol' sample (default: the scenario's `seed`)")
    c.add_argument("--workers", type=_count(1, 1024), metavar="W", help="local worker processes (default: the cores)")
    c.add_argument("--dask", metavar="ADDRESS", help="a Dask scheduler address, or 'local' for a local Dask cluster")
    c.add_argument("--out", type=_out_dir, metavar="DIR", help="output directory (default: runs/calibrate-<scenario>)")
    c.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def run_calibration(args) -> int:
    """`nodding calibrate`: check everything, run through the resumable cache, write --out all-or-nothing."""
    from .calibration import plan, run_plan
    from .calibration.outputs import write_into
    from .experiments.design import DesignError, parse_params

    try:
        parameters = parse_params(args.param)
    except DesignError as err:
        raise UserError(f"--param {err}") from None
    fit = None if args.fit is None else [name.strip() for name in args.fit.split(",") if name.strip()]
    if fit == []:
        raise UserError("--fit: name at least one statistic to fit, e.g. --fit acceptance.predicted (or leave "
                        "--fit out to fit the targets with use = \"fit\")")
    calibration = plan(args.scenario, parameters, args.targets, fit, args.trials, args.batch, args.samples,
                       args.replicates, args.days, args.seed)
    out = check_out_option(args.out or Path("runs") / f"calibrate-{calibration.scenario.name}")
    result, status = run_resumable(args, out, calibration.key, lambda **run: run_plan(calibration, **run), write_into)
    if result is None:
        return status
    if not args.quiet:
        best = result.points[result.points["point"] == result.best].iloc[0]
        print("best: " + ", ".join(f"{n} = {best[n]:.4g}" for n in calibration.parameters) + f" (loss {best['loss']:.3g})")
        for name in result.misses():
            print(f"no trial within tolerance for {name}")
        if calibration.samples:
            print(f"plausible set: {len(result.plausible)} of {calibration.samples} sampled points")
        print(f"{result.settings['runs']:,} runs ({result.settings['reused_runs']:,} reused from the cache) in {result.settings['wall_seconds']:.0f} s. Report: {out / 'report.md'}; "
              f"calibrated scenario: {out / 'calibrated.toml'}")
    return 0


def _list_scenarios() -> int:
    for name in available():
        description = " ".join(Scenario.named(name)["description"].split())
        print(f"{name:26} {description}")
    return 0


# ---------------------------------------------------------------- experiments: compare, sweep, sensitivity
EXPERIMENTS = ("compare", "sweep", "sensitivity")
RUN_FAILED = 1


def add_experiment_commands(commands) -> None:
    """`nodding compare`, `nodding sweep`, `nodding sensitivity` (nodding.experiments)."""
    def common(p, replicates: int):
        p.add_argument("--replicates", type=_count(1), default=replicates, metavar="R",
                       help=f"runs per scenario or point, replicate r with the same seed everywhere (default {replicates})")
        p.add_argument("--days", type=_count(TOP_LEVEL["days"].low, TOP_LEVEL["days"].high), metavar="N",
                       help="days per run (default: the scenario's `days`)")
        p.add_argument("--seed", type=_count(TOP_LEVEL["seed"].low, TOP_LEVEL["seed"].high), metavar="S", help="master seed of the replicate seeds (default: the scenario's `seed`)")
        p.add_argument("--window", type=_count(1), metavar="DAYS",
                       help="outcomes are averaged over the last DAYS days (default 30, or all days if fewer)")
        p.add_argument("--workers", type=_count(1, 1024), metavar="W", help="local worker processes (default: the number of cores)")
        p.add_argument("--dask", metavar="ADDRESS",
                       help="run on a Dask scheduler at ADDRESS (tcp://host:8786), or 'local' for a local Dask cluster")
        p.add_argument("--out", type=Path, metavar="DIR", help="output directory (default: runs/<command>-<scenario>)")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = commands.add_parser("compare", help="replicated comparison of scenarios with the first (the baseline)")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="the baseline first, then the scenarios to compare with it")
    p.add_argument("--over", type=Path, metavar="FILE",
                   help="run every scenario with each of the plausible parameter sets in FILE (a .csv or .parquet "
                        "from `nodding calibrate`: one row per set, one column per field, e.g. "
                        "decisions.fear_weight); the effects' 95%% intervals then include the spread across the "
                        "sets as well as the simulation's randomness")
    p.add_argument("--sets", type=_count(2), metavar="K",
                   help="with --over: run the first K sets of FILE (default: all, at most 10)")
    common(p, 10)
    p = commands.add_parser("sweep", help="run a scenario over a grid of parameter values")
    p.add_argument("scenario", help="a scenario file or shipped scenario name")
    p.add_argument("--vary", action="append", required=True, metavar="FIELD=LOW:HIGH:STEPS",
                   help="a field to vary, e.g. decisions.fear_weight=0.5:1.5:5 (repeat for a grid)")
    common(p, 5)
    p = commands.add_parser("sensitivity", help="Sobol' or Morris sensitivity analysis (SALib)")
    p.add_argument("scenario", help="a scenario file or shipped scenario name")
    p.add_argument("--param", action="append", required=True, metavar="FIELD=LOW:HIGH",
                   help="a parameter and its range, e.g. decisions.fear_weight=0.5:1.5 (repeat)")
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol", help="default sobol")
    p.add_argument("--n", type=_count(2), help="SALib base sample size (sobol: a power of two, default 64; "
                   "morris: trajectories, default 10)")
    common(p, 1)


def run_resumable(args, out: Path, key: str, run, write_into):
    """Run an experiment or calibration through its resumable cache (beside `out`) and write `out` all-or-nothing.

    Parameters
    ----------
    args : argparse.Namespace
        `workers`, `dask` and `quiet` of the command line.
    out : Path
        The checked output directory.
    key : str
        Names the cache: `.<out>.cache-<key>`, so the same command resumes from it.
    run : callable
        `run(workers=, dask=, executor=, cache=, progress=)` -> the result.
    write_into : callable
        `write_into(result, directory)`.

    Returns
    -------
    tuple
        (result, None), or (None, exit status) after a failed or interrupted run (said on stderr).
    """
    from .experiments.cache import kept_runs
    from .experiments.execute import ExecutorError, RunFailed, make_executor
    from .output import atomic_directory

    cache = out.parent / f".{out.name}.cache-{key}"
    try:
        with make_executor(args.workers, args.dask) as executor, atomic_directory(out) as tmp:
            result = run(workers=args.workers, dask=args.dask, executor=executor, cache=cache,
                         progress=False if args.quiet else None)
            write_into(result, tmp)
    except ExecutorError as err:
        raise UserError(str(err)) from None
    except RunFailed as err:
        print(f"error: {err}", file=sys.stderr)
        return None, RUN_FAILED
    except KeyboardInterrupt:
        print(f"interrupted: nothing was written to {out}; {kept_runs(cache)} finished runs are kept in {cache} "
              "and the same command resumes from them", file=sys.stderr)
        return None, 130
    shutil.rmtree(cache, ignore_errors=True)
    return result, None


def run_experiment(args) -> int:
    """Check everything (scenarios, fields, ranges, Dask address, output directory) before simulating,
    then run through the resumable cache and write --out all-or-nothing."""
    from .experiments.design import DesignError
    from .experiments.experiment import run_design
    from .experiments.report import write_into
    from .experiments.wording import runs_words

    try:
        design = experiment_design(args)
    except DesignError as err:
        raise UserError(str(err)) from None
    out = check_out_option(args.out or Path("runs") / f"{args.command}-{design.baseline.name}")
    result, status = run_resumable(args, out, design.key, lambda **run: run_design(design, **run), write_into)
    if result is None:
        return status
    if not args.quiet:
        print(f"{runs_words(result.settings, 'reused from the cache')} in {result.settings['wall_seconds']:.0f} s. "
              f"Report: {out / 'report.md'}")
    return 0


def experiment_design(args):
    """The experiment the command line asks for, built (and checked) once, before any simulation.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed `nodding compare`, `sweep` or `sensitivity` arguments.

    Returns
    -------
    nodding.experiments.design.Design
    """
    from .experiments import design as d

    common = dict(replicates=args.replicates, days=args.days, seed=args.seed, window=args.window)
    if args.command == "compare":
        return d.compare_design([Scenario.named(s) for s in args.scenarios], **common, over=args.over, sets=args.sets)
    base = Scenario.named(args.scenario)
    if args.command == "sweep":
        return d.sweep_design(base, d.parse_vary(args.vary), **common)
    n = args.n or (64 if args.method == "sobol" else 10)
    return d.sensitivity_design(base, d.parse_params(args.param), args.method, n, **common)
