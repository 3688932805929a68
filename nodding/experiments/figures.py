"""The experiments' figures: matplotlib, drawn on `Figure` objects and saved as PNG.

No pyplot: no global backend switch and no open figures, so the library can run inside a notebook or
the dashboard. `draw(result, directory)` saves the figures of one experiment's report; `draw_scenarios`
is the one line-with-a-band drawing that the report and the dashboard share.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from .design import changes
from .summarise import (BY_NAME, HEADLINE, OVER_SETS, daily_bands, effects, paired_differences, town_effects,
                        with_metrics)

__all__ = ["STYLE", "draw", "draw_scenarios", "plot_curves", "plot_differences", "plot_effects", "plot_groups", "plot_indices",
           "plot_response", "plot_response_change", "plot_sets"]

STYLE = {"font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "legend.fontsize": 11,
         "xtick.labelsize": 11, "ytick.labelsize": 11}
CURVES_TITLE = {"compare": "Scenarios over time", "sweep": "Sweep points over time"}


def draw(result, directory: Path) -> None:
    """Save the figures of `result`'s report into `directory`.

    Parameters
    ----------
    result : CompareResult, SweepResult or SensitivityResult
    directory : Path
        An existing directory; the files are named as report.md links them (curves.png, ...).
    """
    plots = {"compare": {"curves.png": plot_curves, "differences.png": plot_differences, "effects.png": plot_effects},
             "sweep": {"curves.png": plot_curves, "response.png": plot_response,
                       "response_change.png": plot_response_change},
             "sensitivity": {"indices.png": plot_indices}}[result.kind]
    if result.settings.get("over"):
        plots = {**plots, "sets.png": plot_sets}
    elif result.kind == "compare" and result.effects["hedges_g"].notna().any():
        plots = {**plots, "groups.png": plot_groups}
    with matplotlib.rc_context(STYLE):
        for name, plot in plots.items():
            plot(result, Path(directory) / name)


def _window_shade(ax, result):
    """The averaging window in grey, and a dotted line on each day a compared change starts."""
    days, window = result.settings["days"], result.settings["window"]
    ax.axvspan(days - window - 0.5, days - 0.5, color="0.92", zorder=0)  # whole days: a 1-day window shows too
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for day in _change_days(result):
        ax.axvline(day, color="black", linestyle=":", lw=1.2, zorder=1)


def _change_days(result) -> list[int]:
    if result.kind != "compare":
        return []
    base = result.design.baseline
    return sorted({iv["start"] for scenario in result.design.scenarios for iv in changes(scenario, base).values()
                   if iv["start"] < result.settings["days"]})


def _marks(result) -> str:
    """What the grey window and the dotted lines in a plot mean, for its title."""
    days = _change_days(result)
    started = f"; dotted: the change{'s start' if len(days) > 1 else ' starts'}" if days else ""
    return f"grey: the last {result.settings['window']} days, averaged in the report{started}"


def _point_labels(runs: pd.DataFrame, fields: list[str]) -> pd.Series:
    """'fear_weight = 0.5, slots = 32': a sweep point named by its values, for a legend."""
    return runs[fields].apply(lambda row: ", ".join(f"{f.split('.')[-1]} = {v:g}" for f, v in row.items()), axis=1)


def draw_scenarios(ax, bands: pd.DataFrame, baseline: str | None = None, label=str) -> None:
    """One line with a light 95% band per scenario (`daily_bands`); the baseline black and dashed, on top,
    so that a change that follows it closely never hides it. `label(scenario)` names a line."""
    colors = iter(matplotlib.rcParams["axes.prop_cycle"].by_key()["color"])
    for scenario, group in bands.groupby("scenario", sort=False):
        is_base = scenario == baseline
        color = "black" if is_base else next(colors)
        day = group["day"]
        ax.plot(day, group["mean"], lw=2.5 if is_base else 2, color=color, label=label(scenario),
                zorder=4 if is_base else 3, linestyle="--" if is_base else "-")
        ax.fill_between(day, group["low"], group["high"], color=color, alpha=0.12, lw=0, zorder=2)


def _headline_panels(result, path: Path, draw, ylabel, title: str) -> None:
    """The four headline metrics over time in a 2 x 2 figure: `draw(ax, name)` draws one metric's lines,
    `ylabel(metric)` labels its axis; the averaging window and the changes' start days are marked."""
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2, sharex=True)
    for ax, name in zip(axes.flat, HEADLINE):
        m = BY_NAME[name]
        draw(ax, name)
        _window_shade(ax, result)
        ax.set_title(m.label[0].upper() + m.label[1:])
        ax.set_ylabel(ylabel(m))
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("day")
    axes[0, 0].legend(loc="best")
    fig.suptitle(f"{title}\n{_marks(result)}", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_curves(result, path: Path) -> None:
    """Headline metrics over time, mean of replicates with 95% bands (7-day trailing means)."""
    runs = result.runs
    if result.kind == "sweep":
        runs = runs.assign(scenario=_point_labels(runs, result.settings["vary_fields"]))
    _headline_panels(result, path, lambda ax, name: draw_scenarios(ax, daily_bands(runs, name),
                                                                   result.settings.get("baseline")),
                     lambda m: m.unit, f"{CURVES_TITLE[result.kind]} (7-day means; mean of "
                     f"{_replicates_words(result.settings)} with 95% bands)")


def _replicates_words(settings: dict) -> str:
    """'10 replicates', or '3 replicates x 5 plausible sets' over plausible parameter sets."""
    over = settings.get("over")
    return f"{settings['replicates']} replicates" + (f" x {over['sets']} plausible sets" if over else "")


def plot_differences(result, path: Path) -> None:
    """Each scenario minus the baseline, day by day: mean of paired differences with a 95% band."""
    base_name = result.settings["baseline"]
    table, keys = with_metrics(result.runs), ["scenario", "point", "replicate", "day"]

    def draw(ax, name):
        draw_scenarios(ax, daily_bands(paired_differences(table[[*keys, name]], name, base_name), "difference"))
        ax.axhline(0, color="black", lw=1)

    pairs = "set and replicate" if result.settings.get("over") else "replicate"
    _headline_panels(result, path, draw,
                     lambda m: f"difference, {m.effect_unit if len(m.effect_unit) < 25 else m.unit}",
                     f"Difference from {base_name}, day by day (paired by {pairs}, 7-day means, 95% bands)")


def plot_effects(result, path: Path) -> None:
    """One panel per headline metric: each scenario's paired effect with its 95% CI (over plausible
    parameter sets: the effect over the sets, with its 95% interval)."""
    over = bool(result.settings.get("over"))
    town = town_effects(result.effects)
    paired = town[town["method"] == (OVER_SETS if over else "paired")]
    scenarios = list(dict.fromkeys(paired["scenario"]))
    fig = Figure(figsize=(14, 3 + 1.2 * len(scenarios) * 2))
    axes = fig.subplots(2, 2)
    for ax, name in zip(axes.flat, HEADLINE):
        rows = paired[paired["metric"] == name].set_index("scenario").loc[scenarios]
        y = np.arange(len(scenarios))[::-1]
        err = np.vstack([rows["effect"] - rows["ci_low"], rows["ci_high"] - rows["effect"]])
        colors = ["tab:blue" if d else "0.6" for d in rows["distinguishable"]]
        ax.barh(y, rows["effect"], color=colors, height=0.6)
        ax.errorbar(rows["effect"], y, xerr=np.nan_to_num(err), fmt="none", ecolor="black", capsize=6, lw=1.5)
        ax.axvline(0, color="black", lw=1)
        ax.xaxis.set_major_locator(MaxNLocator(5))  # long tick labels of small effects must not overlap
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
        ax.set_yticks(y, scenarios)
        ax.set_title(BY_NAME[name].label[0].upper() + BY_NAME[name].label[1:])
        ax.set_xlabel(textwrap.fill(f"difference from {result.settings['baseline']}, {BY_NAME[name].effect_unit}", 45))
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Effects against {result.settings['baseline']} over the last {result.settings['window']} days "
                 f"({'over plausible parameter sets, 95% interval' if over else 'paired, 95% CI'}; grey bars: not "
                 "distinguishable from zero)", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_groups(result, path: Path) -> None:
    """One panel per changed scenario: each group's paired effect on belonging (points) with its 95% CI."""
    from .who import groups_table

    groups = groups_table(result.effects)
    scenarios = list(dict.fromkeys(groups["scenario"]))
    tallest = groups.groupby("scenario").size().max()
    fig = Figure(figsize=(8 * len(scenarios), 2 + 0.45 * tallest))
    for ax, name in zip(np.atleast_1d(fig.subplots(1, len(scenarios))), scenarios):
        rows = groups[groups["scenario"] == name]
        y = np.arange(len(rows))[::-1]
        err = np.vstack([rows["belonging_points"] - rows["belonging_ci_low"],
                         rows["belonging_ci_high"] - rows["belonging_points"]])
        ax.errorbar(rows["belonging_points"], y, xerr=np.nan_to_num(err), fmt="o", color="tab:blue", ecolor="black",
                    capsize=4)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(y, [f"{g} ({n:,.0f})" for g, n in zip(rows["group"], rows["group_size"])])
        ax.set_title(name)
        ax.set_xlabel(textwrap.fill(f"belonging, difference from {result.settings['baseline']}, points", 35))
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"Effects by group over the last {result.settings['window']} days (paired by resident, 95% CI)",
                 fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_sets(result, path: Path) -> None:
    """One panel per headline metric: each plausible set's paired effect with its 95% CI (the simulation's
    randomness), one row per scenario, and the effect over the sets with its 95% interval as a band."""
    eff = town_effects(result.effects)
    scenarios = list(dict.fromkeys(eff["scenario"]))
    sets = result.settings["over"]["sets"]
    colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2, sharex=True)
    for ax, name in zip(axes.flat, HEADLINE):
        for k, scenario in enumerate(scenarios):
            rows = eff[(eff["scenario"] == scenario) & (eff["metric"] == name)]
            per_set = rows[rows["method"] == "paired"].sort_values("point")
            over = rows[rows["method"] == OVER_SETS].iloc[0]
            x = per_set["point"].to_numpy(dtype=float) + 0.15 * (k - (len(scenarios) - 1) / 2)
            color = colors[k % len(colors)]
            ax.axhspan(over["ci_low"], over["ci_high"], color=color, alpha=0.12, lw=0)
            ax.axhline(over["effect"], color=color, lw=1.5, linestyle="--")
            err = np.vstack([per_set["effect"] - per_set["ci_low"], per_set["ci_high"] - per_set["effect"]])
            ax.errorbar(x, per_set["effect"], yerr=np.nan_to_num(err), fmt="o", color=color, capsize=4, label=scenario)
        ax.axhline(0, color="black", lw=1)
        ax.set_title(BY_NAME[name].label[0].upper() + BY_NAME[name].label[1:])
        ax.set_ylabel(textwrap.fill(f"difference, {BY_NAME[name].effect_unit}", 35))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("plausible parameter set (point)")
    axes[0, 0].legend(loc="best")
    fig.suptitle(f"Effects against {result.settings['baseline']} in each of {sets} plausible parameter sets "
                 f"(dots: paired, 95% CI over {result.settings['replicates']} replicates)\ndashed line and band: "
                 "the effect over the sets with its 95% interval", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_response(result, path: Path) -> None:
    """Window mean of each headline metric against the (first) varied field, 95% bands."""
    fields = result.settings["vary_fields"]
    x, other = fields[0], fields[1:]
    summary = result.summary
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2)
    for ax, name in zip(axes.flat, HEADLINE):
        rows = summary[summary["metric"] == name]
        groups = rows.groupby(other, sort=False) if other else [((), rows)]
        for key, group in groups:
            group = group.sort_values(x)
            key = key if isinstance(key, tuple) else (key,)
            label = ", ".join(f"{f} = {v:g}" for f, v in zip(other, key)) or None
            line, = ax.plot(group[x], group["mean"], marker="o", lw=2, label=label)
            ax.fill_between(group[x], group["ci_low"], group["ci_high"], color=line.get_color(), alpha=0.25, lw=0)
        ax.set_title(BY_NAME[name].label[0].upper() + BY_NAME[name].label[1:])
        ax.set_xlabel(x)
        ax.set_ylabel(BY_NAME[name].unit)
        ax.grid(alpha=0.3)
        if other:
            ax.legend(loc="best")
    fig.suptitle(f"How the outcomes respond to {x} (mean over the last {result.settings['window']} days, "
                 f"{result.settings['replicates']} replicates, 95% bands)", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_response_change(result, path: Path) -> None:
    """Change from the first sweep point, paired by replicate (same seeds at every point), 95% bands:
    the precision of the trend, which the level bands (spread between towns) hide."""
    fields = result.settings["vary_fields"]
    x = fields[0]
    means = result.means.assign(scenario=result.means["point"].astype(str))
    first = str(result.means["point"].min())
    eff = effects(means, first)
    eff = eff[eff["method"] == "paired"].copy()
    eff["point"] = eff["scenario"].astype(int)
    at = result.means.drop_duplicates("point").set_index("point")[fields]
    eff = eff.join(at, on="point")
    start = at.loc[int(first)]
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2)
    for ax, name in zip(axes.flat, HEADLINE):
        m = BY_NAME[name]
        rows = eff[eff["metric"] == name]
        other = fields[1:]
        groups = rows.groupby(other, sort=False) if other else [((), rows)]
        for key, group in groups:
            key = key if isinstance(key, tuple) else (key,)
            zero = pd.DataFrame([{x: start[x], "effect": 0.0, "ci_low": 0.0, "ci_high": 0.0}]) if all(
                start[f] == v for f, v in zip(other, key)) else pd.DataFrame()
            group = pd.concat([zero, group[[x, "effect", "ci_low", "ci_high"]]]).sort_values(x)
            label = ", ".join(f"{f} = {v:g}" for f, v in zip(other, key)) or None
            line, = ax.plot(group[x], group["effect"], marker="o", lw=2, label=label)
            ax.fill_between(group[x], group["ci_low"], group["ci_high"], color=line.get_color(), alpha=0.25, lw=0)
        ax.axhline(0, color="black", lw=1)
        ax.set_title(m.label[0].upper() + m.label[1:])
        ax.set_xlabel(x)
        ax.set_ylabel(f"change, {m.effect_unit if len(m.effect_unit) < 25 else m.unit}")
        ax.grid(alpha=0.3)
        if other:
            ax.legend(loc="best")
    where = ", ".join(f"{f} = {start[f]:g}" for f in fields)
    fig.suptitle(f"Change from {where}, paired by replicate (same seeds at every point), 95% bands", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_indices(result, path: Path) -> None:
    """Sensitivity index bars per headline metric, with SALib's 95% confidence."""
    idx = result.indices
    method = result.settings["method"]
    names = ("S1", "ST") if method == "sobol" else ("mu_star", "sigma")
    words = {"S1": "first-order (alone)", "ST": "total (with interactions)", "mu_star": "mean |elementary effect|",
             "sigma": "spread (non-linearity, interactions)"}
    params = result.settings["parameters"]
    fig = Figure(figsize=(14, 4 + 0.9 * len(params) * 2))
    axes = fig.subplots(2, 2)
    for ax, name in zip(axes.flat, HEADLINE):
        rows = idx[idx["metric"] == name] if len(idx) else idx
        ax.set_title(BY_NAME[name].label[0].upper() + BY_NAME[name].label[1:])
        if not len(rows):
            ax.text(0.5, 0.5, "no variation in this output", ha="center", va="center", transform=ax.transAxes)
            continue
        y = np.arange(len(params))[::-1]
        for k, index in enumerate(names):
            part = rows[rows["index"] == index].set_index("parameter").loc[params]
            ax.barh(y + (0.2 - 0.4 * k), part["value"], height=0.38, label=words[index],
                    xerr=np.nan_to_num(part["conf"].to_numpy()), capsize=4)
        ax.set_yticks(y, params)
        ax.axvline(0, color="black", lw=1)
        ax.set_xlabel("index" if method == "sobol" else BY_NAME[name].unit)
        ax.grid(axis="x", alpha=0.3)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2)
    fig.subplots_adjust(bottom=0.15)
    fig.suptitle(f"Which parameters matter ({'Sobol' if method == 'sobol' else 'Morris'} indices of the mean over "
                 f"the last {result.settings['window']} days; bars: 95% confidence)", fontsize=14)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=110)
