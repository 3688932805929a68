"""The `nodding` command line (also `python -m model`).

    nodding run SCENARIO [--days N] [--seed S] [--out DIR] [--quiet]
    nodding scenarios

User errors (a bad flag, a broken scenario file, an unusable output directory)
print one line on stderr and exit with status 2 -- never a traceback, never a
partial output directory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from model import __version__
from .output import OutputError, write_run
from model.scenario import Scenario, ScenarioError, available

USER_ERROR = 2


class UserError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage + message
        raise UserError(f"{self.prog}: {message} (see {self.prog} --help)")


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum} (got {text!r})") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be a whole number of at least {minimum} (got {text!r})")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nodding", description="Nodding Terms: small everyday interactions and belonging.")
    parser.add_argument("--version", action="version", version=f"nodding {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help="run one scenario and write its results")
    run.add_argument("scenario", help="a scenario file, or the name of a shipped scenario (see `nodding scenarios`)")
    run.add_argument("--days", type=_count(1), help="days to simulate (default: the scenario's `days`)")
    run.add_argument("--seed", type=_count(0), help="random seed (default: the scenario's `seed`)")
    run.add_argument("--out", type=Path, help="output directory (default: runs/<scenario name>)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary table")
    commands.add_parser("scenarios", help="list the shipped scenarios and the question each answers")
    _add_validate(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "scenarios":
            return _list_scenarios()
        if args.command == "validate":
            from .validate import run_command
            return run_command(args)
        return _run(args)
    except (UserError, ScenarioError, OutputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return USER_ERROR
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130
    except OSError as err:  # e.g. a full disk: not the user's fault, but no traceback either
        print(f"error: could not write results ({err}); nothing was written", file=sys.stderr)
        return 1


def _run(args) -> int:
    from tqdm import tqdm

    from model.town import Town

    scenario = Scenario.named(args.scenario)
    days = args.days or scenario["days"]
    seed = scenario["seed"] if args.seed is None else args.seed
    out = args.out or Path("runs") / scenario.name
    started = time.perf_counter()
    town = Town(scenario, seed=seed)
    show = not args.quiet and sys.stderr.isatty()
    with tqdm(total=days, unit="day", desc=scenario.name, disable=not show, leave=False) as bar:
        town.run(days, progress=bar.update)
    seconds = time.perf_counter() - started
    meta = {"scenario": scenario.name, "source": scenario.source, "seed": seed, "days": days,
            "residents": scenario["population.size"], "wall_seconds": round(seconds, 2), "version": __version__}
    write_run(town, out, meta)
    if not args.quiet:
        print(summary_table(town.daily, scenario))
        print(f"\n{days} days, {scenario['population.size']:,} residents, seed {seed}: {seconds:.1f} s. Results in {out}/")
    return 0


def summary_table(daily, scenario) -> str:
    """Start versus end of the run, in plain words."""
    first, last = daily.iloc[: min(7, len(daily))].mean(), daily.iloc[-min(7, len(daily)):].mean()
    n = scenario["population.size"]
    rows = [
        ("mean belonging (0-1)", "mean_belonging", 1), ("lonely share", "lonely_share", 1),
        ("strong ties per resident", "mean_strong_ties", 1), ("weak ties per resident", "mean_weak_ties", 1),
        ("familiar faces per resident", "mean_familiar_faces", 1), ("fear of rejection (0-1)", "mean_fear", 1),
        ("expected acceptance of strangers", "mean_expected_acceptance", 1),
        ("actual acceptance of strangers", "acceptance_rate_strangers", 1),
        ("nods per resident per day", "interactions_nod", n), ("greetings per resident per day", "interactions_greeting", n),
        ("chats per resident per day", "interactions_chat", n), ("help per resident per day", "interactions_help", n),
    ]
    lines = [f"{'':34} {'first week':>11} {'last week':>11}"]
    lines += [f"{label:34} {first[col] / per:11.3f} {last[col] / per:11.3f}" for label, col, per in rows]
    return "\n".join(lines)


def _add_validate(commands) -> None:
    """`nodding validate`: the stylized facts and survey targets across seeds (nodding/validate.py)."""
    v = commands.add_parser("validate", help="check the stylized facts and survey targets across seeds")
    v.add_argument("--quick", action="store_true", help="3 seeds, 90 days (about a minute on a quiet machine)")
    v.add_argument("--facts", help="comma-separated facts to check (default: all; see docs/validation.md)")
    v.add_argument("--seeds", type=_count(2), help="seeds to run (default: 5, or 3 with --quick)")
    v.add_argument("--out", type=Path, default=Path("docs/validation.md"),
                   help="markdown report; plots go in a folder of the same name (default: docs/validation.md)")


def _list_scenarios() -> int:
    for name in available():
        description = " ".join(Scenario.named(name)["description"].split())
        print(f"{name:26} {description}")
    return 0
