"""What `nodding run` writes: the daily table, one row per resident, the tie network, a summary figure,
the scenario that ran. The folder itself is written all-or-nothing by `nodding.output`."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure  # no pyplot: no global backend switch, no open figures
import networkx as nx
import pandas as pd

from nodding.model.parameters import INTERACTION_LEVELS, PLACE_KINDS
from .footprint import writes_graphml
from .output import atomic_directory

__all__ = ["plot_summary", "write_run"]


def write_run(town, out: Path, meta: dict) -> None:
    """daily.csv, residents.csv (with one boolean column per group, `Town.groups`), ties.parquet, summary.png,
    scenario.toml, run.json; ties.graphml for towns Gephi opens (`footprint.writes_graphml`), events.csv for towns
    with an event log, panel.parquet for a town that keeps a panel (`nodding run --panel`)."""
    with atomic_directory(out, meta) as tmp:
        town.daily.to_csv(tmp / "daily.csv", index=False)
        residents = town.residents_frame()
        residents.to_csv(tmp / "residents.csv", index=False)
        town.tie_edges().to_parquet(tmp / "ties.parquet", index=False)
        if town.panel is not None:  # `nodding run --panel`
            town.panel_frame().to_parquet(tmp / "panel.parquet", index=False)
        if writes_graphml(len(residents)):
            graph = town.tie_graph()
            for column in ("name", "role", "belonging", "neighbourhood"):
                nx.set_node_attributes(graph, {int(r): _plain(v) for r, v in zip(residents["resident"], residents[column])},
                                       column)
            nx.write_graphml(graph, tmp / "ties.graphml")
        if town.log_events:
            town.events_frame().to_csv(tmp / "events.csv", index=False)
        plot_summary(town.daily, town.config, tmp / "summary.png")
        (tmp / "scenario.toml").write_text(town.config.to_toml(), encoding="utf-8")


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def plot_summary(daily: pd.DataFrame, scenario, path: Path) -> None:
    """Six panels over time; intervention windows shaded."""
    fig = Figure(figsize=(15, 8))
    axes = fig.subplots(2, 3, sharex=True)
    # trailing week: the weekly rhythm would hide trends. In runs of two weeks or more a curve starts once it
    # has a whole week (day 0 is a Monday: a shorter window is all weekdays and jumps when the weekend enters)
    smooth = daily.rolling(7, min_periods=7 if len(daily) >= 14 else 1).mean()
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
