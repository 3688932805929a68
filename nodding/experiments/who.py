"""Who is affected: a comparison's effects by group of residents in report.md's words and in groups.csv.

The group a change is about comes first: a campaign's participants (then its target group), a
place's regulars; then everyone else, then the town (`lead_lines`). Each scenario has a table "Who
is affected" with every group's size, effects and Hedges' g (`affected_table`); groups.csv holds
the same numbers, one row per scenario and group (`groups_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nodding.model.groups import default_target

from .summarise import TOWN
from .wording import fmt

__all__ = ["COLUMNS", "SCALE", "affected_table", "group_words", "groups_table", "lead_lines"]

#: The fixed sentence of scale under every "Who is affected" table.
SCALE = ("For scale, not calibration: trials of loneliness interventions report standardised differences around "
         "g = 0.4 for their participants (Hickin et al. 2021; Lasgaard et al. 2022).")
COLUMNS = ["scenario", "group", "group_size", "replicates", "belonging_points", "belonging_ci_low", "belonging_ci_high",
           "lonely_pp", "lonely_ci_low", "lonely_ci_high", "hedges_g", "g_ci_low", "g_ci_high", "lonely_per_100"]
_BOUNDS = {"belonging_points": ("belonging_ci_low", "belonging_ci_high"), "lonely_pp": ("lonely_ci_low", "lonely_ci_high"),
           "hedges_g": ("g_ci_low", "g_ci_high")}
_LEADS = ("participants of ", "regulars of ")  # the groups a change is about, by kind of intervention
_KIND_WORDS = {"challenge": "the challenge", "conversation_training": "the conversation training",
               "greeting_excuses": "the greeting excuses", "volunteering": "volunteering",
               "mobility_support": "the transport help"}


def group_words(group: str, scenario) -> str:
    """A group's name in a report's words, from the `group` column's name and the scenario's interventions.

    Parameters
    ----------
    group : str
        As in effects.csv, e.g. "regulars of close_community_centre".
    scenario : Scenario
        The changed scenario (its interventions name the place and the kind).

    Returns
    -------
    str
        E.g. "regulars of the community centre", "participants in the challenge (`kindness_week`)",
        "residents the challenge was meant for (living alone)", "everyone else"; other groups as given.
    """
    if group.startswith("everyone else ("):
        return "everyone else" if len(scenario.interventions) == 1 else group
    kind, _, name = group.partition(" of ")
    iv = scenario.interventions.get(name) if name else None
    if iv is None:
        return group
    target = str(iv.get("target") or default_target(iv.get("kind", "")))
    if kind == "regulars":
        place = iv.get("place") or target.partition(":")[2] or name
        return f"regulars of the {str(place).replace('_', ' ')}"
    what = _KIND_WORDS.get(iv.get("kind"), f"`{name}`")
    if kind == "participants":
        return f"participants in {what} (`{name}`)" if what != f"`{name}`" else f"participants in {what}"
    if kind == "target":
        return f"residents {what} was meant for ({target.replace('_', ' ').replace(':', ': ')})"
    return group


def groups_table(effects: pd.DataFrame) -> pd.DataFrame:
    """One row per changed scenario and group: size, belonging and lonely-share effects, g, with 95% CIs.

    Parameters
    ----------
    effects : DataFrame
        `CompareResult.effects` (with its `group` column).

    Returns
    -------
    DataFrame
        `COLUMNS`: `scenario, group, group_size, replicates, belonging_points, belonging_ci_low,
        belonging_ci_high, lonely_pp, lonely_ci_low, lonely_ci_high, hedges_g, g_ci_low, g_ci_high,
        lonely_per_100` (no rows over plausible parameter sets).
    """
    rows = effects[(effects["method"] == "paired") & effects["metric"].isin(["belonging_points", "lonely_percent"])
                   & effects["hedges_g"].notna()]
    out = []
    for (scenario, group), table in rows.groupby(["scenario", "group"], sort=False):
        b, lonely = (table.set_index("metric").loc[name] for name in ("belonging_points", "lonely_percent"))
        out.append({"scenario": scenario, "group": group, "group_size": b["group_size"], "replicates": b["replicates"],
                    "belonging_points": b["effect"], "belonging_ci_low": b["ci_low"], "belonging_ci_high": b["ci_high"],
                    "lonely_pp": lonely["effect"], "lonely_ci_low": lonely["ci_low"], "lonely_ci_high": lonely["ci_high"],
                    "hedges_g": b["hedges_g"], "g_ci_low": b["g_ci_low"], "g_ci_high": b["g_ci_high"],
                    "lonely_per_100": b["lonely_per_100"]})
    return pd.DataFrame(out, columns=COLUMNS)


def _decimals(value: float, usual: int) -> int:
    """The usual decimals, one more below 1 and two more below 0.1 (a small effect must not read as 0.0)."""
    return usual + (abs(value) < 1) + (abs(value) < 0.1) if np.isfinite(value) else usual


def _signed(value: float, decimals: int) -> str:
    text = fmt(value, decimals)
    return text if text.startswith("-") or text == "n/a" else f"+{text}"


def _number(row, name: str, usual: int, signed: bool = True) -> tuple[str, str, str]:
    """(value, low, high) of a column and its CI, with as many decimals as the value needs."""
    d = _decimals(row[name], usual)
    low, high = _BOUNDS[name]
    return (_signed(row[name], d) if signed else fmt(row[name], d)), fmt(row[low], d), fmt(row[high], d)


def _outcomes(row: pd.Series) -> str:
    lonely, belonging, g = (_number(row, "lonely_pp", 1), _number(row, "belonging_points", 1),
                            _number(row, "hedges_g", 1, signed=False))
    return (f"lonely share {lonely[0]} percentage points (95% CI {lonely[1]} to {lonely[2]}), "
            f"belonging {belonging[0]} points (95% CI {belonging[1]} to {belonging[2]}), "
            f"g = {g[0]} (95% CI {g[1]} to {g[2]})")


def lead_lines(groups: pd.DataFrame, scenario) -> list[str]:
    """The first sentences of a scenario's answer: the group the change is about, everyone else, the town.

    Per intervention: its participants (a campaign) or else its regulars (a place that closes, opens or
    gets a host) first; then its regulars beside participants, its target group (unless that is everyone),
    everyone else; then the whole town.

    Parameters
    ----------
    groups : DataFrame
        From `groups_table`.
    scenario : Scenario
        The changed scenario.

    Returns
    -------
    list of str
        Markdown bullet lines (none if the scenario has no group of its own).
    """
    rows = groups[groups["scenario"] == scenario.name].set_index("group")
    town = rows.loc[TOWN, "group_size"] if TOWN in rows.index else np.nan
    names = dict.fromkeys(g.split(" of ", 1)[1] for g in rows.index if g.startswith(_LEADS))
    lines = []
    for name in names:
        lead, *others = [g for g in (f"participants of {name}", f"regulars of {name}") if g in rows.index]
        size = rows.loc[lead, "group_size"]
        lines.append(f"- **The {size:,.0f} {group_words(lead, scenario)}**: {_outcomes(rows.loc[lead])}.")
        target = f"target of {name}"
        if target in rows.index and rows.loc[target, "group_size"] < town:
            others.append(target)
            if lead.startswith("participants"):
                meant = rows.loc[target, "group_size"]
                lines.append(f"  - Of the {meant:,.0f} {group_words(target, scenario)}, {size:,.0f} took part "
                             f"({size / meant:.0%}).")
        for other in [*others, f"everyone else ({name})"]:
            if other in rows.index:
                words = group_words(other, scenario)
                lines.append(f"  - {words[0].upper() + words[1:]} ({rows.loc[other, 'group_size']:,.0f}): "
                             f"{_outcomes(rows.loc[other])}.")
    if lines:
        lines.append(f"- The whole town ({town:,.0f} residents): {_outcomes(rows.loc[TOWN])}.")
    return lines


def affected_table(groups: pd.DataFrame, scenario) -> list[str]:
    """The "Who is affected" table of a scenario, with the sentence of scale under it.

    Parameters
    ----------
    groups : DataFrame
        From `groups_table`.
    scenario : Scenario
        The changed scenario.

    Returns
    -------
    list of str
        Markdown lines.
    """
    rows = groups[groups["scenario"] == scenario.name]
    lines = ["| Group | Residents | Belonging, points (95% CI) | Lonely share, percentage points (95% CI) | "
             "Hedges' g (95% CI) |", "|---|---:|---|---|---|"]
    for _, row in rows.iterrows():
        cells = ["{} ({} to {})".format(*_number(row, name, usual, signed=name != "hedges_g"))
                 for name, usual in (("belonging_points", 1), ("lonely_pp", 1), ("hedges_g", 1))]
        lines.append(f"| {group_words(row['group'], scenario)} | {row['group_size']:,.0f} | " + " | ".join(cells) + " |")
    return ["#### Who is affected", "", *lines, "",
            "Each group's effect pairs every resident with the same resident in the baseline run of the same "
            "replicate; lonely share: of the window's days, adults; g: the belonging difference in standard "
            "deviations of the group's belonging in the baseline (Hedges' g, Hedges & Olkin 1985). " + SCALE]
