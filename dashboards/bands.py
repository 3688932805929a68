"""Loneliness by age band for the Explore page: one row per band of `population.AGE_BANDS`, today.

Per band: how many residents are in it, and the shares lonely, severely lonely, lastingly lonely (lonely on
more than half of the last `belonging.lasting_days` days, `LonelyDays.lasting`), socially lonely (a thin
wider circle) and emotionally lonely (no close bonds), read off at the scenario's thresholds
(`metrics.loneliness`). The lonely and severely lonely shares are the daily table's `BAND_COLUMNS` for the
last day; a last row gives every share among all adults (18+). Kept free of Solara so it can be tested
without a browser.
"""

from __future__ import annotations

import numpy as np

from nodding.model.metrics import loneliness
from nodding.model.population import AGE_BANDS, band_members

from .text import t

#: The table's share columns: (key of `metrics.loneliness` or "lasting", text key of the column heading).
SHARES = (("lonely", "bands_lonely"), ("severe", "bands_severe"), ("lasting", "bands_lasting"),
          ("social", "bands_social"), ("emotional", "bands_emotional"))


def band_shares(town) -> dict[str, dict[str, float]]:
    """{band name (and "adults"): {"residents": count, and each key of `SHARES`: share, NaN if the band is empty}}."""
    res = town.residents
    flags = {**loneliness(res, town.config), "lasting": town.lonely_days.lasting()}
    groups = {**band_members(res.age), "adults": res.age >= 18}
    return {band: {"residents": int(members.sum()),
                   **{key: float(flags[key][members].mean()) if members.any() else np.nan for key, _ in SHARES}}
            for band, members in groups.items()}


def _percent(share: float) -> str:
    return "–" if np.isnan(share) else f"{share:.0%}"


def band_table(town) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the page's table, in the page's language (`text.t`)."""
    header = [t("bands_age"), t("bands_residents"), *(t(label) for _, label in SHARES)]
    rows = [[t(f"band_{band}"), f"{row['residents']:,}", *(_percent(row[key]) for key, _ in SHARES)]
            for band, row in band_shares(town).items()]
    return header, rows


assert set(AGE_BANDS) == {"15_25", "25_35", "35_45", "45_55", "55_65", "65_75", "75_plus", "18_30"}, \
    "new age bands need their labels in dashboards/text.py (band_<name>)"
