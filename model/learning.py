"""Learning: experiences update fear and expected acceptance, damped and fading.

An experience better than predicted lowers fear and raises expected acceptance
-- practice helps (Sandstrom & Boothby 2021) -- but only partly generalises
beyond that encounter (`learning.generalisation`), and fear creeps back between
encounters (`learning.rebound`), as in the week-long challenge of Sandstrom,
Boothby & Cooney (2022). A rejection does the reverse. Seeing others interact
feeds prosocial modeling (Jung et al. 2020), an exponentially fading memory.
"""

from __future__ import annotations

import numpy as np

__all__ = ["experienced_acceptance", "learn_from_experience", "rebound", "update_modeling"]


def experienced_acceptance(accepted: np.ndarray, felt_gap: np.ndarray, s) -> np.ndarray:
    """How welcome the initiator felt: 0 if looked through, else 1 minus the liking gap they felt.

    Never below 0: a welcomed chat never feels worse than being looked through
    (the scenario loader also keeps `liking.gap` at most `liking.true_mean`).
    """
    return np.where(accepted, np.clip(1.0 - felt_gap / max(s["liking.true_mean"], 1e-9), 0.0, 1.0), 0.0)


def learn_from_experience(res, initiator: np.ndarray, surprise: np.ndarray, level: np.ndarray,
                          fear_learning: np.ndarray, s) -> None:
    """Move each initiator's expectation of strangers, and their fear, by their prediction errors.

    What happens with a friend says little about strangers: an experience
    generalises in proportion to how stranger-like the other was (1 - rung/5,
    a modelling choice), times `learning.generalisation`.
    """
    n = len(res)
    surprise = surprise * (1.0 - level / 5.0)
    good = np.bincount(initiator, weights=np.maximum(surprise, 0.0), minlength=n)
    bad = np.bincount(initiator, weights=np.maximum(-surprise, 0.0), minlength=n)
    g = s["learning.generalisation"]
    # a challenge speeds up learning from good experiences, not from bad ones
    res.expected_acceptance += s["learning.acceptance_rate"] * g * (good * fear_learning - bad)
    res.fear += s["learning.fear_rate"] * g * (bad - good * fear_learning)
    np.clip(res.expected_acceptance, 0.0, 1.0, out=res.expected_acceptance)
    np.clip(res.fear, 0.0, 1.0, out=res.fear)


def rebound(res, s) -> None:
    """Between encounters fear and expectation creep back toward their resting values."""
    r = s["learning.rebound"]
    res.fear += r * (res.anxiety - res.fear)
    res.expected_acceptance += r * (res.resting_acceptance - res.expected_acceptance)


def update_modeling(res, seen_positive: np.ndarray, s) -> None:
    """Fold today's seen positive interactions into the fading modeling memory (0..1)."""
    m = s["learning.modeling_memory"]
    res.modeling[:] = m * res.modeling + (1 - m) * (1 - np.exp(-seen_positive / s["learning.modeling_saturation"]))
