"""Targets, self-selected uptake, the groups every run knows, and the per-resident panel (issue 24, items 1-2)."""
from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nodding import Scenario, Town, cli
from nodding.model.groups import regulars_today

SMALL = {"population.size": 300, "population.neighbourhood_size": 300, "warmup": 10}


def challenge(**fields) -> dict:
    return {"interventions": {"week": {"kind": "challenge", "start": 2, "end": 8, **fields}}}


def scenario(extra: dict | None = None, **values) -> Scenario:
    data = {"name": "t", **(extra or {})}
    return Scenario.from_dict(data).with_values({**SMALL, **values})


def run_cli(tmp_path: Path, argv: list[str]) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        with redirect_stderr(err), redirect_stdout(out):
            code = cli.main(argv)
    finally:
        os.chdir(here)
    return code, err.getvalue()


def toml(intervention: str, top: str = "", population: str = "") -> str:
    return (f'name = "bad"\nwarmup = 5\n{top}[population]\nsize = 120\nneighbourhood_size = 120\n{population}'
            f'[interventions.week]\nkind = "challenge"\nstart = 1\nend = 3\n{intervention}\n')


@pytest.mark.parametrize("fields, top, named", [
    ('target = "seniors"', "", ["interventions.week.target", "did you mean senior"]),
    ('target = "regulars:nowhere"', "", ["interventions.week.target", "no place named 'nowhere'"]),
    ('target = "neighbourhood:3"', "", ["interventions.week.target", "neighbourhoods 0 to 0"]),
    ('target = "senior"', "", []),  # fine: the control case is in the test below
    ('uptake = 1.5', "", ["interventions.week.uptake", "from 0 to 1"]),
    ('uptake = -0.1', "", ["interventions.week.uptake"]),
    ('uptake_anxiety = -2.0', "", ["interventions.week.uptake_anxiety", "need an uptake"]),
])
def test_bad_target_or_uptake_is_one_line_exit_2_and_nothing_written(tmp_path, fields, top, named):
    (tmp_path / "bad.toml").write_text(toml(fields, top))
    code, message = run_cli(tmp_path, ["run", "bad.toml", "--days", "4", "--quiet"])
    if not named:
        assert code == 0, message
        return
    assert code == 2 and message.startswith("error: ") and message.count("\n") == 1, message
    for words in named:
        assert words in message, message
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize("fields, top, population", [
    ('target = "senior"', "", "age_65_plus = 0.0\nage_45_65 = 0.47\n"),
    ('target = "lonely"', "[belonging]\nlonely_below = 0.0\n", ""),  # known only on the start day
])
def test_a_target_that_selects_nobody_is_refused_with_the_intervention_named(tmp_path, fields, top, population):
    (tmp_path / "bad.toml").write_text(toml(fields, "", population) + top)
    code, message = run_cli(tmp_path, ["run", "bad.toml", "--days", "4", "--quiet"])
    assert code == 2 and message.count("\n") == 1, message
    assert "interventions.week.target" in message and "selects nobody" in message, message
    assert not (tmp_path / "runs").exists()


def test_without_target_and_uptake_the_spec_and_draws_are_as_before():
    s = scenario(challenge(share=0.3))
    assert "target" not in s.interventions["week"] and "uptake" not in s.interventions["week"]
    town = Town(s, seed=3)
    draws = np.random.default_rng([3, __import__("zlib").crc32(b"week")]).random(300)
    assert np.array_equal(town.interventions[0].draw_participants(town), np.flatnonzero(draws < 0.3))


@pytest.mark.parametrize("target", ["living_alone", "senior", "anxious", "neighbourhood:0"])
def test_target_restricts_participants_to_the_group(target):
    town = Town(scenario(challenge(target=target, uptake=0.5)), seed=4)
    town.run(3)
    groups = town.groups()
    taking_part, targeted = groups["participant:week"], groups["target:week"]
    assert taking_part.any() and not (taking_part & ~targeted).any()
    assert 0.3 < taking_part.sum() / targeted.sum() < 0.7


def test_uptake_share_is_respected_within_sampling_error():
    s = Scenario.from_dict({"name": "t", **challenge(uptake=0.3)}).with_values(
        {"population.size": 4000, "population.neighbourhood_size": 4000, "warmup": 0})
    town = Town(s, seed=5)
    iv = town.interventions[0]
    share = len(iv.draw_participants(town)) / 4000
    assert abs(share - 0.3) < 4 * np.sqrt(0.3 * 0.7 / 4000)


def test_uptake_falls_with_social_anxiety_when_the_uptake_model_says_so():
    def by_anxiety(weight):
        s = Scenario.from_dict({"name": "t", **challenge(uptake=0.3, uptake_anxiety=weight, uptake_loneliness=0.0)}
                               ).with_values({"population.size": 4000, "population.neighbourhood_size": 4000, "warmup": 0})
        town = Town(s, seed=6)
        p = np.zeros(4000, dtype=bool)
        p[town.interventions[0].draw_participants(town)] = True
        anxious = town.residents.anxiety >= np.quantile(town.residents.anxiety, 0.75)
        calm = town.residents.anxiety <= np.quantile(town.residents.anxiety, 0.25)
        return p[anxious].mean(), p[calm].mean()

    anxious, calm = by_anxiety(-6.0)
    assert anxious < calm - 0.1
    anxious, calm = by_anxiety(0.0)  # no self-selection: no difference beyond sampling error
    assert abs(anxious - calm) < 0.06


def test_regulars_of_a_closing_place_are_those_whose_routine_had_it_before_the_start():
    close = {"interventions": {"shut": {"kind": "close_place", "place": "community_centre", "start": 20}}}
    # no turnover: the regulars are exactly the routine's on the start day
    town = Town(scenario(close, **{"routines.turnover": 0.0}), seed=7)
    town.run(21)
    assert np.array_equal(town.groups()["regular:shut"], regulars_today(town, "community_centre"))
    # with turnover: everyone whose routine had the centre on a day of the window (days 12-40), and no one else
    close["interventions"]["shut"]["start"] = 40
    town = Town(scenario(close, **{"routines.turnover": 100.0}), seed=7)
    seen = np.zeros(300, dtype=bool)
    while town.day <= 40:
        town.step()
        if town.day - 1 >= 40 - 28:  # the routines as that day ran (they turn over in its first stage)
            seen |= regulars_today(town, "community_centre")
    regular = town.groups()["regular:shut"]
    assert np.array_equal(regular, seen)
    assert regular.sum() > regulars_today(town, "community_centre").sum()  # not only the start day's
    assert not (regular & town.groups()["others:shut"]).any()


def test_residents_csv_has_the_group_flags_and_panel_parquet_one_row_per_resident_and_week(tmp_path):
    text = toml('target = "living_alone"\nuptake = 0.5').replace(
        "[interventions.week]", '[interventions.shut]\nkind = "close_place"\nplace = "library"\nstart = 2\n\n[interventions.week]')
    (tmp_path / "s.toml").write_text(text)
    code, message = run_cli(tmp_path, ["run", "s.toml", "--days", "10", "--quiet", "--panel", "--out", "out"])
    assert code == 0, message
    residents = pd.read_csv(tmp_path / "out" / "residents.csv")
    for column in ("living_alone", "target:week", "participant:week", "others:week", "regular:shut", "others:shut"):
        assert residents[column].dtype == bool, column
    assert residents["participant:week"].sum() > 0
    assert not (residents["participant:week"] & ~residents["target:week"]).any()
    assert (residents["target:week"] == residents["living_alone"]).all()
    panel = pd.read_parquet(tmp_path / "out" / "panel.parquet")
    assert len(panel) == 120 * 2 and not panel.duplicated(["resident", "week"]).any()
    assert panel["days"].tolist()[0] == 7 and panel["days"].tolist()[-1] == 3
    assert {"belonging", "lonely", "weak_contacts", "strong_contacts", "strong_ties", "weak_ties"} <= set(panel)


def test_panel_rows_pair_by_resident_across_scenarios():
    a = Town(scenario(), seed=8, panel=True)
    b = Town(scenario(challenge(uptake=0.5)), seed=8, panel=True)
    a.run(14), b.run(14)
    pa, pb = a.panel_frame(), b.panel_frame()
    assert pa[["resident", "week"]].equals(pb[["resident", "week"]])
    first = pa["week"] == 0  # the challenge starts on day 2: week 0 differs, but the rows pair
    assert len(pa[first]) == 300


def test_participants_gain_more_than_non_participants_of_the_same_target_group():
    """Effects, not levels: each resident's belonging against the same resident in the paired baseline."""
    values = {"population.size": 600, "population.neighbourhood_size": 600, "warmup": 20}
    week = {"interventions": {"week": {"kind": "challenge", "start": 5, "end": 40, "target": "living_alone",
                                       "uptake": 0.5, "propensity": 2.0, "fear_learning": 5.0}}}
    changed = Town(Scenario.from_dict({"name": "t", **week}).with_values(values), seed=9)
    baseline = Town(Scenario.from_dict({"name": "b"}).with_values(values), seed=9)
    changed.run(45), baseline.run(45)
    effect = changed.residents.belonging - baseline.residents.belonging
    groups = changed.groups()
    taking_part, targeted = groups["participant:week"], groups["target:week"]
    assert effect[taking_part].mean() > effect[targeted & ~taking_part].mean()


def test_the_shipped_targeted_challenge_reaches_part_of_those_living_alone():
    s = Scenario.named("living_alone_challenge").with_values({**SMALL, "interventions.living_alone_week.start": 2})
    town = Town(s, seed=10)
    town.run(3)
    g = town.groups()
    assert g["participant:living_alone_week"].sum() > 0
    assert not (g["participant:living_alone_week"] & ~g["target:living_alone_week"]).any()
