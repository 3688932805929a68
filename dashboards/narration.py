"""The town's event log told as sentences with names, for the Classroom page and a resident's story.

"Ana nodded at Bram at the bus stop for the fifth time: they are on nodding terms now."
"Chris guessed a 40% chance that Dana would want to chat; Dana did, and liked it more than Chris thinks."
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nodding.model.parameters import FAMILIARITY_LEVELS

from .text import at_place, ordinal, t

RUNGS = ("stranger",) + FAMILIARITY_LEVELS


def annotate(events: pd.DataFrame) -> pd.DataFrame:
    """Add per-pair context: how many times this kind of contact happened between them, and whether
    this is the first time we see them on this rung of the ladder."""
    if events.empty:
        return events.assign(nth=pd.Series(dtype="int64"), new_rung=pd.Series(dtype="bool"))
    a, b = events["initiator"].to_numpy(), events["receiver"].to_numpy()
    pair = np.minimum(a, b) * 1_000_003 + np.maximum(a, b)
    rung = events["familiarity"].map(RUNGS.index).to_numpy()
    frame = events.assign(pair=pair, rung=rung)
    nth = frame.groupby(["pair", "interaction"]).cumcount() + 1
    # -1 before a pair's first logged contact: what they were before it (seeded friends, say) is not news
    best_before = frame.groupby("pair")["rung"].transform(lambda r: r.cummax().shift(1, fill_value=-1))
    seen_before = best_before.to_numpy() >= 0
    new_rung = seen_before & (rung > best_before.to_numpy()) & (rung >= RUNGS.index("nodding"))
    return events.assign(nth=nth.to_numpy(), new_rung=new_rung)


def sentence(row, names, place_of) -> str:
    """One event as a sentence. `names(i)` gives a resident's name, `place_of(k)` a place's type name."""
    a, b = names(int(row["initiator"])), names(int(row["receiver"]))
    where = at_place(place_of(int(row["place"])))
    if not row["welcomed"]:
        return t("n_rejected", a=a, b=b, where=where) + "."
    if row["interaction"] == "chat" and np.isfinite(row["felt_liking"]) and row["expected"] < 1:
        text = t("n_gap", a=a, b=b, p=float(row["expected"]))
    else:
        text = t(f"n_{row['interaction']}", a=a, b=b, where=where)
        if row["nth"] > 1:
            text += t("n_nth", nth=ordinal(int(row["nth"])))
    if row["new_rung"]:
        text += t("n_rung", rung=t(f"rung_{row['familiarity']}"))
    return text + "."


def interest(events: pd.DataFrame) -> np.ndarray:
    """How worth telling each event is: a new rung, then the first two liking gaps, a rebuff, help, the rest."""
    gap = ((events["interaction"] == "chat") & np.isfinite(events["felt_liking"]) & (events["expected"] < 1)).to_numpy()
    first_gaps = gap & (np.cumsum(gap) <= 2)  # the same sentence five times over teaches nothing
    return (4 * events["new_rung"].to_numpy() + 3 * first_gaps + 2 * (~events["welcomed"]).to_numpy()
            + 2 * (events["interaction"] == "help").to_numpy())


def feed(events: pd.DataFrame, is_home, names, place_of, limit: int = 8) -> list[str]:
    """The most telling events outside the homes, in the order they happened."""
    public = events[~is_home(events["place"].to_numpy())]
    if public.empty:
        return []
    chosen = public.iloc[np.sort(np.argsort(-interest(public), kind="stable")[:limit])]
    return [sentence(row, names, place_of) for _, row in chosen.iterrows()]
