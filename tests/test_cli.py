"""The `nodding` command line: results written all-or-nothing, user errors as one line and exit 2."""

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from nodding import Town, cli, footprint, output, run_files
from nodding.model.metrics import COLUMNS
from nodding.model.scenario import available

SMALL = '[population]\nsize = 120\nneighbourhood_size = 120\n'
OUTPUTS = {"daily.csv", "residents.csv", "ties.parquet", "ties.graphml", "summary.png", "scenario.toml", "run.json", "events.csv"}


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text('name = "small"\n' + SMALL, encoding="utf-8")
    return path


def run_cli(*args):
    return cli.main([str(a) for a in args])


def test_run_writes_every_output(small_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_cli("run", small_file, "--days", 5, "--seed", 3, "--out", out) == 0
    assert {p.name for p in out.iterdir()} == OUTPUTS
    daily = pd.read_csv(out / "daily.csv")
    assert list(daily.columns) == COLUMNS and len(daily) == 5
    assert len(pd.read_csv(out / "residents.csv")) == 120
    graph = nx.read_graphml(out / "ties.graphml")
    assert graph.number_of_nodes() == 120 and graph.number_of_edges() > 0
    edges = pd.read_parquet(out / "ties.parquet")  # the same network as an edge list (any town size)
    assert len(edges) == graph.number_of_edges() and list(edges.columns) == ["a", "b", "level"]
    assert json.loads((out / "run.json").read_text())["seed"] == 3
    assert (out / "summary.png").read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr().out
    assert "mean belonging" in printed and "Results in" in printed


def test_same_seed_same_results_and_rerun_replaces_output(small_file, tmp_path):
    out = tmp_path / "out"
    run_cli("run", small_file, "--days", 4, "--seed", 1, "--out", out, "--quiet")
    first = (out / "daily.csv").read_text()
    run_cli("run", small_file, "--days", 4, "--seed", 1, "--out", out, "--quiet")
    assert (out / "daily.csv").read_text() == first
    run_cli("run", small_file, "--days", 4, "--seed", 2, "--out", out, "--quiet")
    assert (out / "daily.csv").read_text() != first


def test_written_scenario_reproduces_the_run(small_file, tmp_path):
    out, again = tmp_path / "out", tmp_path / "again"
    run_cli("run", small_file, "--days", 3, "--out", out, "--quiet")
    run_cli("run", out / "scenario.toml", "--days", 3, "--out", again, "--quiet")
    assert (out / "daily.csv").read_text() == (again / "daily.csv").read_text()


@pytest.mark.parametrize("args, says", [
    (["run", "{file}", "--days", "0"], "--days: must be a whole number of at least 1 (got '0')"),
    (["run", "{file}", "--days", "ten"], "--days: must be a whole number of at least 1 (got 'ten')"),
    (["run", "{file}", "--seed", "-1"], "--seed: must be a whole number of at least 0"),
    (["run", "{file}", "--bogus"], "unrecognized arguments: --bogus"),
    (["run"], "the following arguments are required: scenario"),
    (["fly"], "invalid choice: 'fly'"),
    (["run", "{dir}/missing.toml"], "missing.toml: file not found"),
    (["run", "no_such_scenario"], "no_such_scenario: no such file or shipped scenario (shipped: baseline"),
    (["run", "{bad}"], "bad.toml: population.sise: unknown field (did you mean population.size?)"),
    (["run", "{broken}"], "broken.toml: not valid TOML"),
])
def test_user_errors_are_one_line_exit_2_and_write_nothing(args, says, small_file, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("[population]\nsise = 3\n")
    (tmp_path / "broken.toml").write_text("[population\nsize = 3\n")
    names = {"file": small_file, "dir": tmp_path, "bad": tmp_path / "bad.toml", "broken": tmp_path / "broken.toml"}
    before = set(tmp_path.rglob("*"))
    assert run_cli(*[a.format(**names) for a in args]) == cli.USER_ERROR
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert set(tmp_path.rglob("*")) == before


def test_output_directory_holding_other_files_is_refused(small_file, tmp_path, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    assert run_cli("run", small_file, "--days", 2, "--out", precious) == cli.USER_ERROR
    assert "is not a nodding output" in capsys.readouterr().err
    assert [p.name for p in precious.iterdir()] == ["thesis.docx"]


def test_interrupted_run_writes_nothing(small_file, tmp_path, monkeypatch, capsys):
    from nodding.model.town import Town

    def interrupted(self, days=None, progress=None):
        self.step()
        raise KeyboardInterrupt

    monkeypatch.setattr(Town, "run", interrupted)
    out = tmp_path / "out"
    assert run_cli("run", small_file, "--out", out) == 130
    assert "nothing was written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [small_file]


def test_failure_while_writing_keeps_the_previous_results(small_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    run_cli("run", small_file, "--days", 2, "--out", out, "--quiet")
    previous = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken_plot(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(run_files, "plot_summary", broken_plot)
    assert run_cli("run", small_file, "--days", 3, "--out", out, "--quiet") == 1
    assert "could not write results (disk full); nothing was written" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "small.toml"]  # no temporary left behind


def test_scenarios_lists_every_shipped_scenario(capsys):
    assert run_cli("scenarios") == 0
    listed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("community_centre_closes ") for line in listed)
    assert len(listed) == len(available())


def test_python_dash_m_nodding_is_the_same_command(small_file, tmp_path):
    this_checkout = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).resolve().parent.parent)}  # not an installed copy
    bad = subprocess.run([sys.executable, "-m", "nodding", "run", str(small_file), "--days", "-3"],
                         capture_output=True, text=True, cwd=tmp_path, env=this_checkout)
    assert bad.returncode == 2 and bad.stderr.startswith("error: nodding run: argument --days")
    good = subprocess.run([sys.executable, "-m", "nodding", "run", str(small_file), "--days", "2", "--quiet",
                           "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=tmp_path, env=this_checkout)
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "o" / "daily.csv").exists()


@pytest.mark.parametrize("flag", ["-h0", "--quiet=1"])
def test_a_flag_given_a_value_is_named_as_typed(flag, capsys, tmp_path):
    assert cli.main(["run", "baseline", flag, "--out", str(tmp_path / "out")]) == cli.USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"error: {flag}: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_change_after_the_last_day_is_warned_about(tmp_path, capsys):
    assert cli.main(["run", "community_centre_closes", "--days", "3", "--quiet", "--out", str(tmp_path / "o")]) == 0
    assert "warning: close_community_centre starts after the last simulated day (2" in capsys.readouterr().err


def test_a_town_too_big_for_this_machine_is_refused_before_its_first_day(tmp_path, capsys, monkeypatch):
    """A 5,000,000-resident year would have run for days and then failed writing its tie network."""
    monkeypatch.setattr(footprint, "available_bytes", lambda: 8e9)
    big = tmp_path / "big.toml"
    big.write_text("[population]\nsize = 5_000_000\n")
    building = []
    monkeypatch.setattr(Town, "__init__", lambda *a, **k: building.append(1))
    assert run_cli("run", big, "--out", tmp_path / "out") == cli.USER_ERROR
    err = capsys.readouterr().err
    assert err.startswith("error: population.size = 5,000,000: needs about ") and "8.0 GB is available" in err
    assert not building and not (tmp_path / "out").exists()


def test_big_towns_write_their_ties_as_parquet_only(tmp_path, monkeypatch):
    monkeypatch.setattr(run_files, "writes_graphml", lambda residents: False)
    out = tmp_path / "out"
    assert run_cli("run", "classroom", "--days", 2, "--out", out, "--quiet") == 0
    names = {p.name for p in out.iterdir()}
    assert "ties.parquet" in names and "ties.graphml" not in names


def test_an_abbreviated_option_is_refused_not_guessed(tmp_path, capsys):
    """argparse would take `--p` for `--panel` : options are spelt out in full."""
    out = tmp_path / "never"
    assert cli.main(["run", "classroom", "--p", "--out", str(out)]) == 2
    assert "unrecognized arguments: --p" in capsys.readouterr().err and not out.exists()
