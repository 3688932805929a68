"""Run outputs: tables, the tie graph and a summary plot, written all-or-nothing.

`write_run` fills a temporary sibling directory and renames it into place at
the end, so an interrupted or failed run never leaves a half-written output
directory behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; no display needed
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import pandas as pd  # noqa: E402

from model.parameters import INTERACTION_LEVELS, PLACE_KINDS  # noqa: E402

MARKER = "scenario.toml"  # every output directory has one; we only ever replace such directories


class OutputError(Exception):
    """The output directory cannot be used."""


@contextmanager
def atomic_directory(target: Path):
    """Yield a temporary directory that replaces `target` only if the block succeeds."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputError(f"{target}: directory exists and holds other files; choose another --out")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield tmp
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_run(town, out: Path, meta: dict) -> None:
    """daily.csv, residents.csv, ties.graphml, summary.png, scenario.toml, run.json (and events.csv)."""
    with atomic_directory(out) as tmp:
        town.daily.to_csv(tmp / "daily.csv", index=False)
        residents = town.residents_frame()
        residents.to_csv(tmp / "residents.csv", index=False)
        graph = town.tie_graph()
        for column in ("name", "role", "belonging", "neighbourhood"):
            nx.set_node_attributes(graph, {int(r): _plain(v) for r, v in zip(residents["resident"], residents[column])}, column)
        nx.write_graphml(graph, tmp / "ties.graphml")
        if town.log_events:
            town.events_frame().to_csv(tmp / "events.csv", index=False)
        plot_summary(town.daily, town.config, tmp / "summary.png")
        (tmp / MARKER).write_text(town.config.to_toml(), encoding="utf-8")
        (tmp / "run.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def plot_summary(daily: pd.DataFrame, scenario, path: Path) -> None:
    """Six panels over time; intervention windows shaded."""
    fig, axes = plt.subplots(2, 3, figsize=(15, 8), sharex=True)
    smooth = daily.rolling(7, min_periods=1).mean()  # trailing week: the weekly rhythm would hide trends
    day = daily["day"]

    def panel(ax, columns, labels, title, ylabel, ylim=None):
        for column, label in zip(columns, labels):
            ax.plot(day, smooth[column], label=label)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        if ylim:
            ax.set_ylim(*ylim)
        if len(columns) > 1:
            ax.legend(fontsize=8)

    panel(axes[0, 0], ["mean_belonging"], ["belonging"], "Mean belonging", "score (0-1)", (0, 1))
    panel(axes[0, 1], ["lonely_share"], ["lonely"], "Lonely share", f"share below {scenario['belonging.lonely_below']}", (0, 1))
    panel(axes[0, 2], ["mean_fear", "mean_expected_acceptance", "acceptance_rate_strangers"],
          ["fear", "expected acceptance (strangers)", "actual acceptance (strangers)"], "Fear, expected and actual acceptance", "0-1", (0, 1))
    panel(axes[1, 0], [f"interactions_{x}" for x in INTERACTION_LEVELS], INTERACTION_LEVELS,
          "Interactions by level (7-day mean)", "per day")
    panel(axes[1, 1], [f"interactions_{x}" for x in PLACE_KINDS], [k.replace("_", " ") for k in PLACE_KINDS],
          "Interactions by place kind (7-day mean)", "per day")
    panel(axes[1, 2], ["mean_strong_ties", "mean_weak_ties", "mean_familiar_faces"],
          ["strong ties", "weak ties", "familiar faces"], "Ties per resident", "mean count")
    for ax in axes.flat:
        for name, spec in scenario.interventions.items():
            end = spec.get("end", spec["start"])
            end = end if end >= 0 else day.iloc[-1]
            ax.axvspan(spec["start"], end + 1, color="orange", alpha=0.15, label=None)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("day")
    shaded = f" (shaded: {', '.join(scenario.interventions)})" if scenario.interventions else ""
    fig.suptitle(f"{scenario.name}: {len(daily)} days, {scenario['population.size']:,} residents{shaded}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
