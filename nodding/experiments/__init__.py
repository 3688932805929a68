"""Experiments: replicated what-if comparisons, parameter sweeps and sensitivity analysis.

    from nodding.experiments import compare, sweep, sensitivity
    result = compare(["baseline", "community_centre_closes"], replicates=20)
    result.effects          # each scenario minus the baseline, paired and unpaired, with 95% CIs;
                            # column `group`: "town", then groups of residents (summarise.group_effects)
    compare(["baseline", "community_centre_closes"], replicates=5, over="plausible.csv")  # over plausible sets
    result.write("runs/closure")

The application layer's runner: it imports `nodding.model`, never the reverse. Modules:
`design` (what runs, replicate seeds: a `Design`, built once), `execute` (workers,
executors), `cache` (the resume cache: finished runs checked against their code
and checksum), `summarise` (means, CIs, effects, indices), `wording`
(numbers, units and sentences of a report), `figures` (the plots), `report` (the output
folder: tables, figures, report.md), `experiment` (the three experiments, `run` of a
design, and the result objects).
"""

import importlib

from .design import Design, DesignError, RunSpec, parse_range, replicate_seeds
from .execute import Execution, ExecutorError, RunFailed, execute, make_executor, run_one, run_outputs

# The rest resolves lazily (PEP 562), so a worker process that unpickles `execute.run_one` does not
# import matplotlib, scipy and SALib, which only the parent needs: faster worker start-up.
_WHERE = {
    "CompareResult": "experiment", "ExperimentResult": "experiment", "SensitivityResult": "experiment",
    "SweepResult": "experiment", "compare": "experiment", "run_design": "experiment", "sensitivity": "experiment",
    "sweep": "experiment",
    "METRICS": "summarise", "effects": "summarise", "effects_over_sets": "summarise", "group_effects": "summarise",
    "hedges_g": "summarise", "pairing_ratio": "summarise",
    "run_means": "summarise",
    "summary": "summarise",
}
__all__ = ["Design", "DesignError", "RunSpec", "parse_range", "replicate_seeds", "Execution", "ExecutorError",
           "RunFailed", "execute", "make_executor", "run_one", "run_outputs", *sorted(_WHERE)]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
