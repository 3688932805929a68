"""The notebooks run end to end at their CI setting, show their pictures, and are stored without outputs.

Each notebook's first code cell reads NODDING_NOTEBOOK_SIZE: "ci" makes its towns small, its runs
short and its replicates few (measured run times at both settings: notebooks/README.md). A cell that
raises fails the test with that cell's traceback (nbclient's CellExecutionError).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 600  # seconds for one cell: catches a hang, tolerates a slow, busy machine
KERNEL = "python3"


def test_one_notebook_per_user_group():
    assert [p.name for p in NOTEBOOKS] == ["01_weak_ties_in_the_classroom.ipynb",
                                           "02_what_if_for_policymakers.ipynb", "03_research_workflow.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    """Outputs in the repository would go stale and bloat diffs; run the notebook to see them."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}, cell {number}: stored with outputs (clear them: Edit > Clear Outputs of All Cells)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_settings_cell_first(path):
    """One parameter cell at the top sets the size; the test suite relies on it."""
    first_code = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "NODDING_NOTEBOOK_SIZE" in first_code.source and "parameters" in first_code.metadata.get("tags", [])


def test_kernel_runs_this_python():
    """The notebooks must run in this environment (its model, nodding and packages): jupyter_client
    starts a kernel spec whose command is plain `python` with this interpreter (sys.executable). A
    kernel spec named python3 registered elsewhere with another interpreter would take over."""
    command = KernelSpecManager().get_kernel_spec(KERNEL).argv[0]
    assert command in {"python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}",
                       sys.executable}, f"kernel {KERNEL!r} would run {command}, not {sys.executable}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_at_ci_setting(path, tmp_path, monkeypatch):
    monkeypatch.setenv("NODDING_NOTEBOOK_SIZE", "ci")
    monkeypatch.setenv("NUMBA_NUM_THREADS", "1")  # the kernel and its workers share the machine with the other tests
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # what the notebooks write goes to temporary folders: this test's
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name=KERNEL,
                   resources={"metadata": {"path": str(NOTEBOOK_DIR)}}).execute()
    # a matplotlib backend switch (nodding.experiments uses a file-only one) would silently hide every plot
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            assert any("image/png" in output.get("data", {}) for output in cell.outputs), (
                f"{path.name}, cell {number}: draws a figure but shows no picture")
