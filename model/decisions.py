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

from dataclasses import dataclass

import numba
import numpy as np

from .ties import FAMILIAR_FACE, GREETING

NOD, GREET, CHAT, HELP = range(4)  # interaction ladder, as INTERACTION_LEVELS
#: the interaction each familiarity rung allows: strangers and familiar faces nod,
#: nodding and greeting terms greet, acquaintances and friends chat
USUAL_INTERACTION = np.array([NOD, NOD, GREET, GREET, CHAT, CHAT], dtype=np.int8)


@dataclass
class Starts:
    """The interactions started in one day-part, one entry each (a subset of the noticed pairs)."""

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

    >>> import numpy as np
    >>> host_effect(np.array([0, 1, 3])).tolist()
    [0.0, 1.0, 2.0]
    """
    return np.log2(1.0 + hosts)


def disposition(s, sociability, modeling, busyness, boost) -> np.ndarray:
    """The resident's part of the propensity: who they are and what they have seen today (per resident)."""
    return (s["decisions.base"]
            + s["decisions.sociability_weight"] * (sociability - 0.5)
            + s["decisions.modeling_weight"] * modeling
            - s["decisions.busyness_weight"] * busyness
            + boost)


def setting(s, affordance, hosts) -> np.ndarray:
    """The place's part of the propensity: what it affords and who hosts it (per place)."""
    return s["decisions.affordance_weight"] * affordance + s["decisions.host_weight"] * host_effect(hosts)


def familiarity_pull(s, level, recognition=1.0) -> np.ndarray:
    """The other's part: familiarity helps, and strangers -- not yet spoken or nodded to -- pay a penalty.

    Familiar faces pay more, and the more so the better they are known: `recognition` is the
    initiator's familiarity with the other in multiples of `ties.familiar_face_after` (1 when the face
    is just recognised, ~5 after months of seeing them daily). The familiar-stranger relationship is
    frozen, and the longer it lasts the harder it is to break (Milgram 1972). So a face is nodded at,
    if ever, soon after it is recognised, and faces seen for months stay familiar strangers.

    >>> from model.scenario import Scenario
    >>> familiarity_pull(Scenario.default(), np.array([0, 1, 1, 2]), np.array([0.0, 1.0, 2.0, 3.0])).round(2).tolist()
    [-1.0, -3.3, -6.3, 1.4]
    """
    return (s["decisions.familiarity_weight"] * level - s["decisions.stranger_penalty"] * (level <= FAMILIAR_FACE)
            - s["decisions.familiar_stranger_penalty"] * recognition * (level == FAMILIAR_FACE))


@numba.njit(cache=True)
def propensity(disposition, setting, pull, fear, predicted_rejection, needs_help, fear_weight, help_bonus):
    """Log-odds of starting an interaction (arrays or single values).

    The initiator's `disposition`, the place's `setting` and the other's
    familiarity `pull`, minus fear weighted by *predicted* rejection, plus a
    visible need for help.
    """
    return disposition + setting + pull - fear_weight * fear * predicted_rejection + help_bonus * needs_help


def decide(s, who, place, level, recognition, needs_help, disposition, setting, fear, belief, draw):
    """Who starts: (started, expected acceptance) for each noticed encounter.

    `disposition`, `fear` and `belief` (expected acceptance of strangers) are
    per resident, `setting` per place, `level` and `recognition` (see
    `familiarity_pull`) per encounter; one compiled loop over encounters, since
    this runs for every encounter of the day.
    """
    pull = familiarity_pull(s, level, recognition)
    return _decide(who, place, level, needs_help, disposition, setting, pull, fear, belief,
                   s["decisions.fear_weight"], s["decisions.help_bonus"], draw)


@numba.njit(cache=True, parallel=True)
def _decide(who, place, level, needs_help, disposition, setting, pull, fear, belief, fear_weight, help_bonus, draw):
    started = np.empty(len(who), dtype=np.bool_)
    expected = np.empty(len(who))
    for e in numba.prange(len(who)):
        i = who[e]
        expected[e] = expected_acceptance(belief[i], level[e])
        logit = propensity(disposition[i], setting[place[e]], pull[e], fear[i], 1.0 - expected[e],
                           needs_help[e], fear_weight, help_bonus)
        started[e] = draw[e] < 1.0 / (1.0 + np.exp(-logit))
    return started, expected


def interaction_level(level: np.ndarray, affordance: np.ndarray, sociability: np.ndarray, needs_help: np.ndarray,
                      chat_step: float, greeting_to_chat: float, step_up_draw: np.ndarray,
                      chat_draw: np.ndarray) -> np.ndarray:
    """What a started interaction is: the rung the pair's familiarity allows, sometimes one higher.

    Strangers and familiar faces nod, people on nodding or greeting terms greet,
    acquaintances and friends chat; people on greeting terms chat with chance
    `greeting_to_chat`; with chance `chat_step x affordance x sociability` a
    resident steps one rung up (a chat with a stranger at the bus stop). A
    visible need makes it help.
    """
    usual = USUAL_INTERACTION[level]
    step_up = step_up_draw < chat_step * affordance * sociability
    chosen = np.minimum(usual + step_up, CHAT)
    chosen = np.where((level == GREETING) & (chat_draw < greeting_to_chat), CHAT, chosen)
    return np.where(needs_help, HELP, chosen).astype(np.int8)
