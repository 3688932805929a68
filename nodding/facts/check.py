"""`nodding validate`: run the seeds, check the stylized facts, write the report."""

from __future__ import annotations

import time
from pathlib import Path

from dataclasses import replace

from nodding.model.scenario import Scenario

from ..errors import UserError
from ..output import atomic_directory, check_out_option, check_target
from ..provenance import code_fingerprint
from .fact import CheckedFact, Fact
from .report import draw, markdown, text_table
from .runs import CHALLENGE, at_least, run_seed, with_challenge
from .table import FACT_NAMES, FACTS, fact_named, load_targets, on_larger_towns

__all__ = ["REPORT", "check_facts", "run_command", "with_targets"]

REPORT = "validation.md"  # the report's name in the output directory, beside one figure per fact


def check_facts(facts: tuple[Fact, ...] = FACTS, seeds: int = 5, days: int = 365, out: Path | None = None,
                progress=None, scenario: Scenario | None = None) -> list[CheckedFact]:
    """Run seeds 1..`seeds` of the scenario, measure each fact on them, optionally write the report.

    Parameters
    ----------
    facts : tuple of Fact
        Default: all (`FACTS`), with the shipped targets (`with_targets` holds them to another file's).
    seeds : int
        Seeds to run; the 95% intervals are over seeds.
    days : int
        Reported days per seed (after the warm-up).
    out : Path, optional
        Output directory for the report (`validation.md`) and one figure per fact, written
        all-or-nothing under the rules of every nodding output (`nodding.output`), checked before
        the first seed runs.
    progress : callable, optional
        Called with each seed when its runs are done.
    scenario : Scenario, optional
        The town (default: the default baseline); the challenge fact runs the kindness challenge on top of it.

    Returns
    -------
    list of CheckedFact
        In the order of `facts`.

    Raises
    ------
    nodding.output.OutputError
        `out` cannot be written (before anything runs).
    """
    scenario = scenario or Scenario.default()
    challenge = any(f.needs_challenge for f in facts)
    if challenge:
        try:
            with_challenge(scenario)
        except ValueError as err:
            raise UserError(f"nodding validate: {err}; leave the challenge fact out (--facts)") from None
    if out is not None:
        out = check_target(out)
    larger = at_least(scenario, max((f.residents for f in facts), default=0))
    own, scaled = on_larger_towns(facts, scenario)
    runs, larger_runs = [], []
    for seed in range(1, seeds + 1):
        if own:
            runs.append(run_seed(scenario, seed, days, any(f.needs_challenge for f in own), any(f.needs_followed for f in own),
                                 any(f.needs_year for f in own)))
        if scaled:
            larger_runs.append(run_seed(larger, seed, days, False, False, any(f.needs_year for f in scaled)))
        if progress:
            progress(seed)
    checked = [f.check(larger_runs if f in scaled else runs) for f in facts]
    if out is not None:
        _write_report(checked, seeds, days, out, scenario, larger if scaled else None)
    return checked


def with_targets(facts: tuple[Fact, ...], targets: dict) -> tuple[Fact, ...]:
    """The facts with at least one target in `targets` (a target file's, `load_targets`), held to those targets.

    Parameters
    ----------
    facts : tuple of Fact
    targets : dict of str to Target
        Statistic name -> target.

    Returns
    -------
    tuple of Fact
        Each with the file's targets in place of the shipped ones (its other statistics keep theirs).
    """
    return tuple(replace(f, targets=tuple(targets.get(t.statistic, t) for t in f.targets))
                 for f in facts if any(s.name in targets for s in f.statistics))


def _write_report(checked: list[CheckedFact], seeds: int, days: int, out: Path, scenario: Scenario,
                  larger: Scenario | None) -> None:
    """The report and its figures into `out`, replacing an earlier one only when complete."""
    code = code_fingerprint()
    scaled = ", ".join(c.title.split(".")[0] for c in checked if c.fact.residents > scenario["population.size"])
    bigger = (f"; fact {scaled} on the same town with {larger['population.size']:,} residents (more neighbourhoods "
              "alike), as its groups are small" if larger else "")
    settings = (f"Settings: {seeds} seeds, {days} reported days per seed, {scenario['population.size']:,} "
                f"residents (`{scenario.name}`){bigger}; `{CHALLENGE}`'s campaign on top of it for fact 3. Made by code {code['code']} "
                f"(Python {code['python']}, numpy {code['numpy']}, numba {code['numba']}, Mesa {code['mesa']}; "
                "`nodding.provenance`).")
    meta = {"command": "validate", "scenario": scenario.name, "source": str(scenario.source),
            "facts": [c.name for c in checked], "seeds": seeds, "days": days}
    with atomic_directory(out, meta) as tmp:
        draw(checked, tmp)
        (tmp / REPORT).write_text(markdown(checked, settings) + "\n", encoding="utf-8")


def _chosen(text: str | None) -> tuple[Fact, ...]:
    """The facts named in `--facts` (all if not given)."""
    if not text:
        return FACTS
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in FACT_NAMES]
    if unknown or not names:
        raise UserError(f"nodding validate: --facts: unknown fact {unknown[0] if unknown else '(none)'!r} "
                        f"(allowed: {', '.join(FACT_NAMES)})")
    return tuple(fact_named(n) for n in names)


def run_command(args) -> int:
    """`nodding validate` (called from `nodding.cli`): check, print the verdicts, write the report.

    Parameters
    ----------
    args : argparse.Namespace
        `scenario`, `targets`, `quick`, `facts`, `seeds` and `out` (the output directory) of the command line.

    Returns
    -------
    int
        Exit status 0: failing facts are a finding, not an error.
    """
    facts = _chosen(args.facts)
    if args.targets:
        facts = with_targets(facts, load_targets(args.targets))
        if not facts:
            raise UserError(f"nodding validate: {args.targets} has no target for the facts chosen")
    scenario = Scenario.named(args.scenario)
    seeds = args.seeds or (3 if args.quick else 5)
    days = 90 if args.quick else 365
    out = check_out_option(args.out)  # here too, for the one-line error naming --out
    started = time.perf_counter()
    checked = check_facts(facts, seeds, days, out=out, progress=lambda s: print(f"seed {s} done", flush=True),
                          scenario=scenario)
    print(text_table(checked))
    failed = [c.name for c in checked if not c.passed]
    print(f"\n{len(checked) - len(failed)} of {len(checked)} facts pass"
          + (f"; failing: {', '.join(failed)}" if failed else "")
          + f" ({seeds} seeds, {days} days, {time.perf_counter() - started:.0f} s). Report: {out / REPORT}")
    return 0
