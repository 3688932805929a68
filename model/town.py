"""The Town: a Mesa model whose step is one day of small everyday interactions.

The Town builds the town (residents, places, routines, seeded ties) from the scenario and one
seeded generator, owns the arrays, the interventions and Mesa's `DataCollector`, lives the
warm-up (`warmup`) and then one day per `step()`. What a day does, in which order, is the stage
list in `day.py` (`Town.stages()`); what one can read out of a town is in `readouts.py`.

Example
-------
>>> town = Town(scenario="classroom", seed=3)
>>> town.run(days=7)
>>> len(town.daily)
7
"""

from __future__ import annotations

import numbers
import signal
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import mesa
from mesa.experimental.scenarios import Scenario as MesaScenario
import networkx as nx
import numpy as np
import pandas as pd

from . import belonging, groups, readouts
from .day import describe, live_day, stage_names
from .interventions import build_interventions
from .life import Life
from .metrics import COLUMNS, LonelyDays
from .panel import Panel
from .parameters import TOP_LEVEL
from .places import build_places, scaled_places
from .randomness import RandomSource
from .residents import ResidentView, draw_residents
from .routines import build_routines
from .scenario import Scenario, ScenarioError
from .ties import Ties, seed_strong_ties
from .warmup import fast_forwarded, speed_on

__all__ = ["SMALL_TOWN", "Town", "TownInterrupted"]

SMALL_TOWN = 200  # at or below this size the event log and histories are on by default


class TownInterrupted(RuntimeError):
    """A day stopped half-way (an error, or Ctrl-C in the middle of a day): the town cannot go on."""


class Town(mesa.Model):
    """A neighbourhood (or city) of residents; one `step()` is one day.

    Parameters
    ----------
    scenario : Scenario, path or shipped name, optional
        Defaults to the baseline neighbourhood. Kept as `town.config`.
    seed : int, optional
        Defaults to the scenario's `seed`. A run is fully determined by (scenario, seed).
    log_events : bool, optional
        Keep a log of every started interaction (default: on for towns of at most 200).
    panel : bool, optional
        Keep the per-resident weekly panel (`panel_frame`; default off).
    **values
        Dotted field overrides, e.g. ``Town(**{"population.size": 500})``; this
        is how Mesa's SolaraViz rebuilds the model from its controls.
    """

    def __init__(self, scenario: Scenario | str | Path | None = None, seed: int | str | None = None, *,
                 log_events: bool | None = None, panel: bool = False, **values):
        if scenario is None or isinstance(scenario, MesaScenario):
            # SolaraViz's Reset passes Mesa's own (empty) Scenario: build the default
            scenario = Scenario.default()
        elif not isinstance(scenario, Scenario):
            scenario = Scenario.named(scenario)
        if values:
            scenario = scenario.with_values(values)
        seed = scenario["seed"] if seed is None else _as_seed(seed)
        super().__init__(rng=seed)
        # Mesa 3.5 reserves `model.scenario` for its experimental Scenario class,
        # which SolaraViz relies on; ours is `config`.
        self.config = s = scenario
        self.seed = seed
        # the town is built from `self.rng`; every draw of a day is common random numbers (model/randomness.py)
        self.random_source = RandomSource(seed)
        n = s["population.size"]
        self.residents = draw_residents(s, n, self.rng)
        n_hoods = int(self.residents.neighbourhood.max()) + 1
        # a home for every resident: households use the first ones, the rest wait for newcomers (model/life.py)
        household_hood = np.array(self.residents.neighbourhood)
        household_hood[self.residents.household] = self.residents.neighbourhood
        per_hood = scaled_places(s.places, n / (n_hoods * s["population.neighbourhood_size"]))
        self.places = build_places(per_hood, n_hoods, household_hood, self.rng)
        self.routines = build_routines(self.residents, self.places, s, self.rng)
        self.ties = Ties.for_scenario(n, s)
        seed_strong_ties(self.ties, self.residents.household, self.residents.neighbourhood, s, self.rng)
        counts = self.ties.counts()
        self.residents.support[:] = belonging.perceived_support(counts["strong_ties"], counts["weak_ties"], s)
        self.residents.belonging[:] = belonging.starting_belonging(self.residents, s)
        self.residents.felt_belonging[:] = self.residents.belonging
        self.interventions = build_interventions(s)
        self.life = Life(self)
        self.lonely_days = LonelyDays(n, s["belonging.lasting_days"])
        groups.check_town_targets(self)  # a target that selects nobody: refused before the first day
        self.panel = Panel(n) if panel else None
        self.day = 0
        self.whereabouts = np.tile(self.routines.home, (4, 1))
        self.log_events = n <= SMALL_TOWN if log_events is None else log_events
        self.diary = readouts.Diary(followed=np.arange(n) if n <= SMALL_TOWN else np.zeros(0, dtype=np.int64))
        self.today: dict = {}
        self.datacollector = mesa.DataCollector(model_reporters={c: partial(_today_value, column=c) for c in COLUMNS if c != "day"})
        self._clock: dict | None = None  # seconds per stage while `time_stages` runs
        if s["warmup"]:
            self._warm_up(s["warmup"], s["warmup_speed"])
        # Mesa 3.5 runs `step` as a scheduled event and drops that event if the day raises, after which
        # every later step() silently does nothing. Guard Mesa's step: a half-done day is refused loudly.
        self._interrupted_day: int | None = None
        self._mesa_step = self.step
        self.step = self._checked_step

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        """One day. (Called through Mesa's scheduler; `town.step()` also checks the town is whole.)"""
        self._day(record=True)

    def _warm_up(self, days: int, speed: float) -> None:
        """Live `days` unreported days before day 0, so that day 0 is a mature town (docs/model.md 5).

        Warm-up days are days -days .. -1: every intervention is before its start (so `open_place`
        keeps its place closed), nothing is recorded, and slow processes run faster
        (`warmup.warmup_config`): the first warm-up day stands for `speed` days of a town's life, the
        last for one (`warmup.speed_on`).
        """
        self.day = -int(days)
        try:
            while self.day < 0:
                with fast_forwarded(self, speed_on(self.day, days, speed)):
                    self._day(record=False)
        finally:
            self._interrupted_day = None
        self.whereabouts = np.tile(self.routines.home, (4, 1))

    def _day(self, record: bool) -> None:
        self._interrupted_day = self.day  # cleared once the day is complete
        live_day(self, record, self._clock)
        self.day += 1
        self._interrupted_day = None

    def _checked_step(self) -> None:
        if self._interrupted_day is not None:
            raise TownInterrupted(
                f"day {self._interrupted_day} was interrupted, so this town is inconsistent (some residents lived "
                "that day, others did not): build it again, or go on from a copy saved before (copy.deepcopy or pickle)")
        day = self.day
        self._mesa_step()
        if self.day != day + 1:  # Mesa's schedule did not run the day: never skip it silently
            raise RuntimeError(f"Mesa's scheduler did not run day {day} (model time {self.time})")

    @staticmethod
    def stages() -> str:
        """The order of a day, one stage per line (`day.DAY`; also ``python -m nodding.model.day``).

        Returns
        -------
        str
        """
        return describe()

    def time_stages(self, days: int) -> dict[str, float]:
        """Run `days` days as `run` does, timing each stage of the day.

        Parameters
        ----------
        days : int

        Returns
        -------
        dict
            Seconds spent in each stage over the run, in the order of `day.stage_names()` (a day-part's
            stages are also inside "day-parts").
        """
        clock = dict.fromkeys(stage_names(), 0.0)
        self._clock = clock
        try:
            self.run(days)
        finally:
            self._clock = None
        return clock

    # ------------------------------------------------------------------ running
    def run(self, days: int | None = None, progress=None) -> None:
        """Run `days` days (default: the scenario's `days`). `progress(k)` is called after each day.

        Ctrl-C stops the run at the end of the day in progress (press it twice to stop at once, which
        leaves the town unusable), so an interrupted notebook keeps a whole town.
        """
        days = self.config["days"] if days is None else days
        if not isinstance(days, numbers.Integral) or isinstance(days, bool) or days < 1:
            raise ValueError(f"run(days=...): days must be a whole number of at least 1 (got {days!r})")
        with _interrupt_between_days() as interrupted:
            for _ in range(int(days)):
                self.step()
                if progress is not None:
                    progress(1)
                if interrupted():
                    raise KeyboardInterrupt(f"stopped after day {self.day - 1}")

    # ------------------------------------------------------------------ reading out
    @property
    def daily(self) -> pd.DataFrame:
        """One row per simulated day, metric columns as in DESIGN.md."""
        return readouts.daily_frame(self.datacollector)

    def residents_frame(self) -> pd.DataFrame:
        """One row per resident: traits, state and tie counts."""
        return readouts.residents_frame(self)

    def groups(self) -> dict[str, np.ndarray]:
        """Every group the run knows: {group name: boolean array over residents} (`groups.town_groups`).

        Per intervention `<name>`: ``target:<name>`` and ``participant:<name>`` (kinds with participants),
        ``regular:<name>`` (a place's regulars, before the change started) and ``others:<name>`` (neither a
        participant nor a regular). Fixed on the start day; empty before it. The same columns are in
        `residents_frame`.
        """
        return groups.town_groups(self)

    def panel_frame(self) -> pd.DataFrame:
        """The per-resident weekly panel (a town built with ``panel=True``; `panel.Panel.frame`)."""
        if self.panel is None:
            raise ValueError("this town keeps no panel: build it with Town(..., panel=True)")
        return self.panel.frame()

    def tie_graph(self, min_level: str = "familiar_face") -> nx.Graph:
        """Residents as nodes, ties as edges with attribute `level` (the higher of the two views)."""
        return readouts.tie_graph(self, min_level)

    def tie_edges(self, min_level: str = "familiar_face") -> pd.DataFrame:
        """The tie network as an edge list (`a`, `b`, `level`): `tie_graph`'s edges without networkx."""
        return readouts.tie_edges(self, min_level)

    def places_frame(self) -> pd.DataFrame:
        """One row per place (public places, then homes): label, kind, use, map position, capacity."""
        return readouts.places_frame(self)

    def resident(self, resident_id: int) -> ResidentView:
        """One resident's traits, state and ties, read live (`residents.ResidentView`)."""
        return ResidentView(self, int(readouts.resident_ids([resident_id], len(self.residents))[0]))

    def follow(self, resident_ids) -> None:
        """Record the daily history of these residents from now on (all are followed in small towns)."""
        self.diary.follow(readouts.resident_ids(resident_ids, len(self.residents)))

    def history(self, resident_id: int | None = None) -> pd.DataFrame:
        """Daily state of followed residents (one row per resident-day; columns as `readouts.HISTORY_COLUMNS`)."""
        if resident_id is None:
            return self.diary.history()
        return self.diary.history(readouts.resident_ids([resident_id], len(self.residents))[0])

    def events_frame(self) -> pd.DataFrame:
        """Every started interaction (when `log_events`): who, whom, where, expected and felt."""
        return self.diary.events_frame()


@contextmanager
def _interrupt_between_days():
    """Defer Ctrl-C to the end of the day in progress (main thread only; a second Ctrl-C acts at once)."""
    pressed = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # a handler not installed from Python: leave it alone
        yield lambda: False
        return

    def defer(signum, frame):
        pressed.append(signum)
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, defer)
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _today_value(town, column: str) -> float:
    """DataCollector reporter for one column of today's row (wrapped in a partial, so a Town pickles)."""
    return town.today[column]


def _as_seed(seed) -> int:
    """Seeds typed into a UI arrive as text: accept whole numbers in the range a scenario file allows.

    Beyond 2**63 - 1 numpy would fold the seed onto a smaller one (2**64 + 7 draws what 7 draws):
    two "different" runs that are the same run. Refused, as the CLI and scenario files refuse it."""
    allowed = f"must be a whole number from 0 to {TOP_LEVEL['seed'].high} (got {str(seed)[:40]!r})"
    try:
        value = int(str(seed).strip())
    except ValueError:
        raise ScenarioError(allowed, field="seed") from None
    if not 0 <= value <= TOP_LEVEL["seed"].high:
        raise ScenarioError(allowed, field="seed")
    return value
