"""Groups of residents on the Explore map: which can be shown, how they are called, what the legend says.

Plain Python (no Solara), so the rules are tested without a browser. The groups are the run's own
(`Town.groups()`: participants, target group, regulars and everyone else of each intervention),
fixed on the intervention's start day and empty before it.
"""

from __future__ import annotations

import numpy as np

from .compose import action
from .text import t

KINDS = ("participant", "target", "regular", "others")  # the order in which a change's groups are offered


def _intervention(town, key: str):
    name = key.partition(":")[2]
    return next(iv for iv in town.interventions if iv.name == name)


def label(town, key: str) -> str:
    """A group in words: 'regulars: closing the community centre from day 60'."""
    return t(f"gr_{key.partition(':')[0]}", change=action(_intervention(town, key).spec))


def choices(town) -> dict[str, str]:
    """The groups the map can show, label -> group key, a change's groups together, participants first."""
    keys = sorted(town.groups(), key=lambda k: ([iv.name for iv in town.interventions].index(k.partition(":")[2]),
                                                 KINDS.index(k.partition(":")[0])))
    return {label(town, key): key for key in keys}


def members(town, key: str | None) -> np.ndarray | None:
    """The group's residents (a boolean array), or None when no group is shown or the town has no such group."""
    return town.groups().get(key) if key else None


def legend(town, key: str) -> str:
    """What the map highlights and how many, or, before the change starts, from which day the group is known."""
    iv, kind = _intervention(town, key), key.partition(":")[0]
    if not iv.formed:
        return t("gr_not_yet", who=t(f"gw_{kind}"), start=iv.start)
    n = int(town.groups()[key].sum())
    return t("gr_shown", n=n, who=t(f"gw_{kind}"), share=100 * n / len(town.residents), change=action(iv.spec))
