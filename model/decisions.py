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

import numpy as np

from .ties import ACQUAINTANCE, FAMILIAR_FACE, GREETING, NODDING

NOD, GREET, CHAT, HELP = range(4)  # interaction ladder, as INTERACTION_LEVELS


def expected_acceptance(belief: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Predicted chance the other welcomes contact.

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


def propensity(s, *, sociability, level, affordance, hosts, modeling, fear, predicted_rejection,
               busyness, needs_help, boost) -> np.ndarray:
    """Log-odds of starting an interaction, one value per noticed encounter."""
    return (s["decisions.base"]
            + s["decisions.sociability_weight"] * (sociability - 0.5)
            + s["decisions.familiarity_weight"] * level
            + s["decisions.affordance_weight"] * affordance
            + s["decisions.host_weight"] * host_effect(hosts)
            + s["decisions.modeling_weight"] * modeling
            - s["decisions.fear_weight"] * fear * predicted_rejection
            - s["decisions.busyness_weight"] * busyness
            - s["decisions.stranger_penalty"] * (level <= FAMILIAR_FACE)
            + s["decisions.help_bonus"] * needs_help
            + boost)


def interaction_level(level: np.ndarray, affordance: np.ndarray, sociability: np.ndarray, needs_help: np.ndarray,
                      chat_step: float, greeting_to_chat: float, rng: np.random.Generator) -> np.ndarray:
    """What a started interaction is: the rung the pair's familiarity allows, sometimes one higher.

    Strangers and familiar faces nod, people on nodding or greeting terms greet,
    acquaintances and friends chat; people on greeting terms chat with chance
    `greeting_to_chat`; with chance `chat_step x affordance x sociability` a
    resident steps one rung up (a chat with a stranger at the bus stop). A
    visible need makes it help.
    """
    usual = np.select([level >= ACQUAINTANCE, level >= NODDING], [CHAT, GREET], NOD)
    step_up = rng.random(len(level)) < chat_step * affordance * sociability
    chosen = np.minimum(usual + step_up, CHAT)
    chosen = np.where((level == GREETING) & (rng.random(len(level)) < greeting_to_chat), CHAT, chosen)
    return np.where(needs_help, HELP, chosen).astype(np.int8)


def decide(logit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Bernoulli draw of the decision to start."""
    return rng.random(len(logit)) < 1.0 / (1.0 + np.exp(-logit))
