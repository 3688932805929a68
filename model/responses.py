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

import numpy as np


def receptivity(s, busyness: np.ndarray, level_toward_initiator: np.ndarray) -> np.ndarray:
    """Chance the receiver welcomes the contact."""
    p = (s["response.receptivity"] - s["response.busy_penalty"] * busyness
         + s["response.familiar_bonus"] * level_toward_initiator)
    return np.clip(p, 0.0, 1.0)


def respond(p_welcome: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return rng.random(len(p_welcome)) < p_welcome


def liking_gap(current_gap: np.ndarray, s, earlier: np.ndarray | int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(gap felt in this conversation, gap carried to the next one with this person).

    `current_gap` is NaN before the first conversation; `earlier` counts
    conversations with the same person earlier in the same day-part.

    >>> import numpy as np
    >>> s = {"liking.gap": 0.12, "liking.gap_learning": 0.5}
    >>> felt, after = liking_gap(np.array([np.nan, 0.1, 0.1]), s, earlier=np.array([0, 0, 1]))
    >>> felt.round(3).tolist(), after.round(3).tolist()
    ([0.12, 0.1, 0.05], [0.06, 0.05, 0.025])
    """
    keep = 1.0 - s["liking.gap_learning"]
    felt = np.where(np.isnan(current_gap), s["liking.gap"], current_gap) * keep ** earlier
    return felt, felt * keep
