"""Explore: one town, its key parameters, Step / Play / Reset, the map, the charts and a resident's story.

Every `solara.reactive` here is per browser session, so each visitor has their own town.
"""

from __future__ import annotations

import os

import solara

from nodding import Scenario
from nodding.model.parameters import DAY_PARTS

from . import bands, charts, groups, town_map
from .charts import png
from .session import NETWORK_MAX, SCENARIOS, TownSession, check, fields_for, question
from .story import Story
from .text import problem_text, scenario_name, t
from .widgets import Bold, Chart, ClickableImage, DayLabel, Heading, Table, use_play

DEFAULT_SCENARIO = os.environ.get("NODDING_SCENARIO", "baseline")

session = solara.reactive(None)      # TownSession, built on the first visit
tick = solara.reactive(0)            # bumped after the town changed, to redraw
playing = solara.reactive(False)
scenario = solara.reactive(DEFAULT_SCENARIO)
texts = solara.reactive({})          # field -> text as typed
errors = solara.reactive({})         # field -> message
part = solara.reactive(len(DAY_PARTS) - 1)
chosen = solara.reactive(None)       # resident id of the story shown
group = solara.reactive(None)        # key of the group circled on the map (`Town.groups()`), None: none
problem = solara.reactive("")        # a failure that is not a field's fault


def typed_values(name: str) -> dict[str, str]:
    """The scenario's own values as the texts the fields start with."""
    s = Scenario.named(name)
    values = {f: str(s.get(f)) for f in fields_for(s)}
    return {**values, "seed": str(s["seed"])}


def rebuild() -> None:
    """Reset: a new town from the typed values, or messages next to the bad fields and the old town kept."""
    good, seed, bad = check(scenario.value, texts.value)
    errors.set(bad)
    if bad:
        return
    playing.set(False)
    try:
        session.set(TownSession(good, seed))
    except Exception as err:  # the old town stays; the page says why, never with a traceback
        problem.set(t("error_page", error=err))
        return
    chosen.set(None)
    problem.set("")
    tick.set(tick.value + 1)


def step_once() -> bool:
    try:
        session.value.step()
    except Exception as err:  # a broken day must not take the page or the server down
        problem.set(t("error_page", error=err))
        return False
    return True


def on_field(path: str, text: str) -> None:
    texts.set({**texts.value, path: text or ""})
    _, _, bad = check(scenario.value, texts.value)
    errors.set(bad)


def on_scenario(name: str) -> None:
    scenario.set(name)
    texts.set(typed_values(name))
    rebuild()


@solara.component
def Controls():
    s = session.value
    label_of = {name: scenario_name(name) for name in SCENARIOS}
    name_of = {label: name for name, label in label_of.items()}
    solara.Select(t("scenario"), values=list(name_of), value=label_of[scenario.value],
                  on_value=lambda label: on_scenario(name_of[label]), disabled=playing.value)
    solara.Text(question(scenario.value), style={"color": "#555", "font-style": "italic", "font-size": "0.9em"})
    for path in [*fields_for(Scenario.named(scenario.value)), "seed"]:
        bad = errors.value.get(path)
        solara.InputText(t(f"p_{path}"), value=texts.value.get(path, ""), on_value=lambda v, p=path: on_field(p, v),
                         error=bad or False, message=problem_text(bad) if bad else t(f"h_{path}"),
                         disabled=playing.value,
                         classes=[f"field-{path.replace('.', '-')}"])
    if errors.value:
        solara.Warning(t("kept_model"), dense=True)
    elif s is not None and texts.value != {**{f: str(s.scenario.get(f)) for f in fields_for(s.scenario)},
                                           "seed": str(s.seed)}:
        solara.Info(t("pending"), dense=True)


@solara.component
def Explore():
    def first_visit():
        if session.value is None:
            texts.set(typed_values(scenario.value))
            rebuild()

    solara.use_effect(first_visit, [])
    use_play(playing, step_once, lambda: tick.set(tick.value + 1), id(session.value))
    s = session.value
    with solara.Columns([1, 3], style={"padding": "8px"}):
        with solara.Column():
            Controls()
        with solara.Column():
            if s is None:
                solara.Text(t("building"))
                return
            TownView(s, tick.value)


@solara.component
def TownView(s: TownSession, version: int):
    town = s.town
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        DayLabel(town.day, DAY_PARTS[part.value])
        solara.Button(t("step"), icon_name="mdi-skip-next", on_click=lambda: step_once() and tick.set(tick.value + 1),
                      disabled=playing.value, color="primary", classes=["step"])
        solara.Button(t("pause") if playing.value else t("play"), icon_name="mdi-pause" if playing.value else "mdi-play",
                      on_click=lambda: playing.set(not playing.value), color="primary", classes=["play"])
        solara.Button(t("reset"), icon_name="mdi-restore", on_click=rebuild, disabled=playing.value, classes=["reset"])
    if problem.value:
        solara.Error(problem.value)
    daily = s.daily()
    if len(daily):
        last = daily.iloc[-1]
        solara.Text(t("summary", n=len(town.residents), lonely=last["lonely_share"], weak=last["mean_weak_ties"],
                      faces=last["mean_familiar_faces"]), classes=["summary"])
    lang = t("day")  # charts carry words: redraw them when the language changes
    key = [id(s), town.day, lang]
    with solara.Columns([1, 1]):
        with solara.Column():
            with solara.Row(style={"align-items": "center"}):
                solara.Text(t("map_part"))
                labels = [t(p) for p in DAY_PARTS]
                solara.ToggleButtonsSingle(value=labels[part.value], values=labels, dense=True,
                                           on_value=lambda label: part.set(labels.index(label)))
            GroupChoice(town, town.day)
            TownMap(s, part.value, chosen.value, group.value, key)
            solara.Text(t("map_help"), style={"font-size": "0.85em", "color": "#555"})
        with solara.Column():
            Chart(lambda: charts.belonging_over_time(daily), key)
            Chart(lambda: charts.interactions(daily, len(town.residents)), key)
    if len(daily):
        AgeBands(s, int(daily.iloc[-1]["day"]), lang)
    with solara.Columns([1, 1]):
        with solara.Column():
            Chart(lambda: charts.belonging_histogram(town.residents.belonging, town.config["belonging.lonely_below"]),
                  key)
            if s.layout is not None:
                Bold(t("network_title"))
                Chart(lambda: town_map.tie_network(s, highlight=chosen.value), [*key, chosen.value])
                solara.Text(t("network_help"), style={"font-size": "0.85em", "color": "#555"})
            else:
                solara.Text(t("network_big", n=NETWORK_MAX), style={"color": "#555"})
        with solara.Column():
            Story(s, chosen, version)


@solara.component
def GroupChoice(town, day: int):
    """Which group the map circles (participants, regulars, ...), and a line saying whom and how many on `day`."""
    label_of = groups.choices(town)
    if not label_of:
        solara.Text(t("gr_no_groups"), style={"font-size": "0.85em", "color": "#555"}, classes=["group-legend"])
        return
    shown = group.value if group.value in label_of.values() else None
    none = t("gr_none")
    solara.Select(t("gr_show"), values=[none, *label_of], classes=["group-choice"],
                  value=next((label for label, k in label_of.items() if k == shown), none),
                  on_value=lambda label: group.set(label_of.get(label)), style={"min-width": "360px"})
    if shown:
        solara.Text(groups.legend(town, shown), classes=["group-legend"], style={"font-size": "0.9em"})


@solara.component
def TownMap(s: TownSession, shown_part: int, resident: int | None, shown_group: str | None, key: list):
    """The map; a click on a dot chooses that resident for the story (as picking them from the list does)."""
    picture = solara.use_memo(
        lambda: town_map.MapPicture.of(town_map.town_map(s, shown_part, highlight=resident,
                                                         group=groups.members(s.town, shown_group)), png),
        [*key, shown_part, resident, shown_group])

    def clicked(x: float, y: float) -> None:
        i = picture.nearest(town_map.positions(s, shown_part), x, y)
        if i is not None:
            s.town.follow([i])  # big towns keep no histories by default: record this resident's from now on
            chosen.set(i)

    ClickableImage(picture.png, clicked, alt=t("map_title", part=t(DAY_PARTS[shown_part])), classes=["town-map"])


@solara.component
def AgeBands(s: TownSession, day: int, lang: str):
    """Loneliness by age band at the end of `day` (`bands.band_table`): lonely, severely, lasting, social, emotional."""
    header, rows = solara.use_memo(lambda: bands.band_table(s.town), [id(s), day, lang])
    with solara.Column(classes=["age-bands"], gap="4px", style={"max-width": "900px"}):
        Heading(t("bands_title", day=day), level=4)
        solara.Text(t("bands_intro", days=s.town.config["belonging.lasting_days"]),
                    style={"font-size": "0.85em", "color": "#555"})
        Table(header, rows, classes=["effect-table", "band-table"])
