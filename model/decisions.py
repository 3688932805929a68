"""Deciding to start: does a resident who noticed someone nod, greet, chat or help?

The propensity (log-odds) rises with sociability, familiarity, the place's
affordance, a host's presence and prosocial modeling -- having seen others
interact recently (Jung et al. 2020, g = 0.45). It falls with fear of rejection
weighted by *predicted* rejection, with busyness, and with the other being a
stranger -- someone not yet spoken or nodded to, familiar face or not (Sandstrom &
Boothby 2021; Milgram 1972). Predicted acceptance of strangers is biased
low: people expect about 40% to welcome a chat where about 90% do (Epley &
Schroeder 2014; Sandstrom, Boothby & Cooney 2022). A visible need for help
(dropped groceries, a lost way) is a strong prompt (Kremer, Parys & Verplanke 2019).

Example
-------
>>> import numpy as np
>>> expected_acceptance(np.array([0.4, 0.4]), np.array([0, 5]))
array([0.4, 1. ])
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from .randomness import unit
from .ties import FAMILIAR_FACE, GREETING

__all__ = [
    "CHAT", "GREET", "HELP", "NOD", "Starts", "decide", "disposition", "expected_acceptance",
    "familiarity_pull", "host_effect", "interaction_level", "propensity", "setting",
]

NOD, GREET, CHAT, HELP = range(4)  # interaction ladder, as INTERACTION_LEVELS
#: the interaction each familiarity rung allows: strangers and familiar faces nod,
#: nodding and greeting terms greet, acquaintances and friends chat
USUAL_INTERACTION = np.array([NOD, NOD, GREET, GREET, CHAT, CHAT], dtype=np.int8)


class Starts(NamedTuple):
    """The interactions started in one day-part, one entry each (a subset of the noticed pairs).

    A named tuple, so a compiled kernel takes it as one argument (`responses.respond`).
    """

    initiator: np.ndarray
    receiver: np.ndarray
    place: np.ndarray
    group: np.ndarray     # the gathering it happened in
    level: np.ndarray     # the initiator's familiarity rung toward the receiver
    slot: np.ndarray      # where the initiator remembers the receiver (-1: no memory, or family)
    family: np.ndarray    # household members meeting at home
    expected: np.ndarray  # the initiator's predicted chance of a welcome
    kind: np.ndarray      # the interaction: NOD, GREET, CHAT or HELP


@numba.njit(cache=True)
def expected_acceptance(belief, level):
    """Predicted chance the other welcomes contact (arrays or single values).

    `belief` is the resident's expectation for a stranger; it rises linearly to
    certainty for a friend (rung 5). The linear shape is a modelling choice.
    """
    return 1.0 - (1.0 - belief) * (1.0 - level / 5.0)  # exactly 1 for a friend


def host_effect(hosts: np.ndarray) -> np.ndarray:
    """1 for one host, 2 for three: each further host helps less (a modelling choice).

    Parameters
    ----------
    hosts : numpy.ndarray
        Per place, today's hosts: staff or volunteers who connect people (0 or more).

    Returns
    -------
    numpy.ndarray of float
        Per place, log2(1 + hosts): 0 without a host; multiplied by `decisions.host_weight` in `setting`.

    References
    ----------
    .. [1] Kremer, Parys & Verplanke (2019), "Alledaagse attentheid in een superdiverse wijk": third places are
       designed for contact and their staff connect people.

    Examples
    --------
    >>> import numpy as np
    >>> host_effect(np.array([0, 1, 3])).tolist()
    [0.0, 1.0, 2.0]
    """
    return np.log2(1.0 + hosts)


def disposition(s, sociability, modeling, busyness, boost) -> np.ndarray:
    """The resident's part of the propensity: who they are and what they have seen today (per resident).

    Parameters
    ----------
    s : Scenario
        The scenario; reads `decisions.base`, `decisions.sociability_weight`, `decisions.modeling_weight` and
        `decisions.busyness_weight`.
    sociability : numpy.ndarray of float
        Per resident, sociability in [0, 1] (centred at 0.5 in the sum).
    modeling : numpy.ndarray of float
        Per resident, the fading memory of positive interactions seen (prosocial modeling), in [0, 1].
    busyness : numpy.ndarray of float
        Per resident, time pressure in [0, 1].
    boost : numpy.ndarray of float
        Per resident, today's log-odds added by interventions (challenge, groetsmoesjes; 0 otherwise).

    Returns
    -------
    numpy.ndarray of float
        Per resident, their part of the log-odds of starting an interaction.

    References
    ----------
    .. [1] Jung et al. (2020), "Prosocial modeling: A meta-analytic review and synthesis" (g = 0.45).
    .. [2] Movisie (seed 001, cited as "Movisie pilot report 2023"), "Wat is het effect van alledaagse kleine
       interacties? Pilots in Amsterdam en Enschede": not everyone is social in the same way; "too busy".
    """
    return (s["decisions.base"]
            + s["decisions.sociability_weight"] * (sociability - 0.5)
            + s["decisions.modeling_weight"] * modeling
            - s["decisions.busyness_weight"] * busyness
            + boost)


def setting(s, affordance, hosts) -> np.ndarray:
    """The place's part of the propensity: what it affords and who hosts it (per place).

    Parameters
    ----------
    s : Scenario
        The scenario; reads `decisions.affordance_weight` and `decisions.host_weight`.
    affordance : numpy.ndarray of float
        Per place, today's affordance for contact, in [0, 1].
    hosts : numpy.ndarray
        Per place, today's hosts (0 or more), counted through `host_effect`.

    Returns
    -------
    numpy.ndarray of float
        Per place, its part of the log-odds of starting an interaction (0 or more).

    References
    ----------
    .. [1] Kremer, Parys & Verplanke (2019), "Alledaagse attentheid in een superdiverse wijk": third places are
       designed for contact and their staff connect people.
    """
    return s["decisions.affordance_weight"] * affordance + s["decisions.host_weight"] * host_effect(hosts)


def familiarity_pull(s, level, recognition=1.0) -> np.ndarray:
    """The other's part: familiarity helps, and strangers -- not yet spoken or nodded to -- pay a penalty.

    Familiar faces pay more, and the more so the better they are known: `recognition` is the
    initiator's familiarity with the other in multiples of `ties.familiar_face_after` (1 when the face
    is just recognised, ~5 after months of seeing them daily). The familiar-stranger relationship is
    frozen, and the longer it lasts the harder it is to break (Milgram 1972). So a face is nodded at,
    if ever, soon after it is recognised, and faces seen for months stay familiar strangers.

    Parameters
    ----------
    s : Scenario
        The scenario; reads `decisions.familiarity_weight`, `decisions.stranger_penalty` and
        `decisions.familiar_stranger_penalty`.
    level : int or array_like of int
        Per encounter, the initiator's familiarity rung toward the other: 0 stranger, 1 familiar face,
        2 nodding, 3 greeting, 4 acquaintance, 5 friend.
    recognition : float or array_like of float, optional
        Per encounter, the initiator's familiarity with the other in multiples of `ties.familiar_face_after`
        (0 or more; used only for familiar faces). Broadcast against `level`; default 1.

    Returns
    -------
    numpy.ndarray of float
        Per encounter (the broadcast shape), the other's part of the log-odds of starting an interaction.

    References
    ----------
    .. [1] Milgram (1972), "The familiar stranger: An aspect of urban anonymity".
    .. [2] Sandstrom & Boothby (2021), "Why do people avoid talking to strangers? A mini meta-analysis of
       predicted fears and actual experiences talking to a stranger".
    .. [3] Blokland (2009), "Oog voor elkaar": familiarity makes contact easier.

    Examples
    --------
    >>> from nodding.model.scenario import Scenario
    >>> familiarity_pull(Scenario.default(), np.array([0, 1, 1, 2]), np.array([0.0, 1.0, 2.0, 3.0])).round(2).tolist()
    [-1.0, -1.03, -1.76, 1.4]
    """
    level, recognition = np.broadcast_arrays(np.asarray(level, np.int8), np.asarray(recognition, np.float32))
    # copies: numba refuses broadcast views (read-only)
    return _pull(level.flatten(), recognition.flatten(), _pull_weights(s)).reshape(level.shape)


def _pull_weights(s) -> tuple:
    return (s["decisions.familiarity_weight"], s["decisions.stranger_penalty"],
            np.float32(s["decisions.familiar_stranger_penalty"]))


@numba.njit(cache=True)
def pull_of(level, recognition, weights):
    """`familiarity_pull` of one encounter (numba). The familiar-stranger term is single precision, as
    the recognition it scales (the tie store's familiarity is float32)."""
    familiarity_weight, stranger_penalty, familiar_stranger_penalty = weights
    frozen = familiar_stranger_penalty * recognition * np.float32(level == FAMILIAR_FACE)
    return familiarity_weight * level - stranger_penalty * (level <= FAMILIAR_FACE) - np.float64(frozen)


@numba.njit(cache=True)
def _pull(level, recognition, weights):
    out = np.empty(len(level))
    for e in range(len(level)):
        out[e] = pull_of(level[e], recognition[e], weights)
    return out


@numba.njit(cache=True)
def propensity(disposition, setting, pull, fear, predicted_rejection, needs_help, fear_weight, help_bonus):
    """Log-odds of starting an interaction (arrays or single values).

    The initiator's `disposition`, the place's `setting` and the other's
    familiarity `pull`, minus fear weighted by *predicted* rejection, plus a
    visible need for help.
    """
    return disposition + setting + pull - fear_weight * fear * predicted_rejection + help_bonus * needs_help


def decide(s, seen, familiarity, face_after: float, need_chance: float, disposition, setting, affordance, fear,
           belief, sociability, draws, part: int, n_places: int) -> Starts:
    """Who starts an interaction with whom they noticed, and which one: the day-part's `Starts`.

    Per noticed encounter: a visible need for help (chance `need_chance`), the expected acceptance
    and the propensity (`familiarity_pull` from the initiator's recognition of the other, read off
    the tie store's `familiarity`), a logistic draw, and for those who start, `interaction_level`.
    `disposition`, `fear`, `belief` (expected acceptance of strangers) and `sociability` are per
    resident, `setting` and `affordance` per place. Each encounter draws its own numbers per purpose
    (who noticed whom where: common random numbers). One compiled loop, since this runs for every
    encounter of the day; the rules it calls are the functions above, also callable on their own.

    Parameters
    ----------
    s : Scenario
        The scenario; reads `decisions.fear_weight`, `decisions.help_bonus`, `decisions.chat_step`,
        `decisions.greeting_to_chat` and the weights of `familiarity_pull`.
    seen : encounters.Noticed
        The day-part's noticed encounters (who noticed whom, where, the rung and the tie-store slot).
    familiarity : numpy.ndarray of float32
        The tie store's familiarity, shape (residents, slots): decayed count of sightings.
    face_after : float
        Familiarity at which a face is recognised (`ties.familiar_face_after`; > 0).
    need_chance : float
        Chance, per noticed encounter, that the other visibly needs help, in [0, 1] (`encounters.need_rate`
        times today's help-needs factor).
    disposition : numpy.ndarray of float
        Per resident, their part of the log-odds (`disposition`).
    setting : numpy.ndarray of float
        Per place, its part of the log-odds (`setting`).
    affordance : numpy.ndarray of float
        Per place, today's affordance for contact, in [0, 1] (for stepping up a rung).
    fear : numpy.ndarray of float
        Per resident, current fear of rejection, in [0, 1].
    belief : numpy.ndarray of float
        Per resident, expected acceptance of a stranger, in [0, 1].
    sociability : numpy.ndarray of float
        Per resident, sociability in [0, 1] (for stepping up a rung).
    draws : randomness.DayDraws
        The day's common random numbers; purposes "need", "start", "step_up" and "greeting_to_chat".
    part : int
        The day-part, 0 morning to 3 evening.
    n_places : int
        Number of places in the town (to number each encounter's draws).

    Returns
    -------
    Starts
        The interactions started, one entry each: a subset of the noticed encounters, with the initiator's
        expected acceptance and the interaction (NOD, GREET, CHAT or HELP).

    References
    ----------
    .. [1] Epley & Schroeder (2014), "Mistakenly seeking solitude".
    .. [2] Sandstrom, Boothby & Cooney (2022), "Talking to strangers: A week-long intervention reduces
       psychological barriers to social connection".
    .. [3] Sandstrom & Boothby (2021), "Why do people avoid talking to strangers? A mini meta-analysis of
       predicted fears and actual experiences talking to a stranger".
    .. [4] Jung et al. (2020), "Prosocial modeling: A meta-analytic review and synthesis" (g = 0.45).
    .. [5] Milgram (1972), "The familiar stranger: An aspect of urban anonymity".
    .. [6] Kremer, Parys & Verplanke (2019), "Alledaagse attentheid in een superdiverse wijk": a visible need
       for help is a strong prompt.
    """
    keys = np.array([draws.key(purpose, part) for purpose in ("need", "start", "step_up", "greeting_to_chat")])
    rules = (s["decisions.fear_weight"], s["decisions.help_bonus"], s["decisions.chat_step"],
             s["decisions.greeting_to_chat"])
    return Starts(*_decide(seen, familiarity, np.float32(face_after), float(need_chance), disposition, setting, affordance,
                           fear, belief, sociability, _pull_weights(s), rules, keys, n_places))


@numba.njit(cache=True, parallel=True)
def _decide(seen, familiarity, face_after, need_chance, disposition, setting, affordance, fear, belief, sociability,
            pull_weights, rules, keys, n_places):
    who, other, place, group, level, slot, family = (seen.who, seen.other, seen.place, seen.group, seen.level,
                                                     seen.slot, seen.family)
    fear_weight, help_bonus, chat_step, greeting_to_chat = rules
    m = len(who)
    kind = np.full(m, -1, dtype=np.int8)  # -1: not started
    expected = np.empty(m)
    for e in numba.prange(m):
        i, encounter = who[e], other[e] * n_places + place[e]
        needs = unit(keys[0], i, encounter) < need_chance
        recognition = familiarity[i, slot[e]] / face_after if slot[e] >= 0 else np.float32(0.0)
        expected[e] = expected_acceptance(belief[i], level[e])
        logit = propensity(disposition[i], setting[place[e]], pull_of(level[e], recognition, pull_weights), fear[i],
                           1.0 - expected[e], needs, fear_weight, help_bonus)
        if unit(keys[1], i, encounter) < 1.0 / (1.0 + np.exp(-logit)):
            kind[e] = interaction_level(level[e], affordance[place[e]], sociability[i], needs, chat_step,
                                        greeting_to_chat, unit(keys[2], i, encounter), unit(keys[3], i, encounter))
    started = np.flatnonzero(kind >= 0)
    return (who[started], other[started], place[started], group[started], level[started], slot[started],
            family[started], expected[started], kind[started])


@numba.njit(cache=True)
def interaction_level(level, affordance, sociability, needs_help, chat_step, greeting_to_chat, step_up_draw, chat_draw):
    """What a started interaction is: the rung the pair's familiarity allows, sometimes one higher.

    Strangers and familiar faces nod, people on nodding or greeting terms greet,
    acquaintances and friends chat; people on greeting terms chat with chance
    `greeting_to_chat`; with chance `chat_step x affordance x sociability` a
    resident steps one rung up (a chat with a stranger at the bus stop). A
    visible need makes it help. One encounter (numba); `step_up_draw` and
    `chat_draw` are its draws in [0, 1).
    """
    if needs_help:
        return HELP
    if level == GREETING and chat_draw < greeting_to_chat:
        return CHAT
    step_up = step_up_draw < chat_step * affordance * sociability
    return min(USUAL_INTERACTION[level] + step_up, CHAT)
