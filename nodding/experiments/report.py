"""Experiment outputs: tables, plots and a report.md a policymaker can read without us.

`write(result, out)` fills a temporary directory and renames it into place
(`nodding.output.atomic_directory`), so an output directory is complete or absent.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure  # no pyplot: no global backend switch, no open figures
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from ..output import atomic_directory
from .design import changes
from .summarise import BY_NAME, HEADLINE, daily_bands, paired_differences, with_metrics

STYLE = {"font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "legend.fontsize": 11,
         "xtick.labelsize": 11, "ytick.labelsize": 11}


def definitions(lonely_below: float) -> str:
    """What the outcomes mean, for report.md; `lonely_below` is the scenario's loneliness threshold (0-1)."""
    return (
        "*Belonging* is each resident's sense of belonging to the neighbourhood, a score from 0 to 1; we report "
        "it x100, in **points** (0-100), averaged over residents. The *lonely share* is the percentage of adults "
        f"whose belonging is below the loneliness threshold, {100 * lonely_below:.1f} points (set so that a mature "
        "default town has the 47% of adults that the Dutch health monitor of 2020 counts as lonely; so a mean "
        "belonging near the threshold goes with a lonely share near half); its differences are in **percentage "
        "points**. *Weak ties* are acquaintances and people on nodding or greeting terms. *Interactions* are "
        "welcomed nods, greetings, chats and help, counted once per interaction and divided by the number of "
        "residents (per resident per day). A *95% CI* (confidence interval) is the range the true average over "
        "many more replicates would lie in, 95 times out of 100; an effect whose interval includes zero cannot be "
        "told apart from no effect."
    )


def write(result, out: Path) -> Path:
    out = Path(out)
    with atomic_directory(out) as tmp:
        write_into(result, tmp)
    return out


def write_into(result, directory: Path) -> None:
    """Every file of the result into an existing (temporary) directory."""
    directory = Path(directory)
    result.runs.to_parquet(directory / "runs.parquet", index=False)
    result.means.to_csv(directory / "run_means.csv", index=False)
    result.summary.to_csv(directory / "summary.csv", index=False)
    if result.effects is not None:
        result.effects.to_csv(directory / "effects.csv", index=False)
    if result.indices is not None:
        result.indices.to_csv(directory / "indices.csv", index=False)
    scenarios = directory / "scenarios"
    scenarios.mkdir()
    for name, toml in result.scenarios.items():
        (scenarios / f"{name}.toml").write_text(toml, encoding="utf-8")
    (directory / "experiment.json").write_text(json.dumps(result.settings, indent=2, default=str) + "\n", encoding="utf-8")
    with matplotlib.rc_context(STYLE):
        if result.kind == "compare":
            plot_curves(result, directory / "curves.png")
            plot_differences(result, directory / "differences.png")
            plot_effects(result, directory / "effects.png")
        elif result.kind == "sweep":
            plot_curves(result, directory / "curves.png")
            plot_response(result, directory / "response.png")
            plot_response_change(result, directory / "response_change.png")
        else:
            plot_indices(result, directory / "indices.png")
    (directory / "report.md").write_text(report_text(result), encoding="utf-8")


# ---------------------------------------------------------------- numbers in words
def fmt(value: float, decimals: int) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.{decimals}f}"


def interval(low: float, high: float, decimals: int) -> str:
    return "no interval with one replicate" if not np.isfinite(low) else f"95% CI {fmt(low, decimals)} to {fmt(high, decimals)}"


def decimals_for(m, half_width: float, *shown: float) -> int:
    """The metric's usual decimals, more (up to 6) when the interval would be narrower than the last digit
    or a value `shown` beside it would round to zero (an effect of 0.04 is not "0.0")."""
    d = m.decimals
    while d < 6 and ((np.isfinite(half_width) and 0 < half_width < 0.5 * 10**-d)
                     or any(np.isfinite(v) and v != 0 and round(v, d) == 0 for v in shown)):
        d += 1
    return d


def effect_decimals(m, row: pd.Series) -> int:
    return decimals_for(m, row["half_width"], row["effect"], row["ci_low"], row["ci_high"])


def decimals_by_metric(effect_table: pd.DataFrame) -> dict[str, int]:
    """One precision per metric for a whole report (every scenario's effect shown alike); levels (a
    scenario's mean) get one digit more, so that two levels shown differ by the effect shown."""
    paired = effect_table[effect_table["method"] == "paired"]
    return {metric: max(effect_decimals(BY_NAME[metric], row) for _, row in rows.iterrows())
            for metric, rows in paired.groupby("metric") if metric in BY_NAME}


def effect_sentence(subject: str, metric: str, row: pd.Series, window_words: str, base_mean: float = np.nan,
                    full: bool = True, decimals: int | None = None, reference: str = "baseline",
                    level_decimals: int | None = None) -> str:
    """'Closing the X on day 60 lowered mean belonging by 0.19 points (95% CI 0.12 to 0.26; baseline 78.123 points)'.

    `full=False` leaves out the window and the pairing (said once, in the first sentence). The effect has
    `decimals` (default: as many as it needs), `base_mean` `level_decimals` (default: one more, as in the
    report's tables); `reference` names where `base_mean` comes from."""
    m = BY_NAME[metric]
    d, n = effect_decimals(m, row) if decimals is None else decimals, int(row["replicates"])
    tail = f" {window_words}, {row['method']} over {count(n, 'replicate')}" if full else ""
    what = m.in_sentence
    unit = "" if m.unit in m.label else f" {m.effect_unit}"  # "weak ties per resident" says its unit already
    if row["effect"] == 0 and (row["ci_low"] == 0 and row["ci_high"] == 0 or not np.isfinite(row["ci_low"])):
        return f"{subject} left {what} exactly as in the baseline in every replicate{tail}."
    if not np.isfinite(row["ci_low"]):
        return (f"{subject} changed {what} by {row['effect']:+.{d}f}{unit}, but with one replicate there is no "
                f"interval to tell that from zero{tail}.")
    if not row["distinguishable"]:
        return (f"{subject} made no difference to {what} that can be told apart from zero: "
                f"{row['effect']:+.{d}f}{unit} ({interval(row['ci_low'], row['ci_high'], d)}, which includes zero){tail}.")
    verb = "raised" if row["effect"] > 0 else "lowered"
    lo, hi = sorted([abs(row["ci_low"]), abs(row["ci_high"])])
    level = ""
    if np.isfinite(base_mean):
        level_unit = "%" if m.unit.startswith("%") else ("" if m.unit in m.label else " " + m.unit.split(" (")[0])
        level = f"; {reference} {fmt(base_mean, d + 1 if level_decimals is None else level_decimals)}{level_unit}"
    return f"{subject} {verb} {what} by {fmt(abs(row['effect']), d)}{unit} (95% CI {fmt(lo, d)} to {fmt(hi, d)}{level}){tail}."


def count(n: int, noun: str) -> str:
    """'1 replicate', '10 replicates'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def significant(value: float, digits: int = 2) -> str:
    """`value` to `digits` significant digits, never in exponent notation (0.000015, not 1.5e-05)."""
    return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")


def times(ratio: float) -> str:
    """'3.4 times', '43 times', '14,643 times'."""
    return f"{ratio:.1f} times" if ratio < 10 else f"{ratio:,.0f} times"


def action_phrase(toml_text: str, baseline_toml: str, name: str) -> str:
    """'Closing the community centre on day 60' from the interventions the baseline does not have."""
    phrases = []
    for iv in changes(toml_text, baseline_toml).values():
        place = str(iv.get("place", "")).replace("_", " ")
        start, end = iv.get("start", 0), iv.get("end", -1)
        until = f" until day {end}" if isinstance(end, int) and end >= 0 else ""
        kind = iv.get("kind", "")
        if kind == "close_place":
            phrases.append(f"closing the {place} on day {start}{until}")
        elif kind == "open_place":
            phrases.append(f"opening the {place} on day {start}{until}")
        elif kind == "add_hosts":
            hosts = iv.get("hosts", 1)
            phrases.append(f"adding {hosts} host{'s' if hosts != 1 else ''} to the {place} from day {start}{until}")
        else:
            phrases.append(f"the {kind.replace('_', ' ')} from day {start}{until}")
    if not phrases:
        return f"Scenario `{name}`"
    text = " and ".join(phrases)
    return f"{text[0].upper()}{text[1:]} (`{name}`)"


# ---------------------------------------------------------------- report.md
def report_text(result) -> str:
    s = result.settings
    lines = [f"# {result.title}", ""]
    lines += ["## The question", "", result.question, ""]
    lines += ["## Settings", ""]
    lines += [f"- {item}" for item in result.settings_lines()]
    lines += ["", definitions(s["lonely_below"]), ""]
    lines += ["## The answer", ""]
    lines += result.answer_lines()
    lines += ["", "## Files", "",
              "- `report.md` this page; `summary.csv` means with 95% CIs per scenario/point and metric; "
              + ("`effects.csv` effects against the baseline, paired and unpaired; " if result.effects is not None else "")
              + ("`indices.csv` sensitivity indices; " if result.indices is not None else "")
              + "`run_means.csv` one row per run (window means); `runs.parquet` every run x day (all daily columns).",
              "- `scenarios/` the full scenarios that ran; `experiment.json` the settings.",
              "", "## Caveats", "",
              "- The model's known limitations are listed in docs/model.md section 9; how well it reproduces "
              "published findings is in docs/validation.md (`nodding validate`). It is not a forecast: it shows "
              "how the mechanisms it models respond to a change, in a stylised neighbourhood.",
              f"- Intervals describe the uncertainty from the simulation's randomness over {s['replicates']} "
              "replicates, not the uncertainty of the model's assumptions.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- plots
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
    base = result.scenarios[result.settings["baseline"]]
    return sorted({iv["start"] for toml in result.scenarios.values() for iv in changes(toml, base).values()
                   if iv["start"] < result.settings["days"]})


def _marks(result) -> str:
    """What the grey window and the dotted lines in a plot mean, for its title."""
    days = _change_days(result)
    started = f"; dotted: the change{'s start' if len(days) > 1 else ' starts'}" if days else ""
    return f"grey: the last {result.settings['window']} days, averaged in the report{started}"


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


def plot_curves(result, path: Path) -> None:
    """Headline metrics over time, mean of replicates with 95% bands (7-day trailing means)."""
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2, sharex=True)
    runs = result.runs
    if result.kind == "sweep":
        runs = runs.assign(scenario=result.point_labels())
    for ax, name in zip(axes.flat, HEADLINE):
        m = BY_NAME[name]
        draw_scenarios(ax, daily_bands(runs, name), result.settings.get("baseline"))
        _window_shade(ax, result)
        ax.set_title(m.label[0].upper() + m.label[1:])
        ax.set_ylabel(m.unit)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("day")
    axes[0, 0].legend(loc="best")
    fig.suptitle(f"{result.curves_title} (7-day means; mean of {result.settings['replicates']} replicates with "
                 f"95% bands)\n{_marks(result)}", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_differences(result, path: Path) -> None:
    """Each scenario minus the baseline, day by day: mean of paired differences with a 95% band."""
    runs = result.runs
    base_name = result.settings["baseline"]
    fig = Figure(figsize=(14, 9))
    axes = fig.subplots(2, 2, sharex=True)
    table, keys = with_metrics(runs), ["scenario", "point", "replicate", "day"]
    for ax, name in zip(axes.flat, HEADLINE):
        m = BY_NAME[name]
        draw_scenarios(ax, daily_bands(paired_differences(table[[*keys, name]], name, base_name), "difference"))
        ax.axhline(0, color="black", lw=1)
        _window_shade(ax, result)
        ax.set_title(m.label[0].upper() + m.label[1:])
        ax.set_ylabel(f"difference, {m.effect_unit if len(m.effect_unit) < 25 else m.unit}")
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("day")
    axes[0, 0].legend(loc="best")
    fig.suptitle(f"Difference from {base_name}, day by day (paired by replicate, 7-day means, 95% bands)\n"
                 f"{_marks(result)}", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_effects(result, path: Path) -> None:
    """One panel per headline metric: each scenario's paired effect with its 95% CI."""
    paired = result.effects[result.effects["method"] == "paired"]
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
                 f"(paired, 95% CI; grey bars: not distinguishable from zero)", fontsize=14)
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
    from .summarise import effects

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
