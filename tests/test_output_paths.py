"""Where results go: `--out` never replaces what nodding did not write, never escapes through a
scenario name, and is checked before the first simulated day (issue 11, items 1-4)."""

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import nodding.model.town
from nodding import Scenario, ScenarioError
from nodding.model.scenario import SCENARIO_DIR
from nodding import cli, output, run_files
from nodding.provenance import code_fingerprint

SMALL = '[population]\nsize = 60\nneighbourhood_size = 60\n'


def run_cli(*args):
    return cli.main([str(a) for a in args])


def tree(root: Path) -> dict:
    """Every path below `root` with its content (None for folders)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


@pytest.fixture
def town_fails(monkeypatch):
    """Building a Town is a test failure: the input must be refused before the first day."""
    def refuse(*args, **kwargs):
        raise AssertionError("a town was built: the bad input was not refused up front")
    monkeypatch.setattr(nodding.model.town.Town, "__init__", refuse)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.toml").write_text('name = "small"\n' + SMALL, encoding="utf-8")
    return tmp_path


def refused(capsys, *args, says: str) -> str:
    assert run_cli(*args) == cli.USER_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err, err
    return err


# ===================================================================== item 1: replace only nodding's own output
def test_a_study_folder_with_the_users_files_is_not_replaced(here, capsys, town_fails):
    study = here / "study"
    (study / "data").mkdir(parents=True)
    (study / "scenario.toml").write_text('name = "mine"\n' + SMALL)
    (study / "notes.txt").write_text("notes")
    (study / "data" / "raw.csv").write_text("1,2\n")
    before = tree(here)
    refused(capsys, "run", study / "scenario.toml", "--days", 3, "--out", study, says="is not a nodding output")
    assert tree(here) == before


@pytest.mark.parametrize("extra", ["notes.txt", "sub/", ".hidden"])
def test_a_nodding_output_with_anything_added_is_not_replaced(here, capsys, extra):
    out = here / "out"
    assert run_cli("run", "small.toml", "--days", 2, "--out", out, "--quiet") == 0
    meta = json.loads((out / "run.json").read_text())
    assert meta["nodding_output"] == 1 and "daily.csv" in meta["files"]
    (out / extra).mkdir() if extra.endswith("/") else (out / extra).write_text("mine")
    before = tree(here)
    refused(capsys, "run", "small.toml", "--days", 2, "--out", out, says="holds files nodding did not write")
    assert tree(here) == before


def test_a_run_json_without_the_marker_is_not_enough(here, capsys, town_fails):
    out = here / "out"
    out.mkdir()
    (out / "run.json").write_text('{"seed": 1}')
    (out / "daily.csv").write_text("day\n0\n")
    refused(capsys, "run", "small.toml", "--out", out, says="is not a nodding output")
    assert sorted(p.name for p in out.iterdir()) == ["daily.csv", "run.json"]


LEGACY_META = {"scenario": "small", "source": "small.toml", "seed": 42, "days": 2, "residents": 60,
               "wall_seconds": 1.0, "version": "0.1.0"}


@pytest.mark.parametrize("extra, replaced", [(None, True), ("notes.txt", False)])
def test_an_output_from_before_the_marker_is_replaced_only_if_it_holds_just_its_files(here, capsys, extra, replaced):
    out = here / "runs" / "small"  # e.g. an earlier `make run`
    out.mkdir(parents=True)
    (out / "run.json").write_text(json.dumps(LEGACY_META))
    for name in ("daily.csv", "residents.csv", "ties.graphml", "summary.png", "scenario.toml", *([extra] if extra else [])):
        (out / name).write_text("old")
    code = run_cli("run", "small.toml", "--days", 2, "--quiet")
    assert code == (0 if replaced else cli.USER_ERROR)
    assert ((out / "daily.csv").read_text() == "old") is not replaced


def test_an_empty_directory_is_written_into(here):
    (here / "empty").mkdir()
    assert run_cli("run", "small.toml", "--days", 2, "--out", "empty", "--quiet") == 0
    assert (here / "empty" / "daily.csv").exists()


def test_a_failed_swap_puts_the_previous_results_back(here, monkeypatch, capsys):
    out = here / "out"
    run_cli("run", "small.toml", "--days", 2, "--out", out, "--quiet")
    previous = tree(out)
    real_rename = Path.rename

    def failing_rename(self, target):
        if Path(target) == out and self.name.endswith(".tmp"):
            raise OSError(5, "Input/output error")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    assert run_cli("run", "small.toml", "--days", 3, "--out", out, "--quiet") == 1
    assert "nothing was written" in capsys.readouterr().err
    assert tree(out) == previous
    assert sorted(p.name for p in here.iterdir()) == ["out", "small.toml"]


def test_a_users_folder_named_like_the_old_swap_is_left_alone(here):
    keep = here / ".out.old"
    keep.mkdir()
    (keep / "precious.txt").write_text("mine")
    for days in (2, 3):
        assert run_cli("run", "small.toml", "--days", days, "--out", "out", "--quiet") == 0
    assert (keep / "precious.txt").read_text() == "mine"


def test_files_added_while_it_ran_keep_the_directory_and_the_results(here, monkeypatch, capsys):
    out = here / "out"
    run_cli("run", "small.toml", "--days", 2, "--out", out, "--quiet")
    real_run = nodding.model.town.Town.run

    def run_while_the_user_adds_a_file(self, *args, **kwargs):
        (out / "notes.txt").write_text("written during the run")
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(nodding.model.town.Town, "run", run_while_the_user_adds_a_file)
    err = refused(capsys, "run", "small.toml", "--days", 3, "--out", out, "--quiet", says="results are in")
    assert (out / "notes.txt").exists() and len((out / "daily.csv").read_text().splitlines()) == 3
    assert len((here / "out-1" / "daily.csv").read_text().splitlines()) == 4
    assert "out-1" in err


def test_a_failed_run_removes_the_parent_folders_it_created(here, monkeypatch, capsys):
    def broken_plot(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(run_files, "plot_summary", broken_plot)
    assert run_cli("run", "small.toml", "--days", 2, "--out", "new/deep/out", "--quiet") == 1
    assert sorted(p.name for p in here.iterdir()) == ["small.toml"]


# ===================================================================== item 2: the scenario name is one safe path component
@pytest.mark.parametrize("name", ["../outside", "", ".", "..", "a/b", ".hidden", "a\\b", "x" * 65, "new\nline", "é"])
def test_an_unsafe_scenario_name_is_refused_before_anything_runs(here, capsys, town_fails, name):
    (here / "bad.toml").write_text(f"name = {json.dumps(name)}\n" + SMALL, encoding="utf-8")
    refused(capsys, "run", "bad.toml", says="bad.toml: name: must be 1-64 ASCII letters, digits")
    assert sorted(p.name for p in here.iterdir()) == ["bad.toml", "small.toml"]


@pytest.mark.parametrize("stem, name", [("my study", "my_study"), (".hidden", "hidden"), ("ünï", "_n_"), ("...", "scenario"),
                                        ("x" * 80, "x" * 64)])
def test_a_name_from_the_file_stem_is_made_safe(tmp_path, stem, name):
    path = tmp_path / f"{stem}.toml"
    path.write_text(SMALL, encoding="utf-8")
    assert Scenario.load(path).name == name


def test_a_file_named_my_study_runs_into_runs_my_study(here):
    (here / "my study.toml").write_text(SMALL, encoding="utf-8")
    assert run_cli("run", "my study.toml", "--days", 2, "--quiet") == 0
    assert (here / "runs" / "my_study" / "daily.csv").exists()


def test_a_scenario_without_a_name_is_named_scenario():
    assert Scenario.from_dict({}).name == "scenario"


# ===================================================================== item 3: --out that names no directory of its own
@pytest.mark.parametrize("out", [".", "", " ", "/", "..", "sub/..", "./.", "{here}", "{parent}", "new\nline", "tab\there"])
def test_out_that_is_no_new_directory_is_refused(here, capsys, town_fails, out):
    (here / "sub").mkdir()
    out = out.format(here=here, parent=here.parent)
    before = tree(here)
    refused(capsys, "run", "small.toml", "--out", out, says="--out")
    assert tree(here) == before


# ===================================================================== item 4: checked before the first day
@pytest.mark.parametrize("out, says", [
    ("afile", "exists and is not a directory"),
    ("afile/sub", "afile is not a directory"),
    ("afile/sub/deeper", "afile is not a directory"),
    ("link", "is a symbolic link"),
    ("x" * 300, "longer than 255 bytes"),
    ("missing/" + "y" * 300, "longer than 255 bytes"),  # a missing parent hides the long name from the OS
])
def test_an_unusable_out_is_refused_before_the_first_day(here, capsys, town_fails, out, says):
    (here / "afile").write_text("a file")
    (here / "link").symlink_to(here / "afile")
    before = tree(here)
    refused(capsys, "run", "small.toml", "--out", out, says=says)
    assert tree(here) == before


def test_a_name_at_the_length_limit_is_written(here):
    out = "z" * 250  # the temporary sibling's name must still fit
    assert run_cli("run", "small.toml", "--days", 2, "--out", out, "--quiet") == 0
    assert (here / out / "daily.csv").exists()
    assert sorted(p.name for p in here.iterdir()) == sorted([out, "small.toml"])


def test_a_read_only_place_is_refused_before_the_first_day(here, capsys, town_fails, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkdtemp", read_only)  # root ignores permission bits: fake the refusal
    refused(capsys, "run", "small.toml", "--out", "out", says="cannot write in . (Permission denied)")


def test_the_default_out_under_a_file_named_runs_is_refused_up_front(here, capsys, town_fails):
    (here / "runs").write_text("not a folder")
    refused(capsys, "run", "small.toml", says="runs is not a directory")


# ===================================================================== the same kinds of defect elsewhere
def test_a_shipped_name_cannot_reach_outside_the_scenario_folder(tmp_path):
    (tmp_path / "elsewhere.toml").write_text(SMALL, encoding="utf-8")
    sneaky = os.path.relpath(tmp_path / "elsewhere", SCENARIO_DIR)
    with pytest.raises(ScenarioError, match="no such file or shipped scenario"):
        Scenario.named(sneaky)


def test_a_folder_named_like_a_shipped_scenario_does_not_hide_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "classroom").mkdir()  # e.g. `cd runs` after a run of classroom
    assert Scenario.named("classroom").name == "classroom"


def test_atomic_directory_marks_what_another_command_writes(tmp_path):
    """compare/sweep write through `atomic_directory` too: their output is replaceable by a rerun."""
    out = tmp_path / "compare"
    for _ in range(2):
        with output.atomic_directory(out) as tmp:
            (tmp / "table.csv").write_text("a\n")
            (tmp / "per_scenario").mkdir()
            (tmp / "per_scenario" / "x.csv").write_text("b\n")
    meta = json.loads((out / "run.json").read_text())
    assert meta["nodding_output"] == 1 and meta["files"] == ["per_scenario/x.csv", "table.csv"]
    assert output.check_target(out) == out


def test_the_marker_and_file_list_are_nodding_s_whatever_the_block_wrote(tmp_path):
    with output.atomic_directory(tmp_path / "out", {"seed": 1}) as tmp:
        (tmp / "run.json").write_text('{"nodding_output": 0, "files": ["elsewhere"], "kind": "compare"}')
        (tmp / "table.csv").write_text("a\n")
    meta = json.loads((tmp_path / "out" / "run.json").read_text())
    assert meta == {"nodding_output": 1, "kind": "compare", "seed": 1, "files": ["table.csv"],
                    "provenance": code_fingerprint()}


@pytest.mark.parametrize("content, says", [
    (b"name = \"caf\xe9\"\n", "not UTF-8 text (byte 0xe9"),
    (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    (b"a" * 1_000_001, "too large for a scenario file"),
    (b"[places.\"a\\nb\"]\nkind = 3\n", 'places.a\\nb.kind'),
])
def test_unreadable_scenario_files_are_one_line_errors(here, capsys, town_fails, content, says):
    (here / "bad.toml").write_bytes(content)
    refused(capsys, "run", "bad.toml", says=says)


def test_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbfname = \"bom\"\n")
    assert Scenario.load(path).name == "bom"


@pytest.mark.parametrize("path, says", [
    ("adir", "is a directory, not a scenario file"),
    ("adir.toml", "is a directory, not a scenario file"),
    ("/dev/zero", "is not a regular file"),
    ("new\nline.toml", "new\\nline.toml: file not found"),
    ("y" * 300 + ".toml", "File name too long"),
])
def test_scenario_paths_that_are_no_file_are_one_line_errors(here, capsys, town_fails, path, says):
    (here / "adir").mkdir()
    (here / "adir.toml").mkdir()
    err = refused(capsys, "run", path, says=says)
    assert err.count(":") == 2 or "too long" in says  # "error: file: problem", not a problem wrapped in another


def test_a_closed_pipe_after_the_results_are_written_is_no_write_error(here, monkeypatch, capsys):
    def reader_gone(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "summary_table", reader_gone)  # `nodding run ... | head -1`
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out") == 141
    assert capsys.readouterr().err == ""
    assert (here / "out" / "daily.csv").exists()


def test_a_full_disk_when_printing_does_not_claim_nothing_was_written(here, monkeypatch, capsys):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "summary_table", disk_full)  # `nodding run ... > /dev/full`
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out") == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "nothing was written" not in err
    assert (here / "out" / "daily.csv").exists()


@pytest.mark.parametrize("args, says", [
    (["--days", "100001"], "--days: must be a whole number from 1 to 100_000"),
    (["--days", "9" * 5000], "--days: must be a whole number of at least 1"),
    (["--seed", str(2**63)], "--seed: must be a whole number from 0 to 9_223_372_036_854_775_807"),
])
def test_numbers_beyond_what_a_scenario_allows_are_refused(here, capsys, town_fails, args, says):
    refused(capsys, "run", "small.toml", *args, says=says)


def test_the_written_scenario_records_the_seed_and_days_that_ran(here):
    assert run_cli("run", "small.toml", "--days", 2, "--seed", 9, "--out", "out", "--quiet") == 0
    written = Scenario.load(here / "out" / "scenario.toml")
    assert (written["seed"], written["days"]) == (9, 2)


# ===================================================================== issue 22: concurrent runs, debris, modes, provenance
def start_run_that_stops(here, out, where: str) -> subprocess.Popen:
    """A `nodding run` in its own process that prints `where` and then hangs: "simulating" (in the first
    day) or "writing" (inside the output swap's temporary). The test ends it."""
    hang = ("import sys, time\n"
            "def hang(*args, **kwargs):\n"
            f"    print({where!r}, flush=True); time.sleep(600)\n"
            "import nodding.model.town, nodding.run_files\n"
            f"if {where!r} == 'simulating': nodding.model.town.Town.run = hang\n"
            "else: nodding.run_files.plot_summary = hang\n"
            "from nodding.cli import main\n"
            f"sys.exit(main(['run', 'small.toml', '--days', '2', '--out', {str(out)!r}, '--quiet']))\n")
    process = subprocess.Popen([sys.executable, "-c", hang], cwd=here, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == where  # blocks until it got there (or fails if it exited)
    return process


def killed(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=120)


def test_a_second_run_into_the_same_out_is_refused_while_the_first_runs(here, capsys, town_fails):
    first = start_run_that_stops(here, "out", "simulating")
    try:
        err = refused(capsys, "run", "small.toml", "--out", "out", says="being written by another nodding")
        assert f"PID {first.pid}" in err
    finally:
        killed(first)


def test_the_lock_of_a_killed_run_is_taken_over_and_nothing_is_left_beside_the_results(here):
    killed(start_run_that_stops(here, "out", "simulating"))
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 0
    assert sorted(p.name for p in here.iterdir()) == ["out", "small.toml"]


def test_the_partial_output_of_a_killed_run_is_removed_by_the_next(here):
    killed(start_run_that_stops(here, "out", "writing"))
    assert any(p.name.endswith(".tmp") for p in here.iterdir())  # the debris this is about
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 0
    assert sorted(p.name for p in here.iterdir()) == ["out", "small.toml"]


def crash_between_the_renames(here) -> dict:
    """An output `out`, then a run killed after moving it aside and before renaming the new one in."""
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 0
    previous = tree(here / "out")
    crash = ("import os, signal, sys\nfrom pathlib import Path\nrename = Path.rename\n"
             "def crash(self, target):\n"
             "    if Path(target).name == 'out' and self.name.endswith('.tmp'): os.kill(os.getpid(), signal.SIGKILL)\n"
             "    return rename(self, target)\n"
             "Path.rename = crash\nfrom nodding.cli import main\n"
             "sys.exit(main(['run', 'small.toml', '--days', '3', '--out', 'out', '--quiet']))\n")
    assert subprocess.run([sys.executable, "-c", crash], cwd=here, timeout=300).returncode == -signal.SIGKILL
    assert not (here / "out").exists()
    return previous


def test_results_moved_aside_by_a_crashed_swap_are_restored(here, capsys, monkeypatch):
    previous = crash_between_the_renames(here)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(nodding.model.town.Town, "run", interrupted)
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 130
    err = capsys.readouterr().err
    assert "restored" in err and tree(here / "out") == previous
    assert sorted(p.name for p in here.iterdir()) == ["out", "small.toml"]


def test_results_moved_aside_are_mentioned_and_left_if_out_exists_again(here, capsys):
    previous = crash_between_the_renames(here)
    (here / "out").mkdir()
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 0
    err = capsys.readouterr().err
    aside = [p for p in here.iterdir() if p.name.endswith(".old")]
    assert len(aside) == 1 and aside[0].name in err and err.count("\n") == 1
    assert tree(aside[0]) == previous


def test_output_folders_follow_the_umask(here):
    old = os.umask(0o022)
    try:
        assert run_cli("run", "small.toml", "--days", 2, "--out", "new/out", "--quiet") == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((here / "new" / "out").stat().st_mode) == 0o755
    assert stat.S_IMODE((here / "new").stat().st_mode) == 0o755


def test_run_json_names_the_code_that_made_the_results(here):
    assert run_cli("run", "small.toml", "--days", 2, "--out", "out", "--quiet") == 0
    assert json.loads((here / "out" / "run.json").read_text())["provenance"] == code_fingerprint()


def test_every_command_writing_out_takes_the_same_lock(here, capsys, monkeypatch):
    import nodding.facts.check

    def refuse(*args, **kwargs):
        raise AssertionError("a seed was simulated: the busy --out was not refused up front")
    monkeypatch.setattr(nodding.facts.check, "run_seed", refuse)
    first = start_run_that_stops(here, "out", "simulating")
    try:
        err = refused(capsys, "validate", "--quick", "--out", "out", says="being written by another nodding")
        assert f"PID {first.pid}" in err
    finally:
        killed(first)
