"""How the experiments' reports say things: numbers, precision, units and sentences.

Everything a reader of report.md reads comes from here: numbers to the precision their intervals
support (`decimals_by_metric`: one precision per metric for a whole report, never an effect shown
as 0.0), effects in sentences (`effect_sentence`), what a scenario changes (`action_phrase`), and
each report's title, question, settings and answer (`title`, `question`, `settings_lines`,
`answer_lines`). The figures are in figures.py; report.py puts it all in a folder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nodding.model.scenario import Scenario

from .cache import describe_code
from .design import changes
from .summarise import BY_NAME, HEADLINE, OVER_SETS, effect_drift, effects, pairing_ratio, town_effects, with_metrics

__all__ = ["action_phrase", "answer_lines", "count", "decimals_by_metric", "decimals_for", "definitions",
           "effect_decimals", "effect_sentence", "fmt", "interval", "over_lines", "question", "runs_words",
           "settings_lines", "significant",
           "times", "title", "window_words"]


# ---------------------------------------------------------------- numbers
def fmt(value: float, decimals: int) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.{decimals}f}"


def interval(low: float, high: float, decimals: int, name: str = "95% CI") -> str:
    return "no interval with one replicate" if not np.isfinite(low) else f"{name} {fmt(low, decimals)} to {fmt(high, decimals)}"


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
    scenario's mean) get one digit more, so that two levels shown differ by the effect shown.

    Parameters
    ----------
    effect_table : DataFrame
        From `summarise.effects`.

    Returns
    -------
    dict
        Metric name -> decimals for its effects (the most any scenario's paired effect needs; over
        plausible parameter sets: its effect over the sets).
    """
    over = (effect_table["method"] == OVER_SETS).any()
    paired = effect_table[effect_table["method"] == (OVER_SETS if over else "paired")]
    return {metric: max(effect_decimals(BY_NAME[metric], row) for _, row in rows.iterrows())
            for metric, rows in paired.groupby("metric") if metric in BY_NAME}


# ---------------------------------------------------------------- sentences
def definitions(lonely_below: float, highest: float | None = None) -> str:
    """What the outcomes mean, for report.md; `lonely_below` is the scenario's loneliness threshold (0-1), or the
    lowest of the thresholds that ran and `highest` the highest (plausible parameter sets carry their own)."""
    threshold = f"{100 * lonely_below:.1f} points"
    if highest is not None and highest != lonely_below:
        threshold = f"{100 * lonely_below:.1f} to {100 * highest:.1f} points, depending on the plausible set"
    return (
        "*Belonging* is each resident's sense of belonging to the neighbourhood, a score from 0 to 1; we report "
        "it x100, in **points** (0-100), averaged over residents. The *lonely share* is the percentage of adults "
        f"whose belonging is below the loneliness threshold, {threshold} (set so that a mature "
        "default town has the 47% of adults that the Dutch health monitor of 2020 counts as lonely; so a mean "
        "belonging near the threshold goes with a lonely share near half); its differences are in **percentage "
        "points**. *Weak ties* are acquaintances and people on nodding or greeting terms. *Interactions* are "
        "welcomed nods, greetings, chats and help, counted once per interaction and divided by the number of "
        "residents (per resident per day). A *95% CI* (confidence interval) is the range the true average over "
        "many more replicates would lie in, 95 times out of 100; an effect whose interval includes zero cannot be "
        "told apart from no effect."
    )


def effect_sentence(subject: str, metric: str, row: pd.Series, window_words: str, base_mean: float = np.nan,
                    full: bool = True, decimals: int | None = None, reference: str = "baseline",
                    level_decimals: int | None = None) -> str:
    """'Closing the X on day 60 lowered mean belonging by 0.19 points (95% CI 0.12 to 0.26; baseline 78.123 points)'.

    Parameters
    ----------
    subject : str
        What made the difference: 'Closing the community centre on day 60', 'It'.
    metric : str
        A name in `summarise.BY_NAME`.
    row : Series
        One row of `summarise.effects` (or of `effects_over_sets`: then its interval is over plausible sets).
    window_words : str
        The days averaged over (`window_words`).
    base_mean : float, optional
        The level the effect is measured from, shown after the interval.
    full : bool
        False leaves out the window and the pairing (said once, in the first sentence).
    decimals : int, optional
        The effect's decimals (default: as many as it needs, `effect_decimals`).
    reference : str
        Where `base_mean` comes from: 'baseline', 'from'.
    level_decimals : int, optional
        `base_mean`'s decimals (default: one more than the effect's, as in the report's tables).

    Returns
    -------
    str
        One sentence.
    """
    m = BY_NAME[metric]
    d, n = effect_decimals(m, row) if decimals is None else decimals, int(row["replicates"])
    runs = count(n, "replicate")
    if row["method"] == OVER_SETS:
        runs = f"{count(int(row['sets']), 'plausible parameter set')} x {runs}"
    tail = f" {window_words}, {'paired' if row['method'] == OVER_SETS else row['method']} over {runs}" if full else ""
    ci = "95% interval" if row["method"] == OVER_SETS else "95% CI"
    what = m.in_sentence
    unit = "" if m.unit in m.label else f" {m.effect_unit}"  # "weak ties per resident" says its unit already
    if row["effect"] == 0 and (row["ci_low"] == 0 and row["ci_high"] == 0 or not np.isfinite(row["ci_low"])):
        return f"{subject} left {what} exactly as in the baseline in every replicate{tail}."
    if not np.isfinite(row["ci_low"]):
        return (f"{subject} changed {what} by {row['effect']:+.{d}f}{unit}, but with one replicate there is no "
                f"interval to tell that from zero{tail}.")
    if not row["distinguishable"]:
        return (f"{subject} made no difference to {what} that can be told apart from zero: "
                f"{row['effect']:+.{d}f}{unit} ({interval(row['ci_low'], row['ci_high'], d, ci)}, which includes zero){tail}.")
    verb = "raised" if row["effect"] > 0 else "lowered"
    lo, hi = sorted([abs(row["ci_low"]), abs(row["ci_high"])])
    level = ""
    if np.isfinite(base_mean):
        level_unit = "%" if m.unit.startswith("%") else ("" if m.unit in m.label else " " + m.unit.split(" (")[0])
        level = f"; {reference} {fmt(base_mean, d + 1 if level_decimals is None else level_decimals)}{level_unit}"
    return f"{subject} {verb} {what} by {fmt(abs(row['effect']), d)}{unit} ({ci} {fmt(lo, d)} to {fmt(hi, d)}{level}){tail}."


def count(n: int, noun: str) -> str:
    """'1 replicate', '10 replicates'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def significant(value: float, digits: int = 2) -> str:
    """`value` to `digits` significant digits, never in exponent notation (0.000015, not 1.5e-05)."""
    return np.format_float_positional(value, precision=digits, unique=False, fractional=False, trim="-")


def times(ratio: float) -> str:
    """'3.4 times', '43 times', '14,643 times'."""
    return f"{ratio:.1f} times" if ratio < 10 else f"{ratio:,.0f} times"


_CAMPAIGNS = {"challenge": "a small-interactions challenge", "conversation_training": "conversation training",
              "greeting_excuses": "greeting excuses", "volunteering": "volunteering at the {place}",
              "mobility_support": "transport help"}
_TARGETS = {"everyone": "residents", "child": "pupils", "worker": "residents working outside the home",
            "at_home": "residents at home during the day", "senior": "seniors", "living_alone": "residents living alone",
            "low_mobility": "residents with low mobility", "lonely": "lonely residents", "anxious": "anxious residents"}


def _for_whom(iv: dict) -> str:
    """'for 20% of residents', 'for a self-selected 33% of residents living alone'."""
    from nodding.model.groups import default_target

    target = str(iv.get("target") or default_target(iv.get("kind", "")))
    prefix, _, name = target.partition(":")
    who = (_TARGETS.get(target) or (f"the regulars of the {name.replace('_', ' ')}" if prefix == "regulars" else
                                     f"residents of neighbourhood {name}" if prefix == "neighbourhood" else target))
    if "uptake" in iv:
        return f"for a self-selected {iv['uptake']:.0%} of {who}"
    return f"for {iv['share']:.0%} of {who}" if "share" in iv else f"for {who}"


def action_phrase(scenario: Scenario, baseline: Scenario) -> str:
    """'Closing the community centre on day 60' from the interventions the baseline does not have."""
    phrases = []
    for iv in changes(scenario, baseline).values():
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
        elif kind in _CAMPAIGNS:
            what = _CAMPAIGNS[kind].format(place=place)
            phrases.append(f"{what} {_for_whom(iv)} from day {start}{until}")
        else:
            phrases.append(f"the {kind.replace('_', ' ')} from day {start}{until}")
    if not phrases:
        return f"Scenario `{scenario.name}`"
    text = " and ".join(phrases)
    return f"{text[0].upper()}{text[1:]} (`{scenario.name}`)"


def window_words(days: int, window: int) -> str:
    """'over the last 30 days (days 335-364)': the days whose outcomes a report averages."""
    first = max(days - window, 0)
    if window == 1:
        return f"on the last day (day {days - 1})"
    return f"over the last {window} days (days {first}-{days - 1})"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# ---------------------------------------------------------------- title, question, settings
def title(result) -> str:
    """The report's heading: 'What if: X — compared with Y', 'Sweep: ...', 'Sensitivity (Morris): ...'."""
    design = result.design
    base = design.baseline.name
    if design.kind == "compare":
        return f"What if: {', '.join(s.name for s in design.scenarios[1:])} — compared with {base}"
    if design.kind == "sweep":
        return f"Sweep: {', '.join(design.vary)} in {base}"
    return f"Sensitivity ({'Sobol' if design.method == 'sobol' else 'Morris'}): {base}"


def question(result) -> str:
    """The question the experiment answers, in the reader's words, with the scenarios' descriptions."""
    design = result.design
    base = design.baseline
    if design.kind == "compare":
        names = [s.name for s in design.scenarios]
        descriptions = [f"- `{s.name}`{' (the baseline)' if i == 0 else ''}: {' '.join(s['description'].split())}"
                        for i, s in enumerate(design.scenarios)]
        return (f"How do belonging, loneliness, weak ties and everyday interactions in "
                f"{', '.join(f'`{n}`' for n in names[1:])} differ from those in `{base.name}`, the baseline?\n\n"
                + "\n".join(descriptions))
    if design.kind == "sweep":
        ranges = "; ".join(f"`{f}` from {min(v):g} to {max(v):g} in {len(v)} steps"
                           for f, v in result.settings["vary"].items())
        return (f"How do belonging, loneliness, weak ties and everyday interactions in `{base.name}` respond to "
                f"{ranges}?\n\n`{base.name}`: {' '.join(base['description'].split())}")
    return (f"Which of {', '.join(f'`{p}` ({lo:g}-{hi:g})' for p, (lo, hi) in design.parameters.items())} matter most "
            f"for belonging, loneliness, weak ties and everyday interactions in `{base.name}`?")


REUSED_IN_REPORT = "reused from an interrupted earlier invocation's cache"


def settings_lines(result) -> list[str]:
    """The settings section: town, replicates and seeds, window, runs and where they ran."""
    s = result.settings
    workers = f"{s['workers']} local worker process{'es' if s['workers'] != 1 else ''}"
    ran = f"a Dask cluster ({s['dask']})" if s.get("dask") else workers
    unit = "point" if result.kind != "compare" else "scenario and plausible set" if s.get("over") else "scenario"
    return [f"Town: {s['residents']:,} residents, {count(s['days'], 'simulated day')} per run.",
            f"Replicates: {s['replicates']} per {unit}. Replicate r of every {unit} runs with the same seed "
            f"(seeds from numpy SeedSequence({s['seed']})), so comparisons are paired replicate by replicate.",
            f"Outcomes are averaged {window_words(s['days'], s['window'])}.",
            f"{runs_words(s, REUSED_IN_REPORT)} on {ran} in {s['wall_seconds']:.0f} s.",
            f"Made by Nodding Terms {describe_code(s['code'])} (`nodding.provenance.code_fingerprint`)."]


def over_lines(result) -> list[str]:
    """What a comparison over plausible parameter sets ran over, for the top of its report.

    Parameters
    ----------
    result : CompareResult
        Run with `over` (`settings["over"]`).

    Returns
    -------
    list of str
        Markdown lines: the file, the sets and fields, and a table of each set's values.
    """
    over = result.settings["over"]
    fields = over["fields"]
    values = result.means.drop_duplicates("point").set_index("point")[fields]
    where = "a table given in Python" if over["file"] is None else f"`{over['file']}`"
    lines = [f"This comparison ran over {count(over['sets'], 'plausible parameter set')}, the first of "
             f"{where}: every scenario ran with each set's values of {_and([f'`{f}`' for f in fields])}, "
             f"{count(result.settings['replicates'], 'replicate')} each. Its *95% intervals* include the spread "
             "across the sets as well as the simulation's randomness: the effect under a plausible set drawn at "
             "random lies in them 95 times out of 100 (see the caveats for what they leave out).", "",
             "| set (run as point) | " + " | ".join(fields) + " |", "|---|" + "---|" * len(fields)]
    for point, label in enumerate(over["labels"]):
        lines.append(f"| {label} ({point}) | " + " | ".join(f"{v:g}" for v in values.loc[point]) + " |")
    return lines


def runs_words(settings: dict, reused_from: str) -> str:
    """"12 runs", or "12 runs (6 reused from ..., 6 run now)" when some came from the resume cache.

    Parameters
    ----------
    settings : dict
        An experiment's settings (`runs`, `reused_runs`).
    reused_from : str
        Where the reused runs came from, in the words of the place it is said.

    Returns
    -------
    str
    """
    runs, reused = settings["runs"], settings["reused_runs"]
    said = count(runs, "run")
    return f"{said} ({reused} {reused_from}, {runs - reused} run now)" if reused else said


# ---------------------------------------------------------------- the answer
def answer_lines(result) -> list[str]:
    """The answer section of report.md, in lines: effects in sentences, tables and figure links.

    Parameters
    ----------
    result : CompareResult, SweepResult or SensitivityResult

    Returns
    -------
    list of str
        Markdown lines, without the section heading.
    """
    return {"compare": _compare_answer, "sweep": _sweep_answer, "sensitivity": _sensitivity_answer}[result.kind](result)


def _compare_answer(result) -> list[str]:
    from . import who  # who imports this module's numbers

    s, eff = result.settings, town_effects(result.effects)
    groups = who.groups_table(result.effects)
    base = result.design.baseline
    table = with_metrics(result.runs)
    decimals = decimals_by_metric(eff)
    words = window_words(s["days"], s["window"])
    levels = result.summary.set_index(["scenario", "metric"])["mean"]
    over = bool(s.get("over"))
    levels = levels.groupby(level=["scenario", "metric"]).mean()  # over plausible sets: the mean over the sets
    lines = []
    for scenario in result.design.scenarios[1:]:
        name = scenario.name
        action = action_phrase(scenario, base)
        lines += [f"### {action}", ""]
        lead = who.lead_lines(groups, scenario)
        lines += [*lead, ""] if lead else []
        rows = eff[(eff["scenario"] == name) & (eff["method"] == (OVER_SETS if over else "paired"))].set_index("metric")
        for k, metric in enumerate((*HEADLINE, "third_place_interactions")):
            subject = action if k == 0 else "It"
            lines.append(f"- {effect_sentence(subject, metric, rows.loc[metric], words, levels[(base.name, metric)], full=k == 0, decimals=decimals[metric])}")
        lines += ["", *_caveats(result, scenario, rows, table)]
        if over:
            lines += ["", _shares_sentence(rows.loc["belonging_points"]), "",
                      _over_table(result.summary, eff, base.name, name, decimals), ""]
            continue
        ratio = pairing_ratio(eff, name)
        if np.isfinite(ratio) and ratio > 0:
            both = eff[(eff["scenario"] == name) & (eff["metric"] == "belonging_points")].set_index("method")["half_width"]
            lines += ["", f"Pairing (replicate r of both scenarios ran with the same seed) made the 95% interval for "
                          f"mean belonging {times(1 / ratio)} narrower than an unpaired comparison of the "
                          f"same runs: ±{significant(both['paired'])} against "
                          f"±{significant(both['unpaired'])} points (effects.csv "
                          "has both)."]
        lines += ["", _effect_table(result.summary, eff, base.name, name, decimals), ""]
        if (groups["scenario"] == name).any():
            lines += [*who.affected_table(groups, scenario), ""]
    spread = result.means[result.means["scenario"] == base.name].groupby("point")["belonging_points"].std().mean()
    if np.isfinite(spread):
        lines += ["### For scale", "", f"Mean belonging differs from one random baseline town to another by "
                  f"{significant(spread)} "
                  f"points (standard deviation over {s['replicates']} replicates"
                  f"{', averaged over the sets' if over else ''}). Effects much smaller than that "
                  "are told apart from zero only because each pair of runs shares a town.", ""]
    if over:
        lines += ["![Each plausible set's effect](sets.png)", ""]
    lines += ["![Effects](effects.png)", "", *(["![Effects by group](groups.png)", ""] if len(groups) else []), "![Differences from the baseline over time](differences.png)", "",
              "![Scenarios over time](curves.png)"]
    return lines


def _shares_sentence(row: pd.Series) -> str:
    """'Of the interval's variance for mean belonging, 70% comes from ...': where an interval over plausible
    sets comes from (`summarise.effects_over_sets`)."""
    if not np.isfinite(row["share_parameters"]):
        return "The effect on mean belonging was the same in every set and replicate: there is no spread to share."
    return (f"Of the interval's variance for mean belonging, {100 * row['share_parameters']:.0f}% comes from the "
            f"spread across plausible parameter sets, {100 * row['share_randomness']:.0f}% from the simulation's "
            f"randomness; with the parameters known (one set), the interval would be "
            f"±{significant(row['half_width_randomness'])} points instead of ±{significant(row['half_width'])}.")


def _over_table(summ: pd.DataFrame, eff: pd.DataFrame, baseline: str, name: str, decimals: dict[str, int]) -> str:
    """Per outcome: the levels (means over the sets), the effect over the sets with its interval, the share of
    that interval's variance from the sets, and the range of the sets' own effects."""
    rows = ["| outcome | baseline | this scenario | difference over the sets (95% interval) | ± with the "
            "parameters known | from the sets | the sets' effects |", "|---|---|---|---|---|---|---|"]
    levels = summ.groupby(["scenario", "metric"])["mean"].mean()
    for metric, m in BY_NAME.items():
        e = eff[(eff["scenario"] == name) & (eff["metric"] == metric)]
        o = e[e["method"] == OVER_SETS].iloc[0]
        per_set = e[e["method"] == "paired"]["effect"]
        d = decimals[metric]
        share = "n/a" if not np.isfinite(o["share_parameters"]) else f"{100 * o['share_parameters']:.0f}%"
        mark = "" if o["distinguishable"] else " (not distinguishable from zero)"
        rows.append(f"| {m.heading} | {fmt(levels[(baseline, metric)], d + 1)} | {fmt(levels[(name, metric)], d + 1)} "
                    f"| {o['effect']:+.{d}f} [{fmt(o['ci_low'], d)}, {fmt(o['ci_high'], d)}]{mark} "
                    f"| ±{fmt(o['half_width_randomness'], d)} | {share} "
                    f"| {per_set.min():+.{d}f} to {per_set.max():+.{d}f} |")
    return "\n".join(rows)


def _caveats(result, scenario: Scenario, paired: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """What a reader needs to weigh a scenario's effects: did they settle, did the window start before
    the change."""
    s = result.settings
    lines = []
    moving = {"still growing": [], "fading": []}
    for metric in HEADLINE:
        row = paired.loc[metric]
        drift, low, high, _ = effect_drift(table, s["baseline"], scenario.name, metric, s["window"])
        if row["distinguishable"] and (low > 0 or high < 0):
            moving["still growing" if np.sign(drift) == np.sign(row["effect"]) else "fading"].append(
                BY_NAME[metric].in_sentence)
    for how, metrics in moving.items():
        if metrics:
            one = len(metrics) == 1
            lines.append(f"- The effect{'' if one else 's'} on {_and(metrics)} {'was' if one else 'were'} {how} "
                         f"at the end of the runs (the second half of the window differs from the first, paired "
                         f"95% CI): {'it' if one else 'they'} had not settled, and a longer run (--days) would show "
                         f"where {'it does' if one else 'they do'}.")
    starts = [iv["start"] for iv in changes(scenario, result.design.baseline).values()]
    first_day = s["days"] - s["window"]
    if starts and max(starts) > first_day:
        lines.append(f"- The window starts on day {first_day}, before the change on day {max(starts)}: the "
                     f"averages include {max(starts) - first_day} days without it, which dilutes the effect. "
                     f"Run at least {max(starts) + s['window']} days (--days) to average over days with it only.")
    return lines


def _effect_table(summ: pd.DataFrame, eff: pd.DataFrame, baseline: str, name: str, decimals: dict[str, int]) -> str:
    rows = ["| outcome | baseline | this scenario | difference (paired, 95% CI) | unpaired 95% CI |",
            "|---|---|---|---|---|"]
    for metric, m in BY_NAME.items():
        b = summ[(summ["scenario"] == baseline) & (summ["metric"] == metric)].iloc[0]
        x = summ[(summ["scenario"] == name) & (summ["metric"] == metric)].iloc[0]
        e = eff[(eff["scenario"] == name) & (eff["metric"] == metric)].set_index("method")
        p, u = e.loc["paired"], e.loc["unpaired"]
        d = decimals[metric]
        ld = d + 1
        if p["effect"] == 0 and p["ci_low"] == 0 and p["ci_high"] == 0:
            paired = "0 (the same in every replicate)"
        elif not np.isfinite(p["ci_low"]):
            paired = f"{p['effect']:+.{d}f} (no interval with one replicate)"
        else:
            mark = "" if p["distinguishable"] else " (not distinguishable from zero)"
            paired = f"{p['effect']:+.{d}f} [{fmt(p['ci_low'], d)}, {fmt(p['ci_high'], d)}]{mark}"
        unpaired = "n/a" if not np.isfinite(u["ci_low"]) else f"[{fmt(u['ci_low'], d)}, {fmt(u['ci_high'], d)}]"
        rows.append(f"| {m.heading} | {fmt(b['mean'], ld)} | {fmt(x['mean'], ld)} | {paired} | {unpaired} |")
    return "\n".join(rows)


def _sweep_answer(result) -> list[str]:
    s = result.settings
    fields = s["vary_fields"]
    means = result.means
    first, last = means["point"].min(), means["point"].max()
    low = means[means["point"] == first].iloc[0]
    high = means[means["point"] == last].iloc[0]
    change = " and ".join(f"`{f}` from {low[f]:g} to {high[f]:g}" for f in fields)
    ends = means[means["point"].isin([first, last])].assign(
        scenario=lambda d: np.where(d["point"] == first, "low", "high"))
    eff = effects(ends, "low")
    rows = eff[eff["method"] == "paired"].set_index("metric")
    decimals = decimals_by_metric(eff)
    words = window_words(s["days"], s["window"])
    lines = []
    levels = ends.groupby("scenario")[list(HEADLINE)].mean()
    for k, metric in enumerate(HEADLINE):
        subject = f"Raising {change}" if k == 0 else "It"
        lines.append(f"- {effect_sentence(subject, metric, rows.loc[metric], words, levels.loc['low', metric], full=k == 0, decimals=decimals[metric], reference='from', level_decimals=BY_NAME[metric].decimals)}")
    lines += ["", "Means with 95% CIs at every point:", "", _sweep_table(result.summary, fields), "",
              "The intervals above are the spread between random towns at each point. The change from one point "
              "to another is known much more precisely, because every point ran with the same replicate seeds "
              "(paired):", "", "![Change from the first point, paired](response_change.png)", "",
              "![Response curves](response.png)", "", "![Sweep points over time](curves.png)"]
    return lines


def _sweep_table(summ: pd.DataFrame, fields: list[str]) -> str:
    head = [*fields, *(BY_NAME[m].heading for m in HEADLINE)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, group in summ.groupby("point", sort=True):
        cells = [f"{group.iloc[0][f]:g}" for f in fields]
        for metric in HEADLINE:
            r = group[group["metric"] == metric].iloc[0]
            d = BY_NAME[metric].decimals
            cells.append(f"{fmt(r['mean'], d)} [{fmt(r['ci_low'], d)}, {fmt(r['ci_high'], d)}]")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _sensitivity_answer(result) -> list[str]:
    s, idx = result.settings, result.indices
    key, word = ("ST", "total-order Sobol index") if s["method"] == "sobol" else ("mu_star", "Morris mu*")
    rough = (f" With N = {s['n']} the indices are rough; N = 64 or more is usual." if s["method"] == "sobol"
             and s["n"] < 64 else "")
    lines = [f"{s['points']} parameter combinations drawn by SALib "
             f"({'Saltelli/Sobol sampling' if s['method'] == 'sobol' else 'Morris trajectories'}, N = {s['n']}), "
             f"{count(s['replicates'], 'replicate')} each.{rough}", ""]
    for metric in HEADLINE:
        m = BY_NAME[metric]
        rows = idx[(idx["metric"] == metric) & (idx["index"] == key)].sort_values("value", ascending=False) if len(idx) else idx
        if not len(rows):
            lines.append(f"- {m.label[0].upper() + m.label[1:]} did not vary across the samples.")
            continue
        ranked = [f"`{r['parameter']}` ({word} {r['value']:.2f} ± {r['conf']:.2f})" for _, r in rows.iterrows()]
        lines.append(f"- {m.label[0].upper() + m.label[1:]} depends most on {ranked[0]}"
                     + (f", then {', '.join(ranked[1:])}." if len(ranked) > 1 else "."))
    lines += ["", "A total-order index near 0 means the parameter hardly matters over its range; the ± is SALib's "
              "95% bootstrap confidence. Wide intervals, or first-order indices above total-order ones, mean "
              "more samples (a larger --n) are needed. The simulation's own randomness also enters the indices; "
              "more replicates per point reduce it." if s["method"] == "sobol" else
              "Morris mu* is the mean absolute elementary effect: the change of the outcome (in its units) per "
              "change of the parameter across its whole range, estimated from steps of two thirds of the range "
              "(SALib's 4-level grid); a large sigma means the effect depends on the other parameters or is not "
              "linear.",
              "", "![Sensitivity indices](indices.png)"]
    return lines
