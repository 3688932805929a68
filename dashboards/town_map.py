"""Drawings in space: the town map (places and where residents are) and the tie network.

Matplotlib figures made with `Figure()` directly (not pyplot), so sessions drawing
in parallel threads do not share pyplot's global state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from .text import place_name, t

KIND_STYLE = {  # kind -> (colour, marker): the same in the legend and in the map
    "third_place": ("#8e44ad", "s"), "transitory": ("#2980b9", "s"), "work": ("#7f8c8d", "s"),
    "online": ("#16a085", "D"),
}
BELONGING_CMAP = "RdYlGn"
MAX_LABELLED_COPIES = 6  # place types with more copies than this are not labelled on the map


def belonging_norm(lonely_below: float) -> TwoSlopeNorm:
    """Colour scale centred on the loneliness threshold: red below it, green above."""
    return TwoSlopeNorm(vcenter=lonely_below, vmin=min(0.2, lonely_below - 0.01), vmax=max(0.95, lonely_below + 0.01))


def jitter(n: int, seed: int = 0) -> np.ndarray:
    """Fixed small offsets per resident, so people at one place form a cloud that does not flicker."""
    angle = np.random.default_rng(seed).uniform(0, 2 * np.pi, n)
    radius = 0.02 * np.sqrt(np.random.default_rng(seed + 1).uniform(0, 1, n))
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])


def positions(session, part: int) -> np.ndarray:
    """Where each resident's dot is on the map in day-part `part` (their place plus a fixed offset)."""
    return session.town.places.xy[session.town.whereabouts[part]] + session.offsets


def town_map(session, part: int, size=(6.4, 5.2), large_labels: bool = False, highlight: int | None = None,
             group: np.ndarray | None = None) -> Figure:
    """Places as labelled squares, residents as dots coloured by belonging, where they are in `part`;
    the residents of `group` (a boolean array) circled in black.

    The map's axes are the figure's first (`fig.axes[0]`; see `MapPicture`)."""
    town, places = session.town, session.places
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.01, right=0.92, bottom=0.01, top=0.99)
    ax = fig.add_subplot()
    where = town.whereabouts[part]
    xy = positions(session, part)
    at_home = town.places.kind[where] == 0
    norm = belonging_norm(town.config["belonging.lonely_below"])
    belonging = town.residents.belonging
    n = len(belonging)
    dot = 30 if n <= 60 else 14 if n <= 200 else 4
    ax.scatter(xy[at_home, 0], xy[at_home, 1], s=dot * 0.8, c=belonging[at_home], cmap=BELONGING_CMAP, norm=norm,
               alpha=0.45, linewidths=0, zorder=1)
    scatter = ax.scatter(xy[~at_home, 0], xy[~at_home, 1], s=dot * 1.6, c=belonging[~at_home], cmap=BELONGING_CMAP,
                         norm=norm, edgecolors="black", linewidths=0.3 if n <= 200 else 0, zorder=3)
    sizes = 40 + 260 * np.sqrt(np.minimum(places["capacity"], 500) / 500)
    street = places["use"] == "street"
    for kind, (colour, marker) in KIND_STYLE.items():
        chosen = (places["kind"] == kind) & ~street
        ax.scatter(places.loc[chosen, "x"], places.loc[chosen, "y"], s=sizes[chosen], marker=marker, facecolors="none",
                   edgecolors=colour, linewidths=1.6, zorder=2, label=t(f"k_{kind}"))
    if street.any():  # a short line per street: forty of them must not look like forty bus stops
        ax.scatter(places.loc[street, "x"], places.loc[street, "y"], s=90, marker="_", color=KIND_STYLE["transitory"][0],
                   linewidths=2, zorder=2, label=t("place_street"))
    fontsize = 12 if large_labels else 8
    if group is not None and group.any():
        ax.scatter(xy[group, 0], xy[group, 1], s=dot * 1.6 + 30, facecolors="none", edgecolors="black",
                   linewidths=1.0, zorder=4, label=t("gr_circled"))
    if highlight is not None:
        ax.scatter(*xy[highlight], s=dot * 1.6 + 160, facecolors="none", edgecolors="#e67e22", linewidths=2.5, zorder=5)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.08)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="lower left", fontsize=fontsize, ncols=2 if large_labels else 4, frameon=True, markerscale=0.6)
    bar = fig.colorbar(scatter, ax=ax, shrink=0.7, pad=0.01, fraction=0.04)
    bar.set_label(t("belonging_axis"), fontsize=fontsize)
    label_places(ax, places, fontsize)  # after the colour bar: the axes have their final size
    return fig


#: Where a place's label may go, tried in this order: above, below, right, left of the square
#: (offset in points, horizontal and vertical alignment).
LABEL_SPOTS = [((0, 7), "center", "bottom"), ((0, -8), "center", "top"), ((9, 0), "left", "center"),
               ((-9, 0), "right", "center")]


def label_places(ax, places, fontsize: float) -> None:
    """Name each place next to its square, in the first spot where the label overlaps no label
    placed before it (labels of nearby places would otherwise print over each other). Places of
    which a town has many (thirty workplaces, forty streets) go unlabelled: their labels would hide
    the town, and the legend's colours say enough."""
    copies = places["type"].map(places["type"].value_counts())
    to_pixels = ax.figure.dpi / 72
    placed: list[tuple[float, float, float, float]] = []
    for _, place in places.iterrows():
        if copies[place.name] > MAX_LABELLED_COPIES:
            continue
        number = place["label"].rsplit(" ", 1)[-1] if place["label"][-1].isdigit() else ""
        text = f"{place_name(place['type'])} {number}".strip()
        x, y = ax.transData.transform((place["x"], place["y"]))
        width, height = 0.55 * fontsize * len(text) * to_pixels, 1.2 * fontsize * to_pixels  # a label's box
        boxes = [_label_box(x + dx * to_pixels, y + dy * to_pixels, width, height, ha, va)
                 for (dx, dy), ha, va in LABEL_SPOTS]
        overlaps = [sum(_overlap(box, other) for other in placed) for box in boxes]
        best = int(np.argmin(overlaps))  # the first free spot, or the least crowded one
        offset, ha, va = LABEL_SPOTS[best]
        placed.append(boxes[best])
        ax.annotate(text, (place["x"], place["y"]), xytext=offset, textcoords="offset points", ha=ha, va=va,
                    fontsize=fontsize, color=KIND_STYLE[place["kind"]][0], zorder=4)


def _label_box(x, y, width, height, ha, va) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in pixels of a label anchored at (x, y) with these alignments."""
    left = x - width / 2 if ha == "center" else x if ha == "left" else x - width
    bottom = y if va == "bottom" else y - height if va == "top" else y - height / 2
    return left, bottom, left + width, bottom + height


def _overlap(a, b) -> float:
    """Area two boxes share."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


@dataclass(frozen=True)
class MapPicture:
    """A drawn map as PNG bytes, with where its axes ended up, so a click on the picture finds a dot.

    Click positions are fractions of the picture's width and height from its top-left corner,
    which do not depend on the size the browser shows it at.
    """

    png: bytes
    axes: tuple[float, float, float, float]  # left, bottom, width, height, as fractions of the figure
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    @classmethod
    def of(cls, fig: Figure, png) -> MapPicture:
        data = png(fig)  # drawing settles the layout (the colour bar takes its share of the width)
        ax = fig.axes[0]
        return cls(data, tuple(ax.get_position().bounds), tuple(ax.get_xlim()), tuple(ax.get_ylim()))

    def fractions(self, xy: np.ndarray) -> np.ndarray:
        """Map coordinates -> (x, y) fractions of the picture from its top-left corner."""
        left, bottom, width, height = self.axes
        fx = left + width * (xy[:, 0] - self.xlim[0]) / (self.xlim[1] - self.xlim[0])
        fy = bottom + height * (xy[:, 1] - self.ylim[0]) / (self.ylim[1] - self.ylim[0])
        return np.column_stack([fx, 1.0 - fy])

    def nearest(self, xy: np.ndarray, fx: float, fy: float, reach: float = 0.02) -> int | None:
        """The resident whose dot is nearest to a click at (fx, fy), if one is within `reach` of the picture's width."""
        if not len(xy):
            return None
        at = self.fractions(xy)
        distance = np.hypot(at[:, 0] - fx, at[:, 1] - fy)
        i = int(np.argmin(distance))
        return i if distance[i] <= reach else None


LEVEL_STYLE = {  # tie level -> (colour, width, label key), weakest first so strong ties are drawn on top
    "familiar_face": ("#eceff1", 0.4, "familiar_face"), "nodding": ("#d0d7de", 0.6, "nodding"), "greeting": ("#aab7c4", 0.8, "greeting_terms"),
    "acquaintance": ("#2e86c1", 1.2, "acquaintance"), "friend": ("#1b2631", 1.6, "friend"),
}


def tie_network(session, size=(6.4, 5.2), large_labels: bool = False, highlight: int | None = None) -> Figure:
    """The tie network of a small town on the layout fixed when the town was built."""
    town, pos = session.town, session.layout
    graph = town.tie_graph("familiar_face")
    fig = Figure(figsize=size, dpi=80)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    ax = fig.add_subplot()
    xy = np.array([pos[i] for i in range(len(pos))])
    for level, (colour, width, key) in LEVEL_STYLE.items():
        edges = np.array([(a, b) for a, b, lvl in graph.edges(data="level") if lvl == level], dtype=int).reshape(-1, 2)
        # one collection per level: a Line2D per edge costs seconds per frame in a town of a few hundred ties
        ax.add_collection(LineCollection(xy[edges], colors=colour, linewidths=width, zorder=1))
        ax.plot([], [], color=colour, linewidth=width * 2, label=f"{t(key)} ({len(edges)})")
    norm = belonging_norm(town.config["belonging.lonely_below"])
    ax.scatter(xy[:, 0], xy[:, 1], s=90 if large_labels else 40, c=town.residents.belonging, cmap=BELONGING_CMAP,
               norm=norm, edgecolors="black", linewidths=0.5, zorder=2)
    if highlight is not None:
        ax.scatter(*xy[highlight], s=260, facecolors="none", edgecolors="#e67e22", linewidths=2.5, zorder=3)
    if len(xy) <= 60:
        for i, (x, y) in enumerate(xy):
            ax.annotate(town.residents.name(i), (x, y), xytext=(0, 6), textcoords="offset points", ha="center",
                        fontsize=10 if large_labels else 7, zorder=4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="lower left", fontsize=10 if large_labels else 7, frameon=True)
    return fig
