"""The dashboard's rules without a browser: typed input, narration, the text tables, `nodding dashboard`."""

from __future__ import annotations

import re

import pytest

from dashboards import text
from dashboards.narration import annotate
from dashboards.session import MAX_RESIDENTS, NETWORK_MAX, TownSession, check, parse_number
from nodding.cli import main


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
