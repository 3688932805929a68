"""Encounters: who notices whom when residents share a place and time slot.

People in the same place at the same time slot form a *gathering*. In a crowd
one notices only a few others: `notice` per place says how many (brief in
transitory zones, longer in third places; everyone at home). Familiar faces
stand out and are noticed more readily than strangers (Milgram 1972):
candidates already recognised are noticed with odds `encounters.familiar_boost`
times higher. Grouping is one sort over the visits, never a loop over residents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ties import FAMILIAR_FACE, FRIEND, Ties


@dataclass
class Gatherings:
    """Visits of one day-part grouped by (place, slot)."""

    who: np.ndarray     # visitor, sorted by gathering
    place: np.ndarray
    group: np.ndarray   # gathering id per visit, 0..n_groups-1
    size: np.ndarray    # gathering size per visit
    n_groups: int


@dataclass
class Noticed:
    """Directed encounters: `who` noticed `other` at `place`, in gathering `group`."""

    who: np.ndarray
    other: np.ndarray
    place: np.ndarray
    group: np.ndarray
    slot: np.ndarray    # where `who` remembers `other` in the tie store (-1: stranger or family)
    level: np.ndarray   # familiarity rung of `who` toward `other`
    family: np.ndarray  # met at home: household members, strong ties by construction


def gather(who: np.ndarray, where: np.ndarray, slot: np.ndarray, rng: np.random.Generator) -> Gatherings:
    """Sort visits into gatherings, in random order within each (so neighbours are random others)."""
    key = where.astype(np.int64) * 128 + slot
    order = np.argsort((key << 20) | rng.integers(0, 1 << 20, len(key)))  # random order within a gathering
    key = key[order]
    first = np.searchsorted(key, key, side="left")
    size = np.searchsorted(key, key, side="right") - first
    new = np.ones(len(key), dtype=bool)
    new[1:] = key[1:] != key[:-1]
    group = np.cumsum(new) - 1
    return Gatherings(who=who[order], place=where[order], group=group, size=size,
                      n_groups=int(group[-1]) + 1 if len(group) else 0)


def familiar_faces(ties: Ties, who: np.ndarray, other: np.ndarray, family: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tie slot and familiarity rung of `who` toward `other` (vectorised).

    Household members are strong ties by construction and never forgotten, so
    family pairs skip the tie store (slot -1, rung friend): a large saving,
    since everyone is home at some point every day.
    """
    slot = np.full(len(who), -1, dtype=np.int64)
    level = np.full(len(who), FRIEND, dtype=np.int8)
    outside = ~family
    slot[outside] = ties.find(who[outside], other[outside])
    level[outside] = ties.level_of(who[outside], slot[outside])
    return slot, level


def notice(g: Gatherings, notice_count: np.ndarray, is_home: np.ndarray, ties: Ties, familiar_boost: float,
           rng: np.random.Generator) -> Noticed:
    """Each visitor notices about `notice_count[place]` others of their gathering."""
    position = np.arange(len(g.who))
    offset = position - np.searchsorted(g.group, g.group)  # position within the gathering
    wanted = np.minimum(notice_count[g.place], g.size - 1)
    candidates = np.minimum(2 * wanted, g.size - 1)  # look at twice as many, notice about half
    visitor = np.repeat(position, candidates)
    step = np.arange(len(visitor)) - np.repeat(np.cumsum(candidates) - candidates, candidates)
    # a random run of distinct others: shift by 1 + r, r uniform so the run never wraps onto oneself
    shift = 1 + (rng.random(len(position)) * (g.size - candidates)).astype(np.int64)
    seen = visitor - offset[visitor] + (offset[visitor] + shift[visitor] + step) % g.size[visitor]
    who, other = g.who[visitor], g.who[seen]
    family = is_home[g.place[visitor]]
    slot, level = familiar_faces(ties, who, other, family)
    base = np.where(candidates > 0, wanted / np.maximum(candidates, 1), 0.0)[visitor]
    odds = base / np.maximum(1 - base, 1e-9) * np.where(level >= FAMILIAR_FACE, familiar_boost, 1.0)
    kept = rng.random(len(who)) < odds / (1 + odds)
    return Noticed(who=who[kept], other=other[kept], place=g.place[visitor][kept], group=g.group[visitor][kept],
                   slot=slot[kept], level=level[kept], family=family[kept])
