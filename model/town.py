"""The Town: a Mesa model whose step is one day of small everyday interactions.

A day flows one way: plan -> move -> meet -> decide -> respond -> learn ->
update belonging -> record. Each arrow is a function in its own module; the
Town only owns the arrays, the seeded generator and the order of the day.

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
from dataclasses import replace
from functools import partial
from pathlib import Path

import mesa
from mesa.experimental.scenarios import Scenario as MesaScenario
import networkx as nx
import numpy as np
import pandas as pd

from . import belonging, decisions, learning, responses
from .decisions import CHAT, HELP, Starts
from .encounters import Gatherings, Noticed, gather, notice
from .interventions import DayConditions, begin_and_finish, build_interventions, day_conditions
from .metrics import COLUMNS, DayTally, daily_row
from .responses import Replies
from .parameters import DAY_PARTS, INTERACTION_LEVELS, PLACE_KINDS, PLACE_USES
from .places import build_places, scaled_places
from .randomness import RandomSource
from .residents import ROLES, ResidentView, draw_residents
from .routines import ONLINE, build_routines, plan_day, turn_over, whereabouts
from .scenario import Scenario, ScenarioError
from .ties import FRIEND, LEVEL_NAMES, Ties, seed_strong_ties

ONLINE_KIND = PLACE_KINDS.index("online")
HOME_KIND = PLACE_KINDS.index("home")
SMALL_TOWN = 200  # at or below this size the event log and histories are on by default

#: Column types of `Town.events_frame()` and of `Town.history()` (also when nothing is logged yet).
EVENT_COLUMNS = {"day": "int64", "part": "str", "place": "int64", "initiator": "int64", "receiver": "int64",
                 "interaction": "str", "familiarity": "str", "expected": "float64", "welcomed": "bool",
                 "felt_liking": "float64", "helped": "bool"}
HISTORY_COLUMNS = {"day": "int64", "resident": "int64",
                   **dict.fromkeys(("belonging", "felt_belonging", "affect", "fear", "expected_acceptance", "support",
                                    "weak_interactions", "strong_interactions", "rejections"), "float64"),
                   **{f"place_{part}": "int64" for part in DAY_PARTS}}


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
    **values
        Dotted field overrides, e.g. ``Town(**{"population.size": 500})``; this
        is how Mesa's SolaraViz rebuilds the model from its controls.
    """

    def __init__(self, scenario: Scenario | str | Path | None = None, seed: int | str | None = None, *,
                 log_events: bool | None = None, **values):
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
        household_hood = self.residents.neighbourhood[np.unique(self.residents.household, return_index=True)[1]]
        per_hood = scaled_places(s.places, n / (n_hoods * s["population.neighbourhood_size"]))
        self.places = build_places(per_hood, n_hoods, household_hood, self.rng)
        self.routines = build_routines(self.residents, self.places, s, self.rng)
        self.ties = Ties.for_scenario(n, s)
        seed_strong_ties(self.ties, self.residents.household, self.residents.neighbourhood, s, self.rng)
        counts = self.ties.counts()
        self.residents.support[:] = belonging.perceived_support(counts["strong_ties"], counts["weak_ties"], s)
        self.residents.belonging[:] = belonging.starting_belonging(self.residents, s)
        self.residents.felt_belonging[:] = self.residents.belonging
        self._is_home = self.places.kind == HOME_KIND
        self._rapport = np.array([s[f"ties.rapport_{level}"] for level in INTERACTION_LEVELS], dtype=np.float32)
        self.interventions = build_interventions(s)
        self.day = 0
        self.whereabouts = np.tile(self.routines.home, (4, 1))
        self.log_events = n <= SMALL_TOWN if log_events is None else log_events
        self.events: list[pd.DataFrame] = []
        self._followed: np.ndarray = np.arange(n) if n <= SMALL_TOWN else np.zeros(0, dtype=np.int64)
        self._histories: list[pd.DataFrame] = []
        self.today: dict = {}
        self.datacollector = mesa.DataCollector(model_reporters={c: partial(_today_value, column=c) for c in COLUMNS if c != "day"})
        self._recognition = 1.0  # familiarity a noticed face adds (larger only in a fast-forwarded warm-up)
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
        keeps its place closed), nothing is recorded, and slow processes run `speed` times faster
        (`warmup_config`): one warm-up day stands for about `speed` days of a town's life.
        """
        plain, self.config = self.config, warmup_config(self.config, speed)
        self._rapport = np.array([self.config[f"ties.rapport_{level}"] for level in INTERACTION_LEVELS],
                                 dtype=np.float32)
        self.day = -int(days)
        try:
            while self.day < 0:
                self._day(record=False)
        finally:
            self.config = plain
            self._rapport = np.array([plain[f"ties.rapport_{level}"] for level in INTERACTION_LEVELS],
                                     dtype=np.float32)
            self._recognition = 1.0
            self._interrupted_day = None
        self.whereabouts = np.tile(self.routines.home, (4, 1))

    def _day(self, record: bool) -> None:
        s, res = self.config, self.residents
        self._interrupted_day = self.day  # cleared once the day is complete
        self._draws = self.random_source.on(self.day)
        weekend = self.day % 7 >= 5
        turn_over(self.routines, res, self.places, s["routines.turnover"], self._draws)
        today = self._conditions(weekend)
        visits = plan_day(today.routines, res, self.places, weekend, today.open, today.mobility, today.use_rate, s,
                          self._draws)
        self.whereabouts = whereabouts(visits, self.places, len(res), self.routines.home)
        tally = DayTally(len(res))
        # the resident's and the place's parts of the propensity hold all day
        disposition = decisions.disposition(s, res.sociability, res.modeling, res.busyness, today.propensity)
        setting = decisions.setting(s, today.affordance, today.hosts)
        for part, visits_now in enumerate(visits.by_part()):
            self._day_part(part, visits_now, today, tally, disposition, setting)
        self._strong_tie_contacts(today, tally)
        learning.rebound(res, s)
        learning.update_modeling(res, tally.seen_positive, s)
        counts = self.ties.end_of_day(s["ties.familiarity_decay"], s["ties.rapport_decay"])
        res.support[:] = belonging.perceived_support(counts["strong_ties"], counts["weak_ties"], s)
        belonging.update_belonging(res, tally.contact_weight, tally.rejections, tally.weak_contacts, tally.strong_contacts, s)
        if record:
            self.today = daily_row(self.day, res, tally, counts, s)
            self.datacollector.collect(self)
            self._record_histories(tally)
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

    def _conditions(self, weekend: bool) -> DayConditions:
        """Today's one-off intervention hooks, then today's conditions and routines (an overlay)."""
        begin_and_finish(self)
        return day_conditions(self, self.day, weekend)

    def _day_part(self, part: int, visits, today: DayConditions, tally: DayTally, disposition: np.ndarray,
                  setting: np.ndarray) -> None:
        """One day-part, in the order of the data-flow diagram (docs/architecture.md)."""
        gatherings, seen = self._meet(part, visits, today)
        starts = self._decide(part, seen, today, disposition, setting)
        replies = self._respond(part, starts)
        self._learn(starts, replies, today)
        self._bond(starts, replies)
        self._record(starts, replies, gatherings, tally)
        if self.log_events and self.day >= 0:
            self._log(part, starts, replies)

    def _meet(self, part: int, visits, today: DayConditions) -> tuple[Gatherings, Noticed]:
        """Gatherings, and who notices whom; noticing builds recognition (outside the household: `notice`)."""
        ties, draws = self.ties, self._draws
        gatherings = gather(visits.who, visits.where, visits.slot, draws.uniform("shuffle", visits.who, part=part))
        place_draw = draws.uniform("notice_count", np.arange(len(self.places)), part=part)
        notice_count = np.floor(self.places.notice * today.notice_factor + place_draw).astype(np.int64)
        seen = notice(gatherings, notice_count, self._is_home, ties, self.config["encounters.familiar_boost"],
                      draws.uniform("look", gatherings.who, part=part), draws.key("notice", part), self._recognition)
        return gatherings, seen

    def _decide(self, part: int, seen: Noticed, today: DayConditions, disposition: np.ndarray,
                setting: np.ndarray) -> Starts:
        """Who starts an interaction with whom they noticed, and which one."""
        s, res = self.config, self.residents
        return decisions.decide(s, seen, self.ties.familiarity, self.ties.face_after,
                                s["encounters.need_rate"] * today.help_needs, disposition, setting, today.affordance,
                                res.fear, res.expected_acceptance, res.sociability, self._draws, part, len(self.places))

    def _respond(self, part: int, starts: Starts) -> Replies:
        """The receiver's view of the initiator sets their receptivity; welcomed chats carry a liking gap."""
        return responses.respond(self.config, starts, self.ties, self.residents.busyness, self._draws, part,
                                 len(self.places))

    def _learn(self, starts: Starts, replies: Replies, today: DayConditions) -> None:
        """Each initiator's prediction error, damped, moves their fear and expectations."""
        experience = learning.experienced_acceptance(replies.welcomed, replies.felt_gap, self.config)
        learning.learn_from_experience(self.residents, starts.initiator, experience - starts.expected, starts.level,
                                       today.fear_learning, self.config)

    def _bond(self, starts: Starts, replies: Replies) -> None:
        """Ties grow both ways for welcomed contact outside the household."""
        w = replies.welcomed
        self.ties.bond(starts.initiator[w], starts.slot[w], starts.receiver[w], replies.slot[w], ~starts.family[w],
                       self._rapport[starts.kind[w]], self._recognition)

    def _record(self, starts: Starts, replies: Replies, gatherings: Gatherings, tally: DayTally) -> None:
        """Tallies for belonging and metrics; prosocial modeling from what others saw."""
        n = len(self.residents)
        w, welcomed = np.flatnonzero(replies.welcomed), replies.welcomed
        a, b, kind, place = starts.initiator[w], starts.receiver[w], starts.kind[w], starts.place[w]
        strong = starts.level[w] >= FRIEND
        online = self.places.kind[place] == ONLINE_KIND
        tally.count_interactions(kind, self.places.kind[place])
        tally.add_contacts(a, b, belonging.interaction_weight(self.config, kind, strong, online), strong)
        tally.rejections += np.bincount(starts.initiator[~welcomed], minlength=n)
        tally.initiations += len(welcomed)
        tally.accepted += len(w)
        stranger = starts.level == 0
        tally.stranger_initiations += int(stranger.sum())
        tally.stranger_accepted += int((stranger & welcomed).sum())
        tally.felt_gaps.append(replies.felt_gap[replies.chat])
        # prosocial modeling: positive interactions others saw in their gathering (outside the household)
        outside = ~starts.family[w]
        positive = np.bincount(starts.group[w[outside]], minlength=gatherings.n_groups)
        involved = np.bincount(a[outside], minlength=n) + np.bincount(b[outside], minlength=n)
        tally.seen_positive += np.bincount(gatherings.who, weights=positive[gatherings.group], minlength=n) - involved

    def _strong_tie_contacts(self, today: DayConditions, tally: DayTally) -> None:
        """Visits and calls with family and friends outside shared places (always welcome)."""
        res, draws = self.residents, self._draws
        n = len(res)
        calls = draws.poisson("calls", np.arange(n), self.config["ties.strong_contact_rate"])
        a = np.repeat(np.arange(n), calls)
        call = np.arange(len(a)) - np.repeat(np.cumsum(calls) - calls, calls)  # each resident's 1st, 2nd, ... call
        b = self.ties.strong_partners(a, res.household, draws.uniform("partner", a, call))
        online = draws.uniform("online", a, call) < np.clip(res.digital[a] * today.use_rate[ONLINE], 0.0, 1.0)
        a, b, online = a[b >= 0], b[b >= 0], online[b >= 0]
        level = np.full(len(a), CHAT, dtype=np.int8)
        tally.count_interactions(level, np.where(online, ONLINE_KIND, HOME_KIND))
        strong = np.ones(len(a), dtype=bool)
        tally.add_contacts(a, b, belonging.interaction_weight(self.config, level, strong, online), strong)

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
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame.insert(0, "day", np.arange(len(frame)))
        return frame

    def residents_frame(self) -> pd.DataFrame:
        """One row per resident: traits, state and tie counts."""
        res = self.residents
        counts = self.ties.counts()
        return pd.DataFrame({
            "resident": np.arange(len(res)),
            "name": [res.name(i) for i in range(len(res))] if len(res) <= 10_000 else "",
            "role": np.array(ROLES)[res.role],
            "household": res.household,
            "neighbourhood": res.neighbourhood,
            "home": self.routines.home,
            **{f: getattr(res, f) for f in ("sociability", "anxiety", "busyness", "mobility", "digital",
                                             "baseline", "belonging", "affect", "expected_acceptance",
                                             "fear", "support", "modeling", "felt_belonging")},
            "lonely": res.belonging < self.config["belonging.lonely_below"],
            "severely_lonely": res.belonging < self.config["belonging.severely_lonely_below"],
            **counts,
        })

    def tie_graph(self, min_level: str = "familiar_face") -> nx.Graph:
        """Residents as nodes, ties as edges with attribute `level` (the higher of the two views)."""
        if min_level not in LEVEL_NAMES[1:]:
            raise ValueError(f"tie_graph(min_level={min_level!r}): must be one of {', '.join(LEVEL_NAMES[1:])}")
        edges = self.ties.edges()
        edges = edges[edges["level"] >= LEVEL_NAMES.index(min_level)]
        graph = nx.Graph()
        graph.add_nodes_from(range(len(self.residents)))
        lo, hi = np.minimum(edges["owner"], edges["other"]), np.maximum(edges["owner"], edges["other"])
        best = edges.assign(a=lo, b=hi).groupby(["a", "b"], sort=False)["level"].max()
        graph.add_edges_from((int(a), int(b), {"level": LEVEL_NAMES[lvl]}) for (a, b), lvl in best.items())
        return graph

    def places_frame(self) -> pd.DataFrame:
        """One row per place (public places, then homes): label, kind, use, map position, capacity."""
        p = self.places
        uses = np.array(("home",) + PLACE_USES)
        return pd.DataFrame({
            "place": np.arange(len(p)), "label": [p.label(k) for k in range(len(p))],
            "kind": np.array(PLACE_KINDS)[p.kind], "use": uses[p.use + 1], "neighbourhood": p.neighbourhood,
            "x": p.xy[:, 0], "y": p.xy[:, 1], "capacity": p.capacity, "affordance": p.affordance, "hosts": p.hosts,
        })

    def resident(self, resident_id: int) -> ResidentView:
        return ResidentView(self, int(self._resident_ids([resident_id])[0]))

    def follow(self, resident_ids) -> None:
        """Record the daily history of these residents from now on (all are followed in small towns)."""
        self._followed = np.union1d(self._followed, self._resident_ids(resident_ids))

    def history(self, resident_id: int | None = None) -> pd.DataFrame:
        """Daily state of followed residents (one row per resident-day; columns as `HISTORY_COLUMNS`)."""
        frame = _frame(self._histories, HISTORY_COLUMNS)
        if resident_id is None:
            return frame
        return frame[frame["resident"] == self._resident_ids([resident_id])[0]].reset_index(drop=True)

    def events_frame(self) -> pd.DataFrame:
        """Every started interaction (when `log_events`): who, whom, where, expected and felt."""
        return _frame(self.events, EVENT_COLUMNS)

    def _resident_ids(self, resident_ids) -> np.ndarray:
        """Whole-number resident ids that exist in this town (no negative indexing from the end)."""
        ids = np.atleast_1d(np.asarray(resident_ids))
        n = len(self.residents)
        if ids.size and ids.dtype.kind not in "iu":
            raise ValueError(f"resident ids must be whole numbers from 0 to {n - 1} (got {resident_ids!r})")
        bad = ids[(ids < 0) | (ids >= n)] if ids.size else ids
        if bad.size:
            raise IndexError(f"resident {bad[0]} does not exist: this town has residents 0 to {n - 1}")
        return ids.astype(np.int64)

    def _record_histories(self, tally: DayTally) -> None:
        ids = self._followed
        if len(ids) == 0:
            return
        res = self.residents
        self._histories.append(pd.DataFrame({
            "day": self.day, "resident": ids,
            **{f: getattr(res, f)[ids] for f in ("belonging", "felt_belonging", "affect", "fear", "expected_acceptance",
                                                 "support")},
            "weak_interactions": tally.weak_contacts[ids], "strong_interactions": tally.strong_contacts[ids],
            "rejections": tally.rejections[ids],
            **{f"place_{part}": self.whereabouts[k, ids].astype(np.int64) for k, part in enumerate(DAY_PARTS)},
        }))

    def _log(self, part: int, starts: Starts, replies: Replies) -> None:
        self.events.append(pd.DataFrame({
            "day": self.day, "part": DAY_PARTS[part], "place": starts.place, "initiator": starts.initiator,
            "receiver": starts.receiver, "interaction": np.array(INTERACTION_LEVELS)[starts.kind],
            "familiarity": np.array(LEVEL_NAMES)[starts.level], "expected": starts.expected,
            "welcomed": replies.welcomed,
            # NaN: not a chat outside the household
            "felt_liking": self.config["liking.true_mean"] - np.where(replies.chat, replies.felt_gap, np.nan),
            "helped": (starts.kind == HELP) & replies.welcomed,
        }))


def _frame(parts: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    """Concatenate logged frames; with nothing logged, an empty frame with the same typed columns."""
    if parts:
        return pd.concat(parts, ignore_index=True)
    return pd.DataFrame({c: pd.Series(dtype=dtype) for c, dtype in columns.items()})


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


#: Slow processes a fast-forwarded warm-up day speeds up: retentions r become r**speed, step sizes
#: a become 1 - (1 - a)**speed (rates of change per day), and gains per event are multiplied.
_RETENTIONS = ("ties.rapport_decay", "learning.modeling_memory")
_STEPS = ("belonging.decay", "learning.rebound", "liking.gap_learning")
_GAINS = ("ties.rapport_nod", "ties.rapport_greeting", "ties.rapport_chat", "ties.rapport_help",
          "learning.acceptance_rate", "learning.fear_rate", "routines.turnover")


def warmup_config(s: Scenario, speed: float) -> Scenario:
    """The scenario a warm-up day runs with: every slow process `speed` times faster.

    Familiarity and rapport keep their scale (gains x speed, retention ** speed), so their
    long-run levels and the ladder's thresholds are unchanged; only the time to get there shrinks.
    A modelling choice (docs/model.md, section 5).

    >>> warmup_config(Scenario.default(), 4)["ties.rapport_decay"] == 0.99 ** 4
    True
    """
    values = dict(s.values)
    for key in _RETENTIONS:
        values[key] = s[key] ** speed
    for key in _STEPS:
        values[key] = 1.0 - (1.0 - s[key]) ** speed
    for key in _GAINS:
        values[key] = s[key] * speed
    return replace(s, values=values)


def _today_value(town, column: str) -> float:
    """DataCollector reporter for one column of today's row (wrapped in a partial, so a Town pickles)."""
    return town.today[column]


def _as_seed(seed) -> int:
    """Seeds typed into a UI arrive as text: accept whole numbers only."""
    try:
        value = int(str(seed).strip())
    except ValueError:
        raise ScenarioError(f"must be a whole number of at least 0 (got {seed!r})", field="seed") from None
    if value < 0:
        raise ScenarioError(f"must be a whole number of at least 0 (got {seed!r})", field="seed")
    return value
