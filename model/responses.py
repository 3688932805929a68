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

from .decisions import CHAT
from .randomness import unit
from .ties import FRIEND, recall

__all__ = ["Replies", "liking_gap", "receptivity", "respond"]


@dataclass
class Replies:
    """How each started interaction of a day-part was answered (aligned with `decisions.Starts`)."""

    welcomed: np.ndarray  # welcomed, or looked through
    slot: np.ndarray      # where the receiver remembers the initiator (-1: no memory, or family)
    chat: np.ndarray      # a welcomed chat outside the household: it carries a liking gap
    felt_gap: np.ndarray  # the liking gap the initiator felt (0 where not a chat)


def receptivity(s, busyness: np.ndarray, level_toward_initiator: np.ndarray) -> np.ndarray:
    """Chance the receiver welcomes the contact (arrays).

    Parameters
    ----------
    s : Scenario
        The scenario; reads `response.receptivity`, `response.busy_penalty` and `response.familiar_bonus`.
    busyness : array_like of float
        Per receiver, time pressure in [0, 1].
    level_toward_initiator : array_like of int
        Per receiver, their rung toward the initiator, 0 (stranger) to 5 (friend). Broadcast against
        `busyness`.

    Returns
    -------
    numpy.ndarray of float
        Per receiver (the broadcast shape), the chance of a welcome, in [0, 1].

    References
    ----------
    .. [1] Epley & Schroeder (2014), "Mistakenly seeking solitude".
    .. [2] Sandstrom, Boothby & Cooney (2022), "Talking to strangers: A week-long intervention reduces
       psychological barriers to social connection".
    """
    busyness, level = np.broadcast_arrays(np.asarray(busyness, np.float64), np.asarray(level_toward_initiator))
    # copies: numba refuses broadcast views (read-only)
    return _welcome_chances(busyness.flatten(), level.flatten(), _weights(s)).reshape(busyness.shape)


def _weights(s) -> tuple:
    return s["response.receptivity"], s["response.busy_penalty"], s["response.familiar_bonus"]


@numba.njit(cache=True)
def welcome_chance(busyness, level_toward_initiator, weights):
    """`receptivity` of one receiver: lower when busy, a little higher toward familiar faces (numba)."""
    base, busy_penalty, familiar_bonus = weights
    return min(max(base - busy_penalty * busyness + familiar_bonus * level_toward_initiator, 0.0), 1.0)


@numba.njit(cache=True)
def _welcome_chances(busyness, level_toward_initiator, weights):
    out = np.empty(len(busyness))
    for e in range(len(busyness)):
        out[e] = welcome_chance(busyness[e], level_toward_initiator[e], weights)
    return out


def respond(s, starts, ties, busyness: np.ndarray, draws, part: int, n_places: int) -> Replies:
    """Each receiver welcomes or looks through the initiator; welcomed chats carry a liking gap.

    The receiver's rung toward the initiator (household members: friends, without a memory) sets
    their `receptivity`; one draw per started interaction (the receiver's, about who approached
    where). The liking gaps of welcomed chats outside the household follow (`liking_gap`, in order).

    Parameters
    ----------
    s : Scenario
        The scenario; reads the `response.*` weights (see `receptivity`), `liking.gap` and `liking.gap_learning`.
    starts : decisions.Starts
        The interactions started in the day-part.
    ties : Ties
        The tie store; read for the receivers' rungs, and its `gap` updated in place by `liking_gap`.
    busyness : numpy.ndarray of float
        Per resident, time pressure in [0, 1].
    draws : randomness.DayDraws
        The day's common random numbers; purpose "welcome".
    part : int
        The day-part, 0 morning to 3 evening.
    n_places : int
        Number of places in the town (to number each encounter's draw).

    Returns
    -------
    Replies
        Per started interaction: welcomed or not, where the receiver remembers the initiator, whether it is a
        welcomed chat outside the household, and the liking gap the initiator felt (0 where not such a chat).

    References
    ----------
    .. [1] Epley & Schroeder (2014), "Mistakenly seeking solitude".
    .. [2] Sandstrom, Boothby & Cooney (2022), "Talking to strangers: A week-long intervention reduces
       psychological barriers to social connection".
    .. [3] Boothby et al. (2018), "The liking gap in conversations: Do people like us more than we think?".
    """
    welcomed, slot = _respond(starts, ties.memories, ties.steps, ties.face_after, busyness, _weights(s),
                              draws.key("welcome", part), n_places)
    # the liking gap is modelled between people outside the household
    chat = welcomed & (starts.kind == CHAT) & ~starts.family
    felt_gap = np.zeros(len(welcomed))
    felt_gap[chat] = liking_gap(ties.gap, starts.initiator[chat], starts.slot[chat], s)
    return Replies(welcomed=welcomed, slot=slot, chat=chat, felt_gap=felt_gap)


@numba.njit(cache=True, parallel=True)
def _respond(starts, memories, steps, face_after, busyness, weights, welcome_key, n_places):
    """Per started interaction: the receiver's memory of the initiator, and the welcome."""
    receiver, initiator, place, family = starts.receiver, starts.initiator, starts.place, starts.family
    welcomed = np.empty(len(receiver), dtype=np.bool_)
    slot = np.full(len(receiver), -1, dtype=np.int64)
    for e in numba.prange(len(receiver)):
        j = receiver[e]
        level = FRIEND  # household members are strong ties by construction, outside the tie store
        if not family[e]:
            slot[e], level = recall(memories, steps, face_after, j, initiator[e])
        draw = unit(welcome_key, j, initiator[e] * n_places + place[e])
        welcomed[e] = draw < welcome_chance(busyness[j], level, weights)
    return welcomed, slot


def liking_gap(stored_gap: np.ndarray, owner: np.ndarray, slot: np.ndarray, s) -> np.ndarray:
    """The liking gap each initiator feels in each conversation; each one narrows it for the next.

    `stored_gap[owner, slot]` is the tie store's memory of the gap toward that
    person (NaN before a first conversation) and is updated in place; slot -1
    (no memory to keep it in) feels a first conversation's gap. Conversations
    are taken in order, since the same two people may talk twice in one
    day-part: a compiled loop.

    Parameters
    ----------
    stored_gap : numpy.ndarray of float32
        The tie store's liking gaps, shape (residents, slots), NaN before a first conversation; updated in
        place.
    owner : numpy.ndarray of int
        Per conversation, the initiator (who feels the gap).
    slot : numpy.ndarray of int
        Per conversation, where the initiator remembers the partner (-1: no memory).
    s : Scenario or mapping
        Reads `liking.gap` (the first conversation's gap, 0-1) and `liking.gap_learning` (share of the gap
        closed per further conversation, 0-1).

    Returns
    -------
    numpy.ndarray of float
        Per conversation, the liking gap the initiator felt, in [0, 1].

    References
    ----------
    .. [1] Boothby et al. (2018), "The liking gap in conversations: Do people like us more than we think?".

    Examples
    --------
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
