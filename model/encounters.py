"""Encounters: who notices whom when residents share a place and time slot.

People in the same place at the same time slot form a *gathering*. In a crowd
one notices only a few others: `notice` per place says how many (brief in
transitory zones, longer in third places; everyone at home). Familiar faces
stand out and are noticed more readily than strangers (Milgram 1972):
candidates already recognised are noticed with odds `encounters.familiar_boost`
times higher. Grouping is one sort over the visits; noticing is one compiled
loop over visits (numba) that looks each pair up in the tie store and writes the
noticed faces in as it goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numba
import numpy as np

from .parameters import PLACE_FIELDS
from .randomness import unit
from .ties import FAMILIAR_FACE, FRIEND, SIGHTING, Ties, by_owner, make_memories, recall

__all__ = ["Gatherings", "Noticed", "SLOT_RANGE", "gather", "notice"]

#: A gathering's sort key packs (place, time slot) as place * SLOT_RANGE + slot: exact for every slot count
#: a scenario may have (the loader keeps a place's `slots` within PLACE_FIELDS["slots"]).
SLOT_RANGE = 1 << int(PLACE_FIELDS["slots"].high).bit_length()


@dataclass
class Gatherings:
    """Visits of one day-part grouped by (place, slot)."""

    who: np.ndarray     # visitor, sorted by gathering
    place: np.ndarray
    group: np.ndarray   # gathering id per visit, 0..n_groups-1
    offset: np.ndarray  # position within the gathering
    size: np.ndarray    # gathering size per visit
    n_groups: int


class Noticed(NamedTuple):
    """Directed encounters: `who` noticed `other` at `place`, in gathering `group`.

    A named tuple, so a compiled kernel takes it as one argument (`decisions.decide`).
    """

    who: np.ndarray
    other: np.ndarray
    place: np.ndarray
    group: np.ndarray
    slot: np.ndarray    # where `who` remembers `other` in the tie store (-1: stranger or family)
    level: np.ndarray   # familiarity rung of `who` toward `other`
    family: np.ndarray  # met at home: household members, strong ties by construction


def gather(who: np.ndarray, where: np.ndarray, slot: np.ndarray, shuffle: np.ndarray) -> Gatherings:
    """Sort visits into gatherings, in random order within each (so neighbours are random others).

    `shuffle` is one draw in [0, 1) per visit: the visitor's place in the order.

    Parameters
    ----------
    who : numpy.ndarray of int
        Per visit of the day-part, the visiting resident.
    where : numpy.ndarray of int
        Per visit, the place visited.
    slot : numpy.ndarray of int
        Per visit, the time slot within the day-part (0 to the place's `slots` - 1).
    shuffle : numpy.ndarray of float
        Per visit, one draw in [0, 1): the visitor's place in the order of their gathering.

    Returns
    -------
    Gatherings
        The visits sorted by (place, slot), in random order within each gathering, with each visit's
        gathering id, position in it and its size.

    References
    ----------
    .. [1] Milgram (1972), "The familiar stranger: An aspect of urban anonymity".
       Regulars of the same place at the same time (the 8:10 bus) share a slot.
    """
    key = where.astype(np.int64) * SLOT_RANGE + slot
    order = np.argsort((key << 20) | (shuffle * (1 << 20)).astype(np.int64))  # random order within a gathering
    key = key[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    group = np.cumsum(new) - 1
    start = np.flatnonzero(new)
    size = np.diff(np.append(start, len(key)))
    return Gatherings(who=who[order], place=where[order], group=group, offset=np.arange(len(key)) - start[group],
                      size=size[group], n_groups=len(start))


def notice(g: Gatherings, notice_count: np.ndarray, is_home: np.ndarray, ties: Ties, familiar_boost: float,
           run_start: np.ndarray, notice_key: np.uint64) -> Noticed:
    """Each visitor notices about `notice_count[place]` others of their gathering, and remembers their faces.

    A visitor looks at twice that many distinct others (a random run of their
    shuffled gathering, never themselves, starting at `run_start`, one draw per
    visit) and notices each with chance 1/2 -- with odds `familiar_boost` times
    higher for a familiar face. Whether `who` notices `other` is the pair's own
    draw under `notice_key` (model/randomness.py), made inside the loop.

    Noticing builds recognition (public familiarity): each face noticed outside
    the household gets a memory in the tie store if there is room for it (a
    sighting displaces only a memory fainter than one sighting:
    `ties.make_memories`), and its familiarity grows by one sighting (`ties.SIGHTING`). This
    changes `ties` in place; the returned slots include the new memories.

    Parameters
    ----------
    g : Gatherings
        The day-part's visits grouped by (place, slot) (`gather`).
    notice_count : numpy.ndarray of int
        Per place, how many others a visitor notices this day-part (0 or more; the place's `notice`,
        stochastically rounded).
    is_home : numpy.ndarray of bool
        Per place, whether it is a home (there everyone notices everyone, without the tie store).
    ties : Ties
        The tie store; noticed faces outside the household are remembered and their familiarity grows,
        in place.
    familiar_boost : float
        Odds multiplier for noticing a familiar face rather than a stranger (`encounters.familiar_boost`; 1 or
        more).
    run_start : numpy.ndarray of float
        Per visit, in the order of `g.who`, one draw in [0, 1): where the run of others looked at starts.
    notice_key : numpy.uint64
        The key of the day-part's noticing draws (`DayDraws.key("notice", part)`).

    Returns
    -------
    Noticed
        The directed encounters noticed, in visit order: who noticed whom, where, in which gathering, the
        tie-store slot (-1: no memory, or family), the rung and whether they met at home.

    References
    ----------
    .. [1] Milgram (1972), "The familiar stranger: An aspect of urban anonymity".
    .. [2] Blokland (2009), "Oog voor elkaar": public familiarity arises from seeing the same faces in the same places.
    .. [3] Kremer, Parys & Verplanke (2019), "Alledaagse attentheid in een superdiverse wijk": dwell is brief in
       transitory zones, longer in third places.
    """
    wanted = np.minimum(notice_count[g.place], g.size - 1)
    looked_at = np.minimum(2 * wanted, g.size - 1)
    return Noticed(*_notice(g.who, g.offset, g.size, g.place, g.group, wanted, looked_at, is_home,
                            ties.memories, ties.steps, ties.face_after, familiar_boost, run_start, notice_key))


@numba.njit(cache=True, parallel=True)
def _notice(who, offset, size, place, group, wanted, looked_at, is_home, memories, steps, face_after, familiar_boost,
            run_start, notice_key):
    """The noticing loop: resident by resident, the others they look at in each of their gatherings, looked up
    in (and, once noticed, written into) their row of the tie store.

    Each resident's row is touched only by their own visits, taken in visit order, so residents run on all
    cores and the result does not depend on how many there are. Returns the fields of `Noticed`, for the
    noticed candidates only, in visit order.
    """
    # residents in the order of their rows in the tie store (the memory streams them in), each resident's
    # candidates side by side
    n = memories.other.shape[0]
    familiarity = memories.familiarity  # written in the prange loop: never through the tuple there (see ties.Memories)
    by_row, row_start = by_owner(who, n)
    first = np.empty(len(who), dtype=np.int64)  # where each visit's candidates start
    total = 0
    for q in range(len(who)):
        first[by_row[q]] = total
        total += looked_at[by_row[q]]
    other = np.empty(total, dtype=np.int64)
    slot = np.full(total, -1, dtype=np.int64)
    level = np.full(total, FRIEND, dtype=np.int8)
    kept = np.zeros(total, dtype=np.bool_)
    remembered = np.empty(total, dtype=np.int64)  # per resident, within their candidates: faces to remember
    for i in numba.prange(n):
        if row_start[i] == row_start[i + 1]:
            continue
        lo, n_remembered = first[by_row[row_start[i]]], 0
        for q in range(row_start[i], row_start[i + 1]):
            v = by_row[q]
            k, s = looked_at[v], size[v]
            if k == 0:
                continue
            start = v - offset[v]  # where this gathering starts
            shift = 1 + int(run_start[v] * (s - k))  # the run never wraps onto the visitor
            base = wanted[v] / k
            stranger_odds = base / (1.0 - base) if base < 1.0 else np.inf
            familiar_odds = stranger_odds * familiar_boost
            home = is_home[place[v]]
            for t in range(k):
                c = first[v] + t
                other[c] = who[start + (offset[v] + shift + t) % s]
                draw = unit(notice_key, i, other[c] * len(is_home) + place[v])  # this encounter's own draw
                if not home:  # at home: household members, strong ties by construction (rung friend, no memory)
                    if familiar_odds != np.inf and draw * (1.0 + familiar_odds) >= familiar_odds:
                        continue  # not noticed even if familiar: no need to look them up
                    slot[c], level[c] = recall(memories, steps, face_after, i, other[c])
                odds = familiar_odds if level[c] >= FAMILIAR_FACE else stranger_odds
                kept[c] = odds == np.inf or draw * (1.0 + odds) < odds
                if kept[c] and not home:
                    remembered[lo + n_remembered] = c
                    n_remembered += 1
        faces = remembered[lo:lo + n_remembered]
        make_memories(memories, i, other, slot, faces, SIGHTING)
        for c in faces:
            if slot[c] >= 0:
                familiarity[i, slot[c]] += SIGHTING
    # keep the noticed candidates, in visit order
    position = np.empty(len(who), dtype=np.int64)
    n_kept = 0
    for v in range(len(who)):
        position[v] = n_kept
        for c in range(first[v], first[v] + looked_at[v]):
            n_kept += kept[c]
    out_who, out_other = np.empty(n_kept, dtype=np.int64), np.empty(n_kept, dtype=np.int64)
    out_place, out_group = np.empty(n_kept, dtype=np.int64), np.empty(n_kept, dtype=np.int64)
    out_slot = np.empty(n_kept, dtype=np.int64)
    out_level = np.empty(n_kept, dtype=np.int8)
    out_family = np.empty(n_kept, dtype=np.bool_)
    for v in numba.prange(len(who)):
        e = position[v]
        for c in range(first[v], first[v] + looked_at[v]):
            if kept[c]:
                out_who[e], out_other[e], out_place[e], out_group[e] = who[v], other[c], place[v], group[v]
                out_slot[e], out_level[e], out_family[e] = slot[c], level[c], is_home[place[v]]
                e += 1
    return out_who, out_other, out_place, out_group, out_slot, out_level, out_family
