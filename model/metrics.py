"""Metrics: the day's tallies and the daily table (`Town.daily`).

`DayTally` accumulates per-resident and town-wide counts while the day runs;
`daily_row` turns them into one row of the daily table. Column names follow
DESIGN.md: `interactions_<level>` for nod/greeting/chat/help,
`interactions_<kind>` for home/third_place/transitory/work/online.
Undefined rates (no one started anything that day) are NaN, not 0.
"""

from __future__ import annotations

import numpy as np

from .parameters import INTERACTION_LEVELS, PLACE_KINDS
from .residents import CHILD, SENIOR

__all__ = ["COLUMNS", "DayTally", "daily_row"]

COLUMNS = (
    ["day", "weekday", "mean_belonging", "lonely_share", "severely_lonely_share", "lonely_share_seniors",
     "severely_lonely_share_seniors", "mean_felt_belonging", "mean_affect"]
    + [f"interactions_{level}" for level in INTERACTION_LEVELS]
    + [f"interactions_{kind}" for kind in PLACE_KINDS]
    + ["mean_weak_ties", "mean_strong_ties", "mean_familiar_faces", "mean_fear", "mean_expected_acceptance",
       "acceptance_rate", "acceptance_rate_strangers", "initiations", "rejections", "mean_liking_gap",
       "mean_support", "mean_modeling"]
)


class DayTally:
    """Counters for one day: per resident (contact weight, contacts) and town-wide (by level and place kind)."""

    def __init__(self, n: int):
        self.contact_weight = np.zeros(n)  # weighted welcomed interactions (belonging.interaction_weight)
        self.rejections = np.zeros(n)
        self.weak_contacts = np.zeros(n)
        self.strong_contacts = np.zeros(n)
        self.seen_positive = np.zeros(n)
        self.by_level = np.zeros(len(INTERACTION_LEVELS), dtype=np.int64)
        self.by_kind = np.zeros(len(PLACE_KINDS), dtype=np.int64)
        self.initiations = 0
        self.accepted = 0
        self.stranger_initiations = 0
        self.stranger_accepted = 0
        self.felt_gaps: list[np.ndarray] = []

    def count_interactions(self, level: np.ndarray, kind: np.ndarray) -> None:
        self.by_level += np.bincount(level, minlength=len(INTERACTION_LEVELS))
        self.by_kind += np.bincount(kind, minlength=len(PLACE_KINDS))

    def add_contacts(self, a: np.ndarray, b: np.ndarray, weight: np.ndarray, strong: np.ndarray) -> None:
        """Welcomed interactions between a and b: each side gains `weight` and one strong or weak contact
        (strangers count as weak)."""
        n = len(self.contact_weight)
        both = np.concatenate([a, b])
        self.contact_weight += np.bincount(both, weights=np.tile(weight, 2), minlength=n)
        strong_contacts = np.bincount(both, weights=np.tile(strong, 2), minlength=n)
        self.strong_contacts += strong_contacts
        self.weak_contacts += np.bincount(both, minlength=n) - strong_contacts


def _share(flags: np.ndarray, among: np.ndarray) -> float:
    return float(flags[among].mean()) if among.any() else np.nan


def daily_row(day: int, res, tally: DayTally, tie_counts: dict[str, np.ndarray], s) -> dict:
    """One row of the daily table. Loneliness shares are among adults (not children), like the survey
    they are calibrated to (Gezondheidsmonitor 2020, 18+); `_seniors` among seniors (docs/model.md 7.9).

    Parameters
    ----------
    day : int
        The reported day (0 is the first day after the warm-up; `day % 7` is the weekday, 0 Monday).
    res : Residents
        The residents, at the end of the day (belonging, affect, fear, expectations, support, modeling).
    tally : DayTally
        The day's counts of interactions, initiations, acceptances and felt liking gaps.
    tie_counts : dict of str to numpy.ndarray
        Per resident, "familiar_faces", "weak_ties" and "strong_ties", as returned by `Ties.end_of_day`.
    s : Scenario
        The scenario; reads `belonging.lonely_below` and `belonging.severely_lonely_below`.

    Returns
    -------
    dict
        One value per column of `COLUMNS`: means and shares over residents, counts of the day's
        interactions; rates with no initiations (and the liking gap with no chats) are NaN.

    References
    ----------
    .. [1] Gezondheidsmonitor Volwassenen en Ouderen 2020 (GGD'en, CBS, RIVM): 47% of adults lonely, 11% severely
       lonely.
    """
    adult, senior = res.role != CHILD, res.role == SENIOR
    lonely = res.belonging < s["belonging.lonely_below"]
    severe = res.belonging < s["belonging.severely_lonely_below"]
    row = {
        "day": day,
        "weekday": day % 7,
        "mean_belonging": float(res.belonging.mean()),
        "lonely_share": _share(lonely, adult),
        "severely_lonely_share": _share(severe, adult),
        "lonely_share_seniors": _share(lonely, senior),
        "severely_lonely_share_seniors": _share(severe, senior),
        "mean_felt_belonging": float(res.felt_belonging.mean()),
        "mean_affect": float(res.affect.mean()),
    }
    row.update({f"interactions_{name}": int(c) for name, c in zip(INTERACTION_LEVELS, tally.by_level)})
    row.update({f"interactions_{name}": int(c) for name, c in zip(PLACE_KINDS, tally.by_kind)})
    gaps = np.concatenate(tally.felt_gaps) if tally.felt_gaps else np.zeros(0)
    row.update({
        "mean_weak_ties": float(tie_counts["weak_ties"].mean()),
        "mean_strong_ties": float(tie_counts["strong_ties"].mean()),
        "mean_familiar_faces": float(tie_counts["familiar_faces"].mean()),
        "mean_fear": float(res.fear.mean()),
        "mean_expected_acceptance": float(res.expected_acceptance.mean()),
        "acceptance_rate": tally.accepted / tally.initiations if tally.initiations else np.nan,
        "acceptance_rate_strangers": (tally.stranger_accepted / tally.stranger_initiations
                                      if tally.stranger_initiations else np.nan),
        "initiations": tally.initiations,
        "rejections": tally.initiations - tally.accepted,
        "mean_liking_gap": float(gaps.mean()) if len(gaps) else np.nan,
        "mean_support": float(res.support.mean()),
        "mean_modeling": float(res.modeling.mean()),
    })
    return row
