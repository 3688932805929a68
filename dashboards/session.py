"""One browser session's town: built from a scenario and typed-in values, stepped, read out.

Plain Python (no Solara), so the rules for bad input and for what is computed
once per town rather than once per step are tested without a browser.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from nodding import Scenario, ScenarioError, Town
from nodding.model.scenario import available

from . import narration
from .town_map import jitter

#: The parameters the Explore page offers, in the order shown. Hosts are place-table fields.
FIELDS = ("population.size", "traits.anxiety_mean", "liking.gap", "places.community_centre.hosts",
          "places.library.hosts", "traits.busyness_mean", "traits.digital_preference_mean")
MAX_RESIDENTS = 20_000  # bigger towns make Play sluggish in a browser; `nodding run` handles them
NETWORK_MAX = 200       # a tie network drawing beyond this is a hairball that costs seconds per frame
SCENARIOS = tuple(available())


def question(name: str) -> str:
    """The scenario's question: its description up to the first question mark (or sentence)."""
    text = " ".join(Scenario.named(name)["description"].split())
    for mark in ("?", ". "):
        if mark in text:
            return text[: text.index(mark) + 1].strip()
    return text


def fields_for(scenario: Scenario) -> tuple[str, ...]:
    """The Explore fields this scenario has (the classroom town has no shared garden, for example)."""
    return tuple(f for f in FIELDS if scenario.get(f) is not None)


def parse_number(text: str):
    """Typed text as an int or float; anything else stays text so the scenario's own check names it."""
    text = str(text).strip()
    if text.count(",") == 1 and "." not in text:  # a Dutch decimal comma: 0,3
        text = text.replace(",", ".")
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def check(scenario_name: str, texts: dict[str, str], max_residents: int = MAX_RESIDENTS
          ) -> tuple[Scenario | None, int | None, dict[str, str]]:
    """Validate typed values: (scenario, seed, {}) when all are good, else (None, None, {field: message}).

    Each field is checked on its own first, so every bad field gets its own message; then all
    together, for rules that join two fields (the liking gap may not exceed the true liking).
    """
    base = Scenario.named(scenario_name)
    values, errors = {}, {}
    for path, text in texts.items():
        if path == "seed":
            continue
        value = parse_number(text)
        try:
            base.with_values({path: value})
            values[path] = value
        except ScenarioError as err:
            errors[path] = err.problem
    seed_text = texts.get("seed", "")
    seed = parse_number(seed_text) if str(seed_text).strip() else base["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        errors["seed"] = f"must be a whole number of at least 0 (got {seed_text!r})"
    size = values.get("population.size", base["population.size"])
    if isinstance(size, int) and size > max_residents:
        errors["population.size"] = f"at most {max_residents:,}"
    if errors:
        return None, None, errors
    try:
        return base.with_values(values), seed, {}
    except ScenarioError as err:
        return None, None, {err.field or "population.size": err.problem}


@dataclass
class TownSession:
    """A town and what the pages draw from it; the static parts are computed once per town."""

    scenario: Scenario
    seed: int
    town: Town = field(init=False)
    places: pd.DataFrame = field(init=False)   # public places (no homes), with their type name
    layout: dict | None = field(init=False)    # tie-network positions, fixed for the town's life

    def __post_init__(self):
        self.town = Town(self.scenario, seed=self.seed)
        frame = self.town.places_frame()
        types = np.array(self.town.places.names + ["home"])[self.town.places.spec]
        frame["type"] = types
        self.places = frame[frame["kind"] != "home"].reset_index(drop=True)
        n = len(self.town.residents)
        self.offsets = jitter(n)  # where in a place each resident stands on the map
        self.layout = None
        self.lock = threading.Lock()  # Step and Play never run a day at the same time
        self._events: pd.DataFrame | None = None
        self._events_day = -1
        self._daily: pd.DataFrame | None = None
        self._daily_day = -1
        if n <= NETWORK_MAX:
            # households and seeded friends pull together; seeded so the picture is the same every time
            graph = self.town.tie_graph("friend")
            self.layout = nx.spring_layout(graph, seed=1, iterations=60)

    @classmethod
    def named(cls, name: str, seed: int | None = None) -> TownSession:
        scenario = Scenario.named(name)
        return cls(scenario, scenario["seed"] if seed is None else seed)

    @property
    def day(self) -> int:
        return self.town.day

    def step(self, days: int = 1) -> None:
        with self.lock:
            for _ in range(days):
                self.town.step()

    def place_type(self, place: int) -> str:
        """Table name of a place id (homes included): 'bus_stop', 'home', ..."""
        p = self.town.places
        return "home" if p.spec[place] < 0 else p.names[p.spec[place]]

    def is_home(self, places: np.ndarray) -> np.ndarray:
        return self.town.places.spec[places] < 0

    def name(self, resident: int) -> str:
        return self.town.residents.name(resident)

    def daily(self) -> pd.DataFrame:
        """The town's daily table, built once per day (the page reads it several times per frame)."""
        if self._daily_day != self.town.day:
            self._daily = self.town.daily
            self._daily_day = self.town.day
        return self._daily

    def events(self) -> pd.DataFrame:
        """The event log with per-pair context (see narration.annotate), worked out once per day."""
        if self._events_day != self.town.day:
            self._events = narration.annotate(self.town.events_frame())
            self._events_day = self.town.day
        return self._events

    def feed(self, events: pd.DataFrame, limit: int = 8) -> list[str]:
        return narration.feed(events, self.is_home, self.name, self.place_type, limit)
