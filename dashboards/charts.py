"""Charts over time and distributions, from a town's daily table and its residents.

Each function returns a matplotlib `Figure`; `png(fig)` turns it into the bytes the
page shows. Pages cache the bytes per (town, day), so a chart is drawn once per
frame, never per unrelated click.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from nodding.model.parameters import INTERACTION_LEVELS, PLACE_KINDS

from .text import t

LEVEL_COLOURS = {"nod": "#95a5a6", "greeting": "#f1c40f", "chat": "#e67e22", "help": "#c0392b"}
KIND_COLOURS = {"home": "#bdc3c7", "third_place": "#8e44ad", "transitory": "#2980b9", "work": "#7f8c8d",
                "online": "#16a085"}


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _empty(ax) -> None:
    ax.text(0.5, 0.5, t("no_data"), ha="center", va="center", wrap=True, transform=ax.transAxes, color="#555")
    ax.set_xticks([])
    ax.set_yticks([])


def _days_axis(ax, n_days: int) -> dict:
    """Whole days on the x axis; the style for lines over days: after the first day a line has one
    point, which only a marker shows (else the chart looks empty)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    return {"marker": "o"} if n_days == 1 else {}


def belonging_over_time(daily: pd.DataFrame, size=(6.4, 3.0), fontsize: int = 9) -> Figure:
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.08, right=0.97, bottom=0.16, top=0.88)
    ax = fig.add_subplot()
    ax.set_title(t("belonging_title"), fontsize=fontsize + 1)
    if daily.empty:
        _empty(ax)
        return fig
    style = _days_axis(ax, len(daily))
    ax.plot(daily["day"], daily["mean_belonging"], color="#27ae60", linewidth=2, label=t("mean_belonging"), **style)
    ax.plot(daily["day"], daily["lonely_share"], color="#c0392b", linewidth=2, label=t("lonely_share"), **style)
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("day_axis"), fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=fontsize, loc="center left")
    return fig


def interactions(daily: pd.DataFrame, population: int, size=(6.4, 3.0), fontsize: int = 9) -> Figure:
    """Two panels: per resident per day by kind of contact, and by kind of place."""
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.8, wspace=0.08)
    by_level, by_place = fig.subplots(1, 2, sharey=True)
    fig.suptitle(t("interactions_title"), fontsize=fontsize + 1)
    if daily.empty:
        by_place.set_axis_off()
        by_level.set_axis_off()
        fig.text(0.5, 0.5, t("no_data"), ha="center", va="center", color="#555")
        return fig
    days = daily["day"]
    # a trailing week: weekends differ from weekdays, and the raw zigzag hides the trend
    week = daily.rolling(7, min_periods=1).mean()
    style = _days_axis(by_level, len(daily)) | _days_axis(by_place, len(daily))
    for level in INTERACTION_LEVELS:
        by_level.plot(days, week[f"interactions_{level}"] / population, color=LEVEL_COLOURS[level], label=t(level),
                      **style)
    for kind in PLACE_KINDS:
        by_place.plot(days, week[f"interactions_{kind}"] / population, color=KIND_COLOURS[kind], label=t(kind),
                      **style)
    for ax, title in ((by_level, "by_level"), (by_place, "by_place")):
        ax.set_title(t(title), fontsize=fontsize)
        ax.set_xlabel(t("day_axis"), fontsize=fontsize)
        ax.tick_params(labelsize=fontsize)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=fontsize - 1)
    by_level.set_ylim(bottom=0)
    return fig


def belonging_histogram(belonging: np.ndarray, lonely_below: float, size=(6.4, 3.0), fontsize: int = 9) -> Figure:
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.16, top=0.88)
    ax = fig.add_subplot()
    bins = np.linspace(0, 1, 41)
    counts, edges = np.histogram(belonging, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    ax.bar(centres, counts, width=edges[1] - edges[0], color=np.where(centres < lonely_below, "#e74c3c", "#27ae60"))
    ax.axvline(lonely_below, color="black", linestyle="--", linewidth=1)
    ax.text(lonely_below, counts.max() * 0.95 if counts.max() else 1, " " + t("lonely_line", x=lonely_below),
            fontsize=fontsize - 1, va="top")
    ax.set_title(t("histogram_title"), fontsize=fontsize + 1)
    ax.set_xlabel(t("belonging_axis"), fontsize=fontsize)
    ax.set_ylabel(t("residents_axis"), fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    return fig


def resident_belonging(history: pd.DataFrame, lonely_below: float, size=(5.0, 2.4), fontsize: int = 9) -> Figure:
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.18, top=0.95)
    ax = fig.add_subplot()
    if history.empty:
        _empty(ax)
        return fig
    style = _days_axis(ax, len(history))
    ax.plot(history["day"], history["belonging"], color="#27ae60", linewidth=2, label=t("belonging"), **style)
    ax.plot(history["day"], history["fear"], color="#8e44ad", linewidth=1.5, label=t("fear"), **style)
    ax.axhline(lonely_below, color="black", linestyle="--", linewidth=1, label=t("lonely_line", x=lonely_below))
    ax.set_ylim(0, 1)
    ax.set_xlabel(t("day_axis"), fontsize=fontsize)
    ax.tick_params(labelsize=fontsize)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=fontsize - 1, loc="lower left")
    return fig
