"""Experiments: replicated what-if comparisons, parameter sweeps and sensitivity analysis.

    from nodding.experiments import compare, sweep, sensitivity
    result = compare(["baseline", "community_centre_closes"], replicates=20)
    result.effects          # each scenario minus the baseline, paired and unpaired, with 95% CIs
    result.write("runs/closure")

The application layer's runner: it imports `model`, never the reverse. Modules:
`design` (what runs, replicate seeds), `execute` (workers, executors, the resumable
store), `summarise` (means, CIs, effects, indices), `report` (plots, report.md),
`experiment` (the three experiments and their result objects).
"""

from .design import DesignError, RunSpec, parse_range, replicate_seeds
from .execute import ExecutorError, RunFailed, execute, make_executor, run_one
from .experiment import CompareResult, ExperimentResult, SensitivityResult, SweepResult, compare, sensitivity, sweep
from .summarise import METRICS, effects, pairing_ratio, run_means, summary

__all__ = ["compare", "sweep", "sensitivity", "CompareResult", "SweepResult", "SensitivityResult", "ExperimentResult",
           "DesignError", "ExecutorError", "RunFailed", "RunSpec", "parse_range", "replicate_seeds", "execute",
           "make_executor", "run_one", "METRICS", "effects", "pairing_ratio", "run_means", "summary"]
