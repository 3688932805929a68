"""A run that cannot fit in memory is refused before its first day (nodding/footprint.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nodding import Scenario
from nodding.footprint import GRAPHML_MAX_RESIDENTS, TooBig, check_fits, estimate_peak_bytes, writes_graphml

MEASURED = Path(__file__).resolve().parent.parent / "benchmarks" / "results"


def town(residents: int, slots: int = 64) -> Scenario:
    return Scenario.default().with_values({"population.size": residents, "ties.slots": slots})


def test_the_estimate_grows_with_residents_slots_and_outputs():
    assert estimate_peak_bytes(town(10_000)) < estimate_peak_bytes(town(100_000)) < estimate_peak_bytes(town(1_000_000))
    assert estimate_peak_bytes(town(100_000, slots=32)) < estimate_peak_bytes(town(100_000))
    assert estimate_peak_bytes(town(100_000), outputs=False) < estimate_peak_bytes(town(100_000))


def test_graphml_only_for_towns_gephi_opens():
    assert writes_graphml(2_000) and not writes_graphml(1_000_000)
    assert writes_graphml(GRAPHML_MAX_RESIDENTS) and not writes_graphml(GRAPHML_MAX_RESIDENTS + 1)


def test_a_town_that_does_not_fit_is_refused_with_what_would_fit():
    with pytest.raises(TooBig) as refused:
        check_fits(town(1_000_000), available=2e9)
    message = str(refused.value)
    assert message.startswith("population.size = 1,000,000: needs about ") and "2.0 GB is available" in message
    fits = int(message.split("(about ")[1].split(" residents")[0].replace(",", ""))
    assert 0 < fits < 1_000_000
    check_fits(town(fits), available=2e9)  # the size it names does fit
    with pytest.raises(TooBig, match="fewer workers"):
        check_fits(town(fits), runs_at_once=2, available=2e9)


def test_a_town_that_fits_passes_and_says_how_much_it_needs():
    assert 0 < check_fits(town(2_000), available=64e9) < 64e9


@pytest.mark.parametrize("path", sorted(MEASURED.glob("big_town_*.json")), ids=lambda p: p.stem)
def test_the_estimate_covers_the_measured_peaks(path):
    """The estimate is at least each measured peak (benchmarks/big_town.py: a year and its outputs, the tie
    network as an edge list), and not wildly above it."""
    measured = json.loads(path.read_text())
    assert not writes_graphml(measured["residents"]), "the benchmark writes no GraphML: measure a bigger town"
    estimate = estimate_peak_bytes(town(measured["residents"])) / 1e6
    assert measured["peak_mb"] <= estimate <= 3 * measured["peak_mb"]


class FakeDaskExecutor:
    """Stands in for a Dask executor with a worker memory limit (`make_executor` sets `worker_memory`)."""
    worker_memory = 1e9

    def submit(self, *args, **kwargs):
        raise AssertionError("nothing may run")


def test_an_experiment_too_big_for_its_workers_is_refused_before_any_run(monkeypatch, tmp_path, capsys):
    from nodding import footprint
    from nodding.cli import main
    from nodding.experiments import compare
    monkeypatch.setattr(footprint, "available_bytes", lambda: 5e9)  # room for one such run, not for two
    big = town(1_000_000)
    assert estimate_peak_bytes(big, outputs=False) < 5e9 < 2 * estimate_peak_bytes(big, outputs=False)
    closed = big.with_values({"name": "closed",
                              "interventions.closed": {"kind": "close_place", "place": "library", "start": 1}})
    with pytest.raises(TooBig, match="2 runs at once"):
        compare([big, closed], replicates=2, days=3, workers=2, progress=False)
    with pytest.raises(TooBig, match="1.0 GB is available"):  # a Dask worker's own limit
        compare([big, closed], replicates=2, days=3, executor=FakeDaskExecutor(), progress=False)
    files = [tmp_path / f"{s.name}.toml" for s in (big, closed)]
    for s, path in zip((big, closed), files):
        path.write_text(s.to_toml())
    assert main(["compare", *map(str, files), "--replicates", "2", "--days", "3", "--workers", "2",
                 "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "population.size = 1,000,000: needs about" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
