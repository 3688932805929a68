"""The dashboard's rules without a browser: typed input, narration, the text tables, `nodding dashboard`."""

from __future__ import annotations

import re

import numpy as np
import pytest

from nodding.dashboards import comparison, compose, effects, text, town_map
from nodding.dashboards.charts import png
from nodding.dashboards.narration import annotate
from nodding.dashboards.session import MAX_RESIDENTS, NETWORK_MAX, TownSession, check, parse_number
from nodding import Scenario, ScenarioError
from nodding.model.scenario import available
from nodding.cli import main
from nodding.experiments.design import compare_design


@pytest.fixture
def dutch():
    text.language.value = "nl"
    yield
    text.language.value = "en"


def test_both_languages_have_every_text_with_the_same_blanks():
    assert set(text.EN) == set(text.NL)
    for key in text.EN:
        assert set(re.findall(r"{(\w+)", text.EN[key])) == set(re.findall(r"{(\w+)", text.NL[key])), key


def test_typed_numbers_accept_dutch_decimal_commas():
    assert parse_number(" 12 ") == 12
    assert parse_number("0,3") == 0.3
    assert parse_number("lots") == "lots"


def test_good_values_give_a_scenario_and_seed():
    scenario, seed, errors = check("baseline", {"population.size": "300", "traits.anxiety_mean": "0,6", "seed": "7"})
    assert errors == {}
    assert (scenario["population.size"], scenario["traits.anxiety_mean"], seed) == (300, 0.6, 7)


def test_each_bad_value_gets_its_own_message_from_the_scenario_rules():
    scenario, _, errors = check("baseline", {"traits.anxiety_mean": "lots", "places.library.hosts": "-1",
                                             "seed": "x", "population.size": str(MAX_RESIDENTS + 1)})
    assert scenario is None
    assert errors["traits.anxiety_mean"] == "must be a number from 0 to 1 (got 'lots')"
    assert errors["places.library.hosts"].startswith("must be a whole number from 0 to 100")
    assert "whole number" in errors["seed"]
    assert "at most" in errors["population.size"]


def test_a_rule_joining_two_fields_names_the_field():
    _, _, errors = check("baseline", {"liking.gap": "0.9"})
    assert "must not exceed liking.true_mean" in errors["liking.gap"]


def test_small_towns_get_a_fixed_network_layout_and_big_ones_none():
    small = TownSession.named("classroom")
    layout = dict(small.layout)
    small.step(3)
    assert small.layout == layout  # not recomputed as the town lives
    big, _, _ = check("baseline", {"population.size": str(NETWORK_MAX + 1)})
    assert TownSession(big, 1).layout is None


def test_the_classroom_feed_tells_what_happened_with_names(dutch):
    session = TownSession.named("classroom")
    session.step(5)
    events = session.events()
    assert (events.groupby(["initiator", "receiver", "interaction"]).size() > 1).any()
    lines = [line for day in range(5) for line in session.feed(events[events["day"] == day], limit=5)]
    names = {session.name(i) for i in range(30)}
    assert lines and all(any(name in line for name in names) for line in lines)
    assert any(re.search(r"(knikte|groette|praatje|hielp|keek dwars)", line) for line in lines)


def test_the_feed_says_where_it_happened_in_plain_words():
    session = TownSession.named("classroom")
    session.step(5)
    events = session.events()
    kind = np.array(session.town.places.names + ["home"])[session.town.places.spec][events["place"].to_numpy()]
    brief = events["welcomed"] & events["interaction"].isin(["nod", "greeting"])  # chats may tell the liking gap
    lines = session.feed(events[(kind == "street") & brief], limit=3)
    assert lines and all(" in the street" in line for line in lines)
    lines = session.feed(events[(kind == "supermarket") & brief], limit=3)
    assert lines and all(" at the supermarket" in line for line in lines)


def test_a_new_rung_is_news_only_after_an_earlier_contact():
    session = TownSession.named("classroom")
    session.step(10)
    events = annotate(session.town.events_frame())
    pair = events[["initiator", "receiver"]].min(axis=1) * 1000 + events[["initiator", "receiver"]].max(axis=1)
    first = ~pair.duplicated()
    assert not events.loc[first, "new_rung"].any()
    assert events["new_rung"].any()


def test_dashboard_command_checks_its_input_before_starting_a_server(capsys):
    assert main(["dashboard", "--scenario", "no_such_place"]) == 2
    assert main(["dashboard", "--port", "99999"]) == 2
    err = capsys.readouterr().err
    assert "no_such_place" in err and "port" in err


def test_dashboard_refuses_numbas_workqueue_layer_before_starting(capsys, monkeypatch):
    """Each visitor's town steps in a thread of its own; numba's workqueue layer aborts the server then."""
    monkeypatch.setenv("NUMBA_THREADING_LAYER", "workqueue")
    assert main(["dashboard"]) == 2
    assert capsys.readouterr().err.startswith("error: NUMBA_THREADING_LAYER=workqueue: the dashboard steps")


# ---------------------------------------------------------------- a change composed on the What-if page
BASE = Scenario.named("baseline")


def test_a_composed_change_is_the_baseline_plus_one_intervention():
    change, errors = compose.check("close_place", {"place": "community_centre", "start": "20", "end": "40"}, BASE, 45)
    assert errors == {}
    # days count from 0 on the page as in the scenario files: day 20 typed is start = 20
    assert change.spec == {"kind": "close_place", "place": "community_centre", "start": 20, "end": 40}
    scenario = change.scenario(BASE)
    assert scenario.name == change.name != BASE.name
    assert scenario.interventions == {**BASE.interventions, compose.KEY: change.spec}
    assert scenario.values | {"name": BASE.name, "description": ""} == BASE.values | {"description": ""}
    # the experiments runner takes it as it takes a shipped scenario's name
    specs = compare_design([BASE, scenario], replicates=2, days=45, seed=1).specs
    assert [s.scenario for s in specs] == [BASE.name] * 2 + [change.name] * 2
    assert specs[0].seed == specs[2].seed  # paired


def test_each_bad_composed_value_gets_the_scenario_rules_message():
    def model_says(spec):
        with pytest.raises(ScenarioError) as err:
            Scenario.from_dict({"interventions": {"x": spec}})
        return err.value.problem

    _, errors = compose.check("challenge", {"start": "30", "end": "20", "share": "1.5", "propensity": "lots",
                                            "fear_learning": "3"}, BASE, 45)
    assert errors["share"] == model_says({"kind": "challenge", "share": 1.5}) == "must be a number from 0 to 1 (got 1.5)"
    assert errors["propensity"] == "must be a number from 0 to 10 (got 'lots')"
    # the model's "end (20) is before start (30)", in the words of the form's labels, with the days as typed
    assert model_says({"kind": "challenge", "start": 30, "end": 20}) == "end (20) is before start (30)"
    assert errors["end"] == "the last day (20) is before the first day (30)"
    _, errors = compose.check("close_place", {"place": "libary", "start": "45", "end": "46"}, BASE, 45)
    assert errors["place"].startswith("no place named 'libary'; places: community centre, shared garden, library")
    # the page's own rule: the days simulated, day 0 to day 44 in a run of 45 days
    assert errors["start"] == "must be a whole day from 0 to 44 (the last simulated day)"
    assert errors["end"] == "must be a whole day from 0 to 44 (the last simulated day), or empty: until the end"
    change, errors = compose.check("close_place", {"place": "library", "start": "0", "end": "44"}, BASE, 45)
    assert errors == {} and (change.first_day, change.last_day) == (0, 44)


def test_the_scenario_rules_messages_are_said_in_dutch(dutch):
    _, errors = compose.check("challenge", {"start": "30", "end": "20", "share": "1,5", "propensity": "1",
                                            "fear_learning": "0"}, BASE, 45)
    assert errors == {"end": "de laatste dag (20) ligt vóór de eerste dag (30)",
                      "share": "moet een getal van 0 tot en met 1 zijn (ingevuld: 1.5)",
                      "fear_learning": "moet een getal van 1 tot en met 20 zijn (ingevuld: 0.0)"}
    assert text.problem_text("unknown field") == "unknown field"  # anything else: as the model words it
    _, _, errors = check("baseline", {"traits.anxiety_mean": "lots", "seed": "x"})  # the Explore page's fields
    assert text.problem_text(errors["traits.anxiety_mean"]) == "moet een getal van 0 tot en met 1 zijn (ingevuld: 'lots')"
    assert text.problem_text(errors["seed"]) == "moet een heel getal van ten minste 0 zijn (ingevuld: 'x')"


def test_every_kind_can_be_composed_and_told_in_both_languages():
    for kind in compose.KINDS:
        texts = compose.blank(kind, BASE)
        change, errors = compose.check(kind, texts, BASE, 150)
        assert errors == {}, kind
        assert set(texts) == set(compose.form_fields(kind)), kind
        english = change.subject()
        text.language.value = "nl"
        try:
            dutch = change.subject()
            labels = [compose.kind_label(kind)] + [compose.field_label(kind, f) for f in compose.form_fields(kind)]
        finally:
            text.language.value = "en"
        assert english != dutch and "{" not in english + dutch and "day 60" in english and "dag 60" in dutch, kind
        assert all(labels), kind
    assert "open_place" not in compose.KINDS  # it needs a new place table, which the page does not compose


def test_a_composed_change_reads_naturally_in_effect_sentences():
    row = {"effect": -0.8, "ci_low": -1.2, "ci_high": -0.3, "half_width": 0.45, "distinguishable": True}
    change, _ = compose.check("close_place", {"place": "library", "start": "20", "end": "40"}, BASE, 45)
    assert effects.sentence(change.name, "belonging_points", row, 1, {change.name: change}) == (
        "Closing the library from day 20 to day 40 lowered mean belonging by 0.8 points (0-100) "
        "(95% interval 0.3 to 1.2).")
    named, _ = compose.check("volunteering", {"place": "library", "start": "10", "share": "0.05", "per_week": "2",
                                              "name": "Plan B"}, BASE, 45)
    assert named.subject() == "Plan B (volunteering by 5% of residents at the library from day 10)"
    assert effects.label(named.name, {named.name: named}) == "Plan B"
    assert effects.sentence("community_centre_closes", "belonging_points", row, 1).startswith("Closing the community centre lowered")
    text.language.value = "nl"
    try:
        assert effects.sentence(change.name, "belonging_points", row, 1, {change.name: change}).startswith(
            "De bibliotheek sluiten van dag 20 tot en met dag 40 verlaagde het gemiddelde erbij horen met 0.8")
    finally:
        text.language.value = "en"


def test_composed_changes_have_their_own_names_and_stay_within_the_run():
    texts = {"place": "library", "start": "20", "end": "40"}
    first, _ = compose.check("close_place", texts, BASE, 45)
    second, _ = compose.check("close_place", texts, BASE, 45, [first])
    assert first.name != second.name and first.name not in available()
    plan, _ = compose.check("close_place", {**texts, "name": "Plan B"}, BASE, 45, [first])
    _, errors = compose.check("close_place", {**texts, "name": "plan  b"}, BASE, 45, [first, plan])
    assert errors == {"name": "a change in the list already has this name; choose another"}
    _, errors = compose.check("close_place", {**texts, "name": "baseline"}, BASE, 45)
    assert errors == {}  # a name is a label; the scenario gets a name of its own
    assert first.outside(45) == {} and first.outside(30) == {
        "end": "must be a whole day from 20 to 29 (the last simulated day), or empty: until the end"}


# ---------------------------------------------------------------- the What-if page's comparison (no browser)
def composed_setup(start: str, end: str, days: str = "45") -> comparison.Setup:
    """The What-if page with only a change composed on it: closing the library from `start` to `end`."""
    setup = comparison.Setup(changes=()).with_setting("days", days)
    for key, value in (("place", "library"), ("start", start), ("end", end)):
        setup = setup.with_form_field(key, value)
    return setup.with_change_added()


def test_bad_settings_get_messages_and_nothing_runs():
    setup = comparison.Setup()
    assert setup.can_run() and setup.errors == {}
    bad = setup.with_setting("replicates", "1")
    assert bad.errors == {"replicates": "must be a whole number from 2 to 50 (got '1')"}
    assert bad.blocked() and not bad.can_run() and comparison.plan(bad) is None
    assert bad.with_setting("replicates", "3").can_run()
    assert not setup.with_changes([]).can_run()  # nothing to compare with the baseline


def test_a_run_that_ends_before_the_change_starts_is_refused_in_days_from_0():
    short = comparison.Setup().with_setting("days", "20")  # the shipped change starts on day 60
    assert short.too_short() == ("The changes start on day 60: simulate at least 90 days so that the last 30 days, "
                                 "over which effects are measured, come after the start.")
    with pytest.raises(comparison.CannotRun, match=r"start on day 60, after the last simulated day \(19\)\. "
                                                   r"Simulate at least 61 days"):
        comparison.plan(short)
    assert comparison.Setup().with_setting("days", "90").too_short() is None
    assert comparison.plan(comparison.Setup().with_setting("days", "61")) is not None  # the change's day is the last


def test_composing_adds_a_change_that_a_shorter_run_then_blocks():
    setup = composed_setup("20", "40")
    assert [c.phrase() for c in setup.composed] == ["closing the library from day 20 to day 40"]
    assert setup.form is None and setup.can_run()
    plan = comparison.plan(setup)
    assert [s.name for s in plan.scenarios] == ["baseline", setup.composed[0].name]
    assert {s["population.size"] for s in plan.scenarios} == {500} and plan.runs == 2 * 5
    assert plan.composed == {setup.composed[0].name: setup.composed[0]}
    # a bad form is not added: its messages show and the list stays
    tried = setup.with_form_field("end", "10").with_form_field("start", "30").with_change_added()
    assert tried.composed == setup.composed and tried.form_errors == {
        "end": "the last day (10) is before the first day (30)"}
    assert tried.blocked() and tried.with_kind("close_place").form_errors == {}  # Start again
    shorter = setup.with_setting("days", "35")
    assert shorter.blocked() and comparison.plan(shorter) is None
    assert not setup.without_change(setup.composed[0].name).can_run()


def test_the_page_and_the_report_name_the_same_days(tmp_path):
    """Day 60 typed on the page is day 60 in the page's words, its chart, the runner's report and the files."""
    from nodding.experiments.report import write

    setup = composed_setup("60", "61", days="62").with_setting("replicates", "2").with_setting("population", "50")
    change = setup.composed[0]
    assert change.spec["start"] == 60 and change.scenario(BASE).get(f"interventions.{compose.KEY}.end") == 61
    assert setup.too_short().startswith("The changes start on day 60: simulate at least 90 days")
    progress = []
    result = comparison.run(comparison.plan(setup), lambda done, total: progress.append((done, total)))
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    sentences = effects.sentences(result.outcome, result.composed)
    assert sentences and all(s.startswith("Closing the library from day 60 to day 61 ") for s in sentences)
    figure = effects.curves(result.outcome, result.composed)
    marks = [line for line in figure.axes[0].get_lines() if line.get_label() == "the change starts (day 60)"]
    assert marks and list(marks[0].get_xdata()) == [60, 60]
    assert min(figure.axes[0].get_lines()[0].get_xdata()) == 0  # the curves start on day 0
    assert result.outcome.runs["day"].min() == 0  # the runs downloaded as CSV count from 0 too
    report = (write(result.outcome, tmp_path) / "report.md").read_text()
    assert "Closing the library on day 60 until day 61" in report and "Run at least 90 days" in report


# ---------------------------------------------------------------- choosing a resident by clicking the map
def test_a_click_on_the_map_finds_the_dot_drawn_there():
    session = TownSession.named("classroom")
    session.step(2)
    part = 1
    fig = town_map.town_map(session, part)
    picture = town_map.MapPicture.of(fig, png)
    xy = town_map.positions(session, part)
    # where matplotlib drew each dot, as fractions of the picture from its top-left corner
    width, height = fig.canvas.get_width_height()
    pixels = fig.axes[0].transData.transform(xy)
    drawn = np.column_stack([pixels[:, 0] / width, 1 - pixels[:, 1] / height])
    assert np.allclose(picture.fractions(xy), drawn)
    assert [picture.nearest(xy, fx, fy) for fx, fy in drawn] == list(range(len(xy)))
    assert picture.nearest(xy, 0.999, 0.001) is None  # a corner with no dot chooses nobody


def test_ordinals_beyond_ten_read_right_in_both_languages():
    from nodding.dashboards import text

    try:
        text.language.set("en")
        assert [text.ordinal(n) for n in (5, 11, 12, 13, 21, 22, 23, 24, 101, 112)] == [
            "fifth", "11th", "12th", "13th", "21st", "22nd", "23rd", "24th", "101st", "112th"]
        text.language.set("nl")
        assert [text.ordinal(n) for n in (5, 21, 22)] == ["vijfde", "21e", "22e"]
    finally:
        text.language.set("en")


def test_the_composer_offers_targets_and_uptake_for_kinds_with_participants(dutch):
    text.language.value = "en"
    assert compose.form_fields("challenge")[-3:] == ("target", "uptake", "name")
    assert "target" not in compose.form_fields("close_place")
    assert {"everyone", "senior", "living_alone", "low_mobility", "lonely", "anxious",
            "regulars:library"} <= set(compose.targets_for(BASE))
    texts = {**compose.blank("challenge", BASE), "target": "living_alone", "uptake": "0.33"}
    change, errors = compose.check("challenge", texts, BASE, 150)
    assert errors == {} and (change.spec["target"], change.spec["uptake"]) == ("living_alone", 0.33)
    assert change.phrase().endswith("from day 60 to day 66, among residents living alone, self-selected")
    assert change.scenario(BASE).interventions[compose.KEY]["target"] == "living_alone"
    # untouched, a challenge draws its share of everyone as before: no target or uptake in the table
    change, _ = compose.check("challenge", compose.blank("challenge", BASE), BASE, 150)
    assert "target" not in change.spec and "uptake" not in change.spec
    change, _ = compose.check("volunteering", {**compose.blank("volunteering", BASE), "target": "regulars:library"},
                              BASE, 150)
    assert change.phrase().endswith(", among the regulars of the library")
    _, errors = compose.check("challenge", {**texts, "uptake": "1.5"}, BASE, 150)
    assert errors == {"uptake": "must be a number from 0 to 1 (got 1.5)"}
    text.language.value = "nl"
    _, errors = compose.check("challenge", {**texts, "uptake": "1,5"}, BASE, 150)
    assert errors == {"uptake": "moet een getal van 0 tot en met 1 zijn (ingevuld: 1.5)"}
    assert compose.target_label("regulars:library") == "de vaste bezoekers van de bibliotheek"


def test_the_map_circles_a_group_and_says_from_when_it_is_known(dutch):
    from nodding.dashboards import groups

    text.language.value = "en"
    s = TownSession(Scenario.named("community_centre_closes").with_values({"population.size": 200}), 3)
    shown = groups.choices(s.town)
    assert list(shown) == ["regulars: closing the community centre from day 60",
                           "everyone else: closing the community centre from day 60"]
    key = shown["regulars: closing the community centre from day 60"]
    assert groups.legend(s.town, key) == "The regulars are known from day 60, when the change starts."
    assert not groups.members(s.town, key).any() and groups.members(s.town, None) is None
    for _ in range(61):
        s.step()
    n = int(groups.members(s.town, key).sum())
    assert 0 < n < 200
    assert groups.legend(s.town, key).startswith(f"Circled in black: the {n} regulars ({100 * n / 200:.0f}% of residents)")
    fig = town_map.town_map(s, 3, group=groups.members(s.town, key))
    assert "circled group" in [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    text.language.value = "nl"
    assert groups.legend(s.town, key).startswith(f"Zwart omcirkeld: de {n} vaste bezoekers")
    baseline = TownSession(Scenario.named("baseline").with_values({"population.size": 60}), 3)
    assert groups.choices(baseline.town) == {}


def group_outcome(with_groups: bool):
    """A comparison's result as the runner gives it, with the group rows of the runner's contract (or without)."""
    import pandas as pd
    from types import SimpleNamespace

    town = [dict(scenario="community_centre_closes", metric=m, method="paired", effect=e, ci_low=e - 0.3,
                 ci_high=e + 0.2, distinguishable=True) for m, e in (("belonging_points", -1.4), ("lonely_percent", 0.5))]
    rows = [{**r, "group": "town", "group_size": 500} for r in town] if with_groups else town
    if with_groups:
        for group, size, e in (("regulars of close_community_centre", 72, -6.6),
                               ("everyone else (close_community_centre)", 428, -0.4), ("living alone", 90, -1.0),
                               ("role: senior", 110, -1.2)):
            for metric, scale in (("belonging_points", 1), ("lonely_percent", -0.4)):
                rows.append(dict(scenario="community_centre_closes", metric=metric, method="paired", group=group,
                                 group_size=size, effect=e * scale, ci_low=e * scale - 1, ci_high=e * scale + 1,
                                 hedges_g=e / 10, g_ci_low=e / 10 - 0.1, g_ci_high=e / 10 + 0.1,
                                 lonely_per_100=-e * 0.4, distinguishable=True))
    summary = pd.DataFrame([dict(scenario=s, metric=m, mean=50.0) for s in ("baseline", "community_centre_closes")
                            for m in ("belonging_points", "lonely_percent")])
    effects_table = pd.DataFrame(rows).assign(half_width=lambda d: (d["ci_high"] - d["ci_low"]) / 2)
    closes = '[interventions.close_community_centre]\nkind = "close_place"\nplace = "community_centre"\nstart = 60\n'
    return SimpleNamespace(effects=effects_table, summary=summary, settings={"baseline": "baseline"},
                           scenarios={"baseline": "", "community_centre_closes": closes})


def test_the_who_is_affected_block_shows_each_group_and_nothing_without_groups(dutch):
    text.language.value = "en"
    plain = group_outcome(with_groups=False)
    assert effects.group_table(plain)[1] == [] and len(effects.table_rows(plain)) == 2
    outcome = group_outcome(with_groups=True)
    assert len(effects.table_rows(outcome)) == 2  # the town's table keeps the town's rows only
    header, rows = effects.group_table(outcome)
    assert header[0] == "Group" and len(rows) == 4  # one row per group, both outcomes in it
    assert rows[0] == ["regulars of the community centre", "72", "-6.6 [-7.6, -5.6]", "-0.66 [-0.76, -0.56]",
                       "+2.6 [+1.6, +3.6]"]
    assert [r[0] for r in rows[1:]] == ["everyone else", "residents living alone", "seniors"]
    fig = effects.group_chart(outcome)
    assert len(fig.axes) == 2 and [x.get_text() for x in fig.axes[0].get_yticklabels()][:2] == [
        "regulars of the community centre", "everyone else"]
    png(fig)
    # the download is the effects table: it carries the group rows and columns
    csv = outcome.effects.to_csv(index=False)
    assert "regulars of close_community_centre" in csv and "hedges_g" in csv.splitlines()[0]
    text.language.value = "nl"
    assert effects.group_table(outcome)[1][0][0] == "vaste bezoekers van het buurthuis"
    assert effects.group_name("everyone else (composed_on_the_page)") == "alle anderen"
    assert effects.group_name("everyone else (composed_on_the_page)", {"a": {}, "composed_on_the_page": {}}) == (
        "alle anderen (deze verandering)")
    assert effects.group_name("role: senior") == "ouderen"


def test_who_is_affected_leads_with_the_participants_and_names_each_change(dutch):
    import pandas as pd

    text.language.value = "en"
    outcome = group_outcome(with_groups=True)
    rows = [dict(scenario="kindness_week", metric=metric, method="paired", group=group, group_size=size, effect=1.0,
                 ci_low=0.5, ci_high=1.5, half_width=0.5, hedges_g=0.1, g_ci_low=0.05, g_ci_high=0.15,
                 lonely_per_100=1.0, distinguishable=True)
            for group, size in (("town", 500), ("target of kindness_week", 500), ("participants of kindness_week", 80),
                                ("everyone else (kindness_week)", 420))
            for metric in ("belonging_points", "lonely_percent")]
    outcome.effects = pd.concat([outcome.effects, pd.DataFrame(rows)], ignore_index=True)
    outcome.scenarios["kindness_week"] = '[interventions.kindness_week]\nkind = "challenge"\n'
    header, table = effects.group_table(outcome)
    assert header[:2] == ["Change", "Group"]
    # the runner's order puts the target group first; the page leads with the participants, and drops a target
    # group that is the whole town
    assert [row[:3] for row in table[4:]] == [[effects.label("kindness_week", {}), "participants of kindness week", "80"],
                                              ["", "everyone else", "420"]]
    fig = effects.group_chart(outcome)
    assert len(fig.axes) == 4 and [s.get_suptitle() for s in fig.subfigs] == [
        effects.label(s, {}) for s in ("community_centre_closes", "kindness_week")]
    png(fig)


def test_the_age_band_table_matches_the_daily_table_and_has_every_label():
    from nodding import Town
    from nodding.dashboards import bands
    from nodding.model.population import AGE_BANDS

    town = Town(scenario="classroom", seed=2)
    town.run(days=2)
    shares, last = bands.band_shares(town), town.daily.iloc[-1]
    for band in AGE_BANDS:
        for key, column in (("lonely", "lonely_share"), ("severe", "severely_lonely_share")):
            assert shares[band][key] == pytest.approx(last[f"{column}_{band}"], nan_ok=True)
    assert shares["adults"]["lasting"] == pytest.approx(last["lasting_lonely_share"])
    header, rows = bands.band_table(town)
    assert len(header) == 7 and len(rows) == len(AGE_BANDS) + 1
    assert all(not cell.startswith("band_") for row in rows for cell in row)  # every band has its label
