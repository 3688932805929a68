"""Routines: where each resident goes, in which day-part, in which time slot.

Public familiarity needs routine: people only become familiar strangers if they
are in the same place at the same time, again and again (Milgram 1972; Blokland
2009). So each resident has, per kind of outing (`PLACE_USES`), a regular place
(anchor), a regular day-part and a regular time slot. With probability
`routines.regularity` a visit follows that routine; otherwise it goes to a
random place of the same use in the neighbourhood, at a random time.

Workers go to work and pupils to school on weekdays (morning to afternoon);
some pass a transit stop on the way there and back (`routines.commute_share`).
Errands, outings, third-place visits, online visits and time in one's own street
happen at weekly rates (third places scaled by sociability, online by digital
preference; visits away from home need mobility); outings, third-place visits and
the street never fall in hours spent at work or school (errands and online
visits may: a lunch-break errand). The street is always one's own: the block of
households around one's home (Cornwell, Laumann & Schumm 2008: older adults
socialise with neighbours more often, and they are in their street in daytime).
Whoever has nowhere to linger in a day-part is at home, and everyone is home in
the evening. The day-part weights per role are modelling choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from .parameters import PLACE_USES
from .places import Places
from .randomness import DayDraws, unit
from .residents import AT_HOME, CHILD, SENIOR, WORKER, Residents

__all__ = [
    "AFTERNOON", "COMMUTE", "ERRAND", "LEISURE", "MORNING", "ONLINE", "OUTING", "PART_WEIGHTS", "Routines",
    "SCHOOL", "STREET", "Visits", "WORK", "build_routines", "free_time_part", "plan_day", "redraw", "turn_over",
    "whereabouts",
]

WORK, SCHOOL, COMMUTE, ERRAND, OUTING, LEISURE, ONLINE, STREET = (PLACE_USES.index(u) for u in PLACE_USES)
OPTIONAL = (ERRAND, OUTING, LEISURE, ONLINE, STREET)
AT_HAND = (ONLINE, STREET)  # need no mobility: online, and one's own front door
LINGER = (WORK, SCHOOL, OUTING, LEISURE)  # uses that define where a resident *is* in a day-part
MORNING, MIDDAY, AFTERNOON, EVENING = range(4)

#: Preferred day-part weights for free-time visits, by role (modelling choice):
#: workers and pupils are free in the evening (and at weekends: a regular visit
#: to a place open only in daytime happens on Saturdays and Sundays), others
#: through the day.
PART_WEIGHTS = np.zeros((4, 4))
PART_WEIGHTS[WORKER] = (0.0, 0.05, 0.15, 0.80)
PART_WEIGHTS[CHILD] = (0.0, 0.0, 0.3, 0.7)
PART_WEIGHTS[AT_HOME] = (0.3, 0.3, 0.3, 0.1)
PART_WEIGHTS[SENIOR] = (0.35, 0.35, 0.25, 0.05)


@dataclass
class Visits:
    """One day's visits: resident, place, day-part, time slot."""

    who: np.ndarray
    where: np.ndarray
    part: np.ndarray
    slot: np.ndarray

    def by_part(self) -> list[Visits]:
        """The visits of each day-part, morning first."""
        order = np.argsort(self.part, kind="stable")
        bounds = np.searchsorted(self.part[order], np.arange(5))
        return [_subset(self, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]

    def __len__(self) -> int:
        return len(self.who)


@dataclass
class Routines:
    """Each resident's regular place, day-part and slot per use, and weekly rates."""

    home: np.ndarray        # (n,) home place id
    anchor: np.ndarray      # (n, uses) regular place id, -1 if none
    slot: np.ndarray        # (n, uses) regular time slot
    part: np.ndarray        # (n, uses) regular day-part of free-time visits
    per_week: np.ndarray    # (n, uses) visits per week of free-time uses
    local: list[np.ndarray]  # per use: place ids of that use, per neighbourhood (hoods, k)


def _local_places(places: Places, n_hoods: int) -> list[np.ndarray]:
    """Per use, a (neighbourhoods, k) table of the place ids of that use."""
    public = np.arange(places.n_public)
    out = []
    for u in range(len(PLACE_USES)):
        ids = public[places.use[:places.n_public] == u]
        out.append(ids.reshape(n_hoods, -1) if len(ids) else np.zeros((n_hoods, 0), np.int64))
    return out


def build_routines(res: Residents, places: Places, s, rng: np.random.Generator) -> Routines:
    """Each resident's regular place, time slot and day-part per use, and weekly visit rates, at the start.

    Parameters
    ----------
    res : Residents
        Read: role, household, neighbourhood, sociability and digital preference.
    places : Places
        The town's places: uses, neighbourhoods, slots and open day-parts.
    s : Scenario
        Read: `routines.commute_share` and the weekly rates `routines.errands_per_week`,
        `routines.outings_per_week`, `routines.leisure_per_week`, `routines.online_per_week` and
        `routines.street_per_week`.
    rng : numpy.random.Generator
        The town's generator: anchors, who commutes, slots and day-parts.

    Returns
    -------
    Routines
        Anchors drawn uniformly from the use's places in the resident's neighbourhood (-1 where none:
        a workplace only for workers, a school only for children, a transit stop only for commuters),
        each resident's own street, a slot uniform over the anchor's slots, a regular day-part (role
        weights restricted to the anchor's open parts, -1 if none) and visits per week per use.

    References
    ----------
    Milgram, S. (1972). The familiar stranger: An aspect of urban anonymity. *The Division 8 Newsletter*,
    Division of Personality and Social Psychology. Washington, DC: American Psychological Association.

    Blokland, T. (2009). *Oog voor elkaar: Veiligheidsbeleving en sociale controle in de grote stad*
    (Solidariteit en Identiteit). Amsterdam: Amsterdam University Press.
    https://nbn-resolving.org/urn:nbn:de:0168-ssoar-271752

    Cornwell, B., Laumann, E. O., & Schumm, L. P. (2008). The social connectedness of older adults:
    A national profile. *American Sociological Review*, 73(2), 185-203.
    """
    n, n_uses = len(res), len(PLACE_USES)
    n_hoods = int(places.neighbourhood[:places.n_public].max()) + 1 if places.n_public else 1
    local = _local_places(places, n_hoods)
    street = own_street(local[STREET], res.household, res.neighbourhood)
    anchor, slot, part, per_week = _regulars(res, np.arange(n), street, places, s, local,
                                             lambda purpose: rng.random((n, n_uses)))
    home = places.n_public + res.household
    return Routines(home=home, anchor=anchor, slot=slot, part=part, per_week=per_week, local=local)


def redraw(r: Routines, who: np.ndarray, res: Residents, places: Places, s, draws: DayDraws) -> None:
    """New regular places, slots, day-parts and weekly rates for residents whose life changed (a newcomer, a
    new role: `life`), drawn as `build_routines` does, from the day's draws keyed by person id. Their home
    follows their household; their street is the one they live in.

    Parameters
    ----------
    r : Routines
        Changed in place for the rows `who`: anchors, slots, day-parts, weekly rates and home.
    who : numpy.ndarray
        The residents whose routines are re-drawn.
    res : Residents
        Read: person, role, household, neighbourhood, sociability and digital preference.
    places : Places
        The town's places.
    s : Scenario
        Read: as for `build_routines`.
    draws : DayDraws
        The day's common random numbers.

    Returns
    -------
    None
    """
    if not len(who):
        return
    n_uses = len(PLACE_USES)
    person, use = np.repeat(res.person[who], n_uses), np.tile(np.arange(n_uses), len(who))
    r.anchor[who], r.slot[who], r.part[who], r.per_week[who] = _regulars(
        res, who, r.anchor[who, STREET], places, s, r.local,
        lambda purpose: draws.uniform(f"routine_{purpose}", person, use).reshape(-1, n_uses))
    r.home[who] = places.n_public + res.household[who]


def _regulars(res: Residents, who: np.ndarray, street: np.ndarray, places: Places, s, local: list[np.ndarray],
              uniform):
    """Anchors, slots, day-parts and weekly rates of residents `who`, whose streets are `street`; `uniform(purpose)`
    gives draws in [0, 1) of shape (len(who), uses)."""
    n_uses = len(PLACE_USES)
    role, hood = res.role[who], res.neighbourhood[who]
    draw = uniform("anchor")
    anchor = np.stack([_random_local(local[u], hood, draw[:, u]) for u in range(n_uses)], axis=1)
    anchor[role != WORKER, WORK] = -1
    anchor[role != CHILD, SCHOOL] = -1
    commuter = np.isin(role, (WORKER, CHILD)) & (uniform("commute")[:, COMMUTE] < s["routines.commute_share"])
    anchor[~commuter, COMMUTE] = -1
    anchor[:, STREET] = street
    slots = places.slots[np.maximum(anchor, 0)]
    slot = (uniform("slot") * slots).astype(np.int16)
    # regular day-part: role weights, restricted to the parts the regular place is open
    weights = PART_WEIGHTS[role][:, None, :] * places.open_parts[np.maximum(anchor, 0)]
    part = _sample_rows(weights, uniform("part"))
    per_week = np.zeros((len(who), n_uses))
    per_week[:, ERRAND] = s["routines.errands_per_week"] * np.where(role == CHILD, 0.2, 1.0)
    per_week[:, OUTING] = s["routines.outings_per_week"]
    per_week[:, LEISURE] = s["routines.leisure_per_week"] * res.sociability[who] / 0.5
    per_week[:, ONLINE] = s["routines.online_per_week"] * res.digital[who]
    per_week[:, STREET] = s["routines.street_per_week"] * np.isin(role, (AT_HOME, SENIOR))
    return anchor, slot, part, per_week


def turn_over(r: Routines, res: Residents, places: Places, per_year: float, draws: DayDraws) -> None:
    """Lives change: each day a share `per_year` / 365 of residents re-draw their regular transit stop,
    shops, park, third place and online haunt, with new time slots and day-parts (not their workplace,
    school or street: they stay in the same home). New regulars meet new familiar strangers; old ones fade
    (docs/model.md 7.1).

    Parameters
    ----------
    r : Routines
        The town's routines, changed in place: anchor, slot and day-part of the commute, errand, outing,
        leisure and online uses, for residents who have an anchor for that use.
    res : Residents
        Read: role and neighbourhood.
    places : Places
        Read: slots and open day-parts of the new anchors.
    per_year : float
        `routines.turnover`: re-draws per resident per year (0 to 365); 0 or less changes nothing.
    draws : DayDraws
        The day's common random numbers (model/randomness.py).

    Returns
    -------
    None
    """
    if per_year <= 0:
        return
    who = np.flatnonzero(draws.uniform("turnover", np.arange(len(res))) < per_year / 365.0)
    for u in (COMMUTE, ERRAND, OUTING, LEISURE, ONLINE):
        w = who[r.anchor[who, u] >= 0]
        if not len(w):
            continue
        use = np.full(len(w), u)
        new = _random_local(r.local[u], res.neighbourhood[w], draws.uniform("turnover_place", w, use))
        r.anchor[w, u] = new
        r.slot[w, u] = (draws.uniform("turnover_slot", w, use) * places.slots[new]).astype(np.int16)
        r.part[w, u] = free_time_part(res.role[w], places.open_parts[new], draws.uniform("turnover_part", w, use))


def _random_local(table: np.ndarray, hood: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """A random place from each resident's neighbourhood row of `table` (-1 if none); `draw` in [0, 1)."""
    if table.shape[1] == 0:
        return np.full(len(hood), -1, dtype=np.int64)
    return table[hood, (draw * table.shape[1]).astype(np.int64)]


def own_street(streets: np.ndarray, household: np.ndarray, hood: np.ndarray) -> np.ndarray:
    """Each resident's street: a neighbourhood's households, in order, split into equal blocks, one per street.

    Households are numbered along the street (so are the seeded friends, `ties.seed_strong_ties`), and
    everyone in a household shares a street. -1 where the neighbourhood has no street.

    >>> import numpy as np
    >>> own_street(np.array([[10, 11]]), np.array([0, 0, 1, 2, 3]), np.zeros(5, int)).tolist()
    [10, 10, 10, 11, 11]
    """
    if streets.shape[1] == 0:
        return np.full(len(household), -1, dtype=np.int64)
    first = np.full(streets.shape[0], household.max(initial=0) + 1)
    last = np.full(streets.shape[0], -1)
    np.minimum.at(first, hood, household)
    np.maximum.at(last, hood, household)
    block = (household - first[hood]) * streets.shape[1] // (last - first + 1)[hood]
    return streets[hood, block]


def free_time_part(role: np.ndarray, open_parts: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """A regular day-part for free-time visits: role weights, restricted to when the place is open.

    Parameters
    ----------
    role : numpy.ndarray
        Each resident's role, an index into `residents.ROLES`.
    open_parts : numpy.ndarray
        Bool, the place's open day-parts (morning, midday, afternoon, evening): shape (4,) for one place
        for all, or (residents, 4) for each resident's own.
    draw : numpy.ndarray
        One uniform draw in [0, 1) per resident.

    Returns
    -------
    numpy.ndarray
        Int8, a day-part (0 morning to 3 evening) per resident; -1 where the role's weights are zero in
        every open day-part.
    """
    return _sample_rows(PART_WEIGHTS[role] * open_parts, draw)


def _sample_rows(weights: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """One index per row of the last axis, drawn with the given weights (-1 if all zero); one `draw` per row."""
    cum = np.cumsum(weights, axis=-1)
    total = cum[..., -1:]
    pick = (draw[..., None] * total < cum).argmax(axis=-1)
    return np.where(total[..., 0] > 0, pick, -1).astype(np.int8)


def plan_day(r: Routines, res: Residents, places: Places, weekend: bool, open_today: np.ndarray,
             mobility: np.ndarray, use_rate: np.ndarray, s, draws: DayDraws) -> Visits:
    """Every visit of the day: fixed (work, school, commute), free-time, then home.

    `open_today` (places x parts) already holds closures, weekends and
    interventions; visits to closed places do not happen, and visits beyond a
    place's capacity are turned away.

    Parameters
    ----------
    r : Routines
        Today's routines (the town's own, or today's copy changed by an intervention).
    res : Residents
        Read: role and neighbourhood.
    places : Places
        Read: slots, capacity and use.
    weekend : bool
        Saturday or Sunday: no work, school or commute, and uniform day-part weights for visits that are
        not regular.
    open_today : numpy.ndarray
        Bool, shape (places, 4): which places are open in which day-part today.
    mobility : numpy.ndarray
        Shape (residents,): today's chance in [0, 1] of making a planned out-of-home free-time visit.
    use_rate : numpy.ndarray
        Shape (uses,), in `PLACE_USES` order: today's multiplier of free-time visit rates.
    s : Scenario
        Read: `routines.regularity`.
    draws : DayDraws
        The day's common random numbers (model/randomness.py).

    Returns
    -------
    Visits
        Every visit of the day (resident, place, day-part, slot): the out-of-home visits that happen,
        then a home visit (slot 0) in each day-part in which a resident lingers nowhere, and every evening.

    References
    ----------
    Milgram, S. (1972). The familiar stranger: An aspect of urban anonymity. *The Division 8 Newsletter*,
    Division of Personality and Social Psychology. Washington, DC: American Psychological Association.

    Blokland, T. (2009). *Oog voor elkaar: Veiligheidsbeleving en sociale controle in de grote stad*
    (Solidariteit en Identiteit). Amsterdam: Amsterdam University Press.
    https://nbn-resolving.org/urn:nbn:de:0168-ssoar-271752
    """
    n = len(res)
    who, where, part, slot = [], [], [], []
    at_work = np.zeros((n, 4), dtype=bool)  # at an open workplace or school in that day-part

    def add(ids, place, parts, slots):
        who.append(ids)
        where.append(place)
        part.append(parts)
        slot.append(slots)

    if not weekend:
        for use in (WORK, SCHOOL):
            ids = np.flatnonzero(r.anchor[:, use] >= 0)
            for p in (MORNING, MIDDAY, AFTERNOON):
                add(ids, r.anchor[ids, use], np.full(len(ids), p), r.slot[ids, use])
        # commuters pass their stop only on the way to an open workplace or school
        destination = np.maximum(r.anchor[:, WORK], r.anchor[:, SCHOOL])
        has_one = destination >= 0
        at_work[has_one, :3] = open_today[destination[has_one], :3]
        ids = np.flatnonzero((r.anchor[:, COMMUTE] >= 0) & has_one)
        for p in (MORNING, AFTERNOON):
            going = ids[open_today[destination[ids], p]]
            add(going, r.anchor[going, COMMUTE], np.full(len(going), p), r.slot[going, COMMUTE])

    regularity = s["routines.regularity"]
    weights = PART_WEIGHTS if not weekend else np.full_like(PART_WEIGHTS, 0.25)
    for use in OPTIONAL:
        rate = r.per_week[:, use] / 7.0 * use_rate[use]
        if use not in AT_HAND:
            rate = rate * mobility
        # each resident's own draws per purpose (common random numbers: model/randomness.py)
        keys = np.array([draws.key(purpose, use) for purpose in ("visit", "regular", "place", "day_part", "slot")])
        add(*_free_time_visits(rate, regularity, r.anchor[:, use], r.part[:, use], r.slot[:, use], r.local[use],
                               res.neighbourhood, weights[res.role], places.slots, at_work,
                               use == STREET, use not in (ERRAND, ONLINE), keys))

    visits = Visits(*(np.concatenate(x).astype(dt) for x, dt in
                      ((who, np.int64), (where, np.int64), (part, np.int8), (slot, np.int16))))
    ok = (visits.where >= 0) & (visits.part >= 0)
    ok[ok] = open_today[visits.where[ok], visits.part[ok]]
    visits = _turn_away(_subset(visits, ok), places.capacity, draws)

    # at home: whoever lingers nowhere in a day-part, and everyone in the evening
    lingering = np.zeros((n, 4), dtype=bool)
    lingers = np.isin(places.use, LINGER)[visits.where]
    lingering[visits.who[lingers], visits.part[lingers]] = True
    lingering[:, EVENING] = False
    home_who, home_part = np.nonzero(~lingering)
    home = Visits(home_who, r.home[home_who], home_part.astype(np.int8), np.zeros(len(home_who), np.int16))
    return Visits(*(np.concatenate([getattr(visits, f), getattr(home, f)]) for f in ("who", "where", "part", "slot")))


@numba.njit(cache=True)
def _free_time_visits(rate, regularity, anchor, regular_part, regular_slot, local, hood, part_weights, place_slots,
                      at_work, own_place, not_at_work, keys):
    """One kind of free-time visit for every resident, in resident order (who, where, part, slot).

    A resident goes with chance `rate`; the visit is regular (their anchor place, day-part and slot)
    with chance `regularity` if they have a regular day-part, else a random local place (one's own
    street if `own_place`), a day-part drawn with `part_weights` and a random slot. With
    `not_at_work`, visits in a day-part spent at an open workplace or school do not happen. One
    compiled loop: this runs for every resident and use every day.
    """
    visit_key, regular_key, place_key, part_key, slot_key = keys
    n = len(rate)
    who, where = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    part, slot = np.empty(n, dtype=np.int8), np.empty(n, dtype=np.int16)
    m = 0
    for i in range(n):
        if unit(visit_key, i, 0) >= rate[i]:
            continue
        regular = unit(regular_key, i, 0) < regularity and regular_part[i] >= 0
        if regular or own_place:
            place = anchor[i]
        elif local.shape[1] == 0:
            place = -1
        else:
            place = local[hood[i], int(unit(place_key, i, 0) * local.shape[1])]
        p = regular_part[i] if regular else _sample_part(part_weights[i], unit(part_key, i, 0))
        if not_at_work and at_work[i, max(p, 0)]:
            continue
        who[m], where[m], part[m] = i, place, p
        slot[m] = regular_slot[i] if regular else int(unit(slot_key, i, 0) * place_slots[max(place, 0)])
        m += 1
    return who[:m], where[:m], part[:m], slot[:m]


@numba.njit(cache=True)
def _sample_part(weights, draw):
    """`_sample_rows` for one row (numba): the first day-part whose cumulative weight exceeds `draw` x total."""
    cumulative = np.cumsum(weights)
    if cumulative[-1] <= 0:
        return -1
    for p in range(len(cumulative)):
        if draw * cumulative[-1] < cumulative[p]:
            return p
    return 0


def _subset(v: Visits, keep: np.ndarray) -> Visits:
    return Visits(v.who[keep], v.where[keep], v.part[keep], v.slot[keep])


def _turn_away(v: Visits, capacity: np.ndarray, draws: DayDraws) -> Visits:
    """Keep at most `capacity` random visitors per place and day-part."""
    key = v.where * 4 + v.part
    crowd = np.bincount(key, minlength=4 * len(capacity)).reshape(-1, 4)
    over = np.flatnonzero((crowd > capacity[:, None]).any(axis=1))
    if len(over) == 0:  # the usual case: nobody is turned away
        return v
    crowded = np.zeros(len(capacity), dtype=bool)
    crowded[over] = True
    queued = np.flatnonzero(crowded[v.where])
    queue_draw = draws.uniform("queue", v.who[queued], key[queued])  # each visitor's place in the queue
    order = queued[np.lexsort((queue_draw, key[queued]))]
    sorted_key = key[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_key, sorted_key)
    keep = np.ones(len(v), dtype=bool)
    keep[order] = rank < capacity[v.where[order]]
    return _subset(v, keep)


def whereabouts(visits: Visits, places: Places, n: int, home: np.ndarray) -> np.ndarray:
    """Where each resident mainly is in each day-part, shape (4, n): a lingering place or home.

    Parameters
    ----------
    visits : Visits
        The day's visits (`plan_day`).
    places : Places
        Read: each place's use, to tell lingering places (work, school, outing, leisure).
    n : int
        How many residents.
    home : numpy.ndarray
        Shape (n,): each resident's home place id (`Routines.home`).

    Returns
    -------
    numpy.ndarray
        Place ids, shape (4, n), day-part by resident: a place the resident lingers at in that day-part,
        else their home.
    """
    where = np.tile(home, (4, 1))
    linger = np.isin(places.use, LINGER)[visits.where]
    where[visits.part[linger], visits.who[linger]] = visits.where[linger]
    return where
