"""The What-if page's comparison without its view: what the visitor chose and typed, its checks, the run.

Plain Python (no Solara), so the rules are tested without a browser; the page (`whatif.py`)
holds one `Setup` per session and draws it. `Setup` is the page's input as one immutable
value (baseline, shipped changes, the run's settings, the composed changes and the compose
form): every edit returns a new Setup with its messages worked out. `plan` turns a valid
Setup into the scenarios to run, `run` hands them to `nodding.experiments.compare` in a
worker process and reports each finished run.

Days count from 0 (day 0 is the first simulated day), as in the scenario files and reports.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Callable

from nodding import Scenario, ScenarioError
from nodding.experiments.design import DEFAULT_WINDOW

from . import compose
from .session import SCENARIOS, parse_number, question
from .text import problem_text, scenario_name, t

CHOICES = tuple(name for name in SCENARIOS if name != "classroom")  # every other one is the baseline plus one change
WORKERS = 1  # one simulation process: the other core keeps the page (and other visitors) responsive
LIMITS = {"replicates": (2, 50), "days": (1, 730), "population": (50, 20_000)}


class CannotRun(Exception):
    """Why a comparison that passed the fields' checks cannot run, in the page's language."""


@functools.cache
def scenario_named(name: str) -> Scenario:
    return Scenario.named(name)


def first_start(names, composed=()) -> int | None:
    """The first day on which any of these scenarios' or composed changes applies (None: no changes)."""
    starts = [iv["start"] for name in names for iv in scenario_named(name).interventions.values() if "start" in iv]
    starts += [c.spec["start"] for c in composed]
    return min(starts) if starts else None


@dataclass(frozen=True)
class Setup:
    """Everything typed or chosen on the What-if page, with the messages it earns."""

    baseline: str = "baseline"
    changes: tuple[str, ...] = ("community_centre_closes",)  # shipped scenarios compared with the baseline
    texts: dict = field(default_factory=lambda: {"replicates": "5", "days": "150", "population": "500"})
    errors: dict = field(default_factory=dict)        # settings field -> message
    composed: tuple[compose.Change, ...] = ()         # changes composed on the page, in the order added
    kind: str = "close_place"                         # the kind of change the form composes
    form: dict | None = None                          # the form's texts (None: the kind's example, untouched)
    form_errors: dict = field(default_factory=dict)   # form field -> message

    # ---------------------------------------------------------------- reading
    def settings(self) -> tuple[dict | None, dict[str, str]]:
        """Replicates, days and population as whole numbers within LIMITS, or a message per bad field."""
        values, bad = {}, {}
        for key, (low, high) in LIMITS.items():
            value = parse_number(self.texts.get(key, ""))
            if not isinstance(value, int) or not low <= value <= high:
                bad[key] = f"must be a whole number from {low:,} to {high:,} (got {self.texts.get(key)!r})"
            values[key] = value
        return (None, bad) if bad else (values, {})

    def horizon(self) -> int | None:
        """The run's length in days, if that field is valid."""
        days = parse_number(self.texts.get("days", ""))
        low, high = LIMITS["days"]
        return days if isinstance(days, int) and low <= days <= high else None

    def form_texts(self) -> dict[str, str]:
        return self.form if self.form is not None else compose.blank(self.kind, scenario_named(self.baseline))

    def shipped(self) -> list[str]:
        """The shipped scenarios to run: the baseline first, then the changes."""
        return [self.baseline] + [c for c in self.changes if c != self.baseline]

    def blocked(self) -> bool:
        """Whether something on the page is not valid yet: then nothing runs."""
        days = self.horizon()
        return bool(self.errors or (self.form is not None and self.form_errors)
                    or (days is not None and any(c.outside(days) for c in self.composed)))

    def can_run(self) -> bool:
        return bool(self.changes or self.composed) and not self.blocked()

    def too_short(self) -> str | None:
        """A warning when the effects would be measured (the last 30 days) before a change starts."""
        start, days = first_start(self.shipped(), self.composed), parse_number(self.texts.get("days", ""))
        if start is not None and isinstance(days, int) and days < start + DEFAULT_WINDOW:
            return t("wi_too_short", start=start, days=start + DEFAULT_WINDOW)
        return None

    def notes(self) -> list[str]:
        """Each scenario compared, with what it asks."""
        return ([t("wi_scenario_note", name=scenario_name(name), description=question(name))
                 for name in [self.baseline, *self.changes]]
                + [t("wi_scenario_note", name=c.label(), description=t(f"ce_{c.kind}")) for c in self.composed])

    # ---------------------------------------------------------------- editing: each returns a new Setup
    def with_setting(self, key: str, text: str) -> Setup:
        new = replace(self, texts={**self.texts, key: text or ""})
        new = replace(new, errors=new.settings()[1])
        return new.checked_form() if key == "days" and new.form is not None else new

    def with_baseline(self, name: str) -> Setup:
        new = replace(self, baseline=name)
        return new.checked_form() if new.form is not None else new

    def with_changes(self, names) -> Setup:
        return replace(self, changes=tuple(names))

    def with_kind(self, kind: str) -> Setup:
        """A fresh form for this kind of change (also: 'Start again')."""
        return replace(self, kind=kind, form=None, form_errors={})

    def with_form_field(self, key: str, text) -> Setup:
        return replace(self, form={**self.form_texts(), key: "" if text is None else text}).checked_form()

    def checked_form(self) -> Setup:
        """The form with a message under each bad field (the scenario's own rules)."""
        return replace(self, form_errors=self._form_change()[1])

    def with_change_added(self) -> Setup:
        """The form's change added to the list, and a fresh form; else the form's messages shown."""
        tried = replace(self, form=self.form_texts())  # tried: from now on its messages count, even if untouched
        change, bad = tried._form_change()
        if change is None:
            return replace(tried, form_errors=bad)
        return replace(tried, composed=(*self.composed, change), form=None, form_errors={})

    def without_change(self, name: str) -> Setup:
        return replace(self, composed=tuple(c for c in self.composed if c.name != name))

    def _form_change(self) -> tuple[compose.Change | None, dict[str, str]]:
        return compose.check(self.kind, self.form_texts(), scenario_named(self.baseline), self.horizon(),
                             self.composed)


@dataclass(frozen=True)
class Plan:
    """The scenarios to run (the baseline first, each at the chosen population) and how."""

    scenarios: list[Scenario]
    replicates: int
    days: int
    composed: dict  # scenario name -> compose.Change, to tell the result in the page's words

    @property
    def runs(self) -> int:
        return len(self.scenarios) * self.replicates


def plan(setup: Setup) -> Plan | None:
    """The comparison a valid Setup asks for; None when the page already says why nothing runs.

    Raises CannotRun when the fields are valid but the comparison still cannot run (the changes
    start after the last simulated day, or the scenarios reject the population)."""
    settings, bad = setup.settings()
    if bad or setup.blocked():
        return None
    names = setup.shipped()
    own = [c for c in setup.composed if c.name not in names]
    if len(names) + len(own) < 2:
        return None
    start, days = first_start(names, own), settings["days"]
    if start is not None and start > days - 1:
        raise CannotRun(t("wi_no_change", start=start, last=days - 1, days=start + 1))
    base = scenario_named(setup.baseline)
    try:
        scenarios = [scenario_named(n) for n in names] + [c.scenario(base) for c in own]
        scenarios = [s.with_values({"population.size": settings["population"]}) for s in scenarios]
    except ScenarioError as err:
        raise CannotRun(t("wi_failed", error=problem_text(err.problem))) from err
    return Plan(scenarios, settings["replicates"], days, {c.name: c for c in own})


@dataclass(frozen=True)
class Result:
    """A finished comparison (`nodding.experiments.compare`'s result) and the composed changes in it."""

    outcome: object
    composed: dict


class CountingExecutor:
    """Hands runs to a real executor and reports each finished one (the runner's own bar is a terminal bar)."""

    def __init__(self, executor, done):
        self.executor, self.done = executor, done

    def submit(self, fn, *args, **kwargs):
        future = self.executor.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda _: self.done())
        return future


def run(plan: Plan, finished: Callable[[int, int], None] = lambda done, total: None) -> Result:
    """Run the plan in a worker process; `finished(done, total)` after each run.

    Raises CannotRun, in the page's language, when the runner fails."""
    from nodding.experiments import compare, make_executor  # scipy and more: loaded on first use, not at start-up

    count = [0]

    def one_done():
        count[0] += 1
        finished(count[0], plan.runs)

    try:
        with make_executor(workers=WORKERS) as pool:
            outcome = compare(plan.scenarios, replicates=plan.replicates, days=plan.days,
                              window=min(DEFAULT_WINDOW, plan.days), executor=CountingExecutor(pool, one_done),
                              progress=False)
    except (ScenarioError, ValueError, RuntimeError, OSError) as err:  # shown on the page, never a traceback
        raise CannotRun(t("wi_failed", error=err)) from err
    return Result(outcome, plan.composed)
