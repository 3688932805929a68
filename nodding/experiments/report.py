"""An experiment's output folder: tables, figures and a report.md a policymaker can read without us.

`write(result, out)` fills a temporary directory and renames it into place
(`nodding.output.atomic_directory`), so an output directory is complete or absent. The words
come from wording.py, the figures from figures.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..output import atomic_directory
from . import figures, who, wording

__all__ = ["report_text", "write", "write_into"]


def write(result, out: Path) -> Path:
    """Every file of the result into `out`, all-or-nothing.

    Parameters
    ----------
    result : CompareResult, SweepResult or SensitivityResult
    out : Path
        New, empty, or an earlier output directory.

    Returns
    -------
    Path
        `out`.
    """
    out = Path(out)
    with atomic_directory(out) as tmp:
        write_into(result, tmp)
    return out


def write_into(result, directory: Path) -> None:
    """Every file of the result into an existing (temporary) directory."""
    directory = Path(directory)
    result.runs.to_parquet(directory / "runs.parquet", index=False)
    result.means.to_csv(directory / "run_means.csv", index=False)
    result.summary.to_csv(directory / "summary.csv", index=False)
    if result.effects is not None:
        result.effects.to_csv(directory / "effects.csv", index=False)
        groups = who.groups_table(result.effects)
        if len(groups):
            groups.to_csv(directory / "groups.csv", index=False)
    if result.indices is not None:
        result.indices.to_csv(directory / "indices.csv", index=False)
    scenarios = directory / "scenarios"
    scenarios.mkdir()
    for name, toml in result.scenarios.items():
        (scenarios / f"{name}.toml").write_text(toml, encoding="utf-8")
    (directory / "experiment.json").write_text(json.dumps(result.settings, indent=2, default=str) + "\n", encoding="utf-8")
    figures.draw(result, directory)
    (directory / "report.md").write_text(report_text(result), encoding="utf-8")


def report_text(result) -> str:
    """report.md: the question, the settings, the answer, the files and the caveats.

    Parameters
    ----------
    result : CompareResult, SweepResult or SensitivityResult

    Returns
    -------
    str
        Markdown.
    """
    s = result.settings
    over = s.get("over")
    lines = [f"# {wording.title(result)}", ""]
    if over:
        lines += [*wording.over_lines(result), ""]
    lines += ["## The question", "", wording.question(result), ""]
    lines += ["## Settings", ""]
    lines += [f"- {item}" for item in wording.settings_lines(result)]
    thresholds = [spec.values.get("belonging.lonely_below", s["lonely_below"]) for spec in result.design.specs]
    lines += ["", wording.definitions(min(thresholds), max(thresholds)), ""]
    lines += ["## The answer", ""]
    lines += wording.answer_lines(result)
    lines += ["", "## Files", "",
              "- `report.md` this page; `summary.csv` means with 95% CIs per scenario/point and metric; "
              + ("`effects.csv` effects against the baseline, paired and unpaired"
                 + (" in each plausible set, and over the sets (method `over plausible sets`, with the shares of "
                    "its variance from the sets and from randomness)" if over else
                    ", for the town (`group` town) and for each group of residents (paired by resident, with "
                    "Hedges' g); `groups.csv` the same by group, one row per scenario and group") + "; "
                 if result.effects is not None else "")
              + ("`indices.csv` sensitivity indices; " if result.indices is not None else "")
              + "`run_means.csv` one row per run (window means); `runs.parquet` every run x day (all daily columns).",
              "- `scenarios/` the full scenarios that ran"
              + (" (each plausible set's values replaced theirs)" if over else "") + "; `experiment.json` the settings and the code that made "
              "the runs; `run.json` the list of files and the code.",
              "", "## Caveats", "",
              "- The model's known limitations are listed in docs/model.md section 9; how well it reproduces "
              "published findings is in docs/validation.md (`nodding validate`). It is not a forecast: it shows "
              "how the mechanisms it models respond to a change, in a stylised neighbourhood.",
              _intervals_caveat(s), ""]
    return "\n".join(lines)


def _intervals_caveat(settings: dict) -> str:
    """What the report's intervals cover, and what they do not."""
    if not settings.get("over"):
        return (f"- Intervals describe the uncertainty from the simulation's randomness over {settings['replicates']} "
                "replicates, not the uncertainty of the model's assumptions.")
    over = settings["over"]
    return (f"- The intervals of the effects cover the simulation's randomness ({settings['replicates']} replicates "
            f"per set) and the spread of the effect across {over['sets']} plausible parameter sets: they are 95% "
            "prediction intervals for the effect under a plausible set drawn at random (a one-way random-effects "
            "model, `nodding.experiments.summarise.effects_over_sets`). They do not cover what made those sets "
            "plausible (the fields calibrated, their ranges and the targets they were calibrated to), the fields "
            "left at their defaults, nor the model's structure: its rules and what it leaves out. "
            f"With {over['sets']} sets, the spread across them is itself only roughly known.")

