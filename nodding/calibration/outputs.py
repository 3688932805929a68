"""A calibration's output folder: what a researcher can publish.

`write(result, out)` fills the folder all-or-nothing (`nodding.output.atomic_directory`):
`report.md`; `fit.csv` and `fit.png` (each target's band against the best set's value with its
95% interval over replicates); `trials.parquet` (every point: parameters, each statistic's mean
and spread, loss, verdicts) and `runs.parquet` (every run); `history.png` (the search's loss by
trial, and Optuna's parameter importances, also `importances.csv`); `plausible.csv` (the
plausible set, the file `nodding compare --over` reads); `identifiability.png` and
`correlations.csv` (pairs and correlations of the plausible set); `calibrated.toml` (the
calibrated scenario, which `run`, `compare` and `validate` accept); `calibration.json` (settings
and the code that made the runs).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..experiments.summarise import mean_ci
from ..output import atomic_directory
from .search import SAMPLE, SEARCH

__all__ = ["fit_table", "report_text", "write"]


def fit_table(result) -> pd.DataFrame:
    """Each measured target against the best point: band, mean with its 95% CI over replicates, verdict.

    Parameters
    ----------
    result : Calibration

    Returns
    -------
    DataFrame
        One row per target: `statistic, use, measure, target, low, high, value, mean, ci_low, ci_high, within`.
    """
    runs = result.runs[result.runs["point"] == result.best]
    rows = []
    for name, t in result.plan.targets.items():
        mean, low, high, _ = mean_ci(runs[name])
        fitted = t in result.plan.fitted
        rows.append({"statistic": name, "use": "fitted" if fitted else "by construction", "measure": t.measure,
                     "target": t.stated, "low": t.low, "high": t.high, "value": t.value, "mean": mean,
                     "ci_low": low, "ci_high": high,
                     "within": bool((t.low is None or mean >= t.low) and (t.high is None or mean <= t.high))})
    return pd.DataFrame(rows)


def write(result, out: Path) -> Path:
    """Every file of the calibration into `out`, all-or-nothing.

    Parameters
    ----------
    result : Calibration
    out : Path
        New, empty, or an earlier output directory.

    Returns
    -------
    Path
    """
    out = Path(out)
    with atomic_directory(out) as tmp:
        write_into(result, tmp)
    return out


def write_into(result, directory: Path) -> None:
    """Every file of the calibration into an existing (temporary) directory."""
    fit = fit_table(result)
    fit.to_csv(directory / "fit.csv", index=False)
    result.points.to_parquet(directory / "trials.parquet", index=False)
    result.runs.to_parquet(directory / "runs.parquet", index=False)
    pd.DataFrame({"parameter": list(result.importances), "importance": list(result.importances.values())}).to_csv(
        directory / "importances.csv", index=False)
    result.plausible.to_csv(directory / "plausible.csv", index=False)
    _correlations(result).to_csv(directory / "correlations.csv")
    (directory / "calibrated.toml").write_text(result.scenario.to_toml(), encoding="utf-8")
    (directory / "calibration.json").write_text(json.dumps(result.settings, indent=2, default=str) + "\n",
                                                encoding="utf-8")
    _draw_fit(result, fit, directory / "fit.png")
    _draw_history(result, directory / "history.png")
    _draw_pairs(result, directory / "identifiability.png")
    (directory / "report.md").write_text(report_text(result, fit), encoding="utf-8")


def _correlations(result) -> pd.DataFrame:
    """Pearson correlations between the parameters over the plausible set (empty with fewer than 3 sets)."""
    plausible = result.plausible.drop(columns="set")
    return plausible.corr() if len(plausible) >= 3 and plausible.shape[1] >= 2 else pd.DataFrame()


# ---------------------------------------------------------------- figures
def _figure(size):
    from matplotlib.figure import Figure  # no pyplot: no global backend switch

    return Figure(figsize=size)


def _draw_fit(result, fit: pd.DataFrame, path: Path) -> None:
    """One small panel per target: the band shaded, the source's value dashed, the best set's mean and CI."""
    n = len(fit)
    cols = min(n, 4)
    fig = _figure((3.2 * cols, 2.4 * ((n + cols - 1) // cols)))
    axes = np.atleast_1d(fig.subplots((n + cols - 1) // cols, cols)).ravel()
    for ax, row in zip(axes, fit.itertuples()):
        # a one-sided band is shaded to zero (the statistics are counts and shares) or to the mean beyond it
        low = row.low if pd.notna(row.low) else min(row.mean, 0.0)
        high = row.high if pd.notna(row.high) else max(row.mean, 2 * row.low)
        ax.axvspan(low, high, color="g", alpha=0.15, label="target band")
        if pd.notna(row.value):
            ax.axvline(row.value, color="k", ls="--", lw=1, label="source")
        err = [[row.mean - row.ci_low], [row.ci_high - row.mean]] if pd.notna(row.ci_low) else None
        ax.errorbar([row.mean], [0], xerr=err, fmt="o", color="C3" if not row.within else "C0", capsize=4)
        span = high - low
        ax.set_xlim(min(low, row.mean) - 0.3 * span, max(high, row.mean) + 0.3 * span)
        ax.set_yticks([]), ax.set_title(row.statistic + ("" if row.use == "fitted" else " (construction)"),
                                        fontsize=8)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle("Best parameter set against the targets (green: band; dot: mean, 95% CI over replicates; "
                 "red: outside)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def _draw_history(result, path: Path) -> None:
    """The search's loss by trial with the best so far, the sample's losses, and the importances."""
    fig = _figure((11, 4))
    left, right = fig.subplots(1, 2)
    search = result.points[result.points["stage"] == SEARCH]
    sample = result.points[result.points["stage"] == SAMPLE]
    left.plot(search["point"], search["loss"], "o", ms=4, label="search trial (Optuna TPE)")
    left.plot(search["point"], search["loss"].cummin(), "-", label="best so far")
    if len(sample):
        left.plot(sample["point"], sample["loss"], "x", ms=4, color="grey", label="plausible-set sample (Sobol')")
    left.set_yscale("log" if (result.points["loss"] > 0).all() else "symlog", **({} if (result.points["loss"] > 0).all() else {"linthresh": 0.01}))
    left.set_xlabel("point"), left.set_ylabel("loss (mean squared miss)")
    left.axhline(1.0, color="k", lw=0.5), left.legend(fontsize=8), left.set_title("Loss by trial")
    if result.importances:
        names = list(result.importances)
        right.barh(names, [result.importances[n] for n in names])
        right.invert_yaxis(), right.set_xlabel("importance for the loss (PED-ANOVA)")
    else:
        right.text(0.5, 0.5, "importances need 2 or more parameters", ha="center", va="center")
        right.set_axis_off()
    right.set_title("Parameter importances")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def _draw_pairs(result, path: Path) -> None:
    """Pair plot of the sample: plausible points against the rest, with each parameter's histogram."""
    names = list(result.plan.parameters)
    sample = result.points[result.points["stage"] == SAMPLE]
    k = len(names)
    fig = _figure((2.6 * k + 1, 2.6 * k))
    axes = np.array(fig.subplots(k, k, squeeze=False))
    kept = sample[sample["plausible"]]
    for i, y in enumerate(names):
        for j, x in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist([sample[x], kept[x]], bins=10, range=result.plan.parameters[x],
                        label=["sampled", "plausible"], color=["lightgrey", "C0"])
            else:
                ax.plot(sample[x], sample[y], ".", color="lightgrey")
                ax.plot(kept[x], kept[y], "o", ms=4, color="C0")
                ax.set_xlim(result.plan.parameters[x]), ax.set_ylim(result.plan.parameters[y])
            if i == k - 1:
                ax.set_xlabel(x, fontsize=8)
            if j == 0:
                ax.set_ylabel(y if i else "points", fontsize=8)
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"Plausible set: {len(kept)} of {len(sample)} sampled points within every fitted tolerance",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


# ---------------------------------------------------------------- report.md
def _number(value) -> str:
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.4g}"


def report_text(result, fit: pd.DataFrame | None = None) -> str:
    """report.md: the question, the settings, the best set and its fit, the plausible set, what to do next.

    Parameters
    ----------
    result : Calibration
    fit : DataFrame, optional
        `fit_table(result)`, if already made.

    Returns
    -------
    str
        Markdown.
    """
    fit = fit_table(result) if fit is None else fit
    p, s = result.plan, result.settings
    best = result.points[result.points["point"] == result.best].iloc[0]
    sample = result.points[result.points["stage"] == SAMPLE]
    plausible = result.plausible
    lines = [f"# Calibration of {p.scenario.name}", "",
             "## The question", "",
             f"Which values of {', '.join(f'`{n}`' for n in p.parameters)} make the model meet the published "
             f"targets it is fitted to ({len(p.fitted)} targets from {p.targets_file}), and how well are they "
             "pinned down?", "",
             "## Settings", "",
             f"- Scenario `{p.scenario.name}` ({p.scenario['population.size']:,} residents); ranges searched: "
             + "; ".join(f"`{n}` {lo:g} to {hi:g}" for n, (lo, hi) in p.parameters.items()) + ".",
             f"- Search: {p.trials} Optuna trials (TPE sampler, seed {p.seed}), asked for in batches of {p.batch} "
             f"and told back in trial order; plausible set: {p.samples} points of a scrambled Sobol' sample, kept when "
             "every fitted target's mean lies within its tolerance (rejection).",
             f"- Each point: {p.replicates} replicates of {p.days} reported days after the warm-up (the same replicate "
             f"seeds at every point). {s['runs']:,} runs, {s['reused_runs']:,} of them from the resume cache, in "
             f"{s['wall_seconds']:.0f} s.",
             "- Loss: the mean squared miss of the fitted targets, each miss in units of its own tolerance "
             "(docs/calibration.md). The adults' loneliness shares hold by construction: the thresholds are read "
             "out of each run at the survey's 47% and 11%.",
             f"- Made by code {s['code']['code'] if s.get('code') else '?'} (`calibration.json`).", "",
             "## The best parameter set", "",
             f"Point {result.best} ({best['stage']}), loss {best['loss']:.3g}:", "",
             "| parameter | range | best |", "|---|---|---|"]
    lines += [f"| `{n}` | {lo:g}–{hi:g} | {best[n]:.4g} |" for n, (lo, hi) in p.parameters.items()]
    lines += [f"| `{n}` (read out) | – | {best[n]:.3f} |" for n in p.thresholds]
    lines += ["", "Its fit, per target (mean over replicates with a 95% CI; ![fit](fit.png)):", "",
              "| statistic | target | band | fitted (95% CI) | within |", "|---|---|---|---|---|"]
    for row in fit.itertuples():
        band = (f"{_number(row.low)}–{_number(row.high)}" if pd.notna(row.low) and pd.notna(row.high) else
                f"≤ {_number(row.high)}" if pd.notna(row.high) else f"≥ {_number(row.low)}")
        lines.append(f"| `{row.statistic}`{' (construction)' if row.use != 'fitted' else ''} | {row.target} | "
                     f"{band} | {_number(row.mean)} ({_number(row.ci_low)}–{_number(row.ci_high)}) | "
                     f"{'yes' if row.within else '**no**'} |")
    misses = result.misses()
    lines += [""]
    if misses:
        lines += [f"**No trial within tolerance for {', '.join(f'`{m}`' for m in misses)}**: no point of the "
                  "search or the sample met it. Within these ranges the model cannot reach it; widen a range, "
                  "calibrate other parameters, or see docs/model.md section 9.", ""]
    lines += ["## Search and importances", "", "![history](history.png)", ""]
    if result.importances:
        lines += ["Parameter importances for the loss (Optuna's PED-ANOVA over the search's trials): "
                  + ", ".join(f"`{n}` {v:.2f}" for n, v in result.importances.items()) + ".", ""]
    lines += ["## The plausible set and identifiability", ""]
    if p.samples:
        lines += [f"{len(plausible)} of {len(sample)} sampled points ({len(plausible) / len(sample):.0%}) meet every "
                  "fitted target within its tolerance: the plausible set (`plausible.csv`).", ""]
        if len(plausible):
            lines += ["| parameter | range | plausible min | plausible max | share of the range |", "|---|---|---|---|---|"]
            for n, (lo, hi) in p.parameters.items():
                pmin, pmax = plausible[n].min(), plausible[n].max()
                lines.append(f"| `{n}` | {lo:g}–{hi:g} | {pmin:.4g} | {pmax:.4g} | {(pmax - pmin) / (hi - lo):.0%} |")
            lines += ["", "A parameter whose plausible values span most of its range is not identified by these "
                      "targets: the fit does not pin it down, and a what-if should be run over the plausible set "
                      "(`nodding compare ... --over plausible.csv`) rather than at the best point alone. Correlated "
                      "parameters (`correlations.csv`) trade off against each other.", "",
                      "![identifiability](identifiability.png)", ""]
        else:
            lines += ["No sampled point meets every target: there is no plausible set to run a what-if over.", ""]
    else:
        lines += ["No plausible set was drawn (`--samples 0`).", ""]
    lines += ["## Next steps", "",
              "- `nodding validate calibrated.toml`: the stylized facts on the calibrated scenario, including those "
              "kept out of every fit (use = \"check\" in the target file), so that validation is not circular.",
              f"- `nodding compare {p.scenario.name} <what-if> --over plausible.csv`: a what-if whose intervals include "
              "both the simulation's randomness and the spread across plausible parameter sets (each set with its "
              "own read-out loneliness thresholds).", "",
              "## Files", "",
              "- `fit.csv`, `fit.png` the best set's fit; `trials.parquet` every point (parameters, means and spreads "
              "of each statistic, loss, verdicts); `runs.parquet` every run; `history.png`, `importances.csv`; "
              "`plausible.csv`, `identifiability.png`, `correlations.csv`; `calibrated.toml`; `calibration.json`.", "",
              "## Caveats", "",
              f"- Fitted on {p.replicates} replicates of {p.days} days per point: a point's mean carries the "
              "simulation's randomness (the CIs above), and a point near a band's edge can fall either side.",
              "- The plausible set is a rejection sample under a uniform prior over the ranges given: other ranges "
              "or targets give another set. It says which parameter values the targets allow, not which are true.",
              ""]
    return "\n".join(lines)
