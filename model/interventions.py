"""Interventions and crises: small objects with a start day, an end day and effects.

Modelled on Covasim's interventions. Each day the town starts from the
scenario's plain conditions (`DayConditions`) and every active intervention
`modify`-es them, so closing and reopening a place needs no bookkeeping.
One-off changes to residents happen in `begin` (on the start day) and `finish`
(the day after the end). Participants are drawn from the town's seeded
generator when the intervention begins.

Sources: third places, hosts and transitory zones (Kremer, Parys & Verplanke
2019); challenges and campaigns (Movisie pilot report 2023; Sandstrom, Boothby &
Cooney 2022); conversation training (Sandstrom & Boothby 2021); groetsmoesjes
(Movisie pilot report 2023); self-checkout as Sandstrom & Dunn's (2014a) barista
study in reverse; volunteering (De Witte in Wascabi 2021); blackouts and
re-entry anxiety after lockdowns (de la Serna 2025). Effect sizes are
modelling choices exposed as fields (see docs/parameters.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .parameters import PLACE_KINDS, PLACE_USES
from .routines import COMMUTE, LEISURE, ONLINE, free_time_part


@dataclass
class DayConditions:
    """What today is like: open places, hosts, affordance and per-resident boosts."""

    open: np.ndarray           # (places, 4) bool
    hosts: np.ndarray          # (places,)
    affordance: np.ndarray     # (places,)
    notice_factor: np.ndarray  # (places,) multiplier of how many others are noticed
    propensity: np.ndarray     # (residents,) log-odds added to starting an interaction
    fear_learning: np.ndarray  # (residents,) multiplier of learning from experience
    mobility: np.ndarray       # (residents,) chance of making a planned out-of-home visit
    use_rate: np.ndarray       # (uses,) multiplier of free-time visit rates
    help_needs: float = 1.0    # multiplier of visible needs for help

    @classmethod
    def plain(cls, places, residents, weekend: bool) -> DayConditions:
        open_today = places.open_parts & (places.weekend[:, None] | (not weekend))
        n = len(residents)
        return cls(open=open_today.copy(), hosts=places.hosts.copy(), affordance=places.affordance.copy(),
                   notice_factor=np.ones(len(places)), propensity=np.zeros(n), fear_learning=np.ones(n),
                   mobility=residents.mobility.copy(), use_rate=np.ones(len(PLACE_USES)))


class Intervention:
    """Base class: active from `start` to `end` inclusive (end -1: until the run ends)."""

    def __init__(self, name: str, spec: dict):
        self.name = name
        self.spec = spec
        self.start, self.end = spec["start"], spec.get("end", spec["start"])
        self.participants = np.zeros(0, dtype=np.int64)

    def active(self, day: int) -> bool:
        return self.start <= day and (self.end < 0 or day <= self.end)

    def begin(self, town) -> None:
        """One-off change on the start day."""

    def modify(self, town, today: DayConditions) -> None:
        """Change today's conditions while active."""

    def modify_inactive(self, town, today: DayConditions) -> None:
        """Change today's conditions while not active (e.g. a place not yet opened)."""

    def finish(self, town) -> None:
        """One-off change the day after the end."""

    # helpers for subclasses
    def _places(self, town) -> np.ndarray:
        return town.places.of_spec(self.spec["place"])

    def _draw(self, town, share: float, among: np.ndarray | None = None) -> np.ndarray:
        among = np.arange(len(town.residents)) if among is None else among
        return among[town.rng.random(len(among)) < share]

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
        self.participants = self._draw(town, self.spec["share"])

    def modify(self, town, today):
        today.propensity[self.participants] += self.spec["propensity"]
        today.fear_learning[self.participants] *= self.spec["fear_learning"]


class ConversationTraining(Intervention):
    """Lower fear and better-calibrated expectations for the trained (half the fear drop lasts)."""

    def begin(self, town):
        res, s = town.residents, town.config
        self.participants = p = self._draw(town, self.spec["share"])
        drop, calibrate = self.spec["fear_reduction"], self.spec["calibration"]
        res.fear[p] = np.clip(res.fear[p] - drop, 0.0, 1.0)
        res.anxiety[p] = np.clip(res.anxiety[p] - drop / 2, 0.0, 1.0)
        for belief in (res.expected_acceptance, res.resting_acceptance):
            belief[p] += calibrate * (s["response.receptivity"] - belief[p])


class GreetingExcuses(Intervention):
    """Groetsmoesjes: a ready excuse lowers the threshold to start."""

    def begin(self, town):
        self.participants = self._draw(town, self.spec["share"])

    def modify(self, town, today):
        today.propensity[self.participants] += self.spec["propensity"]


class SelfCheckout(Intervention):
    """Less contact at the till: fewer others noticed, less affordance."""

    def modify(self, town, today):
        ids = self._places(town)
        keep = 1.0 - self.spec["contact_reduction"]
        today.notice_factor[ids] *= keep
        today.affordance[ids] *= keep


class ChatCheckout(Intervention):
    """A 'chat checkout' lane invites a word with the cashier and the queue."""

    def modify(self, town, today):
        ids = self._places(town)
        today.affordance[ids] = np.minimum(1.0, today.affordance[ids] + self.spec["affordance"])


class MobilitySupport(Intervention):
    """Transport help for a share of residents with low mobility."""

    def begin(self, town):
        low = np.flatnonzero(town.residents.mobility < 1.0)
        self.participants = self._draw(town, self.spec["share"], among=low)

    def modify(self, town, today):
        p = self.participants
        today.mobility[p] = np.maximum(today.mobility[p], self.spec["mobility"])


class Volunteering(Intervention):
    """A share of residents volunteer at a place: regular visits to their local copy of it."""

    def begin(self, town):
        r = town.routines
        copies = self._places(town)
        # nobody can volunteer at a place with count 0
        self.participants = p = self._draw(town, self.spec["share"] if len(copies) else 0.0)
        self._saved = tuple(x[p, LEISURE].copy() for x in (r.anchor, r.slot, r.per_week, r.part))
        if len(p) == 0:
            return
        hood = town.residents.neighbourhood[p]
        local = copies.reshape(-1, len(copies) // (town.places.neighbourhood[copies].max() + 1))
        r.anchor[p, LEISURE] = local[hood, town.rng.integers(0, local.shape[1], len(p))]
        r.slot[p, LEISURE] = (town.rng.random(len(p)) * town.places.slots[r.anchor[p, LEISURE]]).astype(r.slot.dtype)
        r.per_week[p, LEISURE] = np.maximum(r.per_week[p, LEISURE], self.spec["per_week"])
        r.part[p, LEISURE] = free_time_part(town.residents.role[p], town.places.open_parts[copies[0]], town.rng)

    def finish(self, town):
        r, p = town.routines, self.participants
        r.anchor[p, LEISURE], r.slot[p, LEISURE], r.per_week[p, LEISURE], r.part[p, LEISURE] = self._saved


class Blackout(Intervention):
    """Power and networks down: no transit, no online; neighbours meet and help."""

    def modify(self, town, today):
        places = town.places
        down = (places.use == COMMUTE) | (places.use == ONLINE)
        today.open[down] = False
        today.use_rate[ONLINE] = 0.0
        local = (places.kind == PLACE_KINDS.index("third_place")) | (places.kind == PLACE_KINDS.index("transitory"))
        today.affordance[local] = np.minimum(1.0, today.affordance[local] + self.spec["affordance"])
        today.help_needs *= self.spec["help_needs"]


class Lockdown(Intervention):
    """Third places and workplaces closed, more online contact; re-entry anxiety after."""

    def modify(self, town, today):
        kind = town.places.kind
        closed = (kind == PLACE_KINDS.index("third_place")) | (kind == PLACE_KINDS.index("work"))
        today.open[closed] = False
        today.use_rate[ONLINE] *= self.spec["digital"]

    def finish(self, town):
        res = town.residents
        res.fear[:] = np.clip(res.fear + self.spec["reentry_fear"], 0.0, 1.0)


KINDS: dict[str, type[Intervention]] = {
    "close_place": ClosePlace, "open_place": OpenPlace, "add_hosts": AddHosts, "challenge": Challenge,
    "conversation_training": ConversationTraining, "greeting_excuses": GreetingExcuses,
    "self_checkout": SelfCheckout, "chat_checkout": ChatCheckout, "mobility_support": MobilitySupport,
    "volunteering": Volunteering, "blackout": Blackout, "lockdown": Lockdown,
}


def apply_interventions(interventions, town, today) -> None:
    """Begin, finish and apply every intervention for `town.day`, in file order."""
    for iv in interventions:
        if town.day == iv.start:
            iv.begin(town)
        if iv.end >= 0 and town.day == iv.end + 1:
            iv.finish(town)
        if iv.active(town.day):
            iv.modify(town, today)
        else:
            iv.modify_inactive(town, today)


def build_interventions(scenario) -> list[Intervention]:
    """One object per `[interventions.<name>]` table, in file order."""
    return [KINDS[spec["kind"]](name, spec) for name, spec in scenario.interventions.items()]
