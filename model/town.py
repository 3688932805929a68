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

import math
from functools import partial
from pathlib import Path

import mesa
from mesa.experimental.scenarios import Scenario as MesaScenario
import networkx as nx
import numpy as np
import pandas as pd

from . import belonging, decisions, learning, responses
from .decisions import CHAT, HELP
from .encounters import familiar_faces, gather, notice
from .interventions import DayConditions, begin_and_finish, build_interventions, day_conditions
from .metrics import COLUMNS, DayTally, daily_row
from .parameters import DAY_PARTS, INTERACTION_LEVELS, PLACE_KINDS, PLACE_USES
from .places import build_places
from .residents import ROLES, ResidentView, draw_residents
from .routines import ONLINE, build_routines, plan_day, whereabouts
from .scenario import Scenario, ScenarioError
from .ties import FRIEND, LEVEL_NAMES, Ties, seed_strong_ties

ONLINE_KIND = PLACE_KINDS.index("online")
HOME_KIND = PLACE_KINDS.index("home")
SMALL_TOWN = 200  # at or below this size the event log and histories are on by default


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
        n = s["population.size"]
        self.residents = draw_residents(s, n, self.rng)
        n_hoods = math.ceil(n / s["population.neighbourhood_size"])
        household_hood = self.residents.neighbourhood[np.unique(self.residents.household, return_index=True)[1]]
        self.places = build_places(s.places, n_hoods, household_hood, self.rng)
        self.routines = build_routines(self.residents, self.places, s, self.rng)
        self.ties = Ties.for_scenario(n, s)
        seed_strong_ties(self.ties, self.residents.household, self.residents.neighbourhood, s, self.rng)
        counts = self.ties.counts()
        self.residents.support[:] = belonging.perceived_support(counts["strong_ties"], counts["weak_ties"], s)
        self.residents.belonging[:] = belonging.starting_belonging(self.residents, s)
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

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        s, res, rng = self.config, self.residents, self.rng
        weekend = self.day % 7 >= 5
        today = self._conditions(weekend)
        visits = plan_day(today.routines, res, self.places, weekend, today.open, today.mobility, today.use_rate, s, rng)
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
        self.today = daily_row(self.day, res, tally, counts, s["belonging.lonely_below"])
        self.datacollector.collect(self)
        self._record_histories(tally)
        self.day += 1

    def _conditions(self, weekend: bool) -> DayConditions:
        """Today's one-off intervention hooks, then today's conditions and routines (an overlay)."""
        begin_and_finish(self)
        return day_conditions(self, self.day, weekend)

    def _day_part(self, part: int, visits, today: DayConditions, tally: DayTally, disposition: np.ndarray,
                  setting: np.ndarray) -> None:
        """Meet, decide, respond, learn -- for one day-part."""
        s, res, ties, rng = self.config, self.residents, self.ties, self.rng
        # meet: gatherings, and who notices whom; noticing builds recognition
        g = gather(visits.who, visits.where, visits.slot, rng)
        notice_count = np.floor(self.places.notice * today.notice_factor + rng.random(len(self.places))).astype(np.int64)
        seen = notice(g, notice_count, self._is_home, ties, s["encounters.familiar_boost"], rng)
        outside = ~seen.family
        seen.slot[outside] = ties.ensure(seen.who[outside], seen.other[outside], seen.slot[outside])
        ties.add("familiarity", seen.who, seen.slot, 1.0)

        # decide
        i, j, place, level = seen.who, seen.other, seen.place, seen.level
        needs = rng.random(len(i)) < s["encounters.need_rate"] * today.help_needs
        started, expected = decisions.decide(s, i, place, level, needs, disposition, setting, res.fear,
                                             res.expected_acceptance, rng)
        started = np.flatnonzero(started)
        i, j, place, level, expected, slot_ij, family = (
            x[started] for x in (i, j, place, level, expected, seen.slot, seen.family))
        kind = decisions.interaction_level(level, today.affordance[place], res.sociability[i], needs[started],
                                           s["decisions.chat_step"], s["decisions.greeting_to_chat"], rng)

        # respond: the receiver's view of the initiator sets their receptivity
        slot_ji, level_ji = familiar_faces(ties, j, i, family)
        welcomed = responses.respond(responses.receptivity(s, res.busyness[j], level_ji), rng)
        # the liking gap is modelled between people outside the household
        chats = welcomed & (kind == CHAT) & ~family
        felt_gap = np.zeros(len(i))
        felt_gap[chats] = responses.liking_gap(ties.gap, i[chats], slot_ij[chats], s)

        # learn: prediction error of each initiator, damped
        experience = learning.experienced_acceptance(welcomed, felt_gap, s)
        learning.learn_from_experience(res, i, experience - expected, level, today.fear_learning, s)

        # ties grow both ways for welcomed contact
        w = np.flatnonzero(welcomed)
        a, b, k, p = i[w], j[w], kind[w], place[w]
        slot_ab, slot_ba = slot_ij[w], slot_ji[w]
        outside = ~family[w]
        # both directions in one batch, so making room for one memory never evicts another used here
        both = ties.ensure(np.concatenate([a[outside], b[outside]]), np.concatenate([b[outside], a[outside]]),
                           np.concatenate([slot_ab[outside], slot_ba[outside]]))
        slot_ab[outside], slot_ba[outside] = np.split(both, 2)
        ties.contact(a, slot_ab, b, slot_ba, self._rapport[k])

        # tallies for belonging and metrics
        strong = level[w] >= FRIEND
        online = self.places.kind[p] == ONLINE_KIND
        tally.count_interactions(k, self.places.kind[p])
        tally.add_contacts(a, b, belonging.interaction_weight(s, k, strong, online), strong)
        tally.rejections += np.bincount(i[~welcomed], minlength=len(res))
        tally.initiations += len(i)
        tally.accepted += int(welcomed.sum())
        stranger = level == 0
        tally.stranger_initiations += int(stranger.sum())
        tally.stranger_accepted += int((stranger & welcomed).sum())
        tally.felt_gaps.append(felt_gap[chats])
        # prosocial modeling: positive interactions others saw in their gathering (outside the household)
        positive = np.bincount(seen.group[started[w[outside]]], minlength=g.n_groups)
        involved = np.bincount(a[outside], minlength=len(res)) + np.bincount(b[outside], minlength=len(res))
        tally.seen_positive += np.bincount(g.who, weights=positive[g.group], minlength=len(res)) - involved

        if self.log_events:
            self._log(part, i, j, place, level, kind, expected, welcomed, np.where(chats, felt_gap, np.nan))

    def _strong_tie_contacts(self, today: DayConditions, tally: DayTally) -> None:
        """Visits and calls with family and friends outside shared places (always welcome)."""
        res, rng = self.residents, self.rng
        n = len(res)
        calls = rng.poisson(self.config["ties.strong_contact_rate"], n)
        a = np.repeat(np.arange(n), calls)
        b = self.ties.strong_partners(a, rng)
        a, b = a[b >= 0], b[b >= 0]
        online = rng.random(len(a)) < np.clip(res.digital[a] * today.use_rate[ONLINE], 0.0, 1.0)
        level = np.full(len(a), CHAT, dtype=np.int8)
        tally.count_interactions(level, np.where(online, ONLINE_KIND, HOME_KIND))
        strong = np.ones(len(a), dtype=bool)
        tally.add_contacts(a, b, belonging.interaction_weight(self.config, level, strong, online), strong)

    # ------------------------------------------------------------------ running
    def run(self, days: int | None = None, progress=None) -> None:
        """Run `days` days (default: the scenario's `days`). `progress(k)` is called after each day."""
        days = self.config["days"] if days is None else days
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ScenarioError(f"must be a whole number of at least 1 (got {days!r})", field="days")
        for _ in range(days):
            self.step()
            if progress is not None:
                progress(1)

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
                                             "fear", "support", "modeling")},
            "lonely": res.belonging < self.config["belonging.lonely_below"],
            **counts,
        })

    def tie_graph(self, min_level: str = "familiar_face") -> nx.Graph:
        """Residents as nodes, ties as edges with attribute `level` (the higher of the two views)."""
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
        if not 0 <= resident_id < len(self.residents):
            raise IndexError(f"resident {resident_id} does not exist (0..{len(self.residents) - 1})")
        return ResidentView(self, resident_id)

    def follow(self, resident_ids) -> None:
        """Record the daily history of these residents from now on (all are followed in small towns)."""
        self._followed = np.union1d(self._followed, np.asarray(resident_ids, dtype=np.int64))

    def history(self, resident_id: int | None = None) -> pd.DataFrame:
        """Daily state of followed residents (one row per resident-day)."""
        frame = pd.concat(self._histories, ignore_index=True) if self._histories else pd.DataFrame()
        return frame if resident_id is None or frame.empty else frame[frame["resident"] == resident_id].reset_index(drop=True)

    def events_frame(self) -> pd.DataFrame:
        """Every started interaction (when `log_events`): who, whom, where, expected and felt."""
        return pd.concat(self.events, ignore_index=True) if self.events else pd.DataFrame()

    def _record_histories(self, tally: DayTally) -> None:
        ids = self._followed
        if len(ids) == 0:
            return
        res = self.residents
        self._histories.append(pd.DataFrame({
            "day": self.day, "resident": ids,
            **{f: getattr(res, f)[ids] for f in ("belonging", "affect", "fear", "expected_acceptance", "support")},
            "weak_interactions": tally.weak_contacts[ids], "strong_interactions": tally.strong_contacts[ids],
            "rejections": tally.rejections[ids],
            **{f"place_{part}": self.whereabouts[k, ids] for k, part in enumerate(DAY_PARTS)},
        }))

    def _log(self, part, i, j, place, level, kind, expected, welcomed, felt_gap) -> None:
        self.events.append(pd.DataFrame({
            "day": self.day, "part": DAY_PARTS[part], "place": place, "initiator": i, "receiver": j,
            "interaction": np.array(INTERACTION_LEVELS)[kind], "familiarity": np.array(LEVEL_NAMES)[level],
            "expected": expected, "welcomed": welcomed,
            "felt_liking": self.config["liking.true_mean"] - felt_gap,  # NaN: not a chat outside the household
            "helped": (kind == HELP) & welcomed,
        }))


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
