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

    Parameters
    ----------
    accepted : numpy.ndarray of bool
        Per started interaction of the day-part, whether the receiver welcomed it.
    felt_gap : numpy.ndarray of float
        Per started interaction, the liking gap the initiator felt, in [0, 1] (0 where not a welcomed chat).
    s : Scenario
        The scenario; reads `liking.true_mean` (how much partners actually like a conversation, 0-1).

    Returns
    -------
    numpy.ndarray of float
        Per started interaction, the acceptance the initiator experienced, in [0, 1].

    References
    ----------
    .. [1] Boothby et al. (2018), "The liking gap in conversations: Do people like us more than we think?".
    """
    return np.where(accepted, np.clip(1.0 - felt_gap / max(s["liking.true_mean"], 1e-9), 0.0, 1.0), 0.0)


def learn_from_experience(res, initiator: np.ndarray, surprise: np.ndarray, level: np.ndarray,
                          fear_learning: np.ndarray, s) -> None:
    """Move each initiator's expectation of strangers, and their fear, by their prediction errors.

    What happens with a friend says little about strangers: an experience
    generalises in proportion to how stranger-like the other was (1 - rung/5,
    a modelling choice), times `learning.generalisation`.

    Parameters
    ----------
    res : Residents
        The residents; their `expected_acceptance` and `fear` (per resident, in [0, 1]) change in place.
    initiator : numpy.ndarray of int
        Per started interaction of the day-part, the resident who started it.
    surprise : numpy.ndarray of float
        Per started interaction, the prediction error: experienced minus expected acceptance, in [-1, 1].
    level : numpy.ndarray of int
        Per started interaction, the initiator's rung toward the receiver, 0 (stranger) to 5 (friend).
    fear_learning : numpy.ndarray of float
        Per resident, today's multiplier of learning from good experiences (1; 3 in a challenge).
    s : Scenario
        The scenario; reads `learning.generalisation`, `learning.acceptance_rate` and `learning.fear_rate`.

    Returns
    -------
    None
        The residents' arrays are changed in place.

    References
    ----------
    .. [1] Sandstrom & Boothby (2021), "Why do people avoid talking to strangers? A mini meta-analysis of
       predicted fears and actual experiences talking to a stranger".
    .. [2] Sandstrom, Boothby & Cooney (2022), "Talking to strangers: A week-long intervention reduces
       psychological barriers to social connection".
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
    """Between encounters fear and expectation creep back toward their resting values.

    Parameters
    ----------
    res : Residents
        The residents; `fear` moves toward `anxiety` and `expected_acceptance` toward `resting_acceptance`
        (per resident, in [0, 1]), in place.
    s : Scenario
        The scenario; reads `learning.rebound` (the daily share of the way back, 0-1).

    Returns
    -------
    None
        The residents' arrays are changed in place.

    References
    ----------
    .. [1] Sandstrom, Boothby & Cooney (2022), "Talking to strangers: A week-long intervention reduces
       psychological barriers to social connection".
    """
    r = s["learning.rebound"]
    res.fear += r * (res.anxiety - res.fear)
    res.expected_acceptance += r * (res.resting_acceptance - res.expected_acceptance)


def update_modeling(res, seen_positive: np.ndarray, s) -> None:
    """Fold today's seen positive interactions into the fading modeling memory (0..1).

    Parameters
    ----------
    res : Residents
        The residents; their `modeling` (per resident, in [0, 1]) changes in place.
    seen_positive : numpy.ndarray of float
        Per resident, today's welcomed interactions seen in their public gatherings, not counting their own
        (0 or more).
    s : Scenario
        The scenario; reads `learning.modeling_memory` (daily persistence, 0-0.99) and
        `learning.modeling_saturation`.

    Returns
    -------
    None
        The residents' `modeling` is changed in place.

    References
    ----------
    .. [1] Jung et al. (2020), "Prosocial modeling: A meta-analytic review and synthesis" (g = 0.45).
    """
    m = s["learning.modeling_memory"]
    res.modeling[:] = m * res.modeling + (1 - m) * (1 - np.exp(-seen_positive / s["learning.modeling_saturation"]))
