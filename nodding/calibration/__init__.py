"""Calibration: fit parameters to published targets, and draw the plausible set (`nodding calibrate`).

    from nodding.calibration import calibrate
    result = calibrate("baseline", {"decisions.fear_weight": (0.5, 1.5), "liking.gap": (0.02, 0.1)})
    result.scenario          # the calibrated scenario (run it, compare it, validate it)
    result.plausible         # the parameter sets that meet every fitted target: `compare --over`
    result.write("runs/calibrate-baseline")

The targets are the statistics `nodding validate` measures, read from the same target file
(`nodding/facts/targets.toml`, or a user's in its format). Modules: `fit` (the miss per target,
the loss, "within tolerance"), `search` (the plan, the Optuna search in batches through the
experiments' executor and cache, the plausible set by rejection), `outputs` (tables, figures,
the calibrated scenario file and report.md). docs/calibration.md explains the method.
"""

from .search import Calibration, CalibrationError, Plan, calibrate, plan, run_plan

__all__ = ["Calibration", "CalibrationError", "Plan", "calibrate", "plan", "run_plan"]
