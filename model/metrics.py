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
from .population import AGE_BANDS

__all__ = ["BAND_COLUMNS", "COLUMNS", "DayTally", "LonelyDays", "band_shares", "daily_row", "loneliness"]

#: Lonely and severely lonely shares by age band (CBS's bands, and 18-30 "young adults"; model/population.py)
BAND_COLUMNS = [f"{kind}_share_{band}" for band in AGE_BANDS for kind in ("lonely", "severely_lonely")]
COLUMNS = (
    ["day", "weekday", "mean_belonging", "lonely_share", "severely_lonely_share", "lasting_lonely_share",
     "socially_lonely_share", "emotionally_lonely_share", *BAND_COLUMNS, "mean_felt_belonging", "mean_affect"]
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
        self.strong_weight = np.zeros(n)   # the part of it with strong ties
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
        self.strong_weight += np.bincount(both, weights=np.tile(weight * strong, 2), minlength=n)
        strong_contacts = np.bincount(both, weights=np.tile(strong, 2), minlength=n)
        self.strong_contacts += strong_contacts
        self.weak_contacts += np.bincount(both, minlength=n) - strong_contacts


class LonelyDays:
    """On how many of the last `window` days each resident was lonely: one bit per resident and day, in a ring.

    >>> import numpy as np
    >>> record = LonelyDays(2, window=3)
    >>> for today in ([True, False], [True, True], [False, True], [False, True]):
    ...     record.add(np.array(today))
    >>> record.count.tolist(), record.lasting().tolist()
    ([1, 3], [False, True])
    """

    def __init__(self, n: int, window: int):
        self.window = int(window)
        self.bits = np.zeros(((self.window + 7) // 8, n), dtype=np.uint8)
        self.count = np.zeros(n, dtype=np.int16)
        self.days = 0

    def add(self, lonely: np.ndarray) -> None:
        """Today's loneliness (bool per resident) replaces the day `window` days ago."""
        byte, bit = divmod(self.days % self.window, 8)
        row = self.bits[byte]
        today = lonely.astype(np.uint8)
        self.count += today.astype(np.int16) - ((row >> bit) & 1)
        row &= np.uint8(~(1 << bit) & 0xFF)
        row |= today << bit
        self.days += 1

    def forget(self, slots: np.ndarray) -> None:
        """Newcomers in these slots start with no lonely days."""
        self.bits[:, slots] = 0
        self.count[slots] = 0

    def lasting(self) -> np.ndarray:
        """Lonely on more than half of the window's days (lasting loneliness; passing: lonely today only)."""
        return 2 * self.count > self.window


def _share(flags: np.ndarray, among: np.ndarray) -> float:
    return float(flags[among].mean()) if among.any() else np.nan


def band_shares(age: np.ndarray, lonely: np.ndarray, severe: np.ndarray) -> dict[str, float]:
    """The lonely and severely lonely shares of each age band (`BAND_COLUMNS`; NaN for an empty band), counted
    in one pass over residents (the daily table's hottest read-out).

    Parameters
    ----------
    age : numpy.ndarray
        Per resident, years.
    lonely, severe : numpy.ndarray of bool
        Per resident, lonely and severely lonely today (`loneliness`).

    Returns
    -------
    dict of str to float
        ``lonely_share_<band>`` and ``severely_lonely_share_<band>`` for each band of `BAND_COLUMNS`.

    Examples
    --------
    >>> import numpy as np
    >>> shares = band_shares(np.array([20.0, 22.0, 80.0]), np.array([True, False, True]), np.array([False, False, True]))
    >>> shares["lonely_share_15_25"], shares["severely_lonely_share_75_plus"], bool(np.isnan(shares["lonely_share_45_55"]))
    (0.5, 1.0, True)
    """
    names = [name for name in AGE_BANDS if name != "18_30"]
    band = np.searchsorted([AGE_BANDS[name][0] for name in names], age, side="right")  # 0: under 15
    young = (age >= AGE_BANDS["18_30"][0]) & (age < AGE_BANDS["18_30"][1])
    counts = np.bincount(band, minlength=len(names) + 1)[1:]
    shares = {}
    for kind, flags in (("lonely", lonely), ("severely_lonely", severe)):
        hits = np.bincount(band, weights=flags, minlength=len(names) + 1)[1:]
        shares |= {f"{kind}_share_{name}": float(h / c) if c else np.nan for name, h, c in zip(names, hits, counts)}
        shares[f"{kind}_share_18_30"] = _share(flags, young)
    return shares


def loneliness(res, s) -> dict[str, np.ndarray]:
    """Per resident: lonely, severely lonely, socially and emotionally lonely, read off the scores at the
    scenario's thresholds (the read-out step, docs/calibration.md).

    Parameters
    ----------
    res : Residents
        Reads `belonging`, `wider_circle` and `close_bonds`.
    s : Scenario
        Reads `belonging.lonely_below`, `belonging.severely_lonely_below`, `belonging.socially_lonely_below`
        and `belonging.emotionally_lonely_below`.

    Returns
    -------
    dict of str to numpy.ndarray of bool
        "lonely", "severe", "social" and "emotional", per resident (every age: the daily table picks the ages
        each is reported for).
    """
    return {"lonely": res.belonging < s["belonging.lonely_below"],
            "severe": res.belonging < s["belonging.severely_lonely_below"],
            "social": res.wider_circle < s["belonging.socially_lonely_below"],
            "emotional": res.close_bonds < s["belonging.emotionally_lonely_below"]}


def daily_row(day: int, res, tally: DayTally, tie_counts: dict[str, np.ndarray], s, lasting: np.ndarray) -> dict:
    """One row of the daily table. Loneliness shares are among adults (18+), like the survey they are
    calibrated to (Gezondheidsmonitor 2020, 18+); by age band among the band's residents; social and
    emotional loneliness among residents 15+, as CBS reports them (docs/model.md 7.9).

    Parameters
    ----------
    day : int
        The reported day (0 is the first day after the warm-up; `day % 7` is the weekday, 0 Monday).
    res : Residents
        The residents, at the end of the day (belonging, its subscale scores, affect, fear, expectations,
        support, modeling, age).
    tally : DayTally
        The day's counts of interactions, initiations, acceptances and felt liking gaps.
    tie_counts : dict of str to numpy.ndarray
        Per resident, "familiar_faces", "weak_ties" and "strong_ties", as returned by `Ties.end_of_day`.
    s : Scenario
        The scenario; reads the read-out thresholds `belonging.*_below`.
    lasting : numpy.ndarray of bool
        Per resident, lonely on most days of the last `belonging.lasting_days` (`LonelyDays.lasting`).

    Returns
    -------
    dict
        One value per column of `COLUMNS`: means and shares over residents, counts of the day's
        interactions; rates with no initiations (and the liking gap with no chats) are NaN, and so is the
        share of an age band nobody is in.

    References
    ----------
    .. [1] Gezondheidsmonitor Volwassenen en Ouderen 2020 (GGD'en, CBS, RIVM): 47% of adults lonely, 11% severely
       lonely.
    .. [2] CBS StatLine 85766NED (2022): strongly lonely, socially and emotionally, by age, 15+.
    """
    adult, over_15 = res.age >= 18, res.age >= 15
    flags = loneliness(res, s)
    row = {
        "day": day,
        "weekday": day % 7,
        "mean_belonging": float(res.belonging.mean()),
        "lonely_share": _share(flags["lonely"], adult),
        "severely_lonely_share": _share(flags["severe"], adult),
        "lasting_lonely_share": _share(lasting, adult),
        "socially_lonely_share": _share(flags["social"], over_15),
        "emotionally_lonely_share": _share(flags["emotional"], over_15),
    }
    row.update(band_shares(res.age, flags["lonely"], flags["severe"]))
    row.update({"mean_felt_belonging": float(res.felt_belonging.mean()), "mean_affect": float(res.affect.mean())})
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
