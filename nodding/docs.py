"""Passages of the documentation that come from the code, so they cannot drift.

`docs/model.md` and `docs/architecture.md` mark such passages with HTML comments::

    <!-- generated: part-weights -->
    ...text written by `part_weights()`...
    <!-- end generated -->

`make docs` rewrites them (`refresh`); `tests/test_docs.py` fails when one is stale (`stale`).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from nodding.model.parameters import DAY_PARTS
from nodding.model.residents import ROLES
from nodding.model.routines import AFTERNOON, LEISURE, MORNING, OUTING, PART_WEIGHTS

__all__ = ["DOCUMENTS", "GENERATED", "day_stages", "part_weights", "refresh", "regular_visits_in_working_hours",
           "stale"]

_DOCS = Path(__file__).resolve().parent.parent / "docs"
MODEL_DOC = _DOCS / "model.md"
#: The documents with generated passages.
DOCUMENTS = (MODEL_DOC, _DOCS / "architecture.md")
_BLOCK = re.compile(r"(<!-- generated: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end generated -->)", re.S)


def part_weights() -> str:
    """The role day-part weights of free-time visits (`routines.PART_WEIGHTS`)."""
    rows = [f"{role.replace('_', ' ')} ({', '.join(f'{w:g}' for w in PART_WEIGHTS[k])})" for k, role in enumerate(ROLES)]
    return f"Role day-part weights for free-time visits ({', '.join(DAY_PARTS)}): " + "; ".join(rows) + ".\n"


def regular_visits_in_working_hours(seed: int = 1) -> str:
    """Shares of workers' and children's regular free-time visits that fall in morning-afternoon,
    measured on the baseline town's routines (weekday visits at those times are dropped)."""
    from nodding import Town

    town = Town(seed=seed)
    role, part = town.residents.role, town.routines.part
    daytime = (part >= MORNING) & (part <= AFTERNOON)

    def share(role_name: str, use: int) -> str:
        regular = (role == ROLES.index(role_name)) & (town.routines.anchor[:, use] >= 0) & (part[:, use] >= 0)
        return f"{np.mean(daytime[regular, use]):.0%}"

    return (f"{share('worker', LEISURE)} of workers' and {share('child', LEISURE)} of children's regular "
            f"third-place visits, and {share('worker', OUTING)} and {share('child', OUTING)} of their regular "
            f"outings, fall in morning-afternoon (baseline town, seed {seed}).\n")


def day_stages() -> str:
    """The order of a day, as the code prints it (`day.describe`), in a code block."""
    from nodding.model import day

    return "```\n" + day.describe() + "```\n"


GENERATED = {"part-weights": part_weights, "regular-visits-in-working-hours": regular_visits_in_working_hours,
             "day-stages": day_stages}


def _rewrite(text: str) -> str:
    return _BLOCK.sub(lambda m: m.group(1) + GENERATED[m.group("name")]() + m.group(4), text)


def stale(paths=DOCUMENTS) -> list[str]:
    """Names of the generated passages that differ from what the code gives now.

    Parameters
    ----------
    paths : path or sequence of paths
        The documents to check (default: all of `DOCUMENTS`).

    Returns
    -------
    list of str
        ``"document: passage"`` for each stale passage.
    """
    out = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        text = Path(path).read_text(encoding="utf-8")
        out += [f"{Path(path).name}: {m.group('name')}" for m in _BLOCK.finditer(text)
                if m.group("body") != GENERATED[m.group("name")]()]
    return out


def refresh(paths=DOCUMENTS) -> None:
    """Rewrite the generated passages of these documents (default: all of `DOCUMENTS`)."""
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        path = Path(path)
        path.write_text(_rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    refresh()
