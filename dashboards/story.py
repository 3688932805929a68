"""A resident's story: traits, ties by rung, belonging over time, expected versus actual, last encounters."""

from __future__ import annotations

import solara

from nodding.model.residents import ROLES

from . import charts
from .narration import sentence
from .text import t
from .widgets import Bold, Bullets, Chart, Heading

TRAITS = ("sociability", "anxiety", "busyness", "mobility", "digital", "belonging", "fear")
RUNG_KEYS = {"familiar_face": "familiar_face", "nodding": "nodding", "greeting": "greeting_terms",
             "acquaintance": "acquaintance", "friend": "friend"}


@solara.component
def Story(session, chosen: solara.Reactive, tick: int, large: bool = False):
    town = session.town
    names = solara.use_memo(lambda: [town.residents.name(i) for i in range(len(town.residents))], [id(session)])
    by_name = solara.use_memo(lambda: {name: i for i, name in enumerate(names)}, [id(session)])

    def choose(name):
        if name is None or name not in by_name:
            chosen.set(None)
            return
        i = by_name[name]
        town.follow([i])  # big towns keep no histories by default: record this resident's from now on
        chosen.set(i)

    with solara.Card(t("story_title"), classes=["story"]), solara.Column(gap="6px"):
        solara.Select(t("story_pick"), values=names, value=names[chosen.value] if chosen.value is not None else None,
                      on_value=choose)
        if chosen.value is None:
            solara.Text(t("story_none"))
            return
        i = chosen.value
        person = town.resident(i)
        role = ROLES[town.residents.role[i]]
        Heading(t("story_role", name=person.name, role=t("role_" + role)))
        with solara.Columns([1, 1]):
            with solara.Column():
                Bold(t("traits"))
                Bullets([f"{t(trait)}: {getattr(person, trait):.2f}" for trait in TRAITS])
            with solara.Column():
                ties = person.ties()
                counts = ties["level"].value_counts() if len(ties) else {}
                Bold(t("ties_by_rung"))
                Bullets([f"{t(key)}: {int(counts.get(level, 0))}" for level, key in RUNG_KEYS.items()])
        events = session.events() if town.log_events else None
        mine = events[(events["initiator"] == i) | (events["receiver"] == i)] if events is not None else None
        started = mine[mine["initiator"] == i] if mine is not None else None
        if started is not None and len(started):
            actual = f"{started['welcomed'].mean():.0%} ({int(started['welcomed'].sum())}/{len(started)})"
        elif started is None and len(session.daily()):
            actual = t("town_wide", share=session.daily()["acceptance_rate_strangers"].iloc[-1])
        else:
            actual = t("no_starts")
        solara.Text(t("expected_vs_actual", name=person.name, expected=person.expected_acceptance, actual=actual))
        Bold(t("story_history", name=person.name))
        history = town.history(i)
        Chart(lambda: charts.resident_belonging(history, town.config["belonging.lonely_below"],
                                                size=(6.4, 2.6) if large else (5.0, 2.2)),
              [id(session), i, town.day, t("day")])
        if mine is not None:
            Bold(t("last_encounters"))
            public = mine[~session.is_home(mine["place"].to_numpy())].tail(5)
            if public.empty:
                solara.Text(t("no_encounters"))
            for _, row in public.iterrows():
                solara.Text(f"{t('day_part', day=int(row['day']), part=t(row['part']))}: "
                            f"{sentence(row, session.name, session.place_type)}")
        else:
            solara.Text(t("story_history_big"), style={"color": "#666"})

