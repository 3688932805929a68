"""The per-resident panel: one row per resident and week, for researchers (`nodding run --panel`).

Weekly means, not daily rows: a town of 2,000 over a year is 104,000 rows of a dozen numbers, kept as
float32 sums over the week in progress plus one small table per finished week. Weeks count from day 0
(a Monday): week w is days 7w .. 7w + 6; a run that stops mid-week ends with a shorter week (`days`).
Residents are identified by id (`resident`), the same in every scenario built from the same seed and
population, so two runs pair by (`resident`, `week`).

Example
-------
>>> from nodding import Town
>>> town = Town(scenario="classroom", seed=1, panel=True)
>>> town.run(days=10)
>>> frame = town.panel_frame()
>>> len(frame) == 2 * len(town.residents), frame["days"].tolist()[:1], frame["days"].tolist()[-1:]
(True, [7], [3])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PANEL_COLUMNS", "Panel"]

#: The panel's measures, each a weekly mean of daily values: belonging (end of day), lonely (share of the week's
#: days below `belonging.lonely_below`), welcomed contacts a day with weak and strong ties (strangers count
#: as weak), times looked through a day, and tie counts (strong ties, weak ties, familiar faces).
PANEL_COLUMNS = ("belonging", "lonely", "weak_contacts", "strong_contacts", "rejections",
                 "strong_ties", "weak_ties", "familiar_faces")


class Panel:
    """Weekly means per resident, gathered one reported day at a time.

    Parameters
    ----------
    n : int
        Residents in the town.
    """

    def __init__(self, n: int):
        self.n = n
        self.week = -1
        self.days = 0
        self._sums = np.zeros((len(PANEL_COLUMNS), n), dtype=np.float32)
        self._weeks: list[pd.DataFrame] = []

    def add_day(self, day: int, residents, tally, counts: dict, lonely_below: float) -> None:
        """Add one reported day's values to its week (closing the previous week when a new one begins).

        Parameters
        ----------
        day : int
            The reported day (from 0).
        residents : Residents
            Read: belonging.
        tally : metrics.DayTally
            Read: the day's weak and strong contacts and rejections per resident.
        counts : dict
            The day's tie counts per resident (`Ties.end_of_day`).
        lonely_below : float
            The loneliness threshold (`belonging.lonely_below`).

        Returns
        -------
        None
        """
        week = day // 7
        if week != self.week:
            self._close()
            self.week = week
        values = (residents.belonging, residents.belonging < lonely_below, tally.weak_contacts, tally.strong_contacts,
                  tally.rejections, counts["strong_ties"], counts["weak_ties"], counts["familiar_faces"])
        for row, value in zip(self._sums, values):
            row += value
        self.days += 1

    def _close(self) -> None:
        if self.days == 0:
            return
        means = self._sums / self.days
        self._weeks.append(pd.DataFrame({
            "resident": np.arange(self.n, dtype=np.int32), "week": np.full(self.n, self.week, dtype=np.int32),
            "days": np.full(self.n, self.days, dtype=np.int8), **dict(zip(PANEL_COLUMNS, means.copy())),
        }))
        self._sums[:] = 0.0
        self.days = 0

    def frame(self) -> pd.DataFrame:
        """The panel so far: one row per resident and week (the week in progress included), by week then resident.

        Returns
        -------
        pandas.DataFrame
            Columns `resident`, `week`, `days` (reported days in the week) and `PANEL_COLUMNS` (float32).
        """
        parts = list(self._weeks)
        if self.days:
            means = self._sums / self.days
            parts.append(pd.DataFrame({
                "resident": np.arange(self.n, dtype=np.int32), "week": np.full(self.n, self.week, dtype=np.int32),
                "days": np.full(self.n, self.days, dtype=np.int8), **dict(zip(PANEL_COLUMNS, means.copy())),
            }))
        if not parts:
            return pd.DataFrame({"resident": pd.Series(dtype="int32"), "week": pd.Series(dtype="int32"),
                                 "days": pd.Series(dtype="int8"), **{c: pd.Series(dtype="float32") for c in PANEL_COLUMNS}})
        return pd.concat(parts, ignore_index=True)
