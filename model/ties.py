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
Dunbar's limits on how many people one keeps track of).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .parameters import FAMILIARITY_LEVELS

STRANGER, FAMILIAR_FACE, NODDING, GREETING, ACQUAINTANCE, FRIEND = range(6)
LEVEL_NAMES = ("stranger",) + FAMILIARITY_LEVELS
_CHUNK = 1 << 16  # rows gathered per block in lookups: bounds temporary memory


class Ties:
    """Fixed-slot tie memory: arrays of shape (residents, slots)."""

    def __init__(self, n: int, slots: int, thresholds: dict[str, float]):
        self.n = n
        self.other = np.full((n, slots), -1, dtype=np.int32)
        self.familiarity = np.zeros((n, slots), dtype=np.float32)
        self.rapport = np.zeros((n, slots), dtype=np.float32)
        self.gap = np.full((n, slots), np.nan, dtype=np.float32)
        self.strong = np.zeros((n, slots), dtype=bool)
        self.thresholds = thresholds

    @classmethod
    def for_scenario(cls, n: int, s) -> Ties:
        keys = ("familiar_face_after", "nodding_after", "greeting_after", "acquaintance_after", "friend_after")
        return cls(n, s["ties.slots"], {k: s[f"ties.{k}"] for k in keys})

    # ------------------------------------------------------------------ lookups
    def find(self, owner: np.ndarray, other: np.ndarray) -> np.ndarray:
        """Slot where `owner` remembers `other`, or -1 (vectorised over pairs)."""
        slot = np.full(len(owner), -1, dtype=np.int64)
        for a in range(0, len(owner), _CHUNK):
            hit = self.other[owner[a:a + _CHUNK]] == other[a:a + _CHUNK, None]
            first = hit.argmax(axis=1)
            slot[a:a + _CHUNK] = np.where(hit[np.arange(len(first)), first], first, -1)
        return slot

    def ensure(self, owner: np.ndarray, other: np.ndarray, slot: np.ndarray | None = None) -> np.ndarray:
        """Slots for these pairs, making new memories where missing (-1 if a row is all strong ties).

        Pass `slot` when the pairs were just looked up with `find`, to skip a second lookup.
        """
        slot = self.find(owner, other) if slot is None else slot.copy()
        missing = slot < 0
        if missing.any():
            slot[missing] = self._insert(owner[missing], other[missing], owner[~missing], slot[~missing])
        return slot

    def _insert(self, owner, other, keep_owner, keep_slot) -> np.ndarray:
        key = owner.astype(np.int64) * self.n + other
        unique_key, inverse = np.unique(key, return_inverse=True)
        new_owner, new_other = unique_key // self.n, (unique_key % self.n).astype(np.int32)
        rank = np.arange(len(new_owner)) - np.searchsorted(new_owner, new_owner)  # k-th new memory of this owner
        rows, row_of = np.unique(new_owner, return_inverse=True)
        strength = self.familiarity[rows] + self.rapport[rows]
        strength[self.other[rows] < 0] = -1.0  # empty slots first
        strength[self.strong[rows]] = np.inf  # never forget family and friends
        kept = np.isin(keep_owner, rows)  # memories used in this batch are not evicted
        strength[np.searchsorted(rows, keep_owner[kept]), keep_slot[kept]] = np.inf
        new_slot = np.full(len(new_owner), -1, dtype=np.int64)
        # round r gives each owner's r-th new memory the weakest slot left (most owners need one or two)
        for r in range(min(int(rank.max()) + 1, strength.shape[1])):
            now = np.flatnonzero(rank == r)
            row = row_of[now]
            weakest = strength[row].argmin(axis=1)
            free = np.isfinite(strength[row, weakest])
            new_slot[now[free]] = weakest[free]
            strength[row, weakest] = np.inf
        ok = new_slot >= 0
        o, sl = new_owner[ok], new_slot[ok]
        self.other[o, sl] = new_other[ok]
        self.familiarity[o, sl] = 0.0
        self.rapport[o, sl] = 0.0
        self.gap[o, sl] = np.nan
        self.strong[o, sl] = False
        return new_slot[inverse]

    # ------------------------------------------------------------------ ladder
    def ladder_level(self, familiarity, rapport, strong) -> np.ndarray:
        """Familiarity-ladder rung (0 stranger ... 5 friend) from a memory's numbers."""
        t = self.thresholds
        level = np.where(familiarity >= t["familiar_face_after"], FAMILIAR_FACE, STRANGER)
        for rung, key in ((NODDING, "nodding_after"), (GREETING, "greeting_after"),
                          (ACQUAINTANCE, "acquaintance_after"), (FRIEND, "friend_after")):
            level = np.where(rapport >= t[key], rung, level)
        return np.where(strong, FRIEND, level).astype(np.int8)

    def level_of(self, owner: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Rung of the pairs (owner, slot); slot -1 means stranger."""
        s = np.maximum(slot, 0)
        level = self.ladder_level(self.familiarity[owner, s], self.rapport[owner, s], self.strong[owner, s])
        return np.where(slot >= 0, level, STRANGER).astype(np.int8)

    def levels(self) -> np.ndarray:
        """Rung of every slot, shape (residents, slots); empty slots are strangers."""
        level = self.ladder_level(self.familiarity, self.rapport, self.strong)
        return np.where(self.other >= 0, level, STRANGER).astype(np.int8)

    def counts(self) -> dict[str, np.ndarray]:
        """Per resident: familiar faces, weak ties (nodding..acquaintance), strong ties."""
        t = self.thresholds
        used = self.other >= 0
        strong = self.strong | (self.rapport >= t["friend_after"])
        contact = self.rapport >= t["nodding_after"]
        return {
            "familiar_faces": (used & ~strong & ~contact & (self.familiarity >= t["familiar_face_after"])).sum(axis=1),
            "weak_ties": (used & ~strong & contact).sum(axis=1),
            "strong_ties": (used & strong).sum(axis=1),
        }

    # ------------------------------------------------------------------ change
    def add(self, field: str, owner: np.ndarray, slot: np.ndarray, amount) -> None:
        """Add `amount` to `field` at (owner, slot), summing repeated pairs; slot -1 is skipped."""
        ok = slot >= 0
        owner, slot = owner[ok], slot[ok]
        amount = np.broadcast_to(np.asarray(amount, dtype=np.float32), ok.shape)[ok]
        flat = owner.astype(np.int64) * self.other.shape[1] + slot
        np.add.at(getattr(self, field).reshape(-1), flat, amount)

    def promote_friends(self) -> None:
        """Rapport past `friend_after` becomes a lasting strong tie (modelling choice)."""
        self.strong |= (self.rapport >= self.thresholds["friend_after"]) & (self.other >= 0)

    def decay(self, familiarity_retention: float, rapport_retention: float) -> None:
        """Memories fade without contact; faded non-strong memories free their slot."""
        self.familiarity *= np.float32(familiarity_retention)
        self.rapport *= np.float32(rapport_retention)
        faded = (self.familiarity < 0.05) & (self.rapport < 0.05) & ~self.strong & (self.other >= 0)
        self.other[faded] = -1
        self.gap[faded] = np.nan

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

    # ------------------------------------------------------------------ reading out
    def strong_partners(self, owner: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One random strong tie per owner (-1 where the owner has none)."""
        strong = self.strong[owner]
        n_strong = strong.sum(axis=1)
        pick = (rng.random(len(owner)) * n_strong).astype(np.int64)
        # column of the pick-th strong slot in each row
        col = (np.cumsum(strong, axis=1) <= pick[:, None]).sum(axis=1)
        partner = self.other[owner, np.minimum(col, strong.shape[1] - 1)]
        return np.where(n_strong > 0, partner, -1)

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
        level = self.levels()[resident, used]
        frame = pd.DataFrame({
            "other": self.other[resident, used], "level": [LEVEL_NAMES[v] for v in level],
            "familiarity": self.familiarity[resident, used], "rapport": self.rapport[resident, used],
            "liking_gap": self.gap[resident, used],
        })
        return frame.sort_values(["rapport", "familiarity"], ascending=False, ignore_index=True)


def seed_strong_ties(ties: Ties, household: np.ndarray, neighbourhood: np.ndarray, s,
                     rng: np.random.Generator) -> None:
    """Family (household members and relatives in town) and friends at day 0.

    Friends: a Watts-Strogatz small world within each neighbourhood (Watts &
    Strogatz 1998), seeded from the model's generator so a run is reproducible.
    Residents are numbered household by household, so ring neighbours are
    neighbours in the street.
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
        a = np.repeat(np.arange(n), s["ties.relatives"] // 2 + s["ties.relatives"] % 2)
        pairs.append(np.stack([a, rng.integers(0, n, len(a))], axis=1))
    if pairs:
        both = np.concatenate(pairs)
        ties.make_strong(both[:, 0], both[:, 1])
