"""Each intervention kind's direction of effect, against the same town and seeds without it.

Small towns (300 residents, one neighbourhood), 15-30 days, three seeds; towns
that only need reading are cached in conftest.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SEEDS, mean, place_events, run_town, seed_mean, small_scenario, total
from model import Scenario, Town
from model.parameters import INTERVENTION_FIELDS
from model.routines import ERRAND, LEISURE, OUTING


def _events_at(place: str, first: int = 0, last: int = 10**9):
    def measure(town):
        events = place_events(town, place)
        return float(events["day"].between(first, last).sum())
    return measure


def _trajectory(town: Town, days: int, read) -> np.ndarray:
    """Step `town` day by day, recording `read(town)` after each day."""
    out = []
    for _ in range(days):
        town.step()
        out.append(read(town))
    return np.array(out)


# ------------------------------------------------------------------ places
CLOSE_CENTRE = {"close": {"kind": "close_place", "place": "community_centre", "start": 5, "end": 14}}


def test_closing_the_community_centre_stops_its_interactions_and_they_recover_after():
    during = seed_mean(_events_at("community_centre", 5, 14), interventions=CLOSE_CENTRE, days=30, log_events=True)
    control_during = seed_mean(_events_at("community_centre", 5, 14), days=30, log_events=True)
    after = seed_mean(_events_at("community_centre", 15), interventions=CLOSE_CENTRE, days=30, log_events=True)
    control_after = seed_mean(_events_at("community_centre", 15), days=30, log_events=True)
    assert control_during > 20 and during == 0
    assert after > 0.6 * control_after


def test_closing_the_community_centre_lowers_third_place_interactions_during_the_closure():
    window = slice(5, 15)
    closed = seed_mean(total("interactions_third_place", window), interventions=CLOSE_CENTRE, days=30)
    control = seed_mean(total("interactions_third_place", window), days=30)
    assert closed < 0.85 * control
    after = slice(18, 30)  # a few days to settle back into routine
    reopened = seed_mean(total("interactions_third_place", after), interventions=CLOSE_CENTRE, days=30)
    assert reopened > 0.75 * seed_mean(total("interactions_third_place", after), days=30)


def _visits_per_day(town: Town, place: str, days: int) -> np.ndarray:
    ids = town.places.of_spec(place)
    return _trajectory(town, days, lambda t: int(np.isin(t.whereabouts, ids).sum()))


def test_a_closure_keeps_people_out_exactly_from_start_to_end():
    spec = {"close": {"kind": "close_place", "place": "community_centre", "start": 3, "end": 6}}
    for seed in SEEDS:
        visits = _visits_per_day(Town(small_scenario(interventions=spec), seed=seed), "community_centre", 10)
        assert (visits[3:7] == 0).all()
        assert (visits[[0, 1, 2, 7, 8, 9]] > 0).all(), visits


def test_opening_a_place_opens_it_exactly_from_start_to_end():
    spec = {"new": {"kind": "open_place", "place": "library", "start": 3, "end": 6}}
    for seed in SEEDS:
        visits = _visits_per_day(Town(small_scenario(interventions=spec), seed=seed), "library", 10)
        assert (visits[:3] == 0).all() and (visits[7:] == 0).all()
        assert visits[3:7].sum() > 0, visits


def test_opening_a_place_adds_interactions_there():
    spec = {"new": {"kind": "open_place", "place": "community_centre", "start": 10}}
    assert seed_mean(_events_at("community_centre", 0, 9), interventions=spec, log_events=True) == 0
    assert seed_mean(_events_at("community_centre", 0, 9), log_events=True) > 10
    opened = [_events_at("community_centre", 10)(run_town(interventions=spec, seed=s, log_events=True)) for s in SEEDS]
    assert min(opened) > 0
    assert np.mean(opened) > 0.4 * seed_mean(_events_at("community_centre", 10), log_events=True)


def test_adding_hosts_raises_interactions_at_the_place():
    spec = {"host": {"kind": "add_hosts", "place": "cafe", "hosts": 1}}
    hosted = seed_mean(_events_at("cafe"), interventions=spec, log_events=True)
    assert hosted > 1.25 * seed_mean(_events_at("cafe"), log_events=True)
    # only while it lasts
    late = {"host": spec["host"] | {"start": 10}}
    assert seed_mean(_events_at("cafe", 0, 9), interventions=late, log_events=True) == \
        seed_mean(_events_at("cafe", 0, 9), log_events=True)


# ------------------------------------------------------------------ people
def test_challenge_participants_lose_fear_faster_and_stay_less_afraid_a_week_after():
    spec = {"challenge": {"kind": "challenge", "share": 0.3, "start": 3, "end": 9}}
    drop_in_week, drop_control, after_week, after_control = [], [], [], []
    for seed in SEEDS:
        town = Town(small_scenario(interventions=spec), seed=seed)
        fear = _trajectory(town, 17, lambda t: t.residents.fear.copy())
        p = town.interventions[0].participants
        control = _trajectory(Town(small_scenario(), seed=seed), 17, lambda t: t.residents.fear.copy())
        drop_in_week.append(fear[2, p].mean() - fear[9, p].mean())
        drop_control.append(control[2, p].mean() - control[9, p].mean())
        after_week.append(fear[16, p].mean())
        after_control.append(control[16, p].mean())
        # day by day during the week, participants' fear falls
        assert np.all(np.diff(fear[3:10, p].mean(axis=1)) < 0)
    assert np.mean(drop_in_week) > 0.03 and np.mean(drop_in_week) > 2 * np.mean(drop_control)
    assert np.mean(after_week) < np.mean(after_control) - 0.02


def participants_initiation_ratio(spec: dict, days: int) -> float:
    """Interactions participants start with the intervention / without it, mean over seeds."""
    ratio = []
    for seed in SEEDS:
        town = run_town(interventions=spec, seed=seed, days=days, log_events=True)
        control = run_town(seed=seed, days=days, log_events=True)
        p = town.interventions[0].participants
        ratio.append(town.events_frame()["initiator"].isin(p).sum() / control.events_frame()["initiator"].isin(p).sum())
    return float(np.mean(ratio))


def test_challenge_participants_start_more_interactions():
    spec = {"challenge": {"kind": "challenge", "share": 0.3, "start": 0, "end": 6}}
    assert participants_initiation_ratio(spec, days=7) > 1.15


def test_conversation_training_lowers_fear_and_raises_expected_acceptance():
    spec = {"training": {"kind": "conversation_training", "share": 0.5, "start": 2}}
    trained_fear = seed_mean(mean("mean_fear", slice(2, None)), interventions=spec)
    assert trained_fear < seed_mean(mean("mean_fear", slice(2, None))) - 0.02
    trained_acceptance = seed_mean(mean("mean_expected_acceptance", slice(2, None)), interventions=spec)
    assert trained_acceptance > seed_mean(mean("mean_expected_acceptance", slice(2, None))) + 0.04
    # before the training nothing differs
    assert seed_mean(mean("mean_fear", slice(0, 2)), interventions=spec) == seed_mean(mean("mean_fear", slice(0, 2)))


def test_conversation_training_calibrates_participants_toward_true_receptivity():
    spec = {"training": {"kind": "conversation_training", "share": 1.0, "start": 0, "calibration": 1.0}}
    town = Town(small_scenario(interventions=spec), seed=1)
    before = town.residents.expected_acceptance.copy()
    town.step()
    receptivity = town.config["response.receptivity"]
    assert np.abs(town.residents.resting_acceptance - receptivity).max() < 1e-9
    assert town.residents.expected_acceptance.mean() > before.mean() + 0.3


def test_greeting_excuses_raise_participants_initiations():
    spec = {"excuses": {"kind": "greeting_excuses", "share": 0.5}}
    assert participants_initiation_ratio(spec, days=10) > 1.08
    assert seed_mean(total("initiations"), interventions=spec) > seed_mean(total("initiations"))


# ------------------------------------------------------------------ tills
def test_self_checkout_lowers_interactions_at_the_supermarket():
    spec = {"tills": {"kind": "self_checkout", "place": "supermarket"}}
    fewer = seed_mean(_events_at("supermarket"), interventions=spec, log_events=True)
    assert fewer < 0.7 * seed_mean(_events_at("supermarket"), log_events=True)


def test_chat_checkout_raises_interactions_at_the_supermarket():
    spec = {"tills": {"kind": "chat_checkout", "place": "supermarket"}}
    more = seed_mean(_events_at("supermarket"), interventions=spec, log_events=True)
    assert more > 1.2 * seed_mean(_events_at("supermarket"), log_events=True)


def test_chat_checkout_beats_self_checkout_on_transitory_interactions():
    chat = seed_mean(total("interactions_transitory"),
                     interventions={"tills": {"kind": "chat_checkout", "place": "supermarket", "affordance": 0.6}})
    self_service = seed_mean(total("interactions_transitory"),
                             interventions={"tills": {"kind": "self_checkout", "place": "supermarket",
                                                      "contact_reduction": 1.0}})
    assert chat > 1.05 * self_service


# ------------------------------------------------------------------ going out
def _low_mobility_outings(spec, seed):
    """(day-parts spent on outings and in third places, interactions on free-time visits) of low-mobility residents."""
    town = Town(small_scenario(interventions=spec), seed=seed, log_events=True)
    low = np.flatnonzero(town.residents.mobility < 1.0)
    free_time = np.isin(town.places.use, (OUTING, LEISURE))
    parts = _trajectory(town, 20, lambda t: int(free_time[t.whereabouts[:, low]].sum())).sum()
    events = town.events_frame()
    out = events[np.isin(town.places.use[events["place"].to_numpy()], (ERRAND, OUTING, LEISURE))]
    return parts, int(out["initiator"].isin(low).sum() + out["receiver"].isin(low).sum())


def test_mobility_support_raises_outings_and_interactions_of_low_mobility_residents():
    spec = {"support": {"kind": "mobility_support", "share": 1.0, "mobility": 1.0}}
    supported = np.array([_low_mobility_outings(spec, s) for s in SEEDS])
    control = np.array([_low_mobility_outings(None, s) for s in SEEDS])
    assert supported[:, 0].mean() > 1.8 * control[:, 0].mean()
    assert supported[:, 1].mean() > 1.5 * control[:, 1].mean()


def test_volunteering_raises_third_place_interactions():
    spec = {"volunteers": {"kind": "volunteering", "place": "community_centre", "share": 0.3}}
    more = seed_mean(total("interactions_third_place"), interventions=spec)
    assert more > 1.2 * seed_mean(total("interactions_third_place"))
    at_centre = seed_mean(_events_at("community_centre"), interventions=spec, log_events=True)
    assert at_centre > 1.5 * seed_mean(_events_at("community_centre"), log_events=True)


def test_volunteers_keep_a_slot_that_exists_at_their_place_and_get_their_routine_back():
    spec = {"volunteers": {"kind": "volunteering", "place": "library", "share": 0.5, "start": 1, "end": 3}}
    town = Town(small_scenario(interventions=spec), seed=1)
    routine = town.routines
    before = (routine.anchor[:, LEISURE].copy(), routine.slot[:, LEISURE].copy(), routine.part[:, LEISURE].copy())
    town.run(days=2)
    p = town.interventions[0].participants
    assert len(p) > 100
    assert np.isin(routine.anchor[p, LEISURE], town.places.of_spec("library")).all()
    assert (routine.slot[p, LEISURE] < town.places.slots[routine.anchor[p, LEISURE]]).all()
    assert town.places.open_parts[routine.anchor[p, LEISURE], routine.part[p, LEISURE]].all()
    town.run(days=3)  # the day after the end restores the old routine
    for now, then in zip((routine.anchor[:, LEISURE], routine.slot[:, LEISURE], routine.part[:, LEISURE]), before):
        assert np.array_equal(now, then)


# ------------------------------------------------------------------ crises
BLACKOUT = {"blackout": {"kind": "blackout", "start": 5, "end": 9}}


def test_blackout_stops_online_and_transit_and_brings_more_help():
    window = slice(5, 10)

    def in_transit(town):
        return _events_at("bus_stop", 5, 9)(town) + _events_at("train", 5, 9)(town)

    assert seed_mean(total("interactions_online", window), interventions=BLACKOUT, log_events=True) == 0
    assert seed_mean(in_transit, interventions=BLACKOUT, log_events=True) == 0
    assert seed_mean(in_transit, log_events=True) > 50
    assert seed_mean(total("interactions_help", window), interventions=BLACKOUT, log_events=True) > \
        2 * seed_mean(total("interactions_help", window), log_events=True)
    # power back: online contact resumes
    assert seed_mean(total("interactions_online", slice(10, 20)), interventions=BLACKOUT, log_events=True) > 0.7 * \
        seed_mean(total("interactions_online", slice(10, 20)), log_events=True)


LOCKDOWN = {"lockdown": {"kind": "lockdown", "start": 3, "end": 12}}


def test_lockdown_closes_third_places_and_work_and_moves_contact_online():
    window = slice(3, 13)
    for column in ("interactions_third_place", "interactions_work"):
        assert seed_mean(total(column, window), interventions=LOCKDOWN) == 0
        assert seed_mean(total(column, window)) > 0
    assert seed_mean(total("interactions_online", window), interventions=LOCKDOWN) > \
        1.4 * seed_mean(total("interactions_online", window))
    # reopening
    assert seed_mean(total("interactions_work", slice(14, 20)), interventions=LOCKDOWN) > 0


def test_fear_jumps_after_a_lockdown_ends():
    def jump(town):
        return float(town.daily["mean_fear"].iloc[13] - town.daily["mean_fear"].iloc[12])

    reentry = LOCKDOWN["lockdown"] | {"reentry_fear": 0.15}
    assert seed_mean(jump, interventions={"lockdown": reentry}) > 0.1
    assert abs(seed_mean(jump)) < 0.02
    assert seed_mean(jump, interventions={"lockdown": reentry | {"reentry_fear": 0.0}}) < 0.02


# ------------------------------------------------------------------ combining and scheduling
def test_two_interventions_combine_in_one_scenario():
    both = {**CLOSE_CENTRE, "host": {"kind": "add_hosts", "place": "cafe", "hosts": 1}}
    town = run_town(interventions=both, days=30, log_events=True)
    assert [type(iv).__name__ for iv in town.interventions] == ["ClosePlace", "AddHosts"]
    assert seed_mean(_events_at("community_centre", 5, 14), interventions=both, days=30, log_events=True) == 0
    hosted = seed_mean(_events_at("cafe"), interventions=both, days=30, log_events=True)
    assert hosted > 1.25 * seed_mean(_events_at("cafe"), days=30, log_events=True)
    # and each alone gives the same closure
    assert seed_mean(_events_at("community_centre", 5, 14), interventions=CLOSE_CENTRE, days=30,
                     log_events=True) == 0


def test_two_crises_back_to_back():
    spec = {"blackout": {"kind": "blackout", "start": 2, "end": 4}, "lockdown": {"kind": "lockdown", "start": 6, "end": 9}}
    daily = run_town(interventions=spec, days=12).daily
    assert (daily["interactions_online"].iloc[2:5] == 0).all()
    assert (daily["interactions_online"].iloc[6:10] > 0).all()
    assert (daily["interactions_third_place"].iloc[6:10] == 0).all()


def _spec(kind: str, start: int, end: int) -> dict:
    spec = {"kind": kind, "start": start}
    if "end" in INTERVENTION_FIELDS[kind]:
        spec["end"] = end
    if "place" in INTERVENTION_FIELDS[kind]:
        spec["place"] = "supermarket" if "checkout" in kind else "library"
    return spec


@pytest.mark.parametrize("kind", sorted(INTERVENTION_FIELDS))
def test_intervention_objects_are_active_exactly_from_start_to_end(kind):
    end = 6 if "end" in INTERVENTION_FIELDS[kind] else 3  # one-off kinds last one day
    scenario = Scenario.from_dict({"interventions": {"x": _spec(kind, 3, end)}})
    (iv,) = Town(scenario.with_values({"population.size": 50, "population.neighbourhood_size": 50}), seed=1).interventions
    assert (iv.start, iv.end) == (3, end)
    assert [d for d in range(12) if iv.active(d)] == list(range(3, end + 1))


@pytest.mark.parametrize("kind", sorted(k for k in INTERVENTION_FIELDS if "end" in INTERVENTION_FIELDS[k]))
def test_intervention_without_end_lasts_until_the_run_ends(kind):
    spec = _spec(kind, 2, -1)
    spec.pop("end")
    scenario = Scenario.from_dict({"interventions": {"x": spec}})
    (iv,) = Town(scenario.with_values({"population.size": 50, "population.neighbourhood_size": 50}), seed=1).interventions
    assert iv.end == -1
    assert [iv.active(d) for d in (0, 1, 2, 100, 10_000)] == [False, False, True, True, True]


def test_intervention_participants_are_drawn_when_it_begins_and_reproducibly():
    spec = {"challenge": {"kind": "challenge", "share": 0.3, "start": 4, "end": 6}}
    a, b = (Town(small_scenario(interventions=spec), seed=9) for _ in range(2))
    a.run(days=4)
    assert len(a.interventions[0].participants) == 0  # not yet begun
    a.step()
    b.run(days=5)
    p = a.interventions[0].participants
    assert 60 < len(p) < 120
    assert np.array_equal(p, b.interventions[0].participants)
