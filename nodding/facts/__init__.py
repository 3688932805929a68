"""The stylized facts of DESIGN.md and the Dutch survey targets, checked across seeds (`nodding validate`).

    nodding validate [--quick] [--facts NAME,...] [--seeds N] [--out DIR]

Not to be confused with checking a scenario file (`Scenario.load`, `ScenarioError`): this package
measures whether the model reproduces published findings.

Every fact is measured in the *steady state*: default towns start mature (the warm-up,
docs/model.md section 5) and each measure is taken over the reported run, not on one tuned day.
Each row of the report is one target: its value per seed, the mean over seeds with a 95%
confidence interval (Student t over seeds), and a verdict against a stated tolerance. A row
passes when the mean lies inside the tolerance band (or, for a direction, when the whole 95%
interval lies on the right side of zero). Tolerances are ours unless the source gives one; they
are written next to the target, never hidden. Writes the directory `runs/validation/` (or
`--out`, all-or-nothing like every nodding output; the repository's docs/validation/ is the full
run, `--out docs/validation`): `validation.md`, the table, beside one plot per fact.

`--quick`: 3 seeds, 90 reported days (month 3 stands in for month 12 in the steady-state rows);
the full run: 5 seeds, 365 days.

Modules: `fact` (what a fact and a target are, and the verdict), `table` (the facts, `FACTS`:
add a fact there), `runs` (the seeds' runs the facts are measured on), `report` (text table,
markdown, figures), `check` (the command, and the report's directory).
"""

from .check import check_facts, run_command
from .fact import CheckedFact, Fact, Measured, Target
from .report import markdown, text_table, verdict_table
from .table import FACT_NAMES, FACTS, fact_named

__all__ = ["FACTS", "FACT_NAMES", "fact_named", "Fact", "Target", "CheckedFact", "Measured", "check_facts",
           "verdict_table", "text_table", "markdown", "run_command"]
