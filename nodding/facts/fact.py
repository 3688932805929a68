"""What a stylized fact is (`Fact`: targets, a measure, a plot) and how a measurement is judged.

A `Target` is one row of the report: what is measured, the target as its source states it, and
the pass band (or direction) we hold the mean over seeds to. A `Fact` groups the targets that
share a source with the function measuring them on one seed's run and the function drawing them.
Measuring a fact on several seeds gives a `CheckedFact`: one `Measured` row per target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["Target", "Fact", "Measured", "CheckedFact"]


@dataclass(frozen=True)
class Target:
    """One measure of a fact and the band its mean over seeds must fall in.

    `low`/`high` bound the mean (inclusive; None: open). A `direction` (-1 or +1) instead asks
    the whole 95% interval to lie below or above zero. `value` is the source's own number, where
    it gives one (plots draw it); `stated` is the target as the report prints it, tolerance included.
    """

    key: str
    measure: str
    stated: str
    low: float | None = None
    high: float | None = None
    direction: int = 0
    value: float | None = None
    digits: int = 3
    statistic: str = ""  # "fact.key": the name target files and `nodding calibrate` use
    source: str = ""
    use: str = "check"  # in a calibration: "fit", "construction" or "check" (targets.py)

    def tolerance(self) -> str:
        """The pass rule in words, e.g. "mean in [0.3, 0.5]" or "95% CI above 0"."""
        if self.direction:
            return "95% CI " + ("below 0" if self.direction < 0 else "above 0")
        if self.low is not None and self.high is not None:
            return f"mean in [{self.low:g}, {self.high:g}]"
        return f"mean ≥ {self.low:g}" if self.low is not None else f"mean ≤ {self.high:g}"


@dataclass(frozen=True)
class Fact:
    """One stylized fact: its statistics and their targets, how one seed's run measures them, how they are drawn.

    `measure(run)` returns one number per statistic key for one seed's `SeedRun`; `plot(fact, runs,
    axes)` draws the fact on two matplotlib axes side by side. `targets` hold the statistics to
    the shipped target file (`targets.toml`), one per statistic, in the same order. `why_it_fails`
    is printed under the fact's section of the report when it fails (docs/model.md section 9).
    """

    name: str
    title: str
    source: str
    statistics: tuple
    measure: Callable
    plot: Callable
    needs_challenge: bool = False  # also run the kindness challenge on top of the scenario
    needs_followed: bool = False  # follow residents day by day (`Town.follow`)
    needs_year: bool = False  # run the scenario's town for a year, whatever the run's length (`runs.YEAR`)
    residents: int = 0  # measure on towns of at least this many residents (the scenario scaled up, `runs.at_least`)
    why_it_fails: str = ""
    targets: tuple[Target, ...] = ()

    def target(self, key: str) -> Target:
        """The target named `key`."""
        for t in self.targets:
            if t.key == key:
                return t
        raise KeyError(f"fact {self.name!r} has no target {key!r}")

    def check(self, runs: list) -> CheckedFact:
        """Measure every target on each seed's run.

        Parameters
        ----------
        runs : list of SeedRun
            One per seed (`nodding.facts.runs.run_seed`).

        Returns
        -------
        CheckedFact
            One `Measured` row per target, in the order the targets are declared.
        """
        per_seed = [self.measure(run) for run in runs]
        keys = [t.key for t in self.targets]
        if any(not set(keys) <= set(values) for values in per_seed):
            raise ValueError(f"fact {self.name!r}: the measure must return every target's statistic {keys}")
        return CheckedFact(self, [Measured(t, [float(v[t.key]) for v in per_seed]) for t in self.targets], runs=runs)


@dataclass
class Measured:
    """A target measured on each seed: mean, 95% interval over seeds, verdict."""

    target: Target
    values: list[float]

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def half_width(self) -> float:
        """Half-width of the 95% confidence interval of the mean (Student t over seeds)."""
        n = len(self.values)
        if n < 2:
            return float("nan")
        from scipy import stats
        return float(stats.t.ppf(0.975, n - 1) * np.std(self.values, ddof=1) / math.sqrt(n))

    @property
    def passed(self) -> bool:
        t = self.target
        if t.direction:
            if math.isnan(self.half_width):
                return bool(t.direction * self.mean > 0)
            return bool(t.direction * (self.mean - t.direction * self.half_width) > 0)
        return (t.low is None or self.mean >= t.low) and (t.high is None or self.mean <= t.high)

    def measured(self) -> str:
        """Mean ± half-width, to the target's digits."""
        d = self.target.digits
        return f"{self.mean:.{d}f} ± {self.half_width:.{d}f}"


@dataclass
class CheckedFact:
    """A fact measured across seeds; `plot` is the report-relative path of its figure, once drawn."""

    fact: Fact
    rows: list[Measured]
    plot: str | None = None
    runs: list | None = None  # the runs it was measured on (its figure draws them)

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def title(self) -> str:
        return self.fact.title

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.rows)
