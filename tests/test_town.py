"""The Town's contract: determinism, construction, and every output's shape and consistency."""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest import SMALL, small_scenario
from nodding import Scenario, ScenarioError, Town
from nodding.model.town import TownInterrupted
from nodding.model.parameters import DAY_PARTS, FAMILIARITY_LEVELS, INTERACTION_LEVELS, PLACE_KINDS
from nodding.model.ties import LEVEL_NAMES

DESIGN_COLUMNS = (
    ["day", "mean_belonging", "lonely_share"]
    + [f"interactions_{level}" for level in ("nod", "greeting", "chat", "help")]
    + [f"interactions_{kind}" for kind in ("home", "third_place", "transitory", "work", "online")]
    + ["mean_weak_ties", "mean_strong_ties", "mean_familiar_faces", "mean_fear", "mean_expected_acceptance",
       "acceptance_rate"]
)
EVENT_COLUMNS = ["day", "part", "place", "initiator", "receiver", "interaction", "familiarity", "expected",
                 "welcomed", "felt_liking", "helped"]
TINY = {"population.size": 120, "population.neighbourhood_size": 120}  # event log and histories on by default


def _ran(town: Town, days: int) -> Town:
    town.run(days=days)
    return town


@pytest.fixture(scope="module")
def tiny():
    return _ran(Town(small_scenario(TINY), seed=11), 10)


# ------------------------------------------------------------------ determinism
def test_same_scenario_and_seed_give_identical_tables():
    a = _ran(Town(small_scenario(), seed=5), 12)
    b = _ran(Town(small_scenario(), seed=5), 12)
    assert_frame_equal(a.daily, b.daily)
    assert_frame_equal(a.residents_frame(), b.residents_frame())
    assert nx.utils.graphs_equal(a.tie_graph(), b.tie_graph())


def test_same_seed_with_interventions_is_deterministic_too():
    spec = {"c": {"kind": "challenge", "start": 2, "end": 5}, "v": {"kind": "volunteering", "place": "cafe"}}
    a = _ran(Town(small_scenario(interventions=spec), seed=5, log_events=True), 8)
    b = _ran(Town(small_scenario(interventions=spec), seed=5, log_events=True), 8)
    assert_frame_equal(a.daily, b.daily)
    assert_frame_equal(a.events_frame(), b.events_frame())
    assert np.array_equal(a.interventions[0].participants, b.interventions[0].participants)


def test_different_seeds_give_different_tables():
    a = _ran(Town(small_scenario(), seed=5), 5)
    b = _ran(Town(small_scenario(), seed=6), 5)
    assert not a.daily.equals(b.daily)
    assert not a.residents_frame().equals(b.residents_frame())


def test_the_seed_defaults_to_the_scenario_seed():
    a = _ran(Town(small_scenario({"seed": 99})), 3)
    b = _ran(Town(small_scenario(), seed=99), 3)
    assert a.seed == 99
    assert_frame_equal(a.daily, b.daily)


def test_stepping_equals_running():
    a = _ran(Town(small_scenario(), seed=3), 6)
    b = Town(small_scenario(), seed=3)
    for _ in range(6):
        b.step()
    assert_frame_equal(a.daily, b.daily)


# ------------------------------------------------------------------ construction
def test_town_without_arguments_builds_the_default_scenario():
    town = Town()
    default = Scenario.default()
    assert town.config.values == default.values
    assert town.config.places == default.places
    assert len(town.residents) == default["population.size"]
    assert town.seed == default["seed"]
    assert isinstance(town, mesa.Model)
    town.run(days=1)
    assert len(town.daily) == 1


def test_town_from_keyword_values_alone_with_text_seed_equals_int_seed():
    """SolaraViz rebuilds the model from keyword values, and sends the seed as text."""
    from_text = _ran(Town(seed="7", **SMALL), 4)
    from_int = _ran(Town(seed=7, **SMALL), 4)
    from_scenario = _ran(Town(small_scenario(), seed=7), 4)
    assert len(from_text.residents) == SMALL["population.size"]
    assert from_text.seed == 7
    assert_frame_equal(from_text.daily, from_int.daily)
    assert_frame_equal(from_text.daily, from_scenario.daily)
    assert_frame_equal(_ran(Town(seed=" 7 ", **SMALL), 4).daily, from_int.daily)


@pytest.mark.parametrize("seed", [2**64 + 7, 2**63, -1, "7.5", "seven"])
def test_a_seed_outside_the_scenario_range_is_refused(seed):
    """numpy folds seeds beyond 2**63 - 1 onto smaller ones (2**64 + 7 drew what 7 draws): refused,
    as the command line and scenario files refuse them, with the allowed range."""
    with pytest.raises(ScenarioError, match=r"seed: must be a whole number from 0 to 9223372036854775807"):
        Town(small_scenario(), seed=seed)


def test_the_largest_allowed_seed_runs():
    assert Town(small_scenario(), seed=2**63 - 1).seed == 2**63 - 1


def test_keyword_values_override_a_given_scenario():
    town = Town(Scenario.default(), seed=1, **{"population.size": 80, "population.neighbourhood_size": 80,
                                               "decisions.fear_weight": 5.0})
    assert len(town.residents) == 80
    assert town.config["decisions.fear_weight"] == 5.0


@pytest.mark.parametrize("seed", ["abc", "", "7.5", "-1", "1e3", -3])
def test_bad_seed_raises_scenario_error(seed):
    with pytest.raises(ScenarioError) as err:
        Town(seed=seed, **SMALL)
    assert err.value.field == "seed"


def test_unknown_keyword_value_raises_scenario_error():
    with pytest.raises(ScenarioError):
        Town(seed=1, **{"population.sise": 100})


def test_town_from_a_shipped_scenario_name():
    town = Town(scenario="classroom", seed=1)
    assert town.config.name == "classroom"
    assert len(town.residents) == town.config["population.size"]


@pytest.mark.parametrize("days", [0, -1, 1.5, True, "3"])
def test_run_rejects_non_positive_or_non_whole_days(days):
    town = Town(small_scenario(TINY), seed=1)
    with pytest.raises(ValueError, match=r"^run\(days=\.\.\.\): days must be a whole number of at least 1"):
        town.run(days=days)
    assert len(town.daily) == 0


def test_run_accepts_numpy_whole_numbers():
    town = Town(small_scenario(TINY), seed=1)
    town.run(days=np.int64(3))
    assert town.day == 3 and len(town.daily) == 3


# ------------------------------------------------------------------ a day that fails half-way (issue 11)
def test_a_day_that_fails_half_way_refuses_to_continue(monkeypatch):
    town = Town(small_scenario(TINY), seed=1)
    town.run(days=2)

    def fail(*args):
        raise KeyboardInterrupt  # e.g. Ctrl-C in a notebook, in the middle of a day

    from nodding.model import day

    monkeypatch.setattr(day, "DAY", day.DAY[:-1] + (day.Stage("record", fail),))
    with pytest.raises(KeyboardInterrupt):
        town.step()
    monkeypatch.undo()
    # before the fix, every later step() returned at once, doing nothing and saying nothing
    for again in (town.step, lambda: town.run(days=3)):
        with pytest.raises(TownInterrupted, match="day 2 was interrupted"):
            again()
    assert town.day == 2


def test_timing_the_stages_runs_the_same_days_as_run():
    from nodding.model import day

    timed, plain = Town(small_scenario(TINY), seed=1), Town(small_scenario(TINY), seed=1)
    seconds = timed.time_stages(3)
    plain.run(days=3)
    assert_frame_equal(timed.daily, plain.daily)
    assert list(seconds) == day.stage_names() and min(seconds.values()) >= 0
    assert seconds["meet"] > 0 and seconds["day-parts"] >= seconds["meet"]
    timed.run(days=1)  # and the clock is off again
    assert timed.day == 4


def test_the_printed_day_lists_every_stage_in_order():
    from nodding.model import day

    lines = Town.stages().splitlines()
    names = [line.split(":")[0].split(" ", 1)[1].split(" (")[0] for line in (s.strip() for s in lines)]
    assert names == day.stage_names()


def test_ctrl_c_during_run_stops_after_a_whole_day():
    import os
    import signal

    town = Town(small_scenario(TINY), seed=1)

    def press_ctrl_c_on_day_3(k):
        if town.day == 3:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt, match="stopped after day 2"):
        town.run(days=10, progress=press_ctrl_c_on_day_3)
    assert town.day == 3 and len(town.daily) == 3
    town.run(days=2)  # the town is whole and goes on
    assert town.day == 5 and list(town.daily["day"]) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("ids", [[-1], [120], [10_000], [1.5], ["3"]])
def test_follow_and_resident_refuse_ids_that_do_not_exist(ids):
    town = Town(small_scenario({"population.size": 300, "population.neighbourhood_size": 300}), seed=1)
    with pytest.raises((IndexError, ValueError), match="resident"):
        town.follow(ids if ids != [120] else [300])
    with pytest.raises((IndexError, ValueError), match="resident"):
        town.resident(ids[0] if ids != [120] else 300)
    town.run(days=1)  # nothing half-followed: the town still runs


def test_tie_graph_names_the_allowed_levels():
    town = Town(small_scenario(TINY), seed=1)
    with pytest.raises(ValueError, match="familiar_face, nodding, greeting, acquaintance, friend"):
        town.tie_graph("friends")


def test_logs_have_typed_columns_before_anything_is_logged():
    town = Town(small_scenario(TINY), seed=1)
    events, history = town.events_frame(), town.history()
    assert list(events.columns) == EVENT_COLUMNS and events.empty
    assert events["welcomed"].dtype == bool and events["day"].dtype == np.int64
    assert "belonging" in history.columns and history.empty and history["resident"].dtype == np.int64
    town.run(days=1)
    assert town.events_frame().dtypes.to_dict() == events.dtypes.to_dict()
    assert town.history().dtypes.to_dict() == history.dtypes.to_dict()


def test_run_defaults_to_the_scenario_days_and_reports_progress():
    town = Town(small_scenario({**TINY, "days": 4}), seed=1)
    ticks = []
    town.run(progress=ticks.append)
    assert len(town.daily) == 4 and ticks == [1, 1, 1, 1]


# ------------------------------------------------------------------ daily table
def test_daily_has_the_design_columns_one_row_per_day(tiny):
    daily = tiny.daily
    missing = [c for c in DESIGN_COLUMNS if c not in daily.columns]
    assert not missing
    assert daily["day"].tolist() == list(range(10))
    assert daily[DESIGN_COLUMNS].notna().all().all()
    for column in ("mean_belonging", "lonely_share", "mean_fear", "mean_expected_acceptance", "acceptance_rate"):
        assert daily[column].between(0, 1).all(), column
    for column in DESIGN_COLUMNS[3:12]:
        assert (daily[column] >= 0).all() and pd.api.types.is_integer_dtype(daily[column]), column


def test_interaction_columns_add_up(tiny):
    daily = tiny.daily
    by_level = daily[[f"interactions_{x}" for x in INTERACTION_LEVELS]].sum(axis=1)
    by_kind = daily[[f"interactions_{x}" for x in PLACE_KINDS]].sum(axis=1)
    assert (by_level == by_kind).all()
    assert (daily["initiations"] - daily["rejections"] <= by_level).all()


def test_daily_means_match_the_residents(tiny):
    frame = tiny.residents_frame()
    last = tiny.daily.iloc[-1]
    for column, field in (("mean_belonging", "belonging"), ("mean_fear", "fear"),
                          ("mean_expected_acceptance", "expected_acceptance"), ("mean_weak_ties", "weak_ties"),
                          ("mean_strong_ties", "strong_ties"), ("mean_familiar_faces", "familiar_faces")):
        assert last[column] == pytest.approx(frame[field].mean()), column
    assert last["lonely_share"] == pytest.approx(frame.loc[frame["role"] != "child", "lonely"].mean())  # adults


def test_datacollector_is_mesas_and_matches_daily(tiny):
    assert isinstance(tiny.datacollector, mesa.DataCollector)
    collected = tiny.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    assert len(collected) == 10
    for column in ("mean_belonging", "interactions_chat", "acceptance_rate"):
        assert np.array_equal(collected[column].to_numpy(), tiny.daily[column].to_numpy())


# ------------------------------------------------------------------ residents, ties, places
def test_residents_frame_has_one_row_per_resident(tiny):
    frame = tiny.residents_frame()
    n = len(tiny.residents)
    assert len(frame) == n
    assert frame["resident"].tolist() == list(range(n))
    assert frame["name"].is_unique
    for column in ("sociability", "anxiety", "busyness", "belonging", "fear", "expected_acceptance", "support"):
        assert frame[column].between(0, 1).all(), column
    assert (frame["strong_ties"] > 0).mean() > 0.9


def test_tie_graph_has_every_resident_and_named_levels(tiny):
    graph = tiny.tie_graph()
    n = len(tiny.residents)
    assert isinstance(graph, nx.Graph) and not graph.is_directed()
    assert sorted(graph.nodes) == list(range(n))
    assert all(isinstance(v, int) for v in graph.nodes)
    levels = {d["level"] for _, _, d in graph.edges(data=True)}
    assert levels and levels <= set(FAMILIARITY_LEVELS)
    assert "friend" in levels
    assert not any(u == v for u, v in graph.edges)
    friends = tiny.tie_graph(min_level="friend")
    assert sorted(friends.nodes) == list(range(n))
    assert {d["level"] for _, _, d in friends.edges(data=True)} == {"friend"}
    assert friends.number_of_edges() < graph.number_of_edges()
    # every seeded strong tie is an edge
    counts = tiny.residents_frame()["strong_ties"].to_numpy()
    assert all(friends.degree(i) >= 1 for i in np.flatnonzero(counts > 0))


@pytest.mark.parametrize("min_level", ["familiar_face", "greeting", "friend"])
def test_the_edge_list_is_the_graphs_edges(tiny, min_level):
    """`tie_edges` (for towns too big for networkx) holds exactly `tie_graph`'s edges and levels, once a pair."""
    edges = tiny.tie_edges(min_level)
    graph = tiny.tie_graph(min_level)
    assert (edges["a"] < edges["b"]).all() and not edges.duplicated(["a", "b"]).any()
    assert {(a, b): str(lvl) for a, b, lvl in zip(edges["a"], edges["b"], edges["level"])} == \
        {(min(u, v), max(u, v)): d["level"] for u, v, d in graph.edges(data=True)}
    # a pair's edge carries the higher of its two views
    views = tiny.ties.edges()
    a, b = int(edges["a"].iloc[-1]), int(edges["b"].iloc[-1])
    both = views[((views.owner == a) & (views.other == b)) | ((views.owner == b) & (views.other == a))]
    assert edges["level"].cat.codes.iloc[-1] + 1 == both["level"].max()


def test_an_unknown_rung_is_refused_by_name(tiny):
    with pytest.raises(ValueError, match="min_level='pals': must be one of familiar_face, nodding"):
        tiny.tie_edges("pals")


def test_resident_view_reads_one_resident(tiny):
    ana = tiny.resident(0)
    frame = tiny.residents_frame()
    assert ana.name == frame.loc[0, "name"]
    assert ana.belonging == pytest.approx(frame.loc[0, "belonging"])
    ties = ana.ties()
    assert isinstance(ties, pd.DataFrame) and len(ties) > 0
    assert set(ties["level"]) <= set(LEVEL_NAMES)
    with pytest.raises(IndexError):
        tiny.resident(len(tiny.residents))


def test_whereabouts_are_valid_places_per_day_part(tiny):
    where = tiny.whereabouts
    n = len(tiny.residents)
    assert where.shape == (len(DAY_PARTS), n)
    assert where.min() >= 0 and where.max() < len(tiny.places)
    home = tiny.routines.home
    at_home = where == home[None, :]
    is_home_place = tiny.places.kind[where] == PLACE_KINDS.index("home")
    assert np.array_equal(at_home, is_home_place)  # nobody is in someone else's home
    assert at_home.any() and (~at_home).any()


def test_whereabouts_only_open_places():
    town = Town(small_scenario(TINY), seed=2)
    for _ in range(7):
        town.step()
        weekend = (town.day - 1) % 7 >= 5
        for part in range(4):
            place = town.whereabouts[part]
            public = place < town.places.n_public
            assert town.places.open_parts[place[public], part].all()
            if weekend:
                assert town.places.weekend[place[public]].all()


# ------------------------------------------------------------------ events and histories
def test_events_frame_columns_and_consistent_values(tiny):
    events = tiny.events_frame()
    assert tiny.log_events
    assert list(events.columns) == EVENT_COLUMNS
    assert len(events) == tiny.daily["initiations"].sum()
    assert (events["initiator"] != events["receiver"]).all()
    assert events["welcomed"].dtype == bool and events["helped"].dtype == bool
    assert events["day"].between(0, 9).all()
    assert set(events["part"]) <= set(DAY_PARTS)
    assert set(events["interaction"]) <= set(INTERACTION_LEVELS)
    assert set(events["familiarity"]) <= set(LEVEL_NAMES)
    assert events["expected"].between(0, 1).all()
    n = len(tiny.residents)
    assert events["initiator"].between(0, n - 1).all() and events["receiver"].between(0, n - 1).all()
    assert events["place"].between(0, len(tiny.places) - 1).all()
    at_home = tiny.places.kind[events["place"].to_numpy()] == PLACE_KINDS.index("home")
    chat = (events["interaction"] == "chat") & events["welcomed"] & ~at_home  # no liking gap within a household
    assert chat.any() and (chat & at_home).sum() == 0
    assert events.loc[chat, "felt_liking"].notna().all() and events.loc[~chat, "felt_liking"].isna().all()
    assert events.loc[chat, "felt_liking"].between(0, tiny.config["liking.true_mean"]).all()
    assert (events["helped"] == ((events["interaction"] == "help") & events["welcomed"])).all()


def test_events_add_up_to_the_daily_counts(tiny):
    events, daily = tiny.events_frame(), tiny.daily.set_index("day")
    per_day = events.groupby("day")
    assert (per_day.size() == daily["initiations"]).all()
    assert ((~events["welcomed"]).groupby(events["day"]).sum() == daily["rejections"]).all()
    welcomed = events[events["welcomed"]]
    # nods, greetings and help happen only in shared places (strong-tie calls and visits are chats)
    for level in ("nod", "greeting", "help"):
        counted = (welcomed["interaction"] == level).groupby(welcomed["day"]).sum().reindex(daily.index, fill_value=0)
        assert (counted == daily[f"interactions_{level}"]).all(), level
    kind = pd.Series(np.array(PLACE_KINDS)[tiny.places.kind[welcomed["place"].to_numpy()]], index=welcomed.index)
    for place_kind in ("third_place", "transitory", "work"):
        counted = (kind == place_kind).groupby(welcomed["day"]).sum().reindex(daily.index, fill_value=0)
        assert (counted == daily[f"interactions_{place_kind}"]).all(), place_kind


def test_event_log_is_off_for_large_towns_unless_asked():
    assert not Town(small_scenario(), seed=1).log_events
    logged = _ran(Town(small_scenario(), seed=1, log_events=True), 2)
    assert len(logged.events_frame()) == logged.daily["initiations"].sum()
    assert Town(small_scenario(TINY), seed=1, log_events=False).events_frame().empty


def test_history_of_a_followed_resident_has_one_row_per_day(tiny):
    history = tiny.history(3)
    assert history["day"].tolist() == list(range(10))
    assert (history["resident"] == 3).all()
    assert history["belonging"].iloc[-1] == pytest.approx(tiny.resident(3).belonging)
    assert tiny.resident(3).history().equals(history)
    assert len(tiny.history()) == 10 * len(tiny.residents)
    places = history[[f"place_{part}" for part in DAY_PARTS]].to_numpy()
    assert places[-1].tolist() == tiny.whereabouts[:, 3].tolist()


def test_following_residents_in_a_large_town():
    town = Town(small_scenario(), seed=1)
    town.run(days=2)
    assert town.history(5).empty
    town.follow([5, 7])
    town.run(days=3)
    assert town.history(5)["day"].tolist() == [2, 3, 4]
    assert set(town.history()["resident"]) == {5, 7}


def test_same_results_whatever_the_number_of_threads(tmp_path):
    """The compiled kernels run on all cores; each iteration writes only its own outputs."""
    import os
    import subprocess
    import sys

    script = ("from nodding import Town\n"
              "t = Town(seed=11, **{'population.size': 400, 'population.neighbourhood_size': 200})\n"
              "t.run(8)\n"
              "print(t.daily.to_csv(index=False) + t.residents_frame().to_csv(index=False))\n")
    outputs = []
    for threads in ("1", "2"):
        env = {**os.environ, "NUMBA_NUM_THREADS": threads}
        run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000


def test_places_frame_describes_every_place_for_a_map():
    town = Town(scenario="classroom", seed=2)
    places = town.places_frame()
    assert len(places) == len(town.places) and places["place"].tolist() == list(range(len(town.places)))
    assert set(places["kind"]) == {"home", "third_place", "transitory", "work", "online"}
    assert (places.loc[places["kind"] == "home", "use"] == "home").all()
    assert places[["x", "y"]].apply(lambda c: c.between(0, 1)).all().all()  # one neighbourhood: the unit square
    assert places["label"].is_unique
    # where everyone is, in each day-part, is a place in this table
    town.run(1)
    assert set(town.whereabouts.ravel()) <= set(places["place"])


# ------------------------------------------------------------------ size (issue 11, item 12)
def test_a_town_smaller_than_a_neighbourhood_gets_places_for_its_size():
    small = Town(Scenario.default().with_values({"population.size": 500}), seed=1)
    kinds = small.places_frame().query("kind != 'home'")["use"].value_counts()
    assert kinds["work"] == 8  # 30 workplaces serve 2,000 residents


def test_ties_per_resident_do_not_depend_on_the_town_size():
    def strong_and_weak(n):
        town = Town(Scenario.default().with_values({"population.size": n}), seed=1)
        town.run(days=120)
        last = town.daily.iloc[-14:]
        return last["mean_strong_ties"].mean(), last["mean_weak_ties"].mean()

    (strong_small, weak_small), (strong_full, weak_full) = strong_and_weak(500), strong_and_weak(2000)
    assert strong_small == pytest.approx(strong_full, rel=0.15)
    assert weak_small == pytest.approx(weak_full, rel=0.25)
