"""Nodding Terms imports as `nodding` only: a user's own model.py or dashboards.py cannot shadow it.

Every Mesa example folder holds a `model.py`; a researcher who runs Nodding Terms from such a folder
(a script, the command line, a Jupyter kernel) must get Nodding Terms, and keep their own module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

CHECKOUT = Path(__file__).resolve().parent.parent
NODDING = Path(sys.executable).parent / "nodding"


@pytest.fixture
def users_folder(tmp_path) -> Path:
    """A folder like a Mesa project's: its own model.py and dashboards.py."""
    (tmp_path / "model.py").write_text("class MyModel:\n    pass\n")
    (tmp_path / "dashboards.py").write_text("PAGES = ['mine']\n")
    return tmp_path


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_public_interface_beside_a_users_model_py(users_folder):
    done = _python("""
        import model, dashboards                               # the user's own modules ...
        from nodding import Scenario, ScenarioError, Town       # ... and Nodding Terms, side by side
        import nodding, nodding.model, nodding.dashboards.app
        from nodding.experiments import compare
        assert model.MyModel and dashboards.PAGES == ['mine']
        assert sorted(nodding.__all__) == ['Scenario', 'ScenarioError', 'Town', '__version__']
        assert Town is nodding.model.town.Town and ScenarioError is nodding.model.scenario.ScenarioError
        try:
            Scenario.from_dict({'population': {'size': -1}})
        except ScenarioError as err:
            print('refused:', err)
        town = Town(Scenario.named('classroom'), seed=1)
        town.run(days=2)
        assert len(town.daily) == 2 and len(town.residents_frame()) == 30
        classroom = Scenario.named('classroom')
        challenge = Scenario.from_dict({**classroom.to_dict(), 'name': 'challenge',
                                        'interventions': {'week': {'kind': 'challenge', 'share': 0.5, 'start': 1}}})
        result = compare([classroom, challenge], replicates=2, days=3, workers=1, progress=False)
        assert len(result.effects) > 0
        print('ok')
    """, users_folder)
    assert done.returncode == 0, done.stderr
    assert "refused: <scenario>: population.size" in done.stdout and done.stdout.endswith("ok\n")


def test_nodding_run_beside_a_users_model_py(users_folder):
    done = subprocess.run([NODDING, "run", "classroom", "--days", "2", "--quiet", "--out", "out"], cwd=users_folder,
                          capture_output=True, text=True, env={**os.environ, "NUMBA_NUM_THREADS": "1"}, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len((users_folder / "out" / "daily.csv").read_text().splitlines()) == 3


@pytest.mark.notebook
def test_a_notebook_kernel_started_beside_a_users_model_py(users_folder):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import model\nfrom nodding import Scenario, Town"),
        nbformat.v4.new_code_cell("town = Town(Scenario.named('classroom'), seed=2)\ntown.run(days=1)\n"
                                  "print(type(town).__module__, model.MyModel.__name__)"),
    ])
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(users_folder)}}).execute()
    assert notebook.cells[1].outputs[0]["text"].strip() == "nodding.model.town MyModel"


@pytest.mark.parametrize("old", ["model", "dashboards"])
def test_the_old_top_level_names_say_what_to_import_instead(old):
    """From a checkout's root the folders are still there; importing them by their old names would
    load a second copy of the code (two Town classes), so it is refused with the new name."""
    done = _python(f"import {old}", CHECKOUT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("ImportError:") and "nodding" in done.stderr


def test_the_command_line_does_not_load_the_simulation_to_answer():
    """`nodding --help` and the one-line errors must not wait for Mesa and numba."""
    done = _python("""
        import sys
        from nodding import cli
        try:
            cli.main(['run', 'classroom', '--days', 'x'])
        except SystemExit as exit:
            assert exit.code == 2
        loaded = {'mesa', 'numba', 'nodding.model.town'} & set(sys.modules)
        print(sorted(loaded))
    """, CHECKOUT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
