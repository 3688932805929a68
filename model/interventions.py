"""Interventions and crises: small objects with a start day, an end day and effects.

Modelled on Covasim's interventions. Each day starts from the town's plain
conditions (`DayConditions`: open places, hosts, affordance, per-resident boosts
and today's view of the routines) and every active intervention `modify`-es that
day's copy, so ending an intervention needs no bookkeeping and any number of
them can overlap. Routines are copied on write: a day on which no intervention
changes routines plans with the town's own `Routines`, copying nothing.

Effects combine without regard to the order of the file: additions add,
multipliers multiply, closures and maxima are taken over all, and affordance is
combined once, after every intervention has had its say (`DayConditions.settle`:
the place's own affordance times all multipliers, plus all additions, clipped to
[0, 1]). The one effect that replaces rather than combines -- a volunteer's
regular leisure place -- goes to the intervention that began last (then by
name), because interventions are applied in order of start day, then name.

Draws an intervention needs (participants, the local copy of a place, a slot and
a day-part) are made once, in `begin`, from the intervention's own random stream
(`stream`: the town's seed and a stable hash of the intervention's name), and
kept in the object. So drawing participants never disturbs the town's other
draws, and adding, removing or reordering one intervention does not change who
takes part in another.

One-off *state shocks* remain: a conversation training lowers the trained
residents' fear once (`begin`), and reopening after a lockdown raises everyone's
fear once (`finish`, only when no lockdown is still in force). They change
`Residents` for good, as the events they stand for do.

Sources: third places, hosts and transitory zones (Kremer, Parys & Verplanke
2019); challenges and campaigns (Movisie pilot report 2023; Sandstrom, Boothby &
Cooney 2022); conversation training (Sandstrom & Boothby 2021); groetsmoesjes
(Movisie pilot report 2023); self-checkout as Sandstrom & Dunn's (2014a) barista
study in reverse; volunteering (De Witte in Wascabi 2021); blackouts and
re-entry anxiety after lockdowns (de la Serna 2025). Effect sizes are
modelling choices exposed as fields (see docs/parameters.md).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from . import groups
from .parameters import PLACE_KINDS, PLACE_USES
from .routines import COMMUTE, LEISURE, ONLINE, Routines, free_time_part

__all__ = [
    "DayConditions", "Intervention", "KINDS", "Lockdown", "begin_and_finish", "build_interventions",
    "day_conditions", "in_order", "reentry_fear", "stream",
]


@dataclass
class DayConditions:
    """What today is like: open places, hosts, affordance, per-resident boosts, today's routines.

    Built fresh every day (`plain`), changed by the day's interventions, then
    `settle`-d. `affordance` is the places' own until `settle` combines it with
    `affordance_factor` and `affordance_added`. `routines` is the town's own
    object until an intervention asks for `routines_to_change()`.
    """

    open: np.ndarray               # (places, 4) bool
    hosts: np.ndarray              # (places,)
    affordance: np.ndarray         # (places,) the places' own; today's after `settle`
    affordance_factor: np.ndarray  # (places,) product of multipliers of the place's own affordance
    affordance_added: np.ndarray   # (places,) sum of affordance added on top
    notice_factor: np.ndarray      # (places,) multiplier of how many others are noticed
    propensity: np.ndarray         # (residents,) log-odds added to starting an interaction
    fear_learning: np.ndarray      # (residents,) multiplier of learning from experience
    mobility: np.ndarray           # (residents,) chance of making a planned out-of-home visit
    use_rate: np.ndarray           # (uses,) multiplier of free-time visit rates
    routines: Routines             # today's routines (the town's own unless changed today)
    help_needs: float = 1.0        # multiplier of visible needs for help
    _own_routines: bool = field(default=False, init=False, repr=False)  # `routines` is today's copy

    @classmethod
    def plain(cls, places, residents, routines: Routines, weekend: bool) -> DayConditions:
        open_today = places.open_parts & (places.weekend[:, None] | (not weekend))
        n = len(residents)
        return cls(open=open_today.copy(), hosts=places.hosts.copy(), affordance=places.affordance.copy(),
                   affordance_factor=np.ones(len(places)), affordance_added=np.zeros(len(places)),
                   notice_factor=np.ones(len(places)), propensity=np.zeros(n), fear_learning=np.ones(n),
                   mobility=residents.mobility.copy(), use_rate=np.ones(len(PLACE_USES)), routines=routines)

    def routines_to_change(self) -> Routines:
        """Today's routines, for writing: copied from the town's on the first change of the day."""
        if not self._own_routines:
            r = self.routines
            self.routines = replace(r, anchor=r.anchor.copy(), slot=r.slot.copy(), part=r.part.copy(),
                                    per_week=r.per_week.copy())
            self._own_routines = True
        return self.routines

    def settle(self) -> DayConditions:
        """Combine the affordance parts once, so that their order does not matter."""
        self.affordance = np.clip(self.affordance * self.affordance_factor + self.affordance_added, 0.0, 1.0)
        return self


def stream(seed: int, name: str) -> np.random.Generator:
    """An intervention's own random stream: the town's seed and a stable hash of its name.

    `zlib.crc32`, not Python's `hash()`, which is salted per process.

    Parameters
    ----------
    seed : int
        The town's seed (`Town.seed`).
    name : str
        The intervention's name: the key of its `[interventions.<name>]` table.

    Returns
    -------
    numpy.random.Generator
        A fresh generator; the same seed and name give the same draws in every process and run.
    """
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


class Intervention:
    """Base class: active from `start` to `end` inclusive (end -1: until the run ends)."""

    def __init__(self, name: str, spec: dict):
        self.name = name
        self.spec = spec
        self.kind = spec.get("kind", "")
        self.start, self.end = spec["start"], spec.get("end", spec["start"])
        self.participants = np.zeros(0, dtype=np.int64)
        #: who may take part (kinds with participants), fixed on the start day (`form_groups`); None before
        self.target_group: np.ndarray | None = None
        #: the groups are fixed (`form_groups` ran on the start day)
        self.formed = False
        #: the regulars of `watched_place` (model/groups.py), gathered before the start; None until then
        self.regulars: np.ndarray | None = None
        target = spec.get("target", "")
        #: the place whose regulars this intervention knows: a `regulars:<place>` target's, else its own `place`
        self.watched_place: str | None = target.partition(":")[2] if target.startswith("regulars:") else spec.get("place")

    def active(self, day: int) -> bool:
        return self.start <= day and (self.end < 0 or day <= self.end)

    def begin(self, town) -> None:
        """One-off on the start day: the draws the intervention needs (and a state shock, if any)."""

    def modify(self, town, today: DayConditions) -> None:
        """Change today's conditions while active."""

    def modify_inactive(self, town, today: DayConditions) -> None:
        """Change today's conditions while not active (e.g. a place not yet opened)."""

    def finish(self, town) -> None:
        """One-off state shock the day after the end (nothing needs undoing)."""

    def forget(self, gone: np.ndarray) -> None:
        """Residents who left the town (model/life.py) take no further part, and their slots' newcomers are in
        none of this intervention's groups."""
        keep = ~np.isin(self.participants, gone)
        if not keep.all():
            self.keep_participants(keep)
        for group in (self.target_group, self.regulars):
            if group is not None:
                group[gone] = False

    def keep_participants(self, keep: np.ndarray) -> None:
        """Keep the participants where `keep` is true (and whatever was drawn for each of them)."""
        self.participants = self.participants[keep]

    @property
    def target(self) -> str:
        """Who may take part: the file's `target`, else the kind's default (`groups.default_target`)."""
        return self.spec.get("target", groups.default_target(self.kind))

    def watch_regulars(self, town) -> None:
        """On each of the `groups.regular_days` days before the start and on the start day: add the residents
        whose regular routine has the watched place today to the regulars (model/groups.py)."""
        if self.watched_place is None or not (self.start - town.config["groups.regular_days"] <= town.day <= self.start):
            return
        today = groups.regulars_today(town, self.watched_place)
        self.regulars = today if self.regulars is None else self.regulars | today

    def form_groups(self, town) -> None:
        """On the start day, before `begin`: fix the target group (and the regulars, gathered by `watch_regulars`).

        A target given in the file that selects nobody is an error (`ScenarioError` naming the
        intervention's `target`), not an empty group.
        """
        self.formed = True
        if self.watched_place is not None and self.regulars is None:
            self.regulars = groups.regulars_today(town, self.watched_place)
        if self.kind not in groups.PARTICIPANT_KINDS:
            return
        self.target_group = groups.target_members(town, self.target, self.regulars)
        if "target" in self.spec and not self.target_group.any():
            from .scenario import ScenarioError
            raise ScenarioError(f"{self.target!r} selects nobody in this town on day {self.start}, when the "
                                "intervention starts; choose another target", file=town.config.source,
                                field=f"interventions.{self.name}.target")

    # helpers for subclasses
    def _places(self, town) -> np.ndarray:
        return town.places.of_spec(self.spec["place"])

    def draw_participants(self, town, rng: np.random.Generator | None = None, share: float | None = None,
                          among: np.ndarray | None = None) -> np.ndarray:
        """Who takes part: each of `among` (default: every resident), in order, with probability `share`.

        Parameters
        ----------
        town : Town
            The town whose residents may take part.
        rng : numpy.random.Generator, optional
            Default: a fresh copy of this intervention's own stream (`stream`), so the call draws
            exactly the participants `begin` draws, and may be made before the start day.
        share : float, optional
            Probability of taking part (default: the spec's `share`).
        among : numpy.ndarray, optional
            Resident indices who may take part (default: all).

        Returns
        -------
        numpy.ndarray
            The participants' indices, a subset of `among` in its order.
        """
        rng = stream(town.seed, self.name) if rng is None else rng
        if among is None:
            targeted = "target" in self.spec or self.target != "everyone"
            if targeted:
                group = self.target_group if self.target_group is not None else groups.target_members(
                    town, self.target, self.regulars)
                among = np.flatnonzero(group)
            else:
                among = np.arange(len(town.residents))
        if "uptake" in self.spec:  # self-selection: the share of the target is `uptake`
            uptake = self.spec["uptake"] if share is None else min(share, self.spec["uptake"])
            weights = {trait: self.spec.get(f"uptake_{trait}", groups.UPTAKE_DEFAULTS[trait])
                       for trait in ("sociability", "anxiety", "loneliness")}
            return groups.self_selected(among, uptake, weights, town, rng)
        share = self.spec["share"] if share is None else share
        return among[rng.random(len(among)) < share]

    def __repr__(self) -> str:
        end = "end" if self.end < 0 else self.end
        return f"<{type(self).__name__} {self.name!r} days {self.start}-{end}>"


class ClosePlace(Intervention):
    def modify(self, town, today):
        today.open[self._places(town)] = False


class OpenPlace(Intervention):
    """A new place: closed before `start` (and after `end`, if given)."""

    def modify_inactive(self, town, today):
        today.open[self._places(town)] = False


class AddHosts(Intervention):
    def modify(self, town, today):
        today.hosts[self._places(town)] += self.spec["hosts"]


class Challenge(Intervention):
    """A share of residents practise small interactions: more starts, faster fear learning."""

    def begin(self, town):
        self.participants = self.draw_participants(town)

    def modify(self, town, today):
        today.propensity[self.participants] += self.spec["propensity"]
        today.fear_learning[self.participants] *= self.spec["fear_learning"]


class ConversationTraining(Intervention):
    """Lower fear and better-calibrated expectations for the trained (half the fear drop lasts).

    A state shock on the start day. Two trainings of the same person compose
    order-free: the fear drops add (down to 0) and the calibrations close
    (1 - c1)(1 - c2) of the gap.
    """

    def begin(self, town):
        res, s = town.residents, town.config
        self.participants = p = self.draw_participants(town)
        drop, calibrate = self.spec["fear_reduction"], self.spec["calibration"]
        res.fear[p] = np.clip(res.fear[p] - drop, 0.0, 1.0)
        res.anxiety[p] = np.clip(res.anxiety[p] - drop / 2, 0.0, 1.0)
        for belief in (res.expected_acceptance, res.resting_acceptance):
            belief[p] += calibrate * (s["response.receptivity"] - belief[p])


class GreetingExcuses(Intervention):
    """Groetsmoesjes: a ready excuse lowers the threshold to start."""

    def begin(self, town):
        self.participants = self.draw_participants(town)

    def modify(self, town, today):
        today.propensity[self.participants] += self.spec["propensity"]


class SelfCheckout(Intervention):
    """Less contact at the till: fewer others noticed, less of the place's own affordance."""

    def modify(self, town, today):
        ids = self._places(town)
        keep = 1.0 - self.spec["contact_reduction"]
        today.notice_factor[ids] *= keep
        today.affordance_factor[ids] *= keep


class ChatCheckout(Intervention):
    """A 'chat checkout' lane invites a word with the cashier and the queue."""

    def modify(self, town, today):
        today.affordance_added[self._places(town)] += self.spec["affordance"]


class MobilitySupport(Intervention):
    """Transport help for a share of residents with low mobility."""

    def begin(self, town):
        self.participants = self.draw_participants(town)  # the target: low mobility, unless the file says otherwise

    def modify(self, town, today):
        p = self.participants
        today.mobility[p] = np.maximum(today.mobility[p], self.spec["mobility"])


class Volunteering(Intervention):
    """A share of residents volunteer at a place: regular visits to their local copy of it.

    Who volunteers, at which copy, in which slot and day-part is drawn once in
    `begin`; while active, today's routines get that regular leisure place, and
    after `end` the plain routine is simply back.
    """

    def begin(self, town):
        rng = stream(town.seed, self.name)
        copies = self._places(town)
        # nobody can volunteer at a place with count 0
        self.participants = p = self.draw_participants(town, rng, None if len(copies) else 0.0)
        self.anchor = self.slot = self.part = np.zeros(0, dtype=np.int64)
        if len(p) == 0:
            return
        hood = town.residents.neighbourhood[p]
        local = copies.reshape(-1, len(copies) // (town.places.neighbourhood[copies].max() + 1))
        self.anchor = local[hood, (rng.random(len(p)) * local.shape[1]).astype(np.int64)]
        self.slot = (rng.random(len(p)) * town.places.slots[self.anchor]).astype(town.routines.slot.dtype)
        self.part = free_time_part(town.residents.role[p], town.places.open_parts[copies[0]], rng.random(len(p)))

    def keep_participants(self, keep):
        self.participants, self.anchor, self.slot, self.part = (
            self.participants[keep], self.anchor[keep], self.slot[keep], self.part[keep])

    def modify(self, town, today):
        p = self.participants
        if len(p) == 0:
            return
        r = today.routines_to_change()
        r.anchor[p, LEISURE], r.slot[p, LEISURE], r.part[p, LEISURE] = self.anchor, self.slot, self.part
        r.per_week[p, LEISURE] = np.maximum(r.per_week[p, LEISURE], self.spec["per_week"])


class Blackout(Intervention):
    """Power and networks down: no transit, no online; neighbours meet and help."""

    def modify(self, town, today):
        places = town.places
        down = (places.use == COMMUTE) | (places.use == ONLINE)
        today.open[down] = False
        today.use_rate[ONLINE] = 0.0
        local = (places.kind == PLACE_KINDS.index("third_place")) | (places.kind == PLACE_KINDS.index("transitory"))
        today.affordance_added[local] += self.spec["affordance"]
        today.help_needs *= self.spec["help_needs"]


class Lockdown(Intervention):
    """Third places and workplaces closed, more online contact; re-entry anxiety on reopening."""

    def modify(self, town, today):
        kind = town.places.kind
        closed = (kind == PLACE_KINDS.index("third_place")) | (kind == PLACE_KINDS.index("work"))
        today.open[closed] = False
        today.use_rate[ONLINE] *= self.spec["digital"]

    def finish(self, town):
        """Re-entry anxiety once, when the town actually reopens (see `reentry_fear`)."""
        lockdowns = [iv for iv in town.interventions if isinstance(iv, Lockdown)]
        ending = [iv for iv in lockdowns if iv.end == town.day - 1]
        if self is not min(ending, key=lambda iv: iv.name):  # the shock is applied once per reopening
            return
        shock = reentry_fear(lockdowns, town.day)
        if shock > 0:
            res = town.residents
            res.fear[:] = np.clip(res.fear + shock, 0.0, 1.0)


def reentry_fear(lockdowns: list[Lockdown], day: int) -> float:
    """Fear added to everyone on `day` if the town reopens that day, else 0.

    A town reopens on the first day no lockdown is in force after a spell of
    days on which one was (overlapping or back-to-back lockdowns are one
    spell). The shock is the largest `reentry_fear` of the spell's lockdowns:
    people re-enter once, not once per lockdown order (de la Serna 2025).

    Parameters
    ----------
    lockdowns : list of Lockdown
        Every lockdown of the town, whatever its days (`town.interventions` that are `Lockdown`s).
    day : int
        The day to check: reported days count from 0, warm-up days are negative.

    Returns
    -------
    float
        Fear added to every resident on `day`, in [0, 1]: the largest `reentry_fear` field of the spell
        that ended the day before; 0.0 if a lockdown is in force on `day` or none was on the day before.

    References
    ----------
    de la Serna, J. M. (n.d.). Socialiseren redt ons: hoe contact tijdens black-outs en crisis het verschil
    maakt, volgens de wetenschap. Co-published with The Conversation (Derde Millennium). Seed 002.
    (Cited in the code as "de la Serna 2025"; the seed text carries no date.)
    """
    if any(iv.active(day) for iv in lockdowns):
        return 0.0
    spell = [iv for iv in lockdowns if iv.active(day - 1)]
    grew = bool(spell)
    while grew:  # add lockdowns that end the day before the spell's first day, or overlap it
        first = min(iv.start for iv in spell)
        more = [iv for iv in lockdowns if iv not in spell and iv.end >= 0 and first - 1 <= iv.end < day]
        spell += more
        grew = bool(more)
    return max((iv.spec["reentry_fear"] for iv in spell), default=0.0)


KINDS: dict[str, type[Intervention]] = {
    "close_place": ClosePlace, "open_place": OpenPlace, "add_hosts": AddHosts, "challenge": Challenge,
    "conversation_training": ConversationTraining, "greeting_excuses": GreetingExcuses,
    "self_checkout": SelfCheckout, "chat_checkout": ChatCheckout, "mobility_support": MobilitySupport,
    "volunteering": Volunteering, "blackout": Blackout, "lockdown": Lockdown,
}


def in_order(interventions) -> list[Intervention]:
    """The order interventions are applied in: by start day, then name -- never the file's order.

    Parameters
    ----------
    interventions : iterable of Intervention
        The interventions to order (usually `town.interventions`, in file order).

    Returns
    -------
    list of Intervention
        A new list, sorted by (`start`, `name`).
    """
    return sorted(interventions, key=lambda iv: (iv.start, iv.name))


def begin_and_finish(town) -> None:
    """The one-off hooks of `town.day`: first what ended yesterday (`finish`), then what starts (`begin`).

    Parameters
    ----------
    town : Town
        The town on the day about to run: its `day` and `interventions` are read. The hooks draw the
        interventions' participants and apply one-off state shocks to `town.residents` (in place).

    Returns
    -------
    None
    """
    ordered = in_order(town.interventions)
    for iv in ordered:
        iv.watch_regulars(town)  # before any hook of the day: the routines as the day found them
    for iv in ordered:
        if iv.end >= 0 and town.day == iv.end + 1:
            iv.finish(town)
    for iv in ordered:
        if town.day == iv.start:
            iv.form_groups(town)
            iv.begin(town)


def day_conditions(town, day: int, weekend: bool) -> DayConditions:
    """The conditions of `day`: the plain day changed by every intervention (no side effects).

    Parameters
    ----------
    town : Town
        Read only: its places, residents, routines and interventions.
    day : int
        The day whose conditions are built; an intervention is active from `start` to `end` inclusive
        (`end` -1: to the end of the run), and otherwise only its `modify_inactive` applies.
    weekend : bool
        Whether `day` is a Saturday or Sunday: places with `weekend = false` are closed all day.

    Returns
    -------
    DayConditions
        Today's open day-parts, hosts, affordance (combined by `settle`, clipped to [0, 1]), per-resident
        boosts and routines (the town's own `Routines` unless an intervention changed them today).
    """
    today = DayConditions.plain(town.places, town.residents, town.routines, weekend)
    for iv in in_order(town.interventions):
        if iv.active(day):
            iv.modify(town, today)
        else:
            iv.modify_inactive(town, today)
    return today.settle()


def build_interventions(scenario) -> list[Intervention]:
    """One object per `[interventions.<name>]` table, in file order (applied `in_order`).

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; its `interventions` map each name to its table (`kind`, `start`, `end`
        and the kind's own fields, docs/interventions.md).

    Returns
    -------
    list of Intervention
        One object of class `KINDS[kind]` per table, in file order; nothing drawn yet (that is `begin`).
    """
    return [KINDS[spec["kind"]](name, spec) for name, spec in scenario.interventions.items()]
