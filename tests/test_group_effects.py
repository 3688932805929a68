"""Effects by group of residents (issue 24, items 3-4): per-resident outcomes in the cache, paired by resident.

Small towns (300 residents), short runs, an intervention that starts early (day 3 to 5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nodding.experiments import compare, execute
from nodding.experiments.design import compare_design
from nodding.experiments.summarise import effects, group_effects, hedges_g, run_means
from test_experiments import InlineExecutor, small

DAYS, WINDOW, REPLICATES = 40, 20, 3


def centre_closes():
    return small("centre_closes", close_centre={"kind": "close_place", "place": "community_centre", "start": 5})


def challenge():
    return small("challenge", week={"kind": "challenge", "target": "living_alone", "uptake": 0.5, "propensity": 1.0,
                                    "fear_learning": 3.0, "start": 3, "end": 9})


@pytest.fixture(scope="module")
def closure():
    return compare([small(), centre_closes()], replicates=REPLICATES, days=DAYS, window=WINDOW, seed=4,
                   executor=InlineExecutor(), progress=False)


def _rows(result, group, metric="belonging_points"):
    eff = result.effects
    return eff[(eff["group"] == group) & (eff["metric"] == metric)].iloc[0]


def test_hedges_g_on_known_numbers():
    baseline = np.array([0.0, 1.0, 2.0, 3.0, 4.0])  # SD (ddof 1) sqrt(2.5)
    g = hedges_g(np.full(5, 1.0), baseline)
    assert g == pytest.approx(1 / np.sqrt(2.5) * (1 - 3 / (4 * 4 - 1)))
    assert np.isnan(hedges_g(np.ones(3), np.ones(3)))  # no spread: no standardised difference


def test_effects_have_groups_and_the_town_rows_are_unchanged(closure):
    eff = closure.effects
    assert {"group", "group_size", "hedges_g", "g_ci_low", "g_ci_high", "lonely_per_100"} <= set(eff.columns)
    town = eff[eff["group"] == "town"]
    today = effects(run_means(closure.runs, WINDOW), "baseline")
    pd.testing.assert_frame_equal(town[today.columns].reset_index(drop=True), today)
    assert set(eff["group"]) >= {"town", "regulars of close_centre", "everyone else (close_centre)", "living alone",
                                 "not living alone", "role: senior"}


def test_group_sizes_match_the_flags(closure):
    spec_tables = execute(list(closure.design.specs), InlineExecutor(), progress=False).residents
    flags = [t for spec, t in zip(closure.design.specs, spec_tables) if spec.scenario == "centre_closes"]
    for group, column in (("regulars of close_centre", "regular:close_centre"),
                          ("everyone else (close_centre)", "others:close_centre"), ("living alone", "living_alone")):
        assert _rows(closure, group)["group_size"] == pytest.approx(np.mean([t[column].sum() for t in flags]))
    town = [t for spec, t in zip(closure.design.specs, spec_tables) if spec.scenario == "centre_closes"]
    assert _rows(closure, "town")["group_size"] == pytest.approx(np.mean([len(t) for t in town]))
    assert all(len(t) <= 300 for t in town)


def test_paired_runs_keep_the_same_residents_present_all_along(closure):
    """Life events do not depend on interventions: both runs of a pair keep the same slots with the same persons;
    a resident who left (or a newcomer) is not in the table, and a newcomer would have a new person id."""
    specs = list(closure.design.specs)
    tables = execute(specs, InlineExecutor(), progress=False).residents
    by_run = {(s.scenario, s.replicate): t for s, t in zip(specs, tables)}
    for r in range(REPLICATES):
        changed, base = by_run[("centre_closes", r)], by_run[("baseline", r)]
        assert changed["resident"].tolist() == base["resident"].tolist()
        assert changed["person"].tolist() == base["person"].tolist()
    assert sum(300 - len(t) for t in tables) > 0  # somebody left in a town of 300 over 40 days (9.7% a year)


def test_group_effects_refuses_runs_with_different_residents(closure):
    specs = list(closure.design.specs)
    tables = execute(specs, InlineExecutor(), progress=False).residents
    by_run = {(s.scenario, s.replicate): t for s, t in zip(specs, tables)}
    by_run[("centre_closes", 0)] = by_run[("centre_closes", 0)].iloc[1:].reset_index(drop=True)
    with pytest.raises(ValueError, match="same residents"):
        group_effects(by_run, "baseline")


def test_regulars_of_a_closing_place_lose_more_than_everyone_else(closure):
    regulars, others = _rows(closure, "regulars of close_centre"), _rows(closure, "everyone else (close_centre)")
    assert regulars["effect"] < others["effect"] < 0.05
    assert regulars["ci_high"] < 0 and regulars["hedges_g"] < others["hedges_g"]


def test_participants_gain_more_than_the_target_who_did_not_take_part():
    """Effects, not levels: each resident against themself in the baseline of the same replicate."""
    design = compare_design([small(), challenge()], replicates=REPLICATES, days=20, window=10, seed=5)
    done = execute(list(design.specs), InlineExecutor(), progress=False)
    tables = {(s.scenario, s.replicate): t for s, t in zip(design.specs, done.residents)}
    gaps = []
    for r in range(REPLICATES):
        changed, base = tables[("challenge", r)], tables[("baseline", r)]
        gain = changed["belonging"] - base["belonging"]
        taking_part = changed["participant:week"]
        left_out = changed["target:week"] & ~taking_part
        assert taking_part.any() and left_out.any()
        gaps.append(gain[taking_part].mean() - gain[left_out].mean())
    assert min(gaps) > 0
    by_group = group_effects(tables, "baseline").set_index(["group", "metric"])
    assert by_group.loc[("participants of week", "belonging_points"), "effect"] > by_group.loc[
        ("everyone else (week)", "belonging_points"), "effect"]


def test_the_baselines_cache_entry_does_not_depend_on_what_it_is_compared_with(tmp_path):
    def cached(other):
        cache = tmp_path / other.name
        specs = compare_design([small(), other], replicates=2, days=8, window=4, seed=6).specs
        execute(list(specs), InlineExecutor(), cache=cache, progress=False)
        keys = [s.key for s in specs if s.scenario == "baseline"]
        return {p.name: p.read_bytes() for key in keys for p in sorted(cache.glob(f"{key}*"))}

    with_closure, with_challenge = cached(centre_closes()), cached(challenge())
    assert len(with_closure) == 6  # per run: daily table, residents' table, record
    assert any(name.endswith(".residents.parquet") for name in with_closure)
    assert with_closure == with_challenge


def test_a_damaged_residents_table_is_redone(tmp_path, capsys):
    specs = list(compare_design([small(), centre_closes()], replicates=2, days=8, window=4, seed=6).specs)
    cache = tmp_path / "cache"
    clean = execute(specs, InlineExecutor(), cache=cache, progress=False)
    path = cache / f"{specs[1].key}.residents.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))
    capsys.readouterr()
    resumed = InlineExecutor()
    again = execute(specs, resumed, cache=cache, progress=False)
    assert resumed.submitted == 1
    assert "1 cached run was damaged and is redone" in capsys.readouterr().err
    for a, b in zip(clean.residents, again.residents):
        pd.testing.assert_frame_equal(a, b)
