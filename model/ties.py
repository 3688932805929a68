"""Ties and public familiarity: who recognises whom, and how well they know each other.

Each resident remembers at most `ties.slots` others (fixed slots: memory is
bounded by construction, so day 365 costs what day 10 costs). A memory holds

* ``familiarity`` -- a decayed count of times the owner noticed the other:
  recognition without contact (public familiarity, Blokland 2009; Milgram's
  familiar strangers, 1972);
* ``rapport`` -- decayed weight of interactions (nods, greetings, chats, help);
* ``gap`` -- the owner's liking gap toward this person after conversations
  (Boothby et al. 2018); NaN until they first chat;
* ``strong`` -- family and friends (strong ties, Granovetter 1973).

The familiarity ladder is read off these numbers (`ladder_level`):
stranger (0) -> familiar_face (1) -> nodding (2) -> greeting (3) ->
acquaintance (4) -> friend (5). Weak ties are levels 2-4 (public familiarity
with contact up to acquaintances; Sandstrom & Dunn 2014b); strong ties level 5.
When a memory is full the weakest non-strong one is forgotten (modelling choice:
Dunbar's limits on how many people one keeps track of); a mere sighting displaces
only a memory fainter than one sighting, so faces seen once do not keep pushing
out half-recognised regulars (a modelling choice; docs/model.md 7.3).
"""

from __future__ import annotations

from typing import NamedTuple

import networkx as nx
import numba
import numpy as np
import pandas as pd

from .parameters import FAMILIARITY_LEVELS, INTERACTION_LEVELS

__all__ = [
    "ACQUAINTANCE", "FAMILIAR_FACE", "FRIEND", "GREETING", "LEVEL_NAMES", "Memories", "NODDING", "SIGHTING",
    "STRANGER", "Ties", "make_memories", "rapport_gains", "recall", "seed_strong_ties", "by_owner",
]

STRANGER, FAMILIAR_FACE, NODDING, GREETING, ACQUAINTANCE, FRIEND = range(6)
LEVEL_NAMES = ("stranger",) + FAMILIARITY_LEVELS
#: The familiarity one sighting adds (a face noticed, or a welcomed contact seen by the receiver).
SIGHTING = np.float32(1.0)


class Memories(NamedTuple):
    """The tie store's six arrays of shape (residents, slots), handed to the compiled kernels as one
    argument (numba takes named tuples of arrays); `Ties.memories` gives them.

    In the body of a `numba.prange` loop, never write through the tuple (``m.rapport[i, k] = ...``):
    numba 0.68 silently drops such writes. Take the array out before the loop (``rapport = m.rapport``)
    or write in a function the loop calls (as `make_memories` does); reading is safe.
    """

    other: np.ndarray        # int32: who is remembered (-1: empty slot)
    familiarity: np.ndarray  # float32
    rapport: np.ndarray      # float32
    gap: np.ndarray          # float32, NaN before a first chat
    strong: np.ndarray       # bool
    protected: np.ndarray    # bool: scratch for `make_memories`, all False between calls


class Ties:
    """Fixed-slot tie memory: arrays of shape (residents, slots)."""

    def __init__(self, n: int, slots: int, thresholds: dict[str, float]):
        self.n = n
        self.other = np.full((n, slots), -1, dtype=np.int32)
        self.familiarity = np.zeros((n, slots), dtype=np.float32)
        self.rapport = np.zeros((n, slots), dtype=np.float32)
        self.gap = np.full((n, slots), np.nan, dtype=np.float32)
        self.strong = np.zeros((n, slots), dtype=bool)
        self.protected = np.zeros((n, slots), dtype=bool)  # scratch for `make_memories`, all False between calls
        self.thresholds = thresholds
        self.face_after = float(thresholds["familiar_face_after"])
        #: rapport needed for nodding, greeting, acquaintance, friend (rungs 2-5)
        self.steps = np.array([thresholds[k] for k in ("nodding_after", "greeting_after", "acquaintance_after",
                                                        "friend_after")], dtype=np.float64)

    @property
    def memories(self) -> Memories:
        """The six arrays as one `Memories` (the same arrays, not copies)."""
        return Memories(self.other, self.familiarity, self.rapport, self.gap, self.strong, self.protected)

    @classmethod
    def for_scenario(cls, n: int, s) -> Ties:
        keys = ("familiar_face_after", "nodding_after", "greeting_after", "acquaintance_after", "friend_after")
        return cls(n, s["ties.slots"], {k: s[f"ties.{k}"] for k in keys})

    # ------------------------------------------------------------------ lookups
    def find(self, owner: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Slot where `owner` remembers `other`, or -1 (vectorised over pairs)."""
        return _find(self.other, np.asarray(owner, np.int64), np.asarray(other, np.int64))

    def recall(self, owner: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Slot and rung of `owner`'s memory of `other` (-1 and stranger if none), in one pass."""
        return _recall_all(self.memories, self.steps, self.face_after, np.asarray(owner, np.int64),
                           np.asarray(other, np.int64))

    def ensure(self, owner: np.ndarray, other: np.ndarray, slot: np.ndarray | None = None,
               displaces_below: float = np.inf) -> np.ndarray:
        """Slots for these pairs, making new memories where missing (-1 if there is no room: see below).

        A new memory takes an empty slot or else the weakest non-strong one, if
        that is weaker (familiarity + rapport) than `displaces_below` (-1 if not:
        the new face is not remembered); memories used in this same batch are
        never evicted by it. Pass `slot` when the pairs were just looked up with
        `find`, to skip a second lookup.
        """
        owner, other = np.asarray(owner, np.int64), np.asarray(other, np.int64)
        slot = self.find(owner, other) if slot is None else np.asarray(slot, np.int64).copy()
        if (slot < 0).any():
            _insert_missing(self.memories, owner, other, slot, np.float32(displaces_below))
        return slot

    # ------------------------------------------------------------------ ladder
    def ladder_level(self, familiarity, rapport, strong) -> np.ndarray:
        """Familiarity-ladder rung (0 stranger ... 5 friend) from memories' numbers (any shape)."""
        shape = np.shape(familiarity)
        return _rungs(np.ravel(familiarity), np.ravel(rapport), np.ravel(strong), self.steps,
                      self.face_after).reshape(shape)

    def level_of(self, owner: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Rung of the pairs (owner, slot); slot -1 means stranger."""
        flat = owner * self.other.shape[1] + np.maximum(slot, 0)
        level = self.ladder_level(self.familiarity.ravel()[flat], self.rapport.ravel()[flat], self.strong.ravel()[flat])
        return np.where(slot >= 0, level, STRANGER).astype(np.int8)

    def levels(self) -> np.ndarray:
        """Rung of every slot, shape (residents, slots); empty slots are strangers."""
        level = self.ladder_level(self.familiarity, self.rapport, self.strong)
        return np.where(self.other >= 0, level, STRANGER).astype(np.int8)

    def counts(self) -> dict[str, np.ndarray]:
        """Per resident: familiar faces, weak ties (nodding..acquaintance), strong ties."""
        return self._night(1.0, 1.0, change=False)

    # ------------------------------------------------------------------ change
    def add(self, field: str, owner: np.ndarray, slot: np.ndarray, amount) -> None:
        """Add `amount` to `field` at (owner, slot), summing repeated pairs; slot -1 is skipped."""
        amount = np.broadcast_to(np.asarray(amount, dtype=np.float32), np.shape(owner))
        _accumulate(getattr(self, field), np.asarray(owner, np.int64), np.asarray(slot, np.int64), amount)

    def bond(self, a: np.ndarray, slot_ab: np.ndarray, b: np.ndarray, slot_ba: np.ndarray, outside: np.ndarray,
             rapport) -> None:
        """Welcomed interactions of `a` with `b`: rapport grows both ways, and `b` now recognises `a` too
        (familiarity + `SIGHTING`).

        `slot_ab` (`slot_ba`) is where `a` remembers `b` (`b` remembers `a`), -1 if not. Where the two are
        not of one household (`outside`), a missing memory is made first, as by `ensure` (both directions
        in one batch, so making room for one never evicts another used here); household members keep no
        memories of each other (they are strong ties by construction). The slots passed in are not changed.
        """
        amount = np.broadcast_to(np.asarray(rapport, dtype=np.float32), np.shape(a))
        _bond(self.memories, np.asarray(a, np.int64), np.asarray(slot_ab, np.int64), np.asarray(b, np.int64),
              np.asarray(slot_ba, np.int64), np.asarray(outside, np.bool_), np.ascontiguousarray(amount))

    def end_of_day(self, familiarity_retention: float, rapport_retention: float) -> dict[str, np.ndarray]:
        """Memories fade without contact, faded ones free their slot, rapport past
        `friend_after` becomes a lasting friendship (a modelling choice); returns `counts()`."""
        return self._night(familiarity_retention, rapport_retention, change=True)

    def _night(self, familiarity_retention: float, rapport_retention: float, change: bool) -> dict[str, np.ndarray]:
        faces, weak, strong = _night(self.memories, np.float32(familiarity_retention), np.float32(rapport_retention),
                                     self.steps, self.face_after, change)
        return {"familiar_faces": faces, "weak_ties": weak, "strong_ties": strong}

    def make_strong(self, a: np.ndarray, b: np.ndarray) -> None:
        """Record strong ties between pairs (both directions): family and friends."""
        owner, other = np.concatenate([a, b]), np.concatenate([b, a])
        keep = owner != other
        owner, other = owner[keep], other[keep]
        slot = self.ensure(owner, other)
        ok = slot >= 0
        self.strong[owner[ok], slot[ok]] = True
        self.familiarity[owner[ok], slot[ok]] = self.thresholds["familiar_face_after"] * 2
        self.rapport[owner[ok], slot[ok]] = self.thresholds["friend_after"]

    def forget(self, gone: np.ndarray) -> None:
        """Residents who left the town: their memories are emptied, and every memory of them is forgotten (the
        newcomer who takes their slot is a stranger to all)."""
        left = np.zeros(self.n, dtype=bool)
        left[gone] = True
        _forget(self.other, self.familiarity, self.rapport, self.gap, self.strong, left)

    # ------------------------------------------------------------------ reading out
    def strong_partners(self, owner: np.ndarray, household: np.ndarray, draw: np.ndarray) -> np.ndarray:
        """One random strong tie per owner from outside their household (-1 where there is none).

        Visits and calls are contact *outside* shared places: household members
        already meet at home every day-part, so counting them here would count
        the same contact twice (docs/model.md 7.10).
        """
        return _strong_partner(self.other, self.strong, np.asarray(owner, np.int64), np.asarray(household, np.int64),
                               np.asarray(draw, np.float64))

    def edges(self) -> pd.DataFrame:
        """Every remembered pair at familiar_face or above: owner, other, level, numbers."""
        level = self.levels()
        owner, slot = np.nonzero(level >= FAMILIAR_FACE)
        return pd.DataFrame({
            "owner": owner, "other": self.other[owner, slot], "level": level[owner, slot],
            "familiarity": self.familiarity[owner, slot], "rapport": self.rapport[owner, slot],
            "liking_gap": self.gap[owner, slot],
        })

    def frame_of(self, resident: int) -> pd.DataFrame:
        """One resident's memories, strongest first."""
        used = np.flatnonzero(self.other[resident] >= 0)
        level = self.level_of(np.full(len(used), resident), used)
        frame = pd.DataFrame({
            "other": self.other[resident, used], "level": [LEVEL_NAMES[v] for v in level],
            "familiarity": self.familiarity[resident, used], "rapport": self.rapport[resident, used],
            "liking_gap": self.gap[resident, used],
        })
        return frame.sort_values(["rapport", "familiarity"], ascending=False, ignore_index=True)


def rapport_gains(s) -> np.ndarray:
    """The rapport one welcomed interaction adds, per interaction level (nod, greeting, chat, help).

    Parameters
    ----------
    s : Scenario
        Read: ``ties.rapport_<level>`` for each of `parameters.INTERACTION_LEVELS`.

    Returns
    -------
    numpy.ndarray of float32, indexed by interaction level
    """
    return np.array([s[f"ties.rapport_{level}"] for level in INTERACTION_LEVELS], dtype=np.float32)


def seed_strong_ties(ties: Ties, household: np.ndarray, neighbourhood: np.ndarray, s,
                     rng: np.random.Generator) -> None:
    """Family (household members and relatives in town) and friends at day 0.

    Friends: a Watts-Strogatz small world within each neighbourhood (Watts &
    Strogatz 1998), seeded from the model's generator so a run is reproducible.
    Residents are numbered household by household, so ring neighbours are
    neighbours in the street.

    Parameters
    ----------
    ties : Ties
        The town's tie store, empty at day 0; strong ties are added in place (`make_strong`).
    household : numpy.ndarray
        Shape (residents,): household id per resident, non-decreasing (a household's members adjacent).
    neighbourhood : numpy.ndarray
        Shape (residents,): neighbourhood id per resident.
    s : Scenario
        Read: `ties.friends` (the small world's degree, 0 to 50), `ties.friend_rewiring` (its rewiring
        probability, 0 to 1) and `ties.relatives` (relatives elsewhere in town per resident, 0 to 20).
    rng : numpy.random.Generator
        The town's generator: seeds each neighbourhood's small world and draws the relatives.

    Returns
    -------
    None

    References
    ----------
    Watts, D. J., & Strogatz, S. H. (1998). Collective dynamics of "small-world" networks. *Nature*, 393,
    440-442.

    Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6), 1360-1380.
    """
    n = len(household)
    # household members: consecutive ids with the same household
    start = np.searchsorted(household, household)
    size = np.bincount(household)[household]
    for offset in range(1, int(size.max()) if n else 1):
        member = start + (np.arange(n) - start + offset) % size
        mask = member > np.arange(n)
        ties.make_strong(np.flatnonzero(mask), member[mask])
    # friends, neighbourhood by neighbourhood
    k, p = s["ties.friends"], s["ties.friend_rewiring"]
    pairs = []
    for hood in np.unique(neighbourhood):
        members = np.flatnonzero(neighbourhood == hood)
        if k == 0 or len(members) < 3:
            continue
        graph = nx.watts_strogatz_graph(len(members), min(k, len(members) - 1), p, seed=int(rng.integers(2**31)))
        edges = np.array(graph.edges(), dtype=np.int64).reshape(-1, 2)
        pairs.append(members[edges])
    # relatives living elsewhere in town
    if s["ties.relatives"] and n > 1:
        # each pair gives two residents a relative: r/2 pairs per resident, an odd half by coin flip
        r = s["ties.relatives"]
        a = np.repeat(np.arange(n), r // 2 + (rng.random(n) < (r % 2) / 2))
        pairs.append(np.stack([a, rng.integers(0, n, len(a))], axis=1))
    if pairs:
        both = np.concatenate(pairs)
        ties.make_strong(both[:, 0], both[:, 1])


# --------------------------------------------------------------------------- kernels
@numba.njit(cache=True)
def rung(familiarity, rapport, strong, steps, face_after):
    """The familiarity ladder for one memory: rapport climbs it, recognition alone gives a familiar face."""
    if strong:
        return FRIEND
    by_contact = 0
    for step in steps:
        if rapport >= step:
            by_contact += 1
    if by_contact > 0:
        return by_contact + 1
    return FAMILIAR_FACE if familiarity >= face_after else STRANGER


@numba.njit(cache=True, parallel=True)
def _night(m, familiarity_retention, rapport_retention, steps, face_after, change):
    """One pass over every memory: fade, forget, promote (if `change`), and count faces, weak and strong ties.

    Residents are independent, so the loop runs on all cores (same result on any number).
    """
    table, familiarity, rapport, gap, strong = m.other, m.familiarity, m.rapport, m.gap, m.strong
    n, slots = table.shape
    faces = np.zeros(n, dtype=np.int64)
    weak = np.zeros(n, dtype=np.int64)
    strong_ties = np.zeros(n, dtype=np.int64)
    nodding_after, friend_after = steps[0], steps[-1]
    for i in numba.prange(n):
        n_faces, n_weak, n_strong = 0, 0, 0
        for k in range(slots):
            if table[i, k] < 0:
                continue
            f = familiarity[i, k] * familiarity_retention
            r = rapport[i, k] * rapport_retention
            if change:
                familiarity[i, k], rapport[i, k] = f, r
                if r >= friend_after:
                    strong[i, k] = True
            if strong[i, k] or r >= friend_after:
                n_strong += 1
            elif r >= nodding_after:
                n_weak += 1
            elif f < 0.05 and r < 0.05:  # faded: the slot is free again
                if change:
                    table[i, k] = -1
                    gap[i, k] = np.nan
            elif f >= face_after:
                n_faces += 1
        faces[i], weak[i], strong_ties[i] = n_faces, n_weak, n_strong
    return faces, weak, strong_ties


@numba.njit(cache=True)
def slot_of(table, i, j):
    """Where resident i remembers j, or -1."""
    for k in range(table.shape[1]):
        if table[i, k] == j:
            return k
    return -1


@numba.njit(cache=True)
def recall(m, steps, face_after, i, j):
    """Slot and rung of resident i's memory of j in `m` (`Memories`): (-1, STRANGER) if i does not remember j."""
    k = slot_of(m.other, i, j)
    if k < 0:
        return -1, STRANGER
    return k, rung(m.familiarity[i, k], m.rapport[i, k], m.strong[i, k], steps, face_after)


@numba.njit(cache=True, parallel=True)
def _recall_all(m, steps, face_after, owner, other):
    slot = np.empty(len(owner), dtype=np.int64)
    level = np.empty(len(owner), dtype=np.int8)
    by_row, _ = by_owner(owner, m.other.shape[0])  # rows in memory order: streamed, not fetched at random
    for q in numba.prange(len(owner)):
        e = by_row[q]
        slot[e], level[e] = recall(m, steps, face_after, owner[e], other[e])
    return slot, level


@numba.njit(cache=True)
def _rungs(familiarity, rapport, strong, steps, face_after):
    out = np.empty(len(familiarity), dtype=np.int8)
    for e in range(len(out)):
        out[e] = rung(familiarity[e], rapport[e], strong[e], steps, face_after)
    return out


# The tie store's operations are compiled loops (numba): a scan of one row with an
# early exit needs no (pairs x slots) temporaries, and insertion is sequential within
# a row (rows run in parallel, by owner). See docs/architecture.md.

@numba.njit(cache=True, parallel=True)
def _forget(other, familiarity, rapport, gap, strong, left):
    for i in numba.prange(other.shape[0]):
        for k in range(other.shape[1]):
            j = other[i, k]
            if j >= 0 and (left[i] or left[j]):
                other[i, k] = -1
                familiarity[i, k] = 0.0
                rapport[i, k] = 0.0
                gap[i, k] = np.nan
                strong[i, k] = False


@numba.njit(cache=True, parallel=True)
def _strong_partner(table, strong, owner, household, draw):
    partner = np.full(len(owner), -1, dtype=np.int64)
    for e in numba.prange(len(owner)):
        i = owner[e]
        n_outside = 0  # strong ties outside the owner's household
        for k in range(table.shape[1]):
            n_outside += strong[i, k] and household[table[i, k]] != household[i]
        pick = int(draw[e] * n_outside)  # the pick-th of them in this row
        for k in range(table.shape[1]):
            if strong[i, k] and household[table[i, k]] != household[i]:
                if pick == 0:
                    partner[e] = table[i, k]
                    break
                pick -= 1
    return partner


@numba.njit(cache=True)
def _accumulate(values, owner, slot, amount):
    for e in range(len(owner)):
        if slot[e] >= 0:
            values[owner[e], slot[e]] += amount[e]


@numba.njit(cache=True)
def _bond(m, a, slot_ab, b, slot_ba, outside, amount):
    # outside the household, a's memories of b then b's of a, as one batch of (owner, other, slot)
    pairs = np.flatnonzero(outside)
    owner, other = np.concatenate((a[pairs], b[pairs])), np.concatenate((b[pairs], a[pairs]))
    slot = np.concatenate((slot_ab[pairs], slot_ba[pairs]))
    if (slot < 0).any():
        _insert_missing(m, owner, other, slot, np.float32(np.inf))
    slot_ab, slot_ba = slot_ab.copy(), slot_ba.copy()
    slot_ab[pairs], slot_ba[pairs] = slot[:len(pairs)], slot[len(pairs):]
    for e in range(len(a)):
        if slot_ab[e] >= 0:
            m.rapport[a[e], slot_ab[e]] += amount[e]
        if slot_ba[e] >= 0:
            m.rapport[b[e], slot_ba[e]] += amount[e]
            m.familiarity[b[e], slot_ba[e]] += SIGHTING


@numba.njit(cache=True, parallel=True)
def _find(table, owner, other):
    slot = np.empty(len(owner), dtype=np.int64)
    for e in numba.prange(len(owner)):
        slot[e] = slot_of(table, owner[e], other[e])
    return slot


@numba.njit(cache=True)
def by_owner(owner, n):
    """Counting sort: batch positions grouped by owner, each owner's in batch order, and where each owner's start."""
    start = np.zeros(n + 1, dtype=np.int64)
    for e in range(len(owner)):
        start[owner[e] + 1] += 1
    for o in range(n):
        start[o + 1] += start[o]
    order = np.empty(len(owner), dtype=np.int64)
    filled = start[:-1].copy()
    for e in range(len(owner)):
        order[filled[owner[e]]] = e
        filled[owner[e]] += 1
    return order, start


@numba.njit(cache=True, parallel=True)
def _insert_missing(m, owner, other, slot, displaces_below):
    """Fill `slot` where it is -1. Slots found or filled in this batch are protected from eviction.

    Each owner's row is touched only by that owner's pairs, taken in batch
    order, so owners run in parallel and the result is the same on any number
    of threads. Owners with nothing to insert are skipped from the start.
    """
    n = m.other.shape[0]
    inserting = np.zeros(n, dtype=np.bool_)
    for e in range(len(owner)):
        if slot[e] < 0:
            inserting[owner[e]] = True
    involved = np.nonzero(inserting[owner])[0]  # the pairs of owners who insert
    order, start = by_owner(owner[involved], n)
    for o in numba.prange(n):
        if inserting[o]:
            make_memories(m, o, other, slot, involved[order[start[o]:start[o + 1]]], displaces_below)


@numba.njit(cache=True)
def make_memories(m, o, other, slot, pairs, displaces_below):
    """Resident o's memories (in `m`, the `Memories`) of `other[e]` for e in `pairs` (in order): where
    `slot[e]` is -1, a new one (`_make_room`), written into `slot`. Memories found or made for these pairs
    never displace each other."""
    for e in pairs:
        if slot[e] >= 0:
            m.protected[o, slot[e]] = True
    for e in pairs:
        if slot[e] < 0:
            slot[e] = _make_room(m, o, other[e], displaces_below)
    for e in pairs:  # leave the scratch clean for the next batch
        if slot[e] >= 0:
            m.protected[o, slot[e]] = False


@numba.njit(cache=True)
def _make_room(m, o, j, displaces_below):
    """A slot for o's new memory of j: an empty one, else o's weakest unprotected non-strong memory if it is
    fainter than `displaces_below` (-1: none)."""
    table, familiarity, rapport, gap, strong, protected = m
    weakest, weakest_strength = -1, np.inf
    for k in range(table.shape[1]):
        if table[o, k] == j:  # inserted earlier in this batch
            return k
        if protected[o, k] or strong[o, k]:
            continue
        strength = -1.0 if table[o, k] < 0 else familiarity[o, k] + rapport[o, k]
        if strength < weakest_strength:
            weakest, weakest_strength = k, strength
    if weakest >= 0 and table[o, weakest] >= 0 and weakest_strength >= displaces_below:
        return -1
    if weakest >= 0:
        table[o, weakest] = j
        familiarity[o, weakest] = 0.0
        rapport[o, weakest] = 0.0
        gap[o, weakest] = np.nan
        strong[o, weakest] = False
        protected[o, weakest] = True
    return weakest
