"""Trusting the experiments' resume cache and worker processes (issue 22, "Trust, round two").

A cached run made by other code, or damaged on disk, is redone and said so; local worker
processes die with their parent and stop at once after Ctrl-C; a resumed experiment says how
many runs it reused. The fingerprint of other code is simulated by patching
`provenance.code_fingerprint` (never by editing sources).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

import pandas as pd
import pytest

from nodding import provenance
from nodding.cli import main
from nodding.experiments import execute
from nodding.experiments.design import compare_design
from test_experiments import InlineExecutor, _write, closed_third_places, small

runner = importlib.import_module("nodding.experiments.execute")  # the module: the package's `execute` is its function
OTHER_CODE = {**provenance.code_fingerprint(), "code": "0123456789abcdef"}


@pytest.fixture(scope="module")
def specs():
    """A comparison of 12 runs (2 scenarios x 6 replicates), short and small."""
    return compare_design([small(), closed_third_places()], replicates=6, days=6, seed=2).specs


@pytest.fixture(scope="module")
def clean(specs):
    return execute(specs, InlineExecutor(), progress=False).runs


def _cache_files(cache: Path) -> list[Path]:
    """The runs' daily tables (not their residents' tables, `<key>.residents.parquet`)."""
    return sorted(p for p in cache.glob("*.parquet") if not p.name.endswith(".residents.parquet"))


# ---------------------------------------------------------------- 1. runs made by other code
def test_runs_cached_by_other_code_are_redone_and_said_so(specs, clean, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    with monkeypatch.context() as edited:  # an edited model: other code, other numbers
        edited.setattr(provenance, "code_fingerprint", lambda: OTHER_CODE)
        real_run = runner.run_outputs
        edited.setattr(runner, "run_outputs",
                       lambda spec: (lambda table, residents: (table.assign(mean_belonging=0.0), residents))(*real_run(spec)))
        with pytest.raises(KeyboardInterrupt):
            execute(specs, InlineExecutor(interrupt_after=6), cache=cache, progress=False)
    assert len(_cache_files(cache)) == 6
    capsys.readouterr()
    resumed = InlineExecutor()
    runs = execute(specs, resumed, cache=cache, progress=False).runs
    assert resumed.submitted == 12  # the 6 cached by other code ran again
    assert "6 cached runs were made by other code and are redone" in capsys.readouterr().err
    pd.testing.assert_frame_equal(runs, clean)


def test_a_worker_running_other_code_fails_its_run(specs, tmp_path, monkeypatch):
    """The fingerprint is the worker's: a cluster worker with another install must not mix its runs in."""
    from nodding.experiments import RunFailed

    real = provenance.code_fingerprint()
    calls = iter([real] + [OTHER_CODE] * 100)  # this process first, then every run "in a worker"
    monkeypatch.setattr(provenance, "code_fingerprint", lambda: next(calls))
    with pytest.raises(RunFailed, match="ran other code"):
        execute(specs[:2], InlineExecutor(), cache=tmp_path / "cache", progress=False)
    assert not _cache_files(tmp_path / "cache")


def test_every_output_names_the_code_that_made_it(tmp_path):
    out = tmp_path / "out"
    assert main(["compare", _write(tmp_path, small()), _write(tmp_path, closed_third_places()), "--replicates", "2",
                 "--days", "6", "--window", "3", "--workers", "1", "--out", str(out), "--quiet"]) == 0
    code = provenance.code_fingerprint()
    assert json.loads((out / "experiment.json").read_text())["code"] == code
    assert json.loads((out / "run.json").read_text())["provenance"] == code  # nodding.output marks every run.json
    assert f"code {code['code']}" in (out / "report.md").read_text()


# ---------------------------------------------------------------- 2. damaged cache files
def _flip_a_byte(path: Path, other: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01
    path.write_bytes(bytes(data))


def _rename_a_column(path: Path, other: Path) -> None:
    table = pd.read_parquet(path)
    table.rename(columns={table.columns[-1]: "renamed"}).to_parquet(path, index=False)


def _copy_another_run_over_it(path: Path, other: Path) -> None:
    shutil.copyfile(other, path)


def _copy_another_run_and_its_record_over_it(path: Path, other: Path) -> None:
    for suffix in (".parquet", ".json"):
        shutil.copyfile(other.with_suffix(suffix), path.with_suffix(suffix))


@pytest.mark.parametrize("damage", [_flip_a_byte, _rename_a_column, _copy_another_run_over_it,
                                    _copy_another_run_and_its_record_over_it])
def test_a_damaged_cached_run_is_redone_and_said_so(specs, clean, tmp_path, capsys, damage):
    cache = tmp_path / "cache"
    execute(specs, InlineExecutor(), cache=cache, progress=False)
    files = _cache_files(cache)
    damage(files[3], files[4])
    capsys.readouterr()
    resumed = InlineExecutor()
    runs = execute(specs, resumed, cache=cache, progress=False).runs
    assert resumed.submitted == 1
    assert "1 cached run was damaged and is redone" in capsys.readouterr().err
    pd.testing.assert_frame_equal(runs, clean)
    again = InlineExecutor()
    execute(specs, again, cache=cache, progress=False)
    assert again.submitted == 0  # and the cache is repaired


def test_a_run_cut_short_by_a_kill_is_redone_silently(specs, clean, tmp_path, capsys):
    """A table without its record is a write that never finished (not damage): redone without a word."""
    cache = tmp_path / "cache"
    execute(specs, InlineExecutor(), cache=cache, progress=False)
    _cache_files(cache)[0].with_suffix(".json").unlink()
    capsys.readouterr()
    resumed = InlineExecutor()
    pd.testing.assert_frame_equal(execute(specs, resumed, cache=cache, progress=False).runs, clean)
    assert resumed.submitted == 1 and capsys.readouterr().err == ""


# ---------------------------------------------------------------- 4. a resumed experiment says what it reused
def test_a_resumed_experiment_says_how_many_runs_it_reused(tmp_path, monkeypatch, capsys):
    first, second = InlineExecutor(interrupt_after=2), InlineExecutor()
    executors = [first, second]
    monkeypatch.setattr(runner, "make_executor", lambda workers, dask: nullcontext(executors.pop(0)))
    out = tmp_path / "out"
    args = ["compare", _write(tmp_path, small()), _write(tmp_path, closed_third_places()), "--replicates", "2",
            "--days", "6", "--window", "3", "--out", str(out)]
    assert main(args) == 130
    capsys.readouterr()
    assert main(args) == 0
    assert "4 runs (2 reused from the cache, 2 run now) in" in capsys.readouterr().out
    report = (out / "report.md").read_text()
    assert "4 runs (2 reused from an interrupted earlier invocation's cache, 2 run now)" in report


# ---------------------------------------------------------------- 3 and 4. worker processes
def _spawned_children(pid: int) -> list[int]:
    """The pool's worker processes of `pid` (spawned: their command line runs `spawn_main`)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except OSError:
        return False


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_when_compare_is_killed(tmp_path):
    nodding = Path(sys.executable).with_name("nodding")
    parent = subprocess.Popen([str(nodding), "compare", "baseline", "community_centre_closes", "--replicates", "4",
                               "--days", "200", "--workers", "2", "--out", str(tmp_path / "out"), "--quiet"],
                              cwd=tmp_path, stderr=subprocess.DEVNULL)
    workers = []
    try:
        assert _wait_for(lambda: len(_spawned_children(parent.pid)) == 2, timeout=120)
        workers = _spawned_children(parent.pid)
        parent.kill()
        parent.wait(timeout=60)
        assert _wait_for(lambda: not any(_alive(w) for w in workers), timeout=10), "workers outlived their parent"
    finally:
        parent.kill()
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_interrupt_stops_the_pool_without_waiting_for_running_runs():
    """Ctrl-C: the runs still running are abandoned and their workers killed, not waited for."""
    stopped, workers = threading.Event(), []

    def interrupted_experiment():
        try:
            with runner.make_executor(workers=2) as pool:
                pool.submit(time.sleep, 3600)  # a run that would take an hour
                pool.submit(time.sleep, 3600)
                assert _wait_for(lambda: len(_spawned_children(os.getpid())) == 2, timeout=120)
                workers.extend(_spawned_children(os.getpid()))
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            stopped.set()

    threading.Thread(target=interrupted_experiment, daemon=True).start()
    assert stopped.wait(timeout=120), "the pool waited for its running runs"
    assert len(workers) == 2 and _wait_for(lambda: not any(_alive(w) for w in workers), timeout=10)
