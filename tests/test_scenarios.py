"""Scenario files: the shipped scenarios, the loader's error messages, `with_values`,
TOML round trips, pickling, and property-based tests at the parameters' extremes.

Runs in well under a minute: towns are small (2-300 residents) and short (3-60 days).
"""

from __future__ import annotations

import math
import pickle
import tomllib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nodding import Scenario, ScenarioError, Town
from nodding.model.metrics import BAND_COLUMNS
from nodding.model.population import AGE_KEYS
from nodding.model.parameters import (FAMILIARITY_LEVELS, INTERACTION_LEVELS, INTERVENTION_FIELDS, PARAMETERS,
                              PLACE_FIELDS, PLACE_KINDS, TOP_LEVEL)
from nodding.model.places import BASELINE_PLACES
from nodding.model.scenario import SCENARIO_DIR, available

SHIPPED = [
    "baseline", "classroom", "community_centre_closes", "host_in_third_places", "kindness_challenge",
    "conversation_training", "greeting_excuses", "self_checkout", "chat_checkout", "mobility_support",
    "volunteering", "blackout", "lockdown_and_reentry", "living_alone_challenge", "oudorp",
]
WITH_INTERVENTION = [name for name in SHIPPED if name not in ("baseline", "classroom", "oudorp")]
SMALL = {"population.size": 300, "population.neighbourhood_size": 300}
#: Daily columns that are undefined (NaN) on a day when nothing of the kind happened.
# rates and shares that are undefined (NaN) on a day without their denominator (no initiations, nobody of the
# age they count: adults, residents 15+, an age band)
RATE_COLUMNS = {"acceptance_rate", "acceptance_rate_strangers", "mean_liking_gap", "lonely_share", "severely_lonely_share",
                "lasting_lonely_share", "socially_lonely_share", "emotionally_lonely_share", *BAND_COLUMNS}
STATE = ("belonging", "fear", "expected_acceptance", "affect", "support", "wider_circle", "close_bonds")

#: What each scenario's single intervention must be: kind, targeted place, first and last day.
EXPECTED_INTERVENTION = {
    "community_centre_closes": ("close_place", "community_centre", 60, -1),
    "host_in_third_places": ("add_hosts", "library", 60, -1),
    "kindness_challenge": ("challenge", None, 60, 66),
    "conversation_training": ("conversation_training", None, 60, None),  # a one-off: no end
    "greeting_excuses": ("greeting_excuses", None, 60, -1),
    "self_checkout": ("self_checkout", "supermarket", 60, -1),
    "chat_checkout": ("chat_checkout", "supermarket", 60, -1),
    "mobility_support": ("mobility_support", None, 60, -1),
    "volunteering": ("volunteering", "community_centre", 60, -1),
    "blackout": ("blackout", None, 60, 62),
    "lockdown_and_reentry": ("lockdown", None, 60, 149),
    "living_alone_challenge": ("challenge", None, 60, 66),
}


def only_intervention(scenario: Scenario) -> tuple[str, dict]:
    (name, spec), = scenario.interventions.items()
    return name, spec


def moved(scenario: Scenario, start: int) -> Scenario:
    """The scenario with its intervention moved to `start`, keeping its length."""
    name, spec = only_intervention(scenario)
    changes = {f"interventions.{name}.start": start}
    if spec.get("end", -1) >= 0:
        changes[f"interventions.{name}.end"] = start + spec["end"] - spec["start"]
    return scenario.with_values(changes)


def assert_bounded_state(town: Town) -> None:
    """No NaN and every score within [0, 1]; daily metrics finite except the documented rates."""
    res = town.residents
    for field in STATE:
        values = getattr(res, field)
        assert not np.isnan(values).any(), field
        assert ((values >= 0.0) & (values <= 1.0)).all(), (field, values.min(), values.max())
    daily = town.daily
    assert len(daily) > 0
    for column in daily.columns:
        values = daily[column].to_numpy(dtype=float)
        if column in RATE_COLUMNS:
            assert not np.isinf(values).any(), column
        else:
            assert np.isfinite(values).all(), column
    for column in ("acceptance_rate", "acceptance_rate_strangers", "mean_belonging", "lonely_share", "mean_fear",
                   "severely_lonely_share", "lasting_lonely_share", "socially_lonely_share", "emotionally_lonely_share",
                   *BAND_COLUMNS, "mean_felt_belonging", "mean_expected_acceptance", "mean_affect"):
        values = daily[column].dropna()
        assert ((values >= 0.0) & (values <= 1.0)).all(), column
    interactions = daily[[c for c in daily.columns if c.startswith("interactions_")]]
    assert (interactions >= 0).all().all()


# ===================================================================== shipped scenarios
def test_the_shipped_scenarios_are_exactly_the_designed_list():
    assert available() == sorted(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenario_loads_validates_and_runs(name):
    scenario = Scenario.named(name)
    assert scenario.name == name
    assert Scenario.load(SCENARIO_DIR / f"{name}.toml").to_dict() == scenario.to_dict()
    # the description is one plain-language paragraph that asks the scenario's question
    description = scenario["description"]
    assert len(description) > 200 and "\n" not in description and "?" in description
    assert description == description.strip()
    small = scenario if name == "classroom" else scenario.with_values(SMALL)
    town = Town(scenario=small, seed=1)
    town.run(5)
    assert list(town.daily["day"]) == [0, 1, 2, 3, 4]
    assert town.daily["initiations"].sum() > 0
    assert_bounded_state(town)


@pytest.mark.parametrize("name", WITH_INTERVENTION)
def test_scenario_is_the_baseline_plus_exactly_one_intervention(name):
    scenario, baseline = Scenario.named(name).to_dict(), Scenario.named("baseline").to_dict()
    assert len(scenario["interventions"]) == 1
    for key in ("name", "description", "interventions"):
        scenario.pop(key), baseline.pop(key)
    assert scenario == baseline


@pytest.mark.parametrize("name", WITH_INTERVENTION)
def test_scenario_intervention_is_the_designed_one(name):
    kind, place, start, end = EXPECTED_INTERVENTION[name]
    _, spec = only_intervention(Scenario.named(name))
    assert (spec["kind"], spec.get("place"), spec["start"], spec.get("end")) == (kind, place, start, end)
    if name == "host_in_third_places":
        # the host goes to a third place that has none in the baseline
        assert BASELINE_PLACES[place]["kind"] == "third_place" and BASELINE_PLACES[place]["hosts"] == 0


@pytest.mark.parametrize("name", WITH_INTERVENTION)
def test_scenario_matches_baseline_run_for_run_until_its_intervention_starts(name):
    """Same seed, same days: identical to the baseline before the start, different after it."""
    scenario = moved(Scenario.named(name).with_values(SMALL), start=3)
    baseline = Scenario.named("baseline").with_values(SMALL)
    town, reference = Town(scenario=scenario, seed=7), Town(scenario=baseline, seed=7)
    town.run(12)
    reference.run(12)
    pd.testing.assert_frame_equal(town.daily.iloc[:3], reference.daily.iloc[:3])
    assert not town.daily.iloc[3:].equals(reference.daily.iloc[3:])
    assert_bounded_state(town)


def test_baseline_file_equals_the_defaults():
    baseline, default = Scenario.named("baseline"), Scenario.default()
    differs = {k for k in default.values if baseline[k] != default[k]}
    assert differs == {"description"}
    assert baseline.places == default.places
    assert baseline.interventions == default.interventions == {}


def test_baseline_file_spells_out_every_value_with_a_comment_per_section():
    text = (SCENARIO_DIR / "baseline.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    for path in TOP_LEVEL:
        assert path in raw, path
    for path in PARAMETERS:
        section, key = path.split(".")
        assert key in raw.get(section, {}), path
    assert list(raw["places"]) == list(BASELINE_PLACES)
    for name, table in raw["places"].items():
        assert set(table) == set(PLACE_FIELDS), name
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert len(headers) == len({p.split(".")[0] for p in PARAMETERS}) + len(BASELINE_PLACES)
    for i in headers:
        assert lines[i - 1].startswith("# "), lines[i]


def test_the_example_neighbourhood_has_its_published_make_up():
    """oudorp.toml is built from CBS Kerncijfers 2023 (docs/population.md): its town has the wijk's share of
    residents aged 65+ and living alone, within sampling error of a 2,000-resident town."""
    town = Town(scenario="oudorp", seed=1)
    res = town.residents
    assert (res.age >= 65).mean() == pytest.approx(0.222, abs=0.03)
    assert (np.bincount(res.household)[res.household] == 1).mean() == pytest.approx(0.163, abs=0.03)
    baseline = Town(scenario="baseline", seed=1).residents
    assert (res.age >= 65).mean() > (baseline.age >= 65).mean()


def test_classroom_is_a_small_town_where_all_levels_of_contact_happen_and_ties_form():
    scenario = Scenario.named("classroom")
    assert scenario["population.size"] == 30 and scenario["days"] == 60
    assert scenario.interventions == {}
    assert {p["kind"] for p in scenario.places.values()} == set(PLACE_KINDS) - {"home"}
    assert all(p["capacity"] <= 30 for p in scenario.places.values())
    town = Town(scenario="classroom", seed=1)
    assert len(town.residents) == 30
    town.run(60)
    daily = town.daily
    for level in INTERACTION_LEVELS:
        assert daily[f"interactions_{level}"].sum() > 0, level
    for kind in PLACE_KINDS:
        assert daily[f"interactions_{kind}"].sum() > 0, kind
    levels = {level for *_, level in town.tie_graph().edges(data="level")}
    assert levels == set(FAMILIARITY_LEVELS)
    assert daily["mean_weak_ties"].iloc[-1] > daily["mean_weak_ties"].iloc[0] + 1
    assert_bounded_state(town)


# ===================================================================== load errors
LOAD_ERRORS = {
    # id: (file text, field named in the message (None: whole file), fragments of the message)
    "malformed TOML": ('name = "x"\n[population\nsize = 3\n', None, ["not valid TOML", "line 2"]),
    "unknown top-level key": ("dayz = 30\n", "dayz", ["unknown field", "did you mean days?"]),
    "unknown section": ("[populaton]\nsize = 30\n", "populaton", ["unknown section", "did you mean population?"]),
    "unknown field in section": ("[population]\nsise = 30\n", "population.sise",
                                 ["unknown field", "did you mean population.size?"]),
    "unknown place field": ('[places.cafe]\nkind = "third_place"\ncapasity = 3\n', "places.cafe.capasity",
                            ["unknown field", "did you mean capacity?", "allowed: kind, use, count, capacity"]),
    "unknown intervention field": ('[interventions.x]\nkind = "close_place"\nplace = "library"\nstrat = 3\n',
                                   "interventions.x.strat",
                                   ["unknown field", "did you mean start?", "allowed: place, start, end"]),
    "text for a number": ('[population]\nsize = "300"\n', "population.size",
                          ["must be a whole number from 2 to 5_000_000", "got '300'"]),
    "bool for an int": ("[population]\nsize = true\n", "population.size",
                        ["must be a whole number from 2 to 5_000_000", "got True"]),
    "float for an int": ("[population]\nsize = 300.5\n", "population.size",
                         ["must be a whole number from 2 to 5_000_000", "got 300.5"]),
    "text for text-only field": ("name = 3\n", "name", ["must be text"]),
    "list for a number": ("[population]\nshare_living_alone = [1, 2]\n", "population.share_living_alone",
                          ["must be a number from 0 to 0.9"]),
    "nan": ("[population]\nshare_living_alone = nan\n", "population.share_living_alone",
            ["must be a number from 0 to 0.9"]),
    "inf": ("[traits]\nsociability_mean = inf\n", "traits.sociability_mean", ["must be a number from 0 to 1"]),
    "share above 1": ("[population]\nage_0_15 = 1.5\n", "population.age_0_15",
                      ["must be a number from 0 to 1", "got 1.5"]),
    "negative size": ("[population]\nsize = -5\n", "population.size",
                      ["must be a whole number from 2 to 5_000_000", "got -5"]),
    "days below 1": ("days = 0\n", "days", ["must be a whole number from 1 to 100_000", "got 0"]),
    "place out of range": ("[places.cafe]\naffordance = 1.2\n", "places.cafe.affordance",
                           ["must be a number from 0 to 1"]),
    "intervention out of range": ('[interventions.c]\nkind = "challenge"\nshare = 2.0\n', "interventions.c.share",
                                  ["must be a number from 0 to 1"]),
    "intervention on a missing place": ('[interventions.x]\nkind = "close_place"\nplace = "libary"\n',
                                        "interventions.x.place",
                                        ["no place named 'libary'", "did you mean library?", "places: community_centre"]),
    "unknown intervention kind": ('[interventions.x]\nkind = "closeplace"\n', "interventions.x.kind",
                                  ["unknown intervention kind 'closeplace'", "did you mean close_place?",
                                   "allowed: close_place, open_place"]),
    "intervention without kind": ('[interventions.x]\nplace = "library"\n', "interventions.x.kind",
                                  ["unknown intervention kind", "allowed: close_place"]),
    "end before start": ('[interventions.x]\nkind = "close_place"\nplace = "library"\nstart = 10\nend = 5\n',
                         "interventions.x.end", ["end (5) is before start (10)"]),
    "age shares far from 1": ("[population]\nage_0_15 = 0.6\nage_65_plus = 0.5\n",
                              "population.age_65_plus", ["the five age shares must add up to 1"]),
    "a field of earlier versions": ("[population]\nshare_seniors = 0.2\n", "population.share_seniors",
                                    ["no longer a field", "population.age_65_plus"]),
    "ladder not increasing": ("[ties]\ngreeting_after = 20.0\n", "ties.acquaintance_after",
                              ["must be above ties.greeting_after", "the familiarity ladder goes up"]),
    "ladder equal rungs": ("[ties]\nnodding_after = 5.0\n", "ties.greeting_after",
                           ["must be above ties.nodding_after"]),
    "liking gap above the true liking": ("[liking]\ntrue_mean = 0.3\ngap = 0.5\n", "liking.gap",
                                         ["must not exceed liking.true_mean (0.3)"]),
    "unknown day-part": ('[places.cafe]\nopen = ["morning", "night"]\n', "places.cafe.open",
                         ["unknown value 'night'", "a list drawn from morning, midday, afternoon, evening"]),
    "day-parts not a list": ('[places.cafe]\nopen = "morning"\n', "places.cafe.open",
                             ["must be a list drawn from morning, midday, afternoon, evening"]),
    "unknown place kind": ('[places.cafe]\nkind = "pub"\n', "places.cafe.kind",
                           ["must be one of third_place, transitory, work, online"]),
    "online use on an offline place": ('[places.cafe]\nkind = "third_place"\nuse = "online"\n', "places.cafe.use",
                                       ["use 'online' goes with kind 'online'"]),
    "place not a table": ('[places]\ncafe = "small"\n', "places.cafe", ["must be a table of fields"]),
    "no places": ("baseline_places = false\n", "places", ["a town needs at least one place"]),
    "interventions not tables": ("interventions = 3\n", "interventions",
                                 ["must be a set of [interventions.<name>] tables"]),
}


@pytest.mark.parametrize("case", LOAD_ERRORS, ids=list(LOAD_ERRORS))
def test_load_error_names_file_field_and_what_is_allowed(tmp_path, case):
    text, field, fragments = LOAD_ERRORS[case]
    path = tmp_path / "my_scenario.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    err = info.value
    message = str(err)
    assert "\n" not in message  # one line on stderr
    assert err.file == str(path)
    assert err.field == field
    assert message.startswith(f"{path}: {field}: " if field else f"{path}: ")
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_load_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ScenarioError, match="file not found") as info:
        Scenario.load(path)
    assert str(info.value).startswith(str(path))


def test_named_unknown_scenario_lists_the_shipped_ones():
    with pytest.raises(ScenarioError, match="shipped: baseline, blackout") as info:
        Scenario.named("baselien")
    assert str(info.value).startswith("baselien: ")


def test_load_accepts_whole_floats_for_ints_and_defaults_name_to_file_stem(tmp_path):
    path = tmp_path / "my_town.toml"
    path.write_text("[population]\nsize = 300.0\n", encoding="utf-8")
    scenario = Scenario.load(path)
    assert scenario["population.size"] == 300 and type(scenario["population.size"]) is int
    assert scenario.name == "my_town"
    assert scenario.places == Scenario.default().places


# ===================================================================== with_values
def test_with_values_returns_a_validated_copy_and_leaves_the_original_alone():
    original = Scenario.named("kindness_challenge")
    before = original.to_dict()
    changed = original.with_values({
        "population.size": 300.0, "places.library.hosts": 2, "interventions.kindness_week.start": 10,
        "interventions.kindness_week.end": 16,
    })
    assert original.to_dict() == before
    assert changed["population.size"] == 300 and type(changed["population.size"]) is int
    assert changed.places["library"] == {**original.places["library"], "hosts": 2}
    assert changed.interventions["kindness_week"] == {**original.interventions["kindness_week"], "start": 10, "end": 16}
    assert {k for k in original.values if changed[k] != original[k]} == {"population.size"}
    assert changed.source == original.source


def test_with_values_can_add_an_intervention_table():
    scenario = Scenario.default().with_values({"interventions.shut": {"kind": "close_place", "place": "cafe"}})
    assert scenario.interventions["shut"] == {"kind": "close_place", "place": "cafe", "start": 0, "end": -1}


@pytest.mark.parametrize("changes, field, fragment", [
    ({"population.sise": 3}, "population.sise", "did you mean population.size?"),
    ({"popluation.size": 3}, "popluation", "unknown section (did you mean population?)"),
    ({"places.nowhere.hosts": 1}, "places.nowhere.hosts", "unknown field"),
    ({"places.libary.hosts": 1}, "places.libary.hosts", "did you mean library?"),
    ({"interventions.nothing.start": 1}, "interventions.nothing.start", "unknown field"),
    ({"interventions.kindnes_week.start": 1}, "interventions.kindnes_week.start", "did you mean kindness_week?"),
    ({"population.size.x": 1}, "population.size.x", "unknown field"),
    ({"places.library.hostz": 1}, "places.library.hostz", "did you mean hosts?"),
    ({"places.library.hosts": -1}, "places.library.hosts", "must be a whole number from 0 to 100"),
    ({"interventions.kindness_week.end": 10}, "interventions.kindness_week.end", "is before start"),
    ({"interventions.kindness_week.share": "all"}, "interventions.kindness_week.share", "must be a number"),
    ({"population.age_65_plus": 0.9}, "population.age_65_plus", "must add up to 1"),
    ({"days": 0}, "days", "must be a whole number from 1 to 100_000"),
    ({"population.size": None}, "population.size", "must be a whole number"),
    ({"places": 3}, "places", "must be a set of [places.<name>] tables"),
])
def test_with_values_rejects_bad_paths_and_values(changes, field, fragment):
    scenario = Scenario.named("kindness_challenge")
    before = scenario.to_dict()
    with pytest.raises(ScenarioError) as info:
        scenario.with_values(changes)
    assert info.value.field == field
    assert fragment in str(info.value)
    assert scenario.to_dict() == before


# ===================================================================== round trips and pickling
@pytest.mark.parametrize("name", SHIPPED)
def test_to_toml_round_trips(tmp_path, name):
    scenario = Scenario.named(name)
    path = tmp_path / "written.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")
    assert Scenario.load(path).to_dict() == scenario.to_dict()


def test_to_toml_round_trips_awkward_text_and_changed_values(tmp_path):
    scenario = Scenario.named("volunteering").with_values({
        "description": 'Quotes " and \\ backslashes,\ttabs, a\nnew line and ünïcödé – «ok»?',
        "places.library.open": ["evening", "morning"], "places.library.weekend": False,
        "decisions.base": -9.75, "ties.friend_after": 1e4, "seed": 2**63 - 1, "learning.rebound": 1e-7,
    })
    path = tmp_path / "written.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")
    loaded = Scenario.load(path)
    assert loaded.to_dict() == scenario.to_dict()
    assert loaded["seed"] == 2**63 - 1 and loaded.places["library"]["open"] == ["evening", "morning"]


def test_to_toml_round_trips_place_names_that_are_not_bare_keys(tmp_path):
    path = tmp_path / "quoted.toml"
    path.write_text('[places."bus stop"]\nkind = "transitory"\nuse = "commute"\n', encoding="utf-8")
    scenario = Scenario.load(path)
    path.write_text(scenario.to_toml(), encoding="utf-8")
    assert Scenario.load(path).to_dict() == scenario.to_dict()


def test_to_toml_round_trips_control_characters(tmp_path):
    scenario = Scenario.default().with_values({"description": "a\x01b\rc\x7f"})
    path = tmp_path / "written.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")
    assert Scenario.load(path).to_dict() == scenario.to_dict()


@pytest.mark.parametrize("name", ["baseline", "lockdown_and_reentry"])
def test_scenario_pickles(name):
    scenario = Scenario.named(name)
    clone = pickle.loads(pickle.dumps(scenario))
    assert clone == scenario and clone is not scenario


def test_town_pickles_and_the_copy_continues_identically():
    town = Town(scenario=moved(Scenario.named("kindness_challenge").with_values(
        {"population.size": 60, "population.neighbourhood_size": 60}), start=2), seed=5)
    town.run(3)
    clone = pickle.loads(pickle.dumps(town))
    town.run(4)
    clone.run(4)
    pd.testing.assert_frame_equal(clone.daily, town.daily)
    pd.testing.assert_frame_equal(clone.residents_frame(), town.residents_frame())
    pd.testing.assert_frame_equal(clone.events_frame(), town.events_frame())


# ===================================================================== known loader crashes
def test_intervention_kind_that_is_a_list_is_a_scenario_error(tmp_path):
    path = tmp_path / "kind.toml"
    path.write_text('[interventions.x]\nkind = ["close_place"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="interventions.x.kind"):
        Scenario.load(path)


def test_huge_integer_for_a_number_is_a_scenario_error(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text("[population]\nretirement_age = 1" + "0" * 400 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="population.retirement_age"):
        Scenario.load(path)


def test_volunteering_at_a_place_with_count_zero_runs():
    scenario = moved(Scenario.named("volunteering").with_values(
        {"population.size": 40, "population.neighbourhood_size": 40, "places.community_centre.count": 0}), start=1)
    town = Town(scenario=scenario, seed=1)
    town.run(3)
    assert_bounded_state(town)


# ===================================================================== property-based tests
NUMERIC = sorted(PARAMETERS)
LADDER = ["ties.nodding_after", "ties.greeting_after", "ties.acquaintance_after", "ties.friend_after"]
PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow])


def value_in_range(path: str) -> st.SearchStrategy:
    """Values within a parameter's [low, high], with the bounds themselves drawn often."""
    p = PARAMETERS[path]
    low, high = p.low, p.high
    if path == "population.size":
        high = 60  # tiny towns only: the schema allows five million
    if isinstance(p.default, int):
        return st.one_of(st.sampled_from([int(low), int(high)]), st.integers(int(low), int(high)))
    return st.one_of(st.sampled_from([float(low), float(high)]),
                     st.floats(float(low), float(high), allow_nan=False, allow_infinity=False))


@st.composite
def valid_changes(draw) -> dict:
    paths = draw(st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=10, unique=True))
    changes = {path: draw(value_in_range(path)) for path in paths}
    changes.setdefault("population.size", draw(value_in_range("population.size")))
    # keep the drawn values consistent: the five age shares add up to 1 (the drawn ones scaled, the rest filled) ...
    ages = [path for path in AGE_KEYS if path in changes]
    if ages:
        drawn = sum(changes[path] for path in ages)
        rest = [path for path in AGE_KEYS if path not in changes]
        if not rest or drawn > 1.0:
            for path in ages:
                changes[path] = changes[path] / drawn if drawn > 0 else 1.0 / len(ages)
            for path in rest:
                changes[path] = 0.0
        else:
            for path in rest:
                changes[path] = (1.0 - drawn) / len(rest)
    # ... and the familiarity ladder goes up: redraw all four rungs in increasing order
    if any(path in changes for path in LADDER):
        rungs = sorted(draw(st.lists(st.one_of(st.sampled_from([0.1, 1000.0]), st.floats(0.1, 1000.0)),
                                     min_size=3, max_size=3, unique=True)))
        friend = draw(st.one_of(st.just(10_000.0), st.floats(rungs[-1], 10_000.0, exclude_min=True)))
        changes.update(zip(LADDER, [*rungs, friend]))
    # ... and the liking gap is at most the true liking
    if "liking.gap" in changes or "liking.true_mean" in changes:
        true_mean = changes.get("liking.true_mean", PARAMETERS["liking.true_mean"].default)
        changes["liking.gap"] = min(changes.get("liking.gap", PARAMETERS["liking.gap"].default), true_mean)
    return changes


@PROPERTY_SETTINGS
@given(changes=valid_changes(), intervention=st.sampled_from([None, *WITH_INTERVENTION]),
       start=st.integers(0, 9), days=st.integers(3, 10), seed=st.integers(0, 2**32))
def test_valid_values_at_any_point_of_their_range_give_bounded_scores(changes, intervention, start, days, seed):
    scenario = Scenario.named(intervention) if intervention else Scenario.default()
    if intervention:
        scenario = moved(scenario, start)
    scenario = scenario.with_values(changes)
    for path, value in changes.items():
        assert scenario[path] == value
    try:
        town = Town(scenario=scenario, seed=seed)
        town.run(days)
    except ScenarioError as err:
        # a targeted change in a drawn town without anyone it targets (nobody living alone among 2 residents)
        # is refused by design, in one line (tests/test_groups.py): not a case of this property
        assume("selects nobody" not in str(err))
        raise
    assert len(town.daily) == days
    assert_bounded_state(town)


GARBAGE = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0.5", "300", "true", "nan", "morning"]),
    st.integers(-10**12, 10**12),
    st.sampled_from([-1, -1e9, 10**12, 2**63, 1e308, -1e308, math.nan, math.inf, -math.inf, True, False, None]),
    st.floats(),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.floats()), max_size=3),
    st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5)), max_size=2),
    st.just({"nested": {"table": [1, {"x": 2}]}}),
)


def garbage_paths(scenario: Scenario) -> list[str]:
    paths = [*TOP_LEVEL, *PARAMETERS, "places", "interventions", "population", "nowhere.field"]
    paths += [f"places.{name}.{field}" for name in scenario.places for field in PLACE_FIELDS]
    paths += [f"places.{name}" for name in scenario.places]
    for name, spec in scenario.interventions.items():
        paths += [f"interventions.{name}.{field}" for field in ("kind", *INTERVENTION_FIELDS[spec["kind"]])]
        paths.append(f"interventions.{name}")
    return paths


@PROPERTY_SETTINGS
@given(data=st.data(), base=st.sampled_from(SHIPPED))
def test_garbage_values_give_a_valid_scenario_or_a_scenario_error(data, base):
    scenario = Scenario.named(base)
    changes = data.draw(st.dictionaries(st.sampled_from(garbage_paths(scenario)), GARBAGE, min_size=1, max_size=3))
    try:
        changed = scenario.with_values(changes)
    except ScenarioError as err:
        assert str(err).startswith(f"{scenario.source}: ")
        touched = {p.split(".")[0] for p in changes} | ({"interventions"} if any(p.startswith("places") for p in changes) else set())
        assert err.field is not None and err.field.split(".")[0] in touched, (err.field, changes)
        return
    # accepted: it must be a fully valid scenario, which builds and runs as a tiny town
    assert Scenario.from_dict(changed.to_dict()).to_dict() == changed.to_dict()
    tiny = changed.with_values({"population.size": min(changed["population.size"], 40)})
    town = Town(scenario=tiny, seed=1)
    town.run(3)
    assert_bounded_state(town)


@PROPERTY_SETTINGS
@given(text=st.one_of(st.text(max_size=80), st.sampled_from([
    "[population]\nsize = ", "[[places]]\nx = 1\n", "interventions = []\n", "[places.cafe.open]\nmorning = 1\n",
    "days = 1979-05-27\n", "[interventions.x]\nkind = 3\n", "population.size = 3\n", 'name = """\x00"""\n'])))
def test_any_file_text_gives_a_scenario_or_a_scenario_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("garbage") / "garbage.toml"
    path.write_text(text, encoding="utf-8")
    try:
        scenario = Scenario.load(path)
    except ScenarioError as err:
        assert str(err).startswith(f"{path}: ")
        return
    assert scenario.name == "garbage" or "name" in tomllib.loads(text)


def test_a_place_table_changes_only_the_fields_it_lists(tmp_path):
    path = tmp_path / "host.toml"
    path.write_text('[places.library]\nhosts = 1\n\n[places.repair_cafe]\nkind = "third_place"\n', encoding="utf-8")
    scenario = Scenario.load(path)
    baseline = Scenario.default()
    assert scenario.places["library"] == {**baseline.places["library"], "hosts": 1}
    assert set(scenario.places) == set(baseline.places) | {"repair_cafe"}
    assert scenario.places["repair_cafe"]["kind"] == "third_place"


def test_baseline_places_false_keeps_only_the_listed_places(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text('baseline_places = false\n[places.cafe]\nkind = "third_place"\n', encoding="utf-8")
    assert list(Scenario.load(path).places) == ["cafe"]
