"""The three experiments and their results: compare, sweep, sensitivity.

Each function builds a design (design.py), runs it through an executor
(execute.py), summarises it (summarise.py) and returns a result object with
`.runs` (tidy: one row per run x day), `.means` (one row per run: window means),
`.summary`, `.effects` (compare) or `.indices` (sensitivity), and `.write(out)`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import report
from .design import RunSpec, changes, compare_design, load_scenario, sensitivity_design, sweep_design, window_for
from .execute import execute
from .summarise import (BY_NAME, effect_drift, effects, pairing_ratio, run_means, sensitivity_indices, summary,
                        with_metrics)


def load_toml_value(text: str, section: str, key: str):
    import tomllib

    return tomllib.loads(text)[section][key]


@dataclass
class ExperimentResult:
    kind: str
    runs: pd.DataFrame
    means: pd.DataFrame
    summary: pd.DataFrame
    settings: dict
    scenarios: dict[str, str]  # name -> full TOML that ran (first: the baseline)
    effects: pd.DataFrame | None = None
    indices: pd.DataFrame | None = None
    question: str = ""
    title: str = ""
    curves_title: str = ""

    def write(self, out: str | Path) -> Path:
        """All tables, plots and report.md into `out`, all-or-nothing."""
        return report.write(self, out)

    # shared pieces of report.md
    def window_words(self) -> str:
        s = self.settings
        first = max(s["days"] - s["window"], 0)
        if s["window"] == 1:
            return f"on the last day (day {s['days'] - 1})"
        return f"over the last {s['window']} days (days {first}-{s['days'] - 1})"

    def settings_lines(self) -> list[str]:
        s = self.settings
        workers = f"{s['workers']} local worker process{'es' if s['workers'] != 1 else ''}"
        ran = f"a Dask cluster ({s['dask']})" if s.get("dask") else workers
        lines = [f"Town: {s['residents']:,} residents, {report.count(s['days'], 'simulated day')} per run.",
                 f"Replicates: {s['replicates']} per {'scenario' if self.kind == 'compare' else 'point'}. "
                 f"Replicate r of every {'scenario' if self.kind == 'compare' else 'point'} runs with the same seed "
                 f"(seeds from numpy SeedSequence({s['seed']})), so comparisons are paired replicate by replicate.",
                 f"Outcomes are averaged {self.window_words()}.",
                 f"{len(self.means)} runs on {ran} in {s['wall_seconds']:.0f} s."]
        return lines

    def point_labels(self) -> pd.Series:
        return self.runs["scenario"]


def _settings(specs: list[RunSpec], replicates, seed, window, workers, dask, started, **more) -> dict:
    from .execute import default_workers

    residents = int(load_toml_value(specs[0].toml, "population", "size"))
    lonely_below = float(load_toml_value(specs[0].toml, "belonging", "lonely_below"))
    return {"days": specs[0].days, "replicates": replicates, "seed": seed, "window": window, "residents": residents,
            "lonely_below": lonely_below,
            "workers": workers or default_workers(), "dask": dask, "runs": len(specs),
            "wall_seconds": round(time.perf_counter() - started, 1), **more}


# ---------------------------------------------------------------- compare
def compare(scenarios, replicates: int = 10, days: int | None = None, seed: int | None = None,
            window: int | None = None, *, workers: int | None = None, dask: str | None = None,
            executor=None, cache: Path | None = None, progress: bool | None = None) -> CompareResult:
    """Run each scenario `replicates` times (replicate r with the same seed everywhere) and compare
    each with the first, the baseline."""
    started = time.perf_counter()
    loaded = [load_scenario(s) for s in scenarios]
    seed = loaded[0]["seed"] if seed is None else seed
    specs = compare_design(loaded, replicates, days, seed, window)
    window = window_for(specs[0].days, window)
    runs = execute(specs, executor, workers=workers, dask=dask, cache=cache, progress=progress)
    return CompareResult.build(runs, loaded, specs, replicates, seed, window, workers, dask, started)


@dataclass
class CompareResult(ExperimentResult):
    @classmethod
    def build(cls, runs, loaded, specs, replicates, seed, window, workers, dask, started):
        means = run_means(runs, window)
        baseline = loaded[0].name
        names = [s.name for s in loaded]
        settings = _settings(specs, replicates, seed, window, workers, dask, started, baseline=baseline, scenarios=names)
        descriptions = [f"- `{s.name}`{' (the baseline)' if i == 0 else ''}: {' '.join(s['description'].split())}"
                        for i, s in enumerate(loaded)]
        question = (f"How do belonging, loneliness, weak ties and everyday interactions in "
                    f"{', '.join(f'`{n}`' for n in names[1:])} differ from those in `{baseline}`, the baseline?\n\n"
                    + "\n".join(descriptions))
        return cls("compare", runs, means, summary(means), settings, {s.name: s.to_toml() for s in loaded},
                   effects=effects(means, baseline), question=question,
                   title=f"What if: {', '.join(names[1:])} — compared with {baseline}",
                   curves_title="Scenarios over time")

    def answer_lines(self) -> list[str]:
        s, eff = self.settings, self.effects
        base = self.scenarios[s["baseline"]]
        table = with_metrics(self.runs)
        decimals = report.decimals_by_metric(eff)
        lines = []
        for name, toml in self.scenarios.items():
            if name == s["baseline"]:
                continue
            action = report.action_phrase(toml, base, name)
            lines += [f"### {action}", ""]
            rows = eff[(eff["scenario"] == name) & (eff["method"] == "paired")].set_index("metric")
            levels = self.summary.set_index(["scenario", "metric"])["mean"]
            for k, metric in enumerate((*report.HEADLINE, "third_place_interactions")):
                subject = action if k == 0 else "It"
                lines.append(f"- {report.effect_sentence(subject, metric, rows.loc[metric], self.window_words(), levels[(s['baseline'], metric)], full=k == 0, decimals=decimals[metric])}")
            lines += ["", *self._caveats(name, rows, table)]
            ratio = pairing_ratio(eff, name)
            if np.isfinite(ratio) and ratio > 0:
                both = eff[(eff["scenario"] == name) & (eff["metric"] == "belonging_points")].set_index("method")["half_width"]
                lines += ["", f"Pairing (replicate r of both scenarios ran with the same seed) made the 95% interval for "
                              f"mean belonging {report.times(1 / ratio)} narrower than an unpaired comparison of the "
                              f"same runs: ±{report.significant(both['paired'])} against "
                              f"±{report.significant(both['unpaired'])} points (effects.csv "
                              "has both)."]
            lines += ["", _effect_table(self.summary, eff, s["baseline"], name, decimals), ""]
        spread = self.means[self.means["scenario"] == s["baseline"]]["belonging_points"].std()
        if np.isfinite(spread):
            lines += ["### For scale", "", f"Mean belonging differs from one random baseline town to another by "
                      f"{report.significant(spread)} "
                      f"points (standard deviation over {s['replicates']} replicates). Effects much smaller than that "
                      "are told apart from zero only because each pair of runs shares a town.", ""]
        lines += ["![Effects](effects.png)", "", "![Differences from the baseline over time](differences.png)", "",
                  "![Scenarios over time](curves.png)"]
        return lines

    def _caveats(self, name: str, paired: pd.DataFrame, table: pd.DataFrame) -> list[str]:
        """What a reader needs to weigh a scenario's effects: did they settle, did the window start before
        the change."""
        s = self.settings
        lines = []
        moving = {"still growing": [], "fading": []}
        for metric in report.HEADLINE:
            row = paired.loc[metric]
            drift, low, high, _ = effect_drift(table, s["baseline"], name, metric, s["window"])
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
        starts = [iv["start"] for iv in changes(self.scenarios[name], self.scenarios[s["baseline"]]).values()]
        first_day = s["days"] - s["window"]
        if starts and max(starts) > first_day:
            lines.append(f"- The window starts on day {first_day}, before the change on day {max(starts)}: the "
                         f"averages include {max(starts) - first_day} days without it, which dilutes the effect. "
                         f"Run at least {max(starts) + s['window']} days (--days) to average over days with it only.")
        return lines


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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
            paired = f"{p['effect']:+.{d}f} [{report.fmt(p['ci_low'], d)}, {report.fmt(p['ci_high'], d)}]{mark}"
        unpaired = "n/a" if not np.isfinite(u["ci_low"]) else f"[{report.fmt(u['ci_low'], d)}, {report.fmt(u['ci_high'], d)}]"
        rows.append(f"| {m.heading} | {report.fmt(b['mean'], ld)} | {report.fmt(x['mean'], ld)} | {paired} | {unpaired} |")
    return "\n".join(rows)


# ---------------------------------------------------------------- sweep
def sweep(scenario, vary: dict[str, list], replicates: int = 5, days: int | None = None, seed: int | None = None,
          window: int | None = None, *, workers: int | None = None, dask: str | None = None,
          executor=None, cache: Path | None = None, progress: bool | None = None) -> SweepResult:
    """Run the scenario at every combination of the `vary` values ({field: [values]})."""
    started = time.perf_counter()
    base = load_scenario(scenario)
    seed = base["seed"] if seed is None else seed
    specs = sweep_design(base, vary, replicates, days, seed, window)
    window = window_for(specs[0].days, window)
    runs = execute(specs, executor, workers=workers, dask=dask, cache=cache, progress=progress)
    fields = list(vary)
    means = run_means(runs, window, fields)
    settings = _settings(specs, replicates, seed, window, workers, dask, started, vary_fields=fields,
                         vary={f: sorted({spec.values[f] for spec in specs}) for f in fields})
    ranges = "; ".join(f"`{f}` from {min(v):g} to {max(v):g} in {len(v)} steps" for f, v in settings["vary"].items())
    question = (f"How do belonging, loneliness, weak ties and everyday interactions in `{base.name}` respond to "
                f"{ranges}?\n\n`{base.name}`: {' '.join(base['description'].split())}")
    return SweepResult("sweep", runs, means, summary(means, fields), settings, {base.name: base.to_toml()},
                       question=question, title=f"Sweep: {', '.join(fields)} in {base.name}",
                       curves_title="Sweep points over time")


@dataclass
class SweepResult(ExperimentResult):
    def point_labels(self) -> pd.Series:
        fields = self.settings["vary_fields"]
        return self.runs[fields].apply(lambda row: ", ".join(f"{f.split('.')[-1]} = {v:g}" for f, v in row.items()), axis=1)

    def answer_lines(self) -> list[str]:
        fields = self.settings["vary_fields"]
        first, last = self.means["point"].min(), self.means["point"].max()
        low = self.means[self.means["point"] == first].iloc[0]
        high = self.means[self.means["point"] == last].iloc[0]
        change = " and ".join(f"`{f}` from {low[f]:g} to {high[f]:g}" for f in fields)
        ends = self.means[self.means["point"].isin([first, last])].assign(
            scenario=lambda d: np.where(d["point"] == first, "low", "high"))
        eff = effects(ends, "low")
        rows = eff[eff["method"] == "paired"].set_index("metric")
        decimals = report.decimals_by_metric(eff)
        lines = []
        levels = ends.groupby("scenario")[list(report.HEADLINE)].mean()
        for k, metric in enumerate(report.HEADLINE):
            subject = f"Raising {change}" if k == 0 else "It"
            lines.append(f"- {report.effect_sentence(subject, metric, rows.loc[metric], self.window_words(), levels.loc['low', metric], full=k == 0, decimals=decimals[metric], reference='from', level_decimals=BY_NAME[metric].decimals)}")
        lines += ["", "Means with 95% CIs at every point:", "", _sweep_table(self.summary, fields), "",
                  "The intervals above are the spread between random towns at each point. The change from one point "
                  "to another is known much more precisely, because every point ran with the same replicate seeds "
                  "(paired):", "", "![Change from the first point, paired](response_change.png)", "",
                  "![Response curves](response.png)", "", "![Sweep points over time](curves.png)"]
        return lines


def _sweep_table(summ: pd.DataFrame, fields: list[str]) -> str:
    head = [*fields, *(BY_NAME[m].heading for m in report.HEADLINE)]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, group in summ.groupby("point", sort=True):
        cells = [f"{group.iloc[0][f]:g}" for f in fields]
        for metric in report.HEADLINE:
            r = group[group["metric"] == metric].iloc[0]
            d = BY_NAME[metric].decimals
            cells.append(f"{report.fmt(r['mean'], d)} [{report.fmt(r['ci_low'], d)}, {report.fmt(r['ci_high'], d)}]")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


# ---------------------------------------------------------------- sensitivity
def sensitivity(scenario, parameters: dict[str, tuple[float, float]], method: str = "sobol", n: int = 64,
                replicates: int = 1, days: int | None = None, seed: int | None = None, window: int | None = None,
                *, workers: int | None = None, dask: str | None = None, executor=None, cache: Path | None = None,
                progress: bool | None = None) -> SensitivityResult:
    """Sobol' (first and total order) or Morris screening of `parameters` ({field: (low, high)}), via SALib."""
    started = time.perf_counter()
    base = load_scenario(scenario)
    seed = base["seed"] if seed is None else seed
    specs, problem, samples = sensitivity_design(base, parameters, method, n, replicates, days, seed, window)
    window = window_for(specs[0].days, window)
    runs = execute(specs, executor, workers=workers, dask=dask, cache=cache, progress=progress)
    names = list(parameters)
    means = run_means(runs, window, names)
    indices = sensitivity_indices(problem, samples, means, method, seed)
    settings = _settings(specs, replicates, seed, window, workers, dask, started, method=method, n=n,
                         parameters=names, bounds={k: list(v) for k, v in parameters.items()}, points=len(samples))
    question = (f"Which of {', '.join(f'`{p}` ({lo:g}-{hi:g})' for p, (lo, hi) in parameters.items())} matter most "
                f"for belonging, loneliness, weak ties and everyday interactions in `{base.name}`?")
    return SensitivityResult("sensitivity", runs, means, summary(means.assign(point=0)), settings,
                             {base.name: base.to_toml()}, indices=indices, question=question,
                             title=f"Sensitivity ({'Sobol' if method == 'sobol' else 'Morris'}): {base.name}")


@dataclass
class SensitivityResult(ExperimentResult):
    def answer_lines(self) -> list[str]:
        s, idx = self.settings, self.indices
        key, word = ("ST", "total-order Sobol index") if s["method"] == "sobol" else ("mu_star", "Morris mu*")
        rough = (f" With N = {s['n']} the indices are rough; N = 64 or more is usual." if s["method"] == "sobol"
                 and s["n"] < 64 else "")
        lines = [f"{s['points']} parameter combinations drawn by SALib "
                 f"({'Saltelli/Sobol sampling' if s['method'] == 'sobol' else 'Morris trajectories'}, N = {s['n']}), "
                 f"{report.count(s['replicates'], 'replicate')} each.{rough}", ""]
        for metric in report.HEADLINE:
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
