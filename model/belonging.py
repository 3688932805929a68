"""Belonging: what the day's interactions do for a resident's sense of belonging.

Every welcomed interaction counts -- nods, greetings, chats and help, with weak
and strong ties, for initiator and receiver alike (Sandstrom & Dunn 2014a,
2014b; Epley & Schroeder 2014) -- with diminishing returns within a day
(`belonging.saturation`, a modelling choice). Online contact supplements but
weighs less (`belonging.digital_weight`). Being looked through "as though air"
costs a little (Wesselmann et al. 2012). A mix of strong- and weak-tie contact
adds (relational diversity, Collins et al. 2022), and so does perceived support
available -- weak ties are more often available (Moreton, Kelly & Sandstrom 2022).

These set the day's *target*; belonging moves a step (`belonging.decay`) toward
it each day, so it is a slow memory of recent social life around a personal
baseline. *Felt* belonging is what a daily diary records (Sandstrom & Dunn
2014b asked "how much did you feel you belonged today"): the slow score mixed
with today's target (`belonging.felt_day_weight`). Positive affect is the day's
own social effect, without the memory.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "circles", "drift_set_point", "social_need", "interaction_weight", "perceived_support", "relational_diversity", "set_point",
    "social_nourishment", "starting_belonging", "update_belonging",
]

WEIGHT_KEYS = ("belonging.weight_nod", "belonging.weight_greeting", "belonging.weight_chat", "belonging.weight_help")


def interaction_weight(s, level: np.ndarray, strong, online) -> np.ndarray:
    """How much each welcomed interaction counts, for each side.

    Parameters
    ----------
    s : Scenario
        The scenario; reads `belonging.weight_nod`, `belonging.weight_greeting`, `belonging.weight_chat`,
        `belonging.weight_help`, `belonging.strong_multiplier` and `belonging.digital_weight`.
    level : numpy.ndarray of int
        The interaction, per welcomed interaction: 0 nod, 1 greeting, 2 chat, 3 help (`decisions.NOD` ..
        `decisions.HELP`).
    strong : numpy.ndarray of bool
        Per welcomed interaction: between strong ties (the initiator's rung toward the receiver is friend).
    online : numpy.ndarray of bool
        Per welcomed interaction: made online (at an `online` place, or a strong-tie call made online).

    Returns
    -------
    numpy.ndarray of float
        Per welcomed interaction, the weight each side (initiator and receiver alike) adds to its day's
        contact, in chats (a chat with a weak tie face to face is 1); 0 or more.

    References
    ----------
    .. [1] Sandstrom & Dunn (2014a), "Is efficiency overrated? Minimal social interactions lead to belonging and
       positive affect".
    .. [2] Sandstrom & Dunn (2014b), "Social interactions and well-being: The surprising power of weak ties".
    .. [3] Epley & Schroeder (2014), "Mistakenly seeking solitude".
    .. [4] De Witte (seed 004, cited as "De Witte in Wascabi 2021"), "Sociale relaties als basisbehoefte": online
       contact supplements, does not replace.
    .. [5] de la Serna (seed 002, cited as "de la Serna 2025"), "Socialiseren redt ons".
    """
    weight = np.array([s[k] for k in WEIGHT_KEYS])[level]
    weight = weight * np.where(strong, s["belonging.strong_multiplier"], 1.0)
    return weight * np.where(online, s["belonging.digital_weight"], 1.0)


def social_nourishment(weighted_interactions: np.ndarray, saturation: float) -> np.ndarray:
    """0 for a day without contact, toward 1 for a full social day (diminishing returns).

    Parameters
    ----------
    weighted_interactions : numpy.ndarray of float
        Per resident, today's welcomed interactions weighted by `interaction_weight` (in chats; 0 or more).
    saturation : float
        Weighted interactions that give 63% of the day's possible nourishment (`belonging.saturation`; > 0).

    Returns
    -------
    numpy.ndarray of float
        Per resident, the day's social nourishment, in [0, 1).

    References
    ----------
    .. [1] Sandstrom & Dunn (2014a), "Is efficiency overrated? Minimal social interactions lead to belonging and
       positive affect".
    .. [2] Sandstrom & Dunn (2014b), "Social interactions and well-being: The surprising power of weak ties".

    Examples
    --------
    >>> import numpy as np
    >>> social_nourishment(np.array([0.0, 6.0]), 6.0).round(2).tolist()
    [0.0, 0.63]
    """
    return 1.0 - np.exp(-weighted_interactions / saturation)


def relational_diversity(weak: np.ndarray, strong: np.ndarray) -> np.ndarray:
    """1 for an even mix of weak- and strong-tie contact today, 0 for only one kind (Simpson-style).

    Parameters
    ----------
    weak : numpy.ndarray
        Per resident, today's welcomed interactions with others who are not strong ties (strangers included).
    strong : numpy.ndarray
        Per resident, today's welcomed interactions with strong ties (strong-tie contacts included).

    Returns
    -------
    numpy.ndarray of float
        Per resident, 4 x weak x strong / (weak + strong)^2, in [0, 1]; 0 for a day without contact.

    References
    ----------
    .. [1] Collins et al. (2022), "Relational diversity in social portfolios predicts well-being".

    Examples
    --------
    >>> import numpy as np
    >>> relational_diversity(np.array([2, 3, 0]), np.array([2, 0, 0])).tolist()
    [1.0, 0.0, 0.0]
    """
    total = weak + strong
    return np.where(total > 0, 4.0 * weak * strong / np.maximum(total, 1) ** 2, 0.0)


def perceived_support(strong_ties: np.ndarray, weak_ties: np.ndarray, s) -> np.ndarray:
    """Support one could call on, saturating in the number of (weighted) ties.

    Parameters
    ----------
    strong_ties : numpy.ndarray
        Per resident, the number of strong ties (rung-5 memories), as counted by `Ties.counts`.
    weak_ties : numpy.ndarray
        Per resident, the number of weak ties (rung-2 to rung-4 memories).
    s : Scenario
        The scenario; reads `belonging.weak_support` (a weak tie's weight relative to a strong one, 0-1)
        and `belonging.support_saturation` (weighted ties that give 63% of full support).

    Returns
    -------
    numpy.ndarray of float
        Per resident, perceived support available, in [0, 1).

    References
    ----------
    .. [1] Moreton, Kelly & Sandstrom (2022), "Social support from weak ties: Insight from the literature on
       minimal social interactions".
    """
    return 1.0 - np.exp(-(strong_ties + s["belonging.weak_support"] * weak_ties) / s["belonging.support_saturation"])


def update_belonging(res, weighted_interactions: np.ndarray, rejections: np.ndarray, weak_contacts: np.ndarray,
                     strong_contacts: np.ndarray, s, strong_weight: np.ndarray | None = None,
                     tie_counts: dict | None = None) -> None:
    """One day's belonging and affect for everyone.

    Parameters
    ----------
    res : Residents
        The residents; reads `baseline`, `drift`, `support` and `partner` and updates `belonging`,
        `felt_belonging`, `affect`, `wider_circle` and `close_bonds` (each per resident, in [0, 1]) in place.
    weighted_interactions : numpy.ndarray of float
        Per resident, today's welcomed interactions weighted by `interaction_weight` (in chats; 0 or more).
    rejections : numpy.ndarray
        Per resident, the times they were looked through today as initiator.
    weak_contacts : numpy.ndarray
        Per resident, today's welcomed interactions with others who are not strong ties (strangers included).
    strong_contacts : numpy.ndarray
        Per resident, today's welcomed interactions with strong ties (strong-tie contacts included).
    s : Scenario
        The scenario; reads the `belonging.*` weights, `belonging.decay` (daily step toward the target, 0-1),
        `belonging.felt_day_weight`, `affect.floor` and `affect.scale`.
    strong_weight : numpy.ndarray, optional
        Per resident, the part of `weighted_interactions` with strong ties (for the close-bonds score).
    tie_counts : dict, optional
        Per resident "weak_ties" and "strong_ties" (`Ties.counts`), for the two subscale scores; without
        them (and `strong_weight`) the subscales are left as they are.

    Returns
    -------
    None
        The residents' arrays are changed in place.

    References
    ----------
    .. [1] Sandstrom & Dunn (2014a), "Is efficiency overrated? Minimal social interactions lead to belonging and
       positive affect".
    .. [2] Sandstrom & Dunn (2014b), "Social interactions and well-being: The surprising power of weak ties".
    .. [3] Wesselmann et al. (2012), "To be looked at as though air: Civil attention matters".
    .. [4] Collins et al. (2022), "Relational diversity in social portfolios predicts well-being".
    .. [5] Moreton, Kelly & Sandstrom (2022), "Social support from weak ties: Insight from the literature on
       minimal social interactions".
    """
    saturation = s["belonging.saturation"] * social_need(res.age, s)
    day_effect = (s["belonging.social_weight"] * social_nourishment(weighted_interactions, saturation)
                  + s["belonging.diversity_weight"] * relational_diversity(weak_contacts, strong_contacts)
                  - s["belonging.rejection_cost"] * rejections)
    target = set_point(res) + s["belonging.support_weight"] * res.support + day_effect
    step = s["belonging.decay"]
    res.belonging += step * (np.clip(target, 0.0, 1.0) - res.belonging)
    np.clip(res.belonging, 0.0, 1.0, out=res.belonging)
    # what a daily diary would record (Sandstrom & Dunn 2014b): the slow score, coloured by today
    w = s["belonging.felt_day_weight"]
    res.felt_belonging[:] = (1.0 - w) * res.belonging + w * np.clip(target, 0.0, 1.0)
    res.affect[:] = np.clip(s["affect.floor"] + s["affect.scale"] * day_effect, 0.0, 1.0)
    if strong_weight is not None and tie_counts is not None:
        wider, close = circles(weighted_interactions - strong_weight, strong_weight, tie_counts, res.partner >= 0, s,
                               saturation)
        res.wider_circle += step * (wider - res.wider_circle)
        res.close_bonds += step * (close - res.close_bonds)


def social_need(age: np.ndarray, s) -> np.ndarray:
    """How much contact a resident of this age needs to feel nourished, relative to a 45-year-old (1).

    Loneliness is the gap between the relationships one has and those one wants (De Jong Gierveld's
    cognitive discrepancy model, the basis of the Dutch loneliness scale), and what people want changes
    with age: the young seek many new contacts, older people prune their networks to the close ones
    and are content with fewer (Carstensen's socioemotional selectivity theory). The need falls
    linearly by `belonging.need_by_age` per 30 years, from 0.4 to 2 times the middle-aged one; its size
    is a modelling choice, fitted so that severe loneliness is spread evenly over the age bands, as
    CBS finds (docs/calibration.md).

    Parameters
    ----------
    age : numpy.ndarray
        Years, per resident.
    s : Scenario
        Reads `belonging.need_by_age` (0: the same need at every age).

    Returns
    -------
    numpy.ndarray
        Per resident, the multiplier of `belonging.saturation`, in [0.4, 2].

    References
    ----------
    .. [1] De Jong Gierveld, J. (1987). Developing and testing a model of loneliness. *Journal of Personality
       and Social Psychology*, 53(1), 119-128.
    .. [2] Carstensen, L. L., Isaacowitz, D. M., & Charles, S. T. (1999). Taking time seriously: A theory of
       socioemotional selectivity. *American Psychologist*, 54(3), 165-181.

    Examples
    --------
    >>> import numpy as np
    >>> social_need(np.array([15.0, 45.0, 75.0]), {"belonging.need_by_age": 0.5}).tolist()
    [1.5, 1.0, 0.5]
    """
    return np.clip(1.0 + s["belonging.need_by_age"] * (45.0 - age) / 30.0, 0.4, 2.0)


def set_point(res) -> np.ndarray:
    """Where belonging settles without contact or support: the stable personal baseline plus its drift.

    The baseline is the heritable part (about half the variance of loneliness is heritable: Boomsma et al.
    2005, Netherlands Twin Register); the drift stands for the rest of a life the model does not simulate
    (health, work, family far away) and moves slowly (`drift_set_point`). A modelling choice.

    Parameters
    ----------
    res : Residents
        Reads `baseline` and `drift`.

    Returns
    -------
    numpy.ndarray
        Per resident, the set point, in [0, 1].
    """
    return np.clip(res.baseline + res.drift, 0.0, 1.0)


def drift_set_point(res, s, shock: np.ndarray, speed: float = 1.0) -> None:
    """One day of the set point's drift: an Ornstein-Uhlenbeck process with mean 0, long-run spread
    `belonging.drift_sd` and time scale `belonging.drift_days` (a warm-up day stands for `speed` days).

    Parameters
    ----------
    res : Residents
        Updates `drift` in place.
    s : Scenario
    shock : numpy.ndarray
        One standard normal draw per resident (common random numbers keyed by person and day).
    speed : float

    Notes
    -----
    Loneliness is "as stable as personality traits" but not fixed (Mund et al. 2020); its one-year
    test-retest correlation is 0.73 (Russell 1996), and it comes and goes with changes in network and
    health (Dykstra et al. 2005). The drift carries the changes in health and circumstance; life events
    (model/life.py) and routine turnover carry the changes in network. Its size and time scale are fitted
    with `nodding calibrate` to the year-on-year rank correlation (docs/calibration.md).

    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> res = SimpleNamespace(drift=np.zeros(3))
    >>> drift_set_point(res, {"belonging.drift_sd": 0.1, "belonging.drift_days": 100}, np.array([1.0, 0.0, -1.0]))
    >>> (res.drift > 0).tolist(), bool(res.drift[1] == 0)
    ([True, False, False], True)
    """
    keep = np.exp(-speed / s["belonging.drift_days"])
    res.drift[:] = keep * res.drift + s["belonging.drift_sd"] * np.sqrt(1.0 - keep ** 2) * shock


def circles(weak_weight: np.ndarray, strong_weight: np.ndarray, tie_counts: dict, partner: np.ndarray, s,
            saturation: np.ndarray | float | None = None):
    """Today's targets of the two De Jong Gierveld subscales' opposites, each in [0, 1]: the wider circle
    (social loneliness: weak-tie contact and weak ties one could call on) and close bonds (emotional
    loneliness: contact with strong ties, strong ties, and a partner).

    Parameters
    ----------
    weak_weight, strong_weight : numpy.ndarray
        Per resident, today's weighted welcomed interactions with others who are not strong ties, and with
        strong ties (`interaction_weight`, in chats).
    tie_counts : dict
        Per resident "weak_ties" and "strong_ties".
    partner : numpy.ndarray of bool
        Per resident, whether they live with a partner.
    s : Scenario
        Reads `belonging.saturation` and `belonging.support_saturation`.
    saturation : numpy.ndarray or float, optional
        Per resident, the contact that gives 63% of a day's nourishment (default `belonging.saturation`; the
        update passes each resident's, `social_need`).

    Returns
    -------
    tuple of numpy.ndarray
        (wider circle, close bonds): each the mean of its parts; a modelling choice after De Jong Gierveld &
        Van Tilburg (2006), whose social subscale asks about the wider circle and whose emotional subscale asks
        about an intimate bond.

    References
    ----------
    .. [1] De Jong Gierveld, J., & Van Tilburg, T. (2006). A 6-item scale for overall, emotional, and social
       loneliness. *Research on Aging*, 28(5), 582-598.
    """
    saturation = s["belonging.saturation"] if saturation is None else saturation
    ties = s["belonging.support_saturation"]
    wider = 0.5 * social_nourishment(weak_weight, saturation) + 0.5 * (1.0 - np.exp(-tie_counts["weak_ties"] / ties))
    close = (social_nourishment(strong_weight, saturation) + (1.0 - np.exp(-tie_counts["strong_ties"] / ties))
             + partner) / 3.0
    return wider, close


def starting_belonging(res, s) -> np.ndarray:
    """Belonging at day 0: the target of a middling social day (modelling choice, avoids a long burn-in).

    Parameters
    ----------
    res : Residents
        The residents; reads `baseline`, `drift` and `support` (perceived support from the seeded ties), per
        resident, in [0, 1].
    s : Scenario
        The scenario; reads `belonging.social_weight`, `belonging.diversity_weight` and
        `belonging.support_weight`.

    Returns
    -------
    numpy.ndarray of float
        Per resident, the starting belonging, in [0, 1].
    """
    typical_day = 0.5 * (s["belonging.social_weight"] + s["belonging.diversity_weight"])
    return np.clip(set_point(res) + s["belonging.support_weight"] * res.support + typical_day, 0.0, 1.0)
