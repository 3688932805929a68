"""Responding: the other welcomes contact or looks through the initiator.

The receiver responds with their true receptivity: high -- about 90% of
strangers welcome a chat (Epley & Schroeder 2014; Sandstrom, Boothby & Cooney
2022) -- lower when busy, a little higher toward familiar faces. After a
conversation the partner's true liking is high, but the initiator estimates it
as the true liking minus their liking gap (Boothby et al. 2018); the gap starts
at `liking.gap` with each new person and shrinks by `liking.gap_learning` per
further conversation, so it persists for months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np


@dataclass
class Replies:
    """How each started interaction of a day-part was answered (aligned with `decisions.Starts`)."""

    welcomed: np.ndarray  # welcomed, or looked through
    slot: np.ndarray      # where the receiver remembers the initiator (-1: no memory, or family)
    chat: np.ndarray      # a welcomed chat outside the household: it carries a liking gap
    felt_gap: np.ndarray  # the liking gap the initiator felt (0 where not a chat)


def receptivity(s, busyness: np.ndarray, level_toward_initiator: np.ndarray) -> np.ndarray:
    """Chance the receiver welcomes the contact."""
    p = (s["response.receptivity"] - s["response.busy_penalty"] * busyness
         + s["response.familiar_bonus"] * level_toward_initiator)
    return np.clip(p, 0.0, 1.0)


def respond(p_welcome: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Welcomed, or looked through: one draw in [0, 1) per started interaction."""
    return draw < p_welcome


def liking_gap(stored_gap: np.ndarray, owner: np.ndarray, slot: np.ndarray, s) -> np.ndarray:
    """The liking gap each initiator feels in each conversation; each one narrows it for the next.

    `stored_gap[owner, slot]` is the tie store's memory of the gap toward that
    person (NaN before a first conversation) and is updated in place; slot -1
    (no memory to keep it in) feels a first conversation's gap. Conversations
    are taken in order, since the same two people may talk twice in one
    day-part: a compiled loop.

    >>> import numpy as np
    >>> gaps = np.full((1, 2), np.nan, dtype=np.float32)
    >>> s = {"liking.gap": 0.12, "liking.gap_learning": 0.5}
    >>> liking_gap(gaps, np.array([0, 0, 0]), np.array([0, 0, -1]), s).round(3).tolist()
    [0.12, 0.06, 0.12]
    >>> gaps.astype(float).round(3).tolist()
    [[0.03, nan]]
    """
    return _converse(stored_gap, np.asarray(owner, np.int64), np.asarray(slot, np.int64), s["liking.gap"],
                     1.0 - s["liking.gap_learning"])


@numba.njit(cache=True)
def _converse(stored_gap, owner, slot, first_gap, keep):
    felt = np.empty(len(owner))
    for e in range(len(owner)):
        o, k = owner[e], slot[e]
        if k < 0:
            felt[e] = first_gap
            continue
        felt[e] = first_gap if np.isnan(stored_gap[o, k]) else stored_gap[o, k]
        stored_gap[o, k] = felt[e] * keep
    return felt
