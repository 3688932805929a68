"""Classroom: the 30-resident `classroom` town, day-part by day-part, narrated, in large type.

The model lives a whole day in one step; this page shows that day one day-part at a time:
the map of where everyone was and what happened there, told with names.
"""

from __future__ import annotations

import time

import solara

from nodding.model.parameters import DAY_PARTS

from . import town_map
from .session import TownSession
from .text import t
from .widgets import Chart, DayLabel, use_play

SECONDS_PER_PART = 1.5  # Play pace: slow enough to read a day-part's story aloud

session = solara.reactive(None)
shown = solara.reactive(-1)          # day-part on screen; -1 before the first morning
tick = solara.reactive(0)
playing = solara.reactive(False)
view = solara.reactive("map")

CSS = """
.classroom { font-size: 20px; }
.classroom .v-btn { font-size: 18px !important; height: 48px !important; }
.classroom .feed-line { font-size: 21px; line-height: 1.3; margin-bottom: 4px; }
.classroom .panel h3 { font-size: 20px; margin-bottom: 2px; }
.classroom .panel { font-size: 16px; line-height: 1.3; }
"""


def next_part() -> bool:
    """Show the next day-part, letting the town live a new day after the evening."""
    s = session.value
    if shown.value == len(DAY_PARTS) - 1 or s.day == 0:
        s.step()
        shown.set(0)
    else:
        shown.set(shown.value + 1)
    tick.set(tick.value + 1)
    return True


def play_step() -> bool:
    next_part()
    time.sleep(SECONDS_PER_PART)
    return True


def reset() -> None:
    playing.set(False)
    session.set(TownSession.named("classroom"))
    shown.set(-1)
    tick.set(tick.value + 1)


@solara.component
def Classroom():
    solara.use_effect(lambda: reset() if session.value is None else None, [])
    use_play(playing, play_step, lambda: tick.set(tick.value + 1), id(session.value))
    solara.Style(CSS)
    s = session.value
    if s is None:
        solara.Text(t("building"))
        return
    town, part = s.town, max(shown.value, 0)
    with solara.Column(classes=["classroom"], style={"padding": "10px 16px"}, gap="8px"):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            DayLabel(town.day if shown.value >= 0 else 0, DAY_PARTS[part], size="30px")
            solara.Button(t("step_part"), icon_name="mdi-skip-next", on_click=next_part, disabled=playing.value,
                          color="primary", classes=["step"])
            solara.Button(t("pause") if playing.value else t("play"),
                          icon_name="mdi-pause" if playing.value else "mdi-play",
                          on_click=lambda: playing.set(not playing.value), color="primary", classes=["play"])
            solara.Button(t("reset"), icon_name="mdi-restore", on_click=reset, disabled=playing.value,
                          classes=["reset"])
            views = {t("map_title", part=t(DAY_PARTS[part])): "map", t("network_title"): "network"}
            solara.ToggleButtonsSingle(value=next(k for k, v in views.items() if v == view.value), values=list(views),
                                       on_value=lambda label: view.set(views[label]), classes=["view"])
        with solara.Columns([5, 6]):
            with solara.Column():
                key = [id(s), town.day, part, t("day")]
                if view.value == "map":
                    Chart(lambda: town_map.town_map(s, part, size=(6.0, 4.1), large_labels=True), key)
                else:
                    Chart(lambda: town_map.tie_network(s, size=(6.0, 4.1), large_labels=True), key)
            with solara.Column():
                Feed(s, part, town.day)
        with solara.Columns([1, 1, 1]):
            for title, body in (("class_weak_title", "class_weak"), ("class_familiar_title", "class_familiar"),
                                ("class_gap_title", "class_gap")):
                with solara.Card(classes=["panel"]):
                    solara.HTML(tag="h3", unsafe_innerHTML=t(title))
                    solara.Text(t(body))


@solara.component
def Feed(s: TownSession, part: int, days_lived: int):
    if shown.value < 0:
        solara.Text(t("class_start"), classes=["feed-line"])
        solara.Text(t("class_how"), style={"color": "#555"})
        return
    solara.HTML(tag="h3", unsafe_innerHTML=t("class_feed", part=t(DAY_PARTS[part])))
    events = s.events()
    now = events[(events["day"] == days_lived - 1) & (events["part"] == DAY_PARTS[part])]
    lines = s.feed(now, limit=5)
    if not lines:
        solara.Text(t("class_quiet", part=t(DAY_PARTS[part])), classes=["feed-line"])
    for line in lines:
        solara.Text(line, classes=["feed-line"])
    counts = s.town.tie_graph("familiar_face")
    levels = [level for _, _, level in counts.edges(data="level")]
    solara.Text(t("class_counts", faces=levels.count("familiar_face"), nodding=levels.count("nodding"),
                  greeting=levels.count("greeting"), acq=levels.count("acquaintance")),
                style={"color": "#444", "font-size": "17px"})
