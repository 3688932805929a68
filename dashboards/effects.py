"""The What-if page's results in words and pictures: curves with bands, effect rows, one sentence per effect."""

from __future__ import annotations

import re
import tomllib

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from nodding.experiments.figures import draw_scenarios
from nodding.experiments.wording import decimals_by_metric
from nodding.experiments.summarise import BY_NAME, HEADLINE, TOWN, daily_bands

from .compose import KEY
from .text import scenario_name, t, the_place

TOLD = (*HEADLINE, "third_place_interactions")  # outcomes told in sentences; the table has them all


def label(scenario: str, composed: dict) -> str:
    """How the page calls a scenario: a composed change by its name or in words, a shipped one by its name."""
    return composed[scenario].label() if scenario in composed else scenario_name(scenario)


def subject(scenario: str, composed: dict) -> str:
    """The subject of an effect sentence: 'Closing the community centre', 'Closing the library from day 20 to ...'."""
    return composed[scenario].subject() if scenario in composed else scenario_name(scenario).capitalize()


def curves(outcome, composed: dict | None = None) -> Figure:
    """The headline outcomes over time: mean of the replicates and a 95% band, per scenario.

    `composed`: scenario name -> `compose.Change`, for the changes composed on the page."""
    composed = composed or {}
    starts = sorted({iv["start"] for toml in outcome.scenarios.values()
                     for iv in _interventions(toml).values() if iv.get("start", 0) < outcome.settings["days"]})
    # the legend goes below the panels, in two columns, so long names of changes hide no curve
    rows = -(-(len(outcome.scenarios) + len(starts) + 1) // 2)
    legend = 0.32 * rows  # inches
    fig = Figure(figsize=(11, 6.2 + legend), dpi=80)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=(0.5 + legend) / (6.2 + legend), top=1 - 0.62 / (6.2 + legend),
                        hspace=0.35, wspace=0.18)
    axes = fig.subplots(2, 2, sharex=True)
    for ax, name in zip(axes.flat, HEADLINE):
        draw_scenarios(ax, daily_bands(outcome.runs, name), outcome.settings["baseline"],
                       lambda scenario: label(scenario, composed))
        for start in starts:
            ax.axvline(start, color="black", linestyle=":", linewidth=1.2, label=t("wi_starts", day=start))
        last = outcome.settings["days"] - 1
        ax.axvspan(last - outcome.settings["window"] + 1, last, color="0.9", zorder=0,
                   label=t("wi_window", window=outcome.settings["window"]))
        ax.set_title(t("m_" + name), fontsize=11)
        ax.set_ylabel(t("lv_" + name), fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel(t("day_axis"))
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="lower center", ncols=2, fontsize=10, frameon=False)
    fig.suptitle(t("wi_curves"), fontsize=12)
    return fig


def _interventions(toml_text: str) -> dict:
    return tomllib.loads(toml_text).get("interventions", {})


def effect_rows(outcome):
    """(scenario, metric, paired effect row, baseline mean, scenario mean) for the table and the sentences."""
    eff = outcome.effects[outcome.effects["method"] == "paired"]
    if "group" in eff:  # the whole town's rows; the groups' rows are the "who is affected" block's
        eff = eff[eff["group"] == "town"]
    summary = outcome.summary.set_index(["scenario", "metric"])
    base = outcome.settings["baseline"]
    for _, row in eff.iterrows():
        if row["metric"] in BY_NAME:
            yield (row["scenario"], row["metric"], row, summary.loc[(base, row["metric"]), "mean"],
                   summary.loc[(row["scenario"], row["metric"]), "mean"])


def sentence(scenario: str, metric: str, row, d: int, composed: dict | None = None) -> str:
    composed = composed or {}
    values = dict(subject=subject(scenario, composed), metric=t(f"m_{metric}"), unit=t(f"u_{metric}"),
                  low=f"{row['ci_low']:+.{d}f}", high=f"{row['ci_high']:+.{d}f}", effect=f"{row['effect']:+.{d}f}",
                  size=f"{abs(row['effect']):.{d}f}")
    if not row["distinguishable"]:
        return t("wi_unclear", **values)
    # "lowered by 0.8 (0.3 to 1.2)": sizes, not signed bounds, once the direction is in the verb
    low, high = sorted([abs(row["ci_low"]), abs(row["ci_high"])])
    return t("wi_raised" if row["effect"] > 0 else "wi_lowered", **{**values, "low": f"{low:.{d}f}",
                                                                  "high": f"{high:.{d}f}"})


def table_rows(outcome, composed: dict | None = None) -> list[list[str]]:
    """Every outcome of every change: level in the baseline, with the change, difference [95% CI], clear?"""
    composed = composed or {}
    table, decimals = [], decimals_by_metric(outcome.effects)  # levels one digit finer than differences
    for scenario, metric, row, base, value in effect_rows(outcome):
        d = decimals[metric]
        table.append([f"{label(scenario, composed)}: {t('m_' + metric)} ({t('lv_' + metric)})", f"{base:.{d + 1}f}",
                      f"{value:.{d + 1}f}", f"{row['effect']:+.{d}f} [{row['ci_low']:+.{d}f}, {row['ci_high']:+.{d}f}]",
                      t("wi_yes") if row["distinguishable"] else t("wi_no")])
    return table


def sentences(outcome, composed: dict | None = None) -> list[str]:
    """One sentence per told outcome of every change."""
    composed = composed or {}
    decimals = decimals_by_metric(outcome.effects)
    return [sentence(scenario, metric, row, decimals[metric], composed) for scenario, metric, row, _, _ in effect_rows(outcome)
            if metric in TOLD]


# ---------------------------------------------------------------- who is affected: the effects by group
#: The runner's group names (`effects.group`) and their keys here: "regulars of close_centre" -> gn_regulars
GROUP_NAMES = ((re.compile(r"participants of (.+)"), "gn_participants"), (re.compile(r"regulars of (.+)"), "gn_regulars"),
               (re.compile(r"target of (.+)"), "gn_target"), (re.compile(r"everyone else \((.+)\)"), "gn_others"),
               (re.compile(r"(living alone)"), "gn_living_alone"), (re.compile(r"(not living alone)"), "gn_not_alone"),
               (re.compile(r"role: (.+)"), "gn_role"))


def group_effects(effects: pd.DataFrame) -> pd.DataFrame:
    """The paired effects for groups other than the whole town, per change the group it is about first
    (`GROUP_NAMES`' order); who may take part only when that is not everyone. None when the runner reports no groups."""
    if "group" not in effects:
        return effects.iloc[0:0]
    paired = effects[effects["method"] == "paired"] if "method" in effects else effects
    town = paired[paired["group"] == TOWN].groupby("scenario")["group_size"].max()
    rows = paired[(paired["group"] != TOWN) & paired["metric"].isin(list(BY_NAME))]
    rows = rows[~(rows["group"].str.startswith("target of ") & (rows["group_size"] >= rows["scenario"].map(town)))]
    changes = {scenario: i for i, scenario in enumerate(dict.fromkeys(rows["scenario"]))}
    return rows.iloc[np.lexsort((rows["group"].map(_rank), rows["scenario"].map(changes)))]  # a stable sort


def _rank(group: str) -> int:
    return next((i for i, (pattern, _) in enumerate(GROUP_NAMES) if pattern.fullmatch(group)), len(GROUP_NAMES))


def group_name(group: str, interventions: dict | None = None) -> str:
    """A group in the page's language: 'regulars of close_centre' -> 'regulars of the community centre' (the
    intervention's place, from the scenario's `interventions`); 'everyone else (...)' -> 'everyone else' when the
    scenario has one intervention; unknown: as given."""
    interventions = interventions or {}
    for pattern, key in GROUP_NAMES:
        match = pattern.fullmatch(group)
        if match:
            if key == "gn_others" and len(interventions) <= 1:
                return t("gn_everyone_else")
            inner = match.group(1)
            place = interventions.get(inner, {}).get("place") if key == "gn_regulars" else None
            words = (the_place(place) if place else t("gn_this_change") if inner == KEY
                     else t(f"tg_{inner}") if key == "gn_role" else inner.replace("_", " "))
            return t(key, name=words)
    return group


def group_table(outcome, composed: dict | None = None) -> tuple[list[str], list[list[str]]]:
    """The "who is affected" table's header and rows: per change and group, the group, its residents, the belonging
    difference [95% CI], Hedges' g [95% CI], lonely residents more (+) or fewer (-) per 100 [95% CI] (the lonely
    share's difference); first the change, on its first row, when several are compared. No rows without groups."""
    header = [t("wi_group"), t("wi_group_size"), t("wi_group_belonging"), t("wi_group_g"), t("wi_group_lonely")]
    eff = group_effects(outcome.effects)
    if eff.empty:
        return header, []
    several, decimals, rows, last = eff["scenario"].nunique() > 1, decimals_by_metric(outcome.effects), [], None
    for (scenario, group), table in eff.groupby(["scenario", "group"], sort=False):
        belonging, lonely = (table.set_index("metric").loc[m] for m in ("belonging_points", "lonely_percent"))
        cells = [group_name(group, _interventions(outcome.scenarios[scenario])), f"{belonging['group_size']:,.0f}",
                 _interval(belonging, "effect", "ci_low", "ci_high", decimals.get("belonging_points", 2)),
                 _interval(belonging, "hedges_g", "g_ci_low", "g_ci_high", 2),
                 _interval(lonely, "effect", "ci_low", "ci_high", decimals.get("lonely_percent", 1))]
        rows.append(([label(scenario, composed or {}) if scenario != last else ""] if several else []) + cells)
        last = scenario
    return ([t("wi_group_change")] if several else []) + header, rows


def _interval(row, value: str, low: str, high: str, d: int) -> str:
    """'+0.12 [-0.05, +0.30]'; "-" when there is no value (the lonely share of a group of children)."""
    if pd.isna(row.get(value)):
        return "-"
    return f"{row[value]:+.{d}f} [{row[low]:+.{d}f}, {row[high]:+.{d}f}]"


def group_chart(outcome, composed: dict | None = None) -> Figure:
    """Each group's effect with its 95% interval, one panel per outcome, a line at no effect; one row of panels
    per change (named above it when several are compared), all on the same scales."""
    eff = group_effects(outcome.effects)
    metrics = [m for m in BY_NAME if m in set(eff["metric"])]
    changes = list(dict.fromkeys(eff["scenario"]))
    sizes = [eff.loc[eff["scenario"] == s, "group"].nunique() for s in changes]
    fig = Figure(figsize=(5 + 4.5 * len(metrics), 1 + 0.8 * len(changes) + 0.42 * sum(sizes)), dpi=80,
                 layout="constrained")
    first = None
    for part, scenario in zip(fig.subfigures(len(changes), 1, height_ratios=sizes, squeeze=False)[:, 0], changes):
        axes = part.subplots(1, len(metrics), sharey=True, squeeze=False)[0]
        for k, (ax, metric) in enumerate(zip(axes, metrics)):
            if first is not None:
                ax.sharex(first[k])
            _effects_panel(ax, eff[(eff["scenario"] == scenario) & (eff["metric"] == metric)], outcome, metric)
        if len(changes) > 1:
            part.suptitle(label(scenario, composed or {}), x=0.01, ha="left", fontsize=11, fontweight="bold")
        first = axes if first is None else first
    fig.suptitle(t("wi_who_chart"), fontsize=12)
    return fig


def _effects_panel(ax, rows: pd.DataFrame, outcome, metric: str) -> None:
    """One change's groups (top to bottom) and one outcome: each effect and its 95% interval."""
    interventions = _interventions(outcome.scenarios[rows["scenario"].iloc[0]])
    names = [group_name(g, interventions) for g in rows["group"]]
    ax.errorbar(rows["effect"], range(len(names)), xerr=[rows["effect"] - rows["ci_low"], rows["ci_high"] - rows["effect"]],
                fmt="o", color="#2c3e50", capsize=3)
    ax.axvline(0, color="0.5", linewidth=1)
    ax.set_title(t("m_" + metric), fontsize=11)
    ax.set_xlabel(t("u_" + metric), fontsize=9)
    ax.set_yticks(range(len(names)), names, fontsize=10)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.grid(axis="x", alpha=0.3)
