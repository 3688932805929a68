"""A plain-Mesa reference implementation of Nodding Terms' day rules.

This is the *same model* as `model.Town`, written the way a Mesa model is usually
written: one `mesa.Agent` per resident with its own Python attributes, a dict of
remembered others per resident, places as plain Python objects, and Python loops
over residents (`model.agents.shuffle_do(...)`) and over encounters. No numpy
vectorisation over residents happens in the day loop. It serves two purposes
(DESIGN.md, "Speed" and "Architecture"):

* the **speed baseline** for `benchmarks/bench.py` (agent-days per second of the
  vectorised `Town` versus this one, at the same size, in the same run);
* a **statistical oracle** for `tests/test_reference.py`: run both over many
  seeds and check that the daily metrics agree within sampling error.

What is shared with `model/` and what is not
--------------------------------------------
* **Setup is borrowed.** The reference builds a `model.Town` with the same
  scenario and seed and copies its *initial* state into agents and places:
  residents' traits and state (age, household, partner, living with parents,
  person id; belonging, its set point's drift and the two subscale scores), the
  places (a home for every resident, empty ones waiting for newcomers), each
  resident's routine anchors (regular place, day-part and time slot per use) and
  the seeded strong ties (household, friends, relatives). Setup is not what is
  timed per day, and sharing it makes paired comparisons possible (same town,
  independent days). The two constants of a town's life events (the mean moving
  weight of its residents and the scale of its chances of living alone) are
  recomputed here from the copied residents, the plain way.
* **The day is re-implemented** here in plain Python, rule by rule, following
  `model/day.py` (life events -> conditions -> plan -> move -> meet -> decide ->
  respond -> learn -> ties -> strong-tie contact -> rebound, modelling, tie decay ->
  set-point drift and belonging -> record) and the modules it calls. Life events
  follow `model/life.py`: ageing with the role (and routine) changes at 18 and at
  retirement, households moving away (one draw per household, weighted by the
  eldest's age), young adults leaving home, deaths from 65 (life table),
  widowhood, and a newcomer in every leaver's place (same age for a household,
  20-35 for a single leaver, housed alone or with the adult living alone nearest
  in age; new traits, state, role and routines; family ties only; every memory
  of the leavers forgotten; out of every intervention). Only constants are
  imported (ladder and level codes, the day-part weights of routines, role codes,
  the age bands and the moving, living-alone and mortality tables, the metric
  column names); every number comes from the scenario.
* **Randomness is independent.** The day loop draws from Mesa's `model.random`
  (a `random.Random`), seeded from a seed derived from (seed, a fixed salt), never
  from the numpy Generator the vectorised Town uses. Results are therefore equal
  *in distribution*, not bit-identical. The model keys its draws by person id
  and day (so paired Town runs see the same people come and go); the reference
  just draws in loop order, and normal draws (traits, the set point's drift) are
  `random.gauss`, not inverted uniforms.
* **Same phase structure.** Within a day-part the vectorised model works in
  phases (everyone notices, then everyone decides, then receivers respond, then
  learning, then ties grow), so e.g. the familiarity ladder used to decide is the
  one from the start of the day-part. The reference keeps those phases, looping
  over agents and encounters inside each.
* **Interventions share the model's design, not its code** -- so the oracle does
  *not* test that design independently. The classes below are written anew in
  plain Python, but they follow the same decisions as `model/interventions.py`:
  the same schedule (each day: `finish` of what ended yesterday, `begin` of what
  starts today, then every intervention lays its effect over a fresh day's
  `Conditions`; in order of start day, then name), the same draws made once in
  `begin` (participants; a volunteer's local copy, slot and day-part) from a
  stream per intervention (here: Python's `random.Random` seeded from the
  reference's seed and the name's crc32, so the numbers differ from the model's),
  the same composition rules (additions add, multipliers multiply, closures and
  maxima over all; affordance = own x multipliers + additions, clipped; a
  volunteer goes where the intervention begun last sends them), the same state
  shocks (conversation training; re-entry fear once per reopening) and the same
  effect sizes. A mistake in that design -- such as the hand-written undo of
  overlapping volunteering that corrupted routines for good (issue 11, item 8) --
  would be copied here and both sides would agree. Such properties are tested
  directly in `tests/test_interventions.py` (routines restored for any overlap
  and order; file order does not matter; an idle intervention leaves the run
  unchanged; the baseline's golden table).

Known differences (tiny; see also the test's docstring):
* tie numbers are Python floats (float64), the Town stores float32;
* when several memories are equally weak, eviction picks an arbitrary one (the
  Town picks the lowest slot index); memory slots themselves do not exist here;
* no warm-up and no routine turnover (the oracle's Towns run with `warmup = 0`
  and `routines.turnover = 0`), so every day is a reported day: residents age
  every day, and the warm-up's sped-up life events and drift are not re-implemented;
* interventions forget leavers (they drop out as participants) but, as before,
  the reference has no target groups or regulars to clear.

As in the model, a newcomer who moves in with a partner takes the partner's
neighbourhood and street; one who moves into a free home keeps the street and
neighbourhood of the slot they take (the free home is placed there).

Scenarios: every intervention kind in `model/interventions.py` is implemented
(close_place, open_place, add_hosts, challenge, conversation_training,
greeting_excuses, self_checkout, chat_checkout, mobility_support, volunteering,
blackout, lockdown), so all shipped scenarios run. The oracle test checks the
baseline neighbourhood (at a small size) and the classroom. The eleven
intervention scenarios were compared once during development (300 residents,
intervention moved to day 3, 16 days, 12 paired seeds: no |t| above 3) but are
not part of the test, to keep it short.

Example
-------
>>> town = ReferenceTown(scenario="classroom", seed=3)
>>> town.run(days=7)
>>> len(town.daily)
7
"""

from __future__ import annotations

import math
import random
import zlib
from collections import Counter, deque
from functools import partial
from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from nodding import Scenario, Town
from nodding.model.decisions import CHAT, GREET, HELP, NOD
from nodding.model.life import MORTALITY, MOVING_BY_AGE
from nodding.model.metrics import COLUMNS
from nodding.model.parameters import DAY_PARTS, INTERACTION_LEVELS, PLACE_KINDS, PLACE_USES
from nodding.model.population import AGE_BANDS, ALONE_BY_AGE
from nodding.model.residents import AT_HOME, CHILD, SENIOR, WORKER
from nodding.model.routines import PART_WEIGHTS
from nodding.model.ties import ACQUAINTANCE, FAMILIAR_FACE, FRIEND, GREETING, NODDING, STRANGER

WORK, SCHOOL, COMMUTE, ERRAND, OUTING, LEISURE, ONLINE, STREET = range(len(PLACE_USES))
OPTIONAL = (ERRAND, OUTING, LEISURE, ONLINE, STREET)
LINGER = frozenset((WORK, SCHOOL, OUTING, LEISURE))
MORNING, MIDDAY, AFTERNOON, EVENING = range(4)
HOME_KIND, THIRD_KIND, TRANSIT_KIND, WORK_KIND, ONLINE_KIND = (PLACE_KINDS.index(k) for k in
                                                              ("home", "third_place", "transitory", "work", "online"))
PART_WEIGHTS_BY_ROLE = [list(map(float, row)) for row in PART_WEIGHTS]
UNIFORM_PARTS = [0.25, 0.25, 0.25, 0.25]
SEED_SALT = 0x5EED_BE7C  # the reference's random stream differs from the Town's for the same seed


def reference_seed(seed: int) -> int:
    """The seed of the reference's own random stream, derived from the run's seed."""
    return int(np.random.SeedSequence([int(seed), SEED_SALT]).generate_state(1, dtype=np.uint64)[0])


# ------------------------------------------------------------------------------ small objects
class Memory:
    """What one resident remembers about one other."""

    __slots__ = ("familiarity", "rapport", "gap", "strong")

    def __init__(self, familiarity=0.0, rapport=0.0, gap=None, strong=False):
        self.familiarity = familiarity
        self.rapport = rapport
        self.gap = gap          # liking gap toward this person; None until the first chat
        self.strong = strong    # family and friends

    def __repr__(self):
        return f"Memory(f={self.familiarity:.2f}, r={self.rapport:.2f}, gap={self.gap}, strong={self.strong})"


class Place:
    """One place: a home, a third place, a transitory zone, work or school, or online."""

    __slots__ = ("index", "name", "kind", "use", "hood", "capacity", "affordance", "hosts", "slots", "notice",
                 "open_parts", "weekend", "is_home")

    def __repr__(self):
        return f"<Place {self.index} {self.name}>"


class Gathering:
    """Visitors of one place and time slot in one day-part, in random order."""

    __slots__ = ("place", "members", "wanted", "looked_at", "positive")

    def __init__(self, place):
        self.place = place
        self.members = []
        self.positive = 0  # welcomed interactions seen here (prosocial modeling)


class Encounter:
    """`who` noticed `other` at `place`; filled in as the day-part goes on."""

    __slots__ = ("who", "other", "gathering", "mem", "level", "family", "needs", "expected", "kind",
                 "mem_back", "level_back", "welcomed", "felt_gap")

    def __init__(self, who, other, gathering, mem, level, family):
        self.who, self.other, self.gathering = who, other, gathering
        self.mem, self.level, self.family = mem, level, family
        self.felt_gap = 0.0


class Conditions:
    """What today is like (the plain-Python counterpart of `model.interventions.DayConditions`)."""

    def __init__(self, weekend: bool):
        self.weekend = weekend
        self.closed: set[int] = set()        # place indices closed all day
        self.extra_hosts: dict[int, int] = {}
        self.affordance: dict[int, float] = {}  # place index -> today's affordance, where changed (by settle)
        self.affordance_factor: dict[int, float] = {}  # place index -> product of multipliers
        self.affordance_added: dict[int, float] = {}   # place index -> sum of additions
        self.routine: dict[int, Routine] = {}  # resident index -> today's routine, where changed
        self.notice_factor: dict[int, float] = {}
        self.propensity: dict[int, float] = {}  # resident index -> log-odds added
        self.fear_learning: dict[int, float] = {}
        self.mobility: dict[int, float] = {}
        self.use_rate = [1.0] * len(PLACE_USES)
        self.help_needs = 1.0

    def is_open(self, place: Place, part: int) -> bool:
        return place.open_parts[part] and (place.weekend or not self.weekend) and place.index not in self.closed

    def affordance_of(self, place: Place) -> float:
        return self.affordance.get(place.index, place.affordance)

    def routine_to_change(self, resident) -> Routine:
        """Today's routine of `resident`, for writing: a copy of their own, made on the first change."""
        routine = self.routine.get(resident.index)
        if routine is None:
            routine = self.routine[resident.index] = Routine(resident)
        return routine

    def settle(self, places: list[Place]) -> None:
        """Affordance: the place's own times every multiplier, plus every addition, within [0, 1]."""
        for index in set(self.affordance_factor) | set(self.affordance_added):
            own = places[index].affordance * self.affordance_factor.get(index, 1.0)
            self.affordance[index] = min(max(own + self.affordance_added.get(index, 0.0), 0.0), 1.0)


class Routine:
    """One resident's routine for one day (regular place, slot, day-part and weekly rate per use)."""

    __slots__ = ("anchor", "slot", "part", "per_week")

    def __init__(self, resident):
        self.anchor, self.slot = list(resident.anchor), list(resident.slot)
        self.part, self.per_week = list(resident.part), list(resident.per_week)


class Tally:
    """Town-wide counters of one day."""

    def __init__(self):
        self.by_level = [0] * len(INTERACTION_LEVELS)
        self.by_kind = [0] * len(PLACE_KINDS)
        self.initiations = self.accepted = self.stranger_initiations = self.stranger_accepted = 0
        self.felt_gaps: list[float] = []


# ------------------------------------------------------------------------------ the resident
class Resident(mesa.Agent):
    """One resident: traits, state, routine and remembered others, as plain attributes."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.memory: dict[int, Memory] = {}  # other resident's index -> memory, at most `ties.slots`
        self.visits: list[list] = [[], [], [], []]  # per day-part: [place, slot] planned today
        self.positions: list = []  # this day-part: (gathering, position in it)
        self.noticed: list[Encounter] = []
        self.new_day()

    # ------------------------------------------------------------------ bookkeeping
    def new_day(self):
        self.contact_weight = 0.0
        self.strong_weight = 0.0  # the part of contact_weight with strong ties (close bonds)
        self.rejections = 0
        self.weak_contacts = 0
        self.strong_contacts = 0
        self.seen_positive = 0.0
        for v in self.visits:
            v.clear()

    def rung(self, mem: Memory | None) -> int:
        """Familiarity-ladder rung of a memory (0 stranger ... 5 friend)."""
        if mem is None:
            return STRANGER
        if mem.strong:
            return FRIEND
        m, r = self.model, mem.rapport
        if r >= m.friend_after:
            return FRIEND
        if r >= m.acquaintance_after:
            return ACQUAINTANCE
        if r >= m.greeting_after:
            return GREETING
        if r >= m.nodding_after:
            return NODDING
        return FAMILIAR_FACE if mem.familiarity >= m.face_after else STRANGER

    def remember(self, other: int, protected: set, displaces_below: float = math.inf) -> Memory | None:
        """The memory of `other`, made if missing. When full, the weakest non-strong memory not
        used in this batch (`protected`) is forgotten if it is fainter than `displaces_below` (a mere
        sighting displaces only a fainter memory); None if there is none to forget."""
        memory = self.memory
        mem = memory.get(other)
        if mem is not None:
            return mem
        if len(memory) >= self.model.slots:
            weakest, weakest_strength = None, math.inf
            for key, m in memory.items():
                if m.strong or key in protected:
                    continue
                strength = m.familiarity + m.rapport
                if strength < weakest_strength:
                    weakest, weakest_strength = key, strength
            if weakest is None or weakest_strength >= displaces_below:
                return None
            del memory[weakest]
        mem = memory[other] = Memory()
        protected.add(other)
        return mem

    # ------------------------------------------------------------------ plan
    def plan_day(self):
        """Where I go today: work or school and the commute on weekdays, then free-time visits."""
        model, cond = self.model, self.model.conditions
        routine = cond.routine.get(self.index, self)  # today's routine: my own unless an intervention changed it
        rnd = model.random.random
        visits = self.visits
        at_work = [False] * 4  # at an open workplace or school in that day-part
        if not cond.weekend:
            for use in (WORK, SCHOOL):
                place = routine.anchor[use]
                if place is not None:
                    for part in (MORNING, MIDDAY, AFTERNOON):
                        visits[part].append([place, routine.slot[use]])
            # commuters pass their stop only on the way to an open workplace or school
            place = routine.anchor[COMMUTE]
            destination = routine.anchor[WORK] or routine.anchor[SCHOOL]
            if destination is not None:
                at_work = [cond.is_open(destination, part) for part in (MORNING, MIDDAY, AFTERNOON)] + [False]
            if place is not None and destination is not None:
                for part in (MORNING, AFTERNOON):
                    if cond.is_open(destination, part):
                        visits[part].append([place, routine.slot[COMMUTE]])
        mobility = cond.mobility.get(self.index, self.mobility)
        for use in OPTIONAL:
            rate = routine.per_week[use] / 7.0 * cond.use_rate[use]
            if use not in (ONLINE, STREET):  # online and one's own front door need no mobility
                rate *= mobility
            if not rnd() < rate:
                continue
            if rnd() < model.regularity and routine.part[use] >= 0:
                place, part, slot = routine.anchor[use], routine.part[use], routine.slot[use]
            else:
                choices = model.local[use][self.hood]
                place = choices[int(rnd() * len(choices))] if choices else None
                if use == STREET:  # one's street is always one's own, at whatever time
                    place = routine.anchor[STREET]
                weights = UNIFORM_PARTS if cond.weekend else PART_WEIGHTS_BY_ROLE[self.role]
                part = _weighted_pick(weights, rnd())
                slot = int(rnd() * place.slots) if place is not None else 0
            # outings, third-place visits and the street never fall in hours at work or school (errands and online may)
            if use in (OUTING, LEISURE, STREET) and at_work[max(part, 0)]:
                continue
            if place is not None and part >= 0:
                visits[part].append([place, slot])

    # ------------------------------------------------------------------ meet
    def notice(self):
        """Look at a random run of others in each of my gatherings; notice some; recognise them."""
        model = self.model
        rnd = model.random.random
        boost = model.familiar_boost
        memory = self.memory
        noticed = self.noticed
        for gathering, pos in self.positions:
            k = gathering.looked_at
            if k == 0:
                continue
            members = gathering.members
            size = len(members)
            base = gathering.wanted / k
            base_odds = base / (1.0 - base) if base < 1.0 else math.inf
            shift = 1 + int(rnd() * (size - k))  # the run never wraps onto me
            family = gathering.place.is_home
            for t in range(k):
                other = members[(pos + shift + t) % size]
                if family:
                    mem, level = None, FRIEND
                else:
                    mem = memory.get(other.index)
                    level = self.rung(mem)
                odds = base_odds * (boost if level >= FAMILIAR_FACE else 1.0)
                if odds == math.inf or rnd() * (1.0 + odds) < odds:
                    noticed.append(Encounter(self, other, gathering, mem, level, family))
        # sightings build recognition (family is known already)
        protected = {e.other.index for e in noticed if e.mem is not None}
        for e in noticed:
            if e.family:
                continue
            if e.mem is None:
                e.mem = self.remember(e.other.index, protected, displaces_below=1.0)
            if e.mem is not None:
                e.mem.familiarity += 1.0

    # ------------------------------------------------------------------ decide
    @staticmethod
    def no_contact_yet(level: int) -> bool:
        """Strangers and familiar faces alike: familiar strangers stay strangers (Milgram 1972)."""
        return level <= FAMILIAR_FACE

    def frozen(self, e: Encounter) -> float:
        """A familiar face one never spoke to: the better known, the harder to address (Milgram 1972)."""
        return e.mem.familiarity / self.model.face_after if e.level == FAMILIAR_FACE else 0.0

    def decide(self, e: Encounter) -> bool:
        """Do I start something with the person I noticed, and what?"""
        model = self.model
        s, rnd, cond = model.p, model.random.random, model.conditions
        level = e.level
        place = e.gathering.place
        affordance = cond.affordance_of(place)
        e.needs = rnd() < s["encounters.need_rate"] * cond.help_needs
        belief = self.expected_acceptance
        e.expected = expected = belief + (1.0 - belief) * level / 5.0
        hosts = place.hosts + cond.extra_hosts.get(place.index, 0)
        logit = (s["decisions.base"]
                 + s["decisions.sociability_weight"] * (self.sociability - 0.5)
                 + s["decisions.familiarity_weight"] * level
                 + s["decisions.affordance_weight"] * affordance
                 + s["decisions.host_weight"] * math.log2(1.0 + hosts)  # each further host helps less
                 + s["decisions.modeling_weight"] * self.modeling
                 - s["decisions.fear_weight"] * self.fear * (1.0 - expected)
                 - s["decisions.busyness_weight"] * self.busyness
                 - s["decisions.stranger_penalty"] * self.no_contact_yet(level)
                 - s["decisions.familiar_stranger_penalty"] * self.frozen(e)  # x how well the face is known
                 + s["decisions.help_bonus"] * e.needs
                 + cond.propensity.get(self.index, 0.0))
        if not rnd() < _sigmoid(logit):
            return False
        # the rung the pair's familiarity allows, sometimes one higher; a visible need makes it help
        usual = CHAT if level >= ACQUAINTANCE else GREET if level >= NODDING else NOD
        step_up = rnd() < s["decisions.chat_step"] * affordance * self.sociability
        kind = min(usual + step_up, CHAT)
        if level == GREETING and rnd() < s["decisions.greeting_to_chat"]:
            kind = CHAT
        e.kind = HELP if e.needs else kind
        return True

    # ------------------------------------------------------------------ respond
    def respond(self, e: Encounter) -> None:
        """Someone started something with me: do I welcome it?"""
        s = self.model.p
        if e.family:
            e.mem_back, e.level_back = None, FRIEND
        else:
            e.mem_back = self.memory.get(e.who.index)
            e.level_back = self.rung(e.mem_back)
        p = (s["response.receptivity"] - s["response.busy_penalty"] * self.busyness
             + s["response.familiar_bonus"] * e.level_back)
        e.welcomed = self.model.random.random() < min(max(p, 0.0), 1.0)

    # ------------------------------------------------------------------ learn
    def learn(self, surprises: list[tuple[float, int]]) -> None:
        """Move my expectation of strangers and my fear by this day-part's prediction errors."""
        s = self.model.p
        good = bad = 0.0
        for surprise, level in surprises:
            surprise *= 1.0 - level / 5.0
            if surprise > 0:
                good += surprise
            else:
                bad -= surprise
        fear_learning = self.model.conditions.fear_learning.get(self.index, 1.0)
        g = s["learning.generalisation"]
        # a challenge speeds up learning from good experiences, not from bad ones
        self.expected_acceptance += s["learning.acceptance_rate"] * g * (good * fear_learning - bad)
        self.fear += s["learning.fear_rate"] * g * (bad - good * fear_learning)
        self.expected_acceptance = min(max(self.expected_acceptance, 0.0), 1.0)
        self.fear = min(max(self.fear, 0.0), 1.0)

    # ------------------------------------------------------------------ strong ties
    def call_strong_ties(self):
        """Visits and calls with family and friends outside shared places (always welcome)."""
        model = self.model
        rnd = model.random.random
        calls = _poisson(model.p["ties.strong_contact_rate"], rnd)
        if calls == 0:
            return
        # household members already meet at home: only strong ties from outside it
        strong = [other for other, mem in self.memory.items()
                  if mem.strong and model.residents[other].home is not self.home]
        if not strong:
            return
        p_online = min(max(self.digital * model.conditions.use_rate[ONLINE], 0.0), 1.0)
        for _ in range(calls):
            partner = model.residents[strong[int(rnd() * len(strong))]]
            online = rnd() < p_online
            model.count_interaction(CHAT, ONLINE_KIND if online else HOME_KIND)
            weight = model.weights[CHAT] * model.p["belonging.strong_multiplier"]
            if online:
                weight *= model.p["belonging.digital_weight"]
            self.contact_weight += weight
            partner.contact_weight += weight
            self.strong_weight += weight
            partner.strong_weight += weight
            self.strong_contacts += 1
            partner.strong_contacts += 1

    # ------------------------------------------------------------------ end of the day
    def end_of_day(self):
        """Fear creeps back, modeling fades, memories fade or are forgotten, belonging moves."""
        model = self.model
        s = model.p
        r = s["learning.rebound"]
        self.fear += r * (self.anxiety - self.fear)
        self.expected_acceptance += r * (self.resting_acceptance - self.expected_acceptance)
        m = s["learning.modeling_memory"]
        self.modeling = m * self.modeling + (1 - m) * (1 - math.exp(-self.seen_positive / s["learning.modeling_saturation"]))
        # the night: fade, promote to friend, forget, count
        fd, rd, friend_after = model.familiarity_decay, model.rapport_decay, model.friend_after
        faces = weak = strong = 0
        forgotten = []
        for other, mem in self.memory.items():
            mem.familiarity *= fd
            mem.rapport *= rd
            if mem.rapport >= friend_after:
                mem.strong = True
            if not mem.strong and mem.familiarity < 0.05 and mem.rapport < 0.05:
                forgotten.append(other)
                continue
            level = self.rung(mem)
            if level == FRIEND:
                strong += 1
            elif level >= NODDING:
                weak += 1
            elif level == FAMILIAR_FACE:
                faces += 1
        for other in forgotten:
            del self.memory[other]
        self.familiar_faces, self.weak_ties, self.strong_ties = faces, weak, strong
        self.support = 1.0 - math.exp(-(strong + s["belonging.weak_support"] * weak) / s["belonging.support_saturation"])
        # the set point drifts: one day of an Ornstein-Uhlenbeck process around 0, own normal draw
        keep = math.exp(-1.0 / s["belonging.drift_days"])
        shock = model.random.gauss(0.0, 1.0)
        self.drift = keep * self.drift + s["belonging.drift_sd"] * math.sqrt(1.0 - keep * keep) * shock
        set_point = min(max(self.baseline + self.drift, 0.0), 1.0)
        # belonging: a step toward today's target
        # the contact this resident needs falls with age (belonging.social_need)
        need = min(max(1.0 + s["belonging.need_by_age"] * (45.0 - self.age) / 30.0, 0.4), 2.0)
        saturation = s["belonging.saturation"] * need
        nourishment = 1.0 - math.exp(-self.contact_weight / saturation)
        total = self.weak_contacts + self.strong_contacts
        diversity = 4.0 * self.weak_contacts * self.strong_contacts / total ** 2 if total > 0 else 0.0
        day_effect = (s["belonging.social_weight"] * nourishment + s["belonging.diversity_weight"] * diversity
                      - s["belonging.rejection_cost"] * self.rejections)
        target = min(max(set_point + s["belonging.support_weight"] * self.support + day_effect, 0.0), 1.0)
        step = s["belonging.decay"]
        self.belonging += step * (target - self.belonging)
        self.belonging = min(max(self.belonging, 0.0), 1.0)
        w = s["belonging.felt_day_weight"]  # a daily diary's answer: the slow score coloured by today
        self.felt_belonging = (1.0 - w) * self.belonging + w * target
        self.affect = min(max(s["affect.floor"] + s["affect.scale"] * day_effect, 0.0), 1.0)
        # the two subscales' slow scores: the wider circle (weak ties) and close bonds (strong ties, a partner)
        ties_saturation = s["belonging.support_saturation"]
        weak_weight = self.contact_weight - self.strong_weight
        wider = 0.5 * (1.0 - math.exp(-weak_weight / saturation)) + 0.5 * (1.0 - math.exp(-weak / ties_saturation))
        close = ((1.0 - math.exp(-self.strong_weight / saturation)) + (1.0 - math.exp(-strong / ties_saturation))
                 + (self.partner >= 0)) / 3.0
        self.wider_circle += step * (wider - self.wider_circle)
        self.close_bonds += step * (close - self.close_bonds)


# ------------------------------------------------------------------------------ the model
class ReferenceTown(mesa.Model):
    """The plain-Mesa Nodding Terms: one step is one day.

    Takes the same arguments as `model.Town`: a scenario (object, path or shipped
    name), a seed and dotted overrides such as ``**{"population.size": 500}``.
    """

    #: Two chats of the same initiator with the same person in one day-part: the Town reads the
    #: gap once for the whole day-part and writes it back once (numpy fancy assignment), so both
    #: feel the same gap and it shrinks once. True mirrors that; False is the prose rule ("shrinks
    #: ... per further conversation"), which the classroom's small gatherings make visible.

    def __init__(self, scenario: Scenario | str | Path | None = None, seed: int | None = None, **values):
        # setup is borrowed from the vectorised Town (same scenario and seed), then copied into agents
        # the reference has no warm-up and no routine turnover: both start from the same young town
        template = Town(scenario, seed=seed, log_events=False, **{"warmup": 0, "routines.turnover": 0.0, **values})
        seed = template.seed
        super().__init__(rng=reference_seed(seed))
        self.seed = seed
        self.config = s = template.config
        self.p = dict(s.values)
        self.day = 0
        self.slots = s["ties.slots"]
        self.face_after = s["ties.familiar_face_after"]
        self.nodding_after = s["ties.nodding_after"]
        self.greeting_after = s["ties.greeting_after"]
        self.acquaintance_after = s["ties.acquaintance_after"]
        self.friend_after = s["ties.friend_after"]
        self.familiarity_decay = s["ties.familiarity_decay"]
        self.rapport_decay = s["ties.rapport_decay"]
        self.familiar_boost = s["encounters.familiar_boost"]
        self.regularity = s["routines.regularity"]
        self.weights = [s[f"belonging.weight_{lvl}"] for lvl in INTERACTION_LEVELS]
        self.rapport = [s[f"ties.rapport_{lvl}"] for lvl in INTERACTION_LEVELS]
        self.places = _copy_places(template)
        self.n_public = int(template.places.n_public)
        self.places_by_name: dict[str, list[Place]] = {}
        for place in self.places:
            if not place.is_home:
                self.places_by_name.setdefault(place.name, []).append(place)
        n_hoods = len(template.routines.local[0])
        self.local = [[[self.places[int(k)] for k in template.routines.local[u][h]] for h in range(n_hoods)]
                      for u in range(len(PLACE_USES))]
        self.residents: list[Resident] = _copy_residents(self, template)
        # life events: constants of this town, computed the plain way from the initial residents (as `life.Life`)
        self.next_person = max(r.person for r in self.residents) + 1
        eldest = self._eldest()
        self.moving_norm = max(sum(_step_table(MOVING_BY_AGE, eldest[r.household]) for r in self.residents)
                               / len(self.residents), 1e-12)
        self.alone_scale = _alone_scale([r.age for r in self.residents], s["population.share_living_alone"])
        self.lasting_days = int(s["belonging.lasting_days"])
        for r in self.residents:
            r.lonely_days = deque(maxlen=self.lasting_days)  # lonely or not, on each of the last days
        self.interventions = [_INTERVENTIONS[spec["kind"]](name, spec) for name, spec in s.interventions.items()]
        self.conditions = Conditions(False)
        self.tally = Tally()
        self.today: dict = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={c: partial(_today_value, column=c) for c in COLUMNS if c != "day"})
        del template

    # ------------------------------------------------------------------ the day
    def step(self) -> None:
        weekend = self.day % 7 >= 5
        self._live_lives()
        self.conditions = self._conditions(weekend)
        self.tally = Tally()
        self.agents.do("new_day")
        self.agents.shuffle_do("plan_day")
        self._turn_away()
        self._go_home()
        for part in range(len(DAY_PARTS)):
            self._day_part(part)
        self.agents.shuffle_do("call_strong_ties")
        self.agents.do("end_of_day")
        lonely_below = self.p["belonging.lonely_below"]
        for r in self.residents:  # every day, who is lonely (for lasting loneliness)
            r.lonely_days.append(r.belonging < lonely_below)
        self.today = self._daily_row()
        self.datacollector.collect(self)
        self.day += 1

    def run(self, days: int) -> None:
        for _ in range(days):
            self.step()

    @property
    def daily(self) -> pd.DataFrame:
        """One row per simulated day, the same columns as `Town.daily`."""
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame.insert(0, "day", np.arange(len(frame)))
        return frame

    def _conditions(self, weekend: bool) -> Conditions:
        """One-off hooks (what ended yesterday, then what starts today), then today's overlay."""
        ordered = sorted(self.interventions, key=lambda iv: (iv.start, iv.name))
        for iv in ordered:
            if iv.end >= 0 and self.day == iv.end + 1:
                iv.finish(self)
        for iv in ordered:
            if self.day == iv.start:
                iv.begin(self)
        today = Conditions(weekend)
        for iv in ordered:
            if iv.active(self.day):
                iv.modify(self, today)
            else:
                iv.modify_inactive(self, today)
        today.settle(self.places)
        return today

    # ------------------------------------------------------------------ life events (model/life.py)
    def _live_lives(self) -> None:
        """Residents age (role changes at 18 and retirement), households move away, young adults leave home,
        residents from 65 die; a newcomer takes each leaver's place at once."""
        s, rnd, residents = self.p, self.random.random, self.residents
        # ageing: every day is a reported day here (no warm-up)
        retirement = s["population.retirement_age"]
        for r in residents:
            before = r.age
            r.age += 1.0 / 365.0
            if (before < 18 <= r.age) or (before < retirement <= r.age):
                r.role = self._role_for(r.age, rnd())
                self._redraw_routine(r)
        # moving away: one draw per household, by the age of its eldest member
        eldest = self._eldest()
        members: dict[int, list[Resident]] = {}
        for r in residents:
            members.setdefault(r.household, []).append(r)
        moving = set()
        rate = s["life.moving_rate"]
        for household, people in members.items():
            shape = _step_table(MOVING_BY_AGE, eldest[household])
            if rnd() < _daily_chance(rate * shape / self.moving_norm):
                moving.update(r.index for r in people)
        # leaving home (young adults living with their parents) and dying (from 65): single leavers
        leave_chance = _daily_chance(s["life.leaving_home_rate"])
        singles = set()
        for r in residents:
            if r.index in moving:
                continue
            leaving = r.at_parents and r.age >= 18 and rnd() < leave_chance
            dying = rnd() < _daily_chance(-math.log1p(-_step_table(MORTALITY, r.age)))
            if leaving or dying:
                singles.add(r.index)
        if not moving and not singles:
            return
        for i in singles:  # a partner left behind now lives alone (widowhood)
            r = residents[i]
            if r.partner >= 0:
                residents[r.partner].partner = -1
            r.partner = -1
        self._move_in(sorted(moving | singles), singles)

    def _move_in(self, gone: list[int], singles: set) -> None:
        """Newcomers take the leavers' places: new ids, traits, routines; no ties but their household's."""
        s, rnd, residents = self.p, self.random.random, self.residents
        gone_set = set(gone)
        newcomers = [residents[i] for i in gone]
        for r in newcomers:
            r.person = self.next_person
            self.next_person += 1
            r.arrived = self.day
        # nobody remembers those who left, and they remember nobody
        for r in residents:
            if r.index in gone_set:
                r.memory.clear()
            else:
                for other in [o for o in r.memory if o in gone_set]:
                    del r.memory[other]
        for iv in self.interventions:
            iv.forget(gone_set)
        # a single leaver's place goes to a newcomer of the same age, alone or with a resident living alone
        single_newcomers = [r for r in newcomers if r.index in singles]
        for r in single_newcomers:
            r.at_parents = False
        for r in single_newcomers:
            self._house(r, rnd())
        # new traits and a fresh state (the same as at the start of a town)
        for r in newcomers:
            self._draw_traits(r)
            r.role = self._role_for(r.age, rnd())
            r.lonely_days.clear()
        # family ties: every pair of household members with a newcomer in it, both ways
        by_household: dict[int, list[Resident]] = {}
        for r in residents:
            by_household.setdefault(r.household, []).append(r)
        pairs = []
        for r in newcomers:
            for other in by_household[r.household]:
                if other is not r and (other.index > r.index or other.index not in gone_set):
                    pairs += [(r, other), (other, r)]
        protected: dict[Resident, set] = {}
        for owner, other in pairs:
            protected.setdefault(owner, set()).add(other.index)
        for owner, other in pairs:
            mem = owner.remember(other.index, protected[owner])
            if mem is not None:
                mem.strong, mem.familiarity, mem.rapport = True, self.face_after * 2, self.friend_after
        typical_day = 0.5 * (s["belonging.social_weight"] + s["belonging.diversity_weight"])
        for r in newcomers:
            self._redraw_routine(r)
            family = len(by_household[r.household]) - 1
            r.support = 1.0 - math.exp(-family / s["belonging.support_saturation"])
            set_point = min(max(r.baseline + r.drift, 0.0), 1.0)
            r.belonging = r.felt_belonging = min(max(set_point + s["belonging.support_weight"] * r.support
                                                     + typical_day, 0.0), 1.0)

    def _house(self, r: Resident, u: float) -> None:
        """A home for a single newcomer: alone (with the chance of their age in this town), else moving in with
        the adult living alone nearest in age (a couple forms; not with another of today's newcomers)."""
        size = Counter(x.household for x in self.residents)
        chance = min(_step_table(ALONE_BY_AGE, r.age) * self.alone_scale, 0.95)
        alone = [x for x in self.residents if size[x.household] == 1 and x.age >= 18 and x.arrived != self.day]
        if u >= chance and alone:
            mate = min(alone, key=lambda x: (abs(x.age - r.age), x.index))
            r.household, r.partner, mate.partner = mate.household, mate.index, r.index
            r.hood = mate.hood  # they live where the partner lives, in the partner's street
            r.anchor[STREET] = mate.anchor[STREET]
            return
        if size[r.household] > 1:  # the leaver shared a home: the newcomer gets an empty one of their own
            free = [h for h in range(len(self.residents)) if size[h] == 0]
            if free:
                r.household = free[0]
                self.places[self.n_public + r.household].hood = r.hood

    def _draw_traits(self, r: Resident) -> None:
        """A newcomer's traits (as `residents.draw_traits`, by age) and starting state (`residents.starting_state`)."""
        s, gauss, rnd = self.p, self.random.gauss, self.random.random

        def trait(name, mean):
            return min(max(mean + s[f"traits.{name}_sd"] * gauss(0.0, 1.0), 0.0), 1.0)

        young, oldest = 16 <= r.age < 30, r.age >= 75
        r.sociability = trait("sociability", s["traits.sociability_mean"])
        r.anxiety = trait("anxiety", s["traits.anxiety_mean"] + s["traits.anxiety_young_adults"] * young)
        r.busyness = trait("busyness", s["traits.busyness_mean"])
        low_share = s["traits.low_mobility_share_75_plus"] if oldest else s["traits.low_mobility_share"]
        r.mobility = s["traits.low_mobility"] if rnd() < low_share else 1.0
        r.digital = trait("digital_preference",
                          s["traits.digital_preference_mean"] + s["traits.digital_oldest"] * oldest)
        r.baseline = min(max(s["belonging.baseline_mean"] + s["belonging.baseline_sd"] * gauss(0.0, 1.0), 0.0), 1.0)
        r.resting_acceptance = min(max(s["learning.prior_acceptance"] + s["learning.prior_sd"] * gauss(0.0, 1.0),
                                       0.0), 1.0)
        r.belonging = r.felt_belonging = r.baseline
        r.affect = 0.5
        r.expected_acceptance, r.fear = r.resting_acceptance, r.anxiety
        r.support = r.modeling = 0.0
        r.drift = s["belonging.drift_sd"] * gauss(0.0, 1.0)
        r.wider_circle = r.close_bonds = 0.5

    def _role_for(self, age: float, u: float) -> int:
        """Pupil under 18, retired from the retirement age, else working or studying (chance employment_rate)."""
        s = self.p
        if age < 18:
            return CHILD
        if age >= s["population.retirement_age"]:
            return SENIOR
        return WORKER if u < s["population.employment_rate"] else AT_HOME

    def _redraw_routine(self, r: Resident) -> None:
        """New regular places, slots, day-parts and weekly rates (as at the start, `routines.redraw`); the street
        stays the one the resident lives in (a partner's, for a newcomer who moved in with one), as in the model; the
        home follows the household."""
        s, rnd = self.p, self.random.random
        role = r.role
        anchor = []
        for use in range(len(PLACE_USES)):
            choices = self.local[use][r.hood]
            anchor.append(choices[int(rnd() * len(choices))] if choices else None)
        if role != WORKER:
            anchor[WORK] = None
        if role != CHILD:
            anchor[SCHOOL] = None
        if not (role in (WORKER, CHILD) and rnd() < s["routines.commute_share"]):
            anchor[COMMUTE] = None
        anchor[STREET] = r.anchor[STREET]
        # for a use without a place, the model reads place 0's slots and opening hours (never used)
        fallback = self.places[0]
        slot = [int(rnd() * (place or fallback).slots) for place in anchor]
        part = [_weighted_pick([w * is_open for w, is_open in zip(PART_WEIGHTS_BY_ROLE[role],
                                                                   (place or fallback).open_parts)], rnd())
                for place in anchor]
        per_week = [0.0] * len(PLACE_USES)
        per_week[ERRAND] = s["routines.errands_per_week"] * (0.2 if role == CHILD else 1.0)
        per_week[OUTING] = s["routines.outings_per_week"]
        per_week[LEISURE] = s["routines.leisure_per_week"] * r.sociability / 0.5
        per_week[ONLINE] = s["routines.online_per_week"] * r.digital
        per_week[STREET] = s["routines.street_per_week"] * (role in (AT_HOME, SENIOR))
        r.anchor, r.slot, r.part, r.per_week = anchor, slot, part, per_week
        r.home = self.places[self.n_public + r.household]

    def _eldest(self) -> dict[int, float]:
        eldest: dict[int, float] = {}
        for r in self.residents:
            eldest[r.household] = max(eldest.get(r.household, 0.0), r.age)
        return eldest

    # ------------------------------------------------------------------ move
    def _turn_away(self) -> None:
        """Visits to closed places do not happen; a full place turns random visitors away."""
        cond, rnd = self.conditions, self.random
        crowds: dict[tuple[int, int], list] = {}
        for resident in self.residents:
            for part, visits in enumerate(resident.visits):
                kept = []
                for visit in visits:
                    place = visit[0]
                    if cond.is_open(place, part):
                        kept.append(visit)
                        crowds.setdefault((place.index, part), []).append((resident, visit))
                resident.visits[part] = kept
        for (index, part), crowd in crowds.items():
            capacity = self.places[index].capacity
            if len(crowd) > capacity:
                for resident, visit in rnd.sample(crowd, len(crowd) - capacity):
                    resident.visits[part].remove(visit)

    def _go_home(self) -> None:
        """Whoever lingers nowhere in a day-part is at home, and everyone is home in the evening."""
        for resident in self.residents:
            for part, visits in enumerate(resident.visits):
                if part == EVENING or not any(place.use in LINGER for place, _ in visits):
                    visits.append([resident.home, 0])

    # ------------------------------------------------------------------ one day-part
    def _day_part(self, part: int) -> None:
        s, rnd, cond, tally = self.p, self.random.random, self.conditions, self.tally
        # gatherings: same place, same time slot, in random order
        gatherings: dict[tuple[int, int], Gathering] = {}
        for resident in self.residents:
            for place, slot in resident.visits[part]:
                g = gatherings.get((place.index, slot))
                if g is None:
                    g = gatherings[(place.index, slot)] = Gathering(place)
                g.members.append(resident)
        notice_count: dict[int, int] = {}
        for resident in self.residents:
            resident.positions = []
            resident.noticed = []
        for g in gatherings.values():
            self.random.shuffle(g.members)
            place = g.place
            if place.index not in notice_count:
                notice_count[place.index] = int(place.notice * cond.notice_factor.get(place.index, 1.0) + rnd())
            g.wanted = min(notice_count[place.index], len(g.members) - 1)
            g.looked_at = min(2 * g.wanted, len(g.members) - 1)
            for pos, resident in enumerate(g.members):
                resident.positions.append((g, pos))

        # meet
        self.agents.shuffle_do("notice")
        # decide
        started = [e for resident in self.residents for e in resident.noticed if resident.decide(e)]
        # respond
        for e in started:
            e.other.respond(e)
        # the liking gap after welcomed conversations (between people outside the household)
        liking_gap, gap_learning = s["liking.gap"], s["liking.gap_learning"]
        for e in started:
            if e.welcomed and e.kind == CHAT and not e.family:
                if e.mem is None:  # no memory to keep the gap in: it feels like a first conversation
                    e.felt_gap = liking_gap
                else:
                    gap = e.mem.gap
                    e.felt_gap = liking_gap if gap is None else gap
                    e.mem.gap = e.felt_gap * (1.0 - gap_learning)
                tally.felt_gaps.append(e.felt_gap)
        # learn: prediction errors of each initiator, damped
        surprises: dict[Resident, list] = {}
        true_mean = max(s["liking.true_mean"], 1e-9)
        for e in started:
            experience = 1.0 - e.felt_gap / true_mean if e.welcomed else 0.0
            surprises.setdefault(e.who, []).append((experience - e.expected, e.level))
        for resident, items in surprises.items():
            resident.learn(items)
        # ties grow both ways for welcomed contact: both sides remember each other (one batch:
        # making room for one memory never evicts another one used in this day-part's contacts)
        welcomed = [e for e in started if e.welcomed]
        outside = [e for e in welcomed if not e.family]
        protected: dict[Resident, set] = {}
        for e in outside:
            if e.mem is not None:
                protected.setdefault(e.who, set()).add(e.other.index)
            if e.mem_back is not None:
                protected.setdefault(e.other, set()).add(e.who.index)
        for e in outside:
            if e.mem is None:
                e.mem = e.who.remember(e.other.index, protected.setdefault(e.who, set()))
        for e in outside:
            if e.mem_back is None:
                e.mem_back = e.other.remember(e.who.index, protected.setdefault(e.other, set()))
        strong_multiplier, digital_weight = s["belonging.strong_multiplier"], s["belonging.digital_weight"]
        for e in welcomed:
            rapport = self.rapport[e.kind]
            if e.mem is not None:
                e.mem.rapport += rapport
            if e.mem_back is not None:
                e.mem_back.rapport += rapport
                e.mem_back.familiarity += 1.0
            a, b, place = e.who, e.other, e.gathering.place
            strong = e.level >= FRIEND
            self.count_interaction(e.kind, place.kind)
            weight = self.weights[e.kind] * (strong_multiplier if strong else 1.0)
            if place.kind == ONLINE_KIND:
                weight *= digital_weight
            a.contact_weight += weight
            b.contact_weight += weight
            if strong:
                a.strong_weight += weight
                b.strong_weight += weight
                a.strong_contacts += 1
                b.strong_contacts += 1
            else:
                a.weak_contacts += 1
                b.weak_contacts += 1
            if not e.family:  # prosocial modeling counts what is seen in public places
                e.gathering.positive += 1
                a.seen_positive -= 1  # one's own interactions are not "seen around one"
                b.seen_positive -= 1
        for e in started:
            tally.initiations += 1
            tally.accepted += e.welcomed
            if not e.welcomed:
                e.who.rejections += 1
            if e.level == STRANGER:
                tally.stranger_initiations += 1
                tally.stranger_accepted += e.welcomed
        # prosocial modeling: positive interactions seen in one's (public) gatherings
        for g in gatherings.values():
            if g.positive:
                for resident in g.members:
                    resident.seen_positive += g.positive

    def count_interaction(self, level: int, kind: int) -> None:
        self.tally.by_level[level] += 1
        self.tally.by_kind[kind] += 1

    # ------------------------------------------------------------------ record
    def _daily_row(self) -> dict:
        res, t, n = self.residents, self.tally, len(self.residents)
        lonely_below = self.p["belonging.lonely_below"]

        def mean(field):
            return sum(getattr(r, field) for r in res) / n

        s = self.p
        severe_below = s["belonging.severely_lonely_below"]
        social_below, emotional_below = s["belonging.socially_lonely_below"], s["belonging.emotionally_lonely_below"]

        def share(flag, low=18.0, high=math.inf):  # a share among residents of these ages (NaN if none)
            group = [r for r in res if low <= r.age < high]
            return sum(flag(r) for r in group) / len(group) if group else np.nan

        def lonely(r):
            return r.belonging < lonely_below

        def severe(r):
            return r.belonging < severe_below

        def lasting(r):  # lonely on more than half of the last `belonging.lasting_days` days
            return 2 * sum(r.lonely_days) > self.lasting_days

        # loneliness among adults (18+); social and emotional loneliness among residents 15+; bands by age
        row = {
            "day": self.day,
            "weekday": self.day % 7,
            "mean_belonging": mean("belonging"),
            "lonely_share": share(lonely),
            "severely_lonely_share": share(severe),
            "lasting_lonely_share": share(lasting),
            "socially_lonely_share": share(lambda r: r.wider_circle < social_below, 15.0),
            "emotionally_lonely_share": share(lambda r: r.close_bonds < emotional_below, 15.0),
        }
        for band, (low, high) in AGE_BANDS.items():
            row[f"lonely_share_{band}"] = share(lonely, low, high)
            row[f"severely_lonely_share_{band}"] = share(severe, low, high)
        row.update({"mean_felt_belonging": mean("felt_belonging"), "mean_affect": mean("affect")})
        row.update({f"interactions_{name}": c for name, c in zip(INTERACTION_LEVELS, t.by_level)})
        row.update({f"interactions_{name}": c for name, c in zip(PLACE_KINDS, t.by_kind)})
        row.update({
            "mean_weak_ties": mean("weak_ties"),
            "mean_strong_ties": mean("strong_ties"),
            "mean_familiar_faces": mean("familiar_faces"),
            "mean_fear": mean("fear"),
            "mean_expected_acceptance": mean("expected_acceptance"),
            "acceptance_rate": t.accepted / t.initiations if t.initiations else np.nan,
            "acceptance_rate_strangers": (t.stranger_accepted / t.stranger_initiations
                                          if t.stranger_initiations else np.nan),
            "initiations": t.initiations,
            "rejections": t.initiations - t.accepted,
            "mean_liking_gap": sum(t.felt_gaps) / len(t.felt_gaps) if t.felt_gaps else np.nan,
            "mean_support": mean("support"),
            "mean_modeling": mean("modeling"),
        })
        return row


def _today_value(town, column: str):
    return town.today[column]


# ------------------------------------------------------------------------------ helpers
def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _poisson(lam: float, rnd) -> int:
    """Knuth's Poisson sampler (fine for the small daily rates used here)."""
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation for unusual, large rates
        return max(0, int(round(lam + math.sqrt(lam) * _std_normal(rnd))))
    limit, k, prod = math.exp(-lam), 0, rnd()
    while prod > limit:
        k += 1
        prod *= rnd()
    return k


def _std_normal(rnd) -> float:
    return math.sqrt(-2.0 * math.log(1.0 - rnd())) * math.cos(2.0 * math.pi * rnd())


def _weighted_pick(weights, u: float) -> int:
    """Index drawn with the given weights (-1 if they are all zero)."""
    total = sum(weights)
    if total <= 0:
        return -1
    x, cum = u * total, 0.0
    for k, w in enumerate(weights):
        cum += w
        if x < cum:
            return k
    return len(weights) - 1


def _step_table(table, age: float) -> float:
    """The value of a step table ((age from, value), ...) at an age; 0 before the first step."""
    value = 0.0
    for start, v in table:
        if age >= start:
            value = v
    return value


def _daily_chance(per_year: float) -> float:
    """The chance of an event today, for a rate per year."""
    return -math.expm1(-per_year / 365.0)


def _alone_scale(ages: list[float], share: float) -> float:
    """The scale of `ALONE_BY_AGE` at which the mean chance of living alone (each at most 0.95) is `share`
    (bisection, as `population.living_alone_chance`); 0 if nobody could live alone."""
    shape = [_step_table(ALONE_BY_AGE, a) for a in ages]
    if share <= 0 or not any(shape):
        return 0.0

    def mean_chance(scale):
        return sum(min(x * scale, 0.95) for x in shape) / len(shape)

    low, high = 0.0, 1.0
    while mean_chance(high) < share and high < 1e6:
        high *= 2
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if mean_chance(mid) < share else (low, mid)
    return max(min(x * high, 0.95) / x for x in shape if x > 0)


def _copy_places(town: Town) -> list[Place]:
    p = town.places
    out = []
    for k in range(len(p)):
        place = Place()
        place.index = k
        place.is_home = bool(p.spec[k] < 0)
        place.name = "home" if place.is_home else p.names[p.spec[k]]
        place.kind = int(p.kind[k])
        place.use = int(p.use[k])
        place.hood = int(p.neighbourhood[k])
        place.capacity = int(p.capacity[k])
        place.affordance = float(p.affordance[k])
        place.hosts = int(p.hosts[k])
        place.slots = int(p.slots[k])
        place.notice = int(p.notice[k])
        place.open_parts = tuple(bool(x) for x in p.open_parts[k])
        place.weekend = bool(p.weekend[k])
        out.append(place)
    return out


_TRAITS = ("sociability", "anxiety", "busyness", "mobility", "digital", "baseline", "resting_acceptance",
           "belonging", "affect", "expected_acceptance", "fear", "support", "modeling", "felt_belonging", "drift",
           "wider_circle", "close_bonds", "person", "age", "household", "partner", "at_parents", "arrived")


def _copy_residents(model: ReferenceTown, town: Town) -> list[Resident]:
    res, r, ties, places = town.residents, town.routines, town.ties, model.places
    arrays = {f: getattr(res, f).tolist() for f in _TRAITS}
    role, hood = res.role.tolist(), res.neighbourhood.tolist()
    home, anchor, slot, part, per_week = (r.home.tolist(), r.anchor.tolist(), r.slot.tolist(), r.part.tolist(),
                                          r.per_week.tolist())
    other, fam, rap, gap, strong = (ties.other.tolist(), ties.familiarity.tolist(), ties.rapport.tolist(),
                                    ties.gap.tolist(), ties.strong.tolist())
    residents = []
    for i in range(len(res)):
        a = Resident(model, i)
        for f in _TRAITS:
            setattr(a, f, arrays[f][i])
        a.role, a.hood = role[i], hood[i]
        a.home = places[home[i]]
        a.anchor = [places[k] if k >= 0 else None for k in anchor[i]]
        a.slot, a.part, a.per_week = slot[i], part[i], per_week[i]
        for k, o in enumerate(other[i]):
            if o >= 0:
                a.memory[o] = Memory(fam[i][k], rap[i][k], None if gap[i][k] != gap[i][k] else gap[i][k], strong[i][k])
        a.familiar_faces = a.weak_ties = a.strong_ties = 0
        residents.append(a)
    return residents


# ------------------------------------------------------------------------------ interventions
class Intervention:
    """Active from `start` to `end` inclusive (end -1: until the run ends); see model/interventions.py.

    Draws are made once, in `begin`, from the intervention's own stream (`stream`); effects are laid
    over today's `Conditions` in `modify`, so nothing is undone when it ends.
    """

    def __init__(self, name: str, spec: dict):
        self.name, self.spec = name, spec
        self.start, self.end = spec["start"], spec.get("end", spec["start"])
        self.participants: list[Resident] = []

    def active(self, day: int) -> bool:
        return self.start <= day and (self.end < 0 or day <= self.end)

    def begin(self, town):
        pass

    def modify(self, town, today: Conditions):
        pass

    def modify_inactive(self, town, today: Conditions):
        pass

    def finish(self, town):
        pass

    def forget(self, gone: set) -> None:
        """Residents who left take no further part (their slots' newcomers are not participants)."""
        self.participants = [r for r in self.participants if r.index not in gone]

    def _places(self, town) -> list[Place]:
        return town.places_by_name.get(self.spec["place"], [])

    def stream(self, town) -> random.Random:
        """This intervention's own random stream: the reference's seed and a stable hash of the name."""
        entropy = [reference_seed(town.seed), zlib.crc32(self.name.encode("utf-8"))]
        return random.Random(int(np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint64)[0]))

    @staticmethod
    def _draw(rnd: random.Random, share: float, among) -> list[Resident]:
        return [r for r in among if rnd.random() < share]


class ClosePlace(Intervention):
    def modify(self, town, today):
        today.closed.update(p.index for p in self._places(town))


class OpenPlace(Intervention):
    """A new place: closed before `start` (and after `end`, if given)."""

    def modify_inactive(self, town, today):
        today.closed.update(p.index for p in self._places(town))


class AddHosts(Intervention):
    def modify(self, town, today):
        for p in self._places(town):
            today.extra_hosts[p.index] = today.extra_hosts.get(p.index, 0) + self.spec["hosts"]


class Challenge(Intervention):
    def begin(self, town):
        self.participants = self._draw(self.stream(town), self.spec["share"], town.residents)

    def modify(self, town, today):
        for r in self.participants:
            today.propensity[r.index] = today.propensity.get(r.index, 0.0) + self.spec["propensity"]
            today.fear_learning[r.index] = today.fear_learning.get(r.index, 1.0) * self.spec["fear_learning"]


class ConversationTraining(Intervention):
    def begin(self, town):
        self.participants = self._draw(self.stream(town), self.spec["share"], town.residents)
        drop, calibrate, true = self.spec["fear_reduction"], self.spec["calibration"], town.p["response.receptivity"]
        for r in self.participants:
            r.fear = min(max(r.fear - drop, 0.0), 1.0)
            r.anxiety = min(max(r.anxiety - drop / 2, 0.0), 1.0)
            r.expected_acceptance += calibrate * (true - r.expected_acceptance)
            r.resting_acceptance += calibrate * (true - r.resting_acceptance)


class GreetingExcuses(Intervention):
    def begin(self, town):
        self.participants = self._draw(self.stream(town), self.spec["share"], town.residents)

    def modify(self, town, today):
        for r in self.participants:
            today.propensity[r.index] = today.propensity.get(r.index, 0.0) + self.spec["propensity"]


class SelfCheckout(Intervention):
    def modify(self, town, today):
        keep = 1.0 - self.spec["contact_reduction"]
        for p in self._places(town):
            today.notice_factor[p.index] = today.notice_factor.get(p.index, 1.0) * keep
            today.affordance_factor[p.index] = today.affordance_factor.get(p.index, 1.0) * keep


class ChatCheckout(Intervention):
    def modify(self, town, today):
        for p in self._places(town):
            today.affordance_added[p.index] = today.affordance_added.get(p.index, 0.0) + self.spec["affordance"]


class MobilitySupport(Intervention):
    def begin(self, town):
        low = [r for r in town.residents if r.mobility < 1.0]
        self.participants = self._draw(self.stream(town), self.spec["share"], low)

    def modify(self, town, today):
        for r in self.participants:
            today.mobility[r.index] = max(today.mobility.get(r.index, r.mobility), self.spec["mobility"])


class Volunteering(Intervention):
    def begin(self, town):
        rnd = self.stream(town)
        copies = self._places(town)
        # nobody can volunteer at a place with count 0
        self.participants = self._draw(rnd, self.spec["share"] if copies else 0.0, town.residents)
        by_hood: dict[int, list[Place]] = {}
        for p in copies:
            by_hood.setdefault(p.hood, []).append(p)
        self.routine = []  # per participant: (place, slot, day-part), drawn once
        for r in self.participants:
            local = by_hood[r.hood]
            place = local[int(rnd.random() * len(local))]
            slot = int(rnd.random() * place.slots)
            # a regular day-part: role weights, restricted to when the place is open
            weights = [w * is_open for w, is_open in zip(PART_WEIGHTS_BY_ROLE[r.role], copies[0].open_parts)]
            self.routine.append((place, slot, _weighted_pick(weights, rnd.random())))

    def forget(self, gone: set) -> None:
        if not self.participants:  # nothing drawn yet (or nobody left)
            return
        kept = [(r, routine) for r, routine in zip(self.participants, self.routine) if r.index not in gone]
        self.participants, self.routine = [r for r, _ in kept], [routine for _, routine in kept]

    def modify(self, town, today):
        for r, (place, slot, part) in zip(self.participants, self.routine):
            routine = today.routine_to_change(r)
            routine.anchor[LEISURE], routine.slot[LEISURE], routine.part[LEISURE] = place, slot, part
            routine.per_week[LEISURE] = max(routine.per_week[LEISURE], self.spec["per_week"])


class Blackout(Intervention):
    def modify(self, town, today):
        for p in town.places:
            if p.is_home:
                continue
            if p.use in (COMMUTE, ONLINE):
                today.closed.add(p.index)
            if p.kind in (THIRD_KIND, TRANSIT_KIND):
                today.affordance_added[p.index] = today.affordance_added.get(p.index, 0.0) + self.spec["affordance"]
        today.use_rate[ONLINE] = 0.0
        today.help_needs *= self.spec["help_needs"]


class Lockdown(Intervention):
    def modify(self, town, today):
        today.closed.update(p.index for p in town.places if p.kind in (THIRD_KIND, WORK_KIND))
        today.use_rate[ONLINE] *= self.spec["digital"]

    def finish(self, town):
        """Re-entry fear once per reopening: the last day of a spell of (overlapping) lockdowns."""
        lockdowns = [iv for iv in town.interventions if isinstance(iv, Lockdown)]
        if any(iv.active(town.day) for iv in lockdowns):
            return  # another lockdown is still in force: no reopening yet
        if self.name != min(iv.name for iv in lockdowns if iv.end == town.day - 1):
            return  # several ended yesterday: one of them applies the shock
        spell, first, grew = [], town.day, True
        while grew:  # walk back over lockdowns that overlap or touch the spell
            grew = False
            for iv in lockdowns:
                if iv not in spell and 0 <= iv.end < town.day and iv.end >= first - 1:
                    spell.append(iv)
                    first = min(first, iv.start)
                    grew = True
        shock = max(iv.spec["reentry_fear"] for iv in spell)
        for r in town.residents:
            r.fear = min(max(r.fear + shock, 0.0), 1.0)


_INTERVENTIONS = {
    "close_place": ClosePlace, "open_place": OpenPlace, "add_hosts": AddHosts, "challenge": Challenge,
    "conversation_training": ConversationTraining, "greeting_excuses": GreetingExcuses,
    "self_checkout": SelfCheckout, "chat_checkout": ChatCheckout, "mobility_support": MobilitySupport,
    "volunteering": Volunteering, "blackout": Blackout, "lockdown": Lockdown,
}


if __name__ == "__main__":  # a quick look: python benchmarks/reference_mesa.py [size] [days]
    import sys
    import time

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    t0 = time.perf_counter()
    town = ReferenceTown(seed=1, **{"population.size": size})
    t1 = time.perf_counter()
    town.run(days)
    t2 = time.perf_counter()
    print(town.daily.round(3).T.to_string())
    print(f"setup {t1 - t0:.2f} s, {size * days / (t2 - t1):,.0f} agent-days/s")
