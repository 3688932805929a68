"""Installed from a wheel, outside the checkout, nodding still finds its shipped scenarios (issue 11, item 14).

The wheel is built from a copy of the sources and installed without dependencies into a fresh
virtual environment that borrows this environment's packages through a `.pth` line (a plain
path line: the editable install's own `.pth` hook is not run, so the checkout stays invisible).
`make install-check` (run by `.ci/run`) does the full version: the wheel with its dependencies.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "model", "nodding", "dashboards", "scenarios"]
SHIPPED = len(list((ROOT / "scenarios").glob("*.toml")))  # every file in scenarios/ ships


def _copy_sources(to: Path) -> Path:
    to.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc", "*.pyc")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, to / name, ignore=skip)
        else:
            shutil.copy2(source, to / name)
    return to


def _run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def _fresh_venv(path: Path) -> Path:
    """A new virtual environment that sees this environment's installed packages, not the checkout."""
    _run(sys.executable, "-m", "venv", "--without-pip", path, cwd=path.parent)
    python = path / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=path.parent).stdout.strip()
    borrowed = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(site, "borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    return python


def test_a_wheel_installed_outside_the_checkout_ships_its_scenarios(tmp_path):
    sources = _copy_sources(tmp_path / "src")
    # the build backend from the package index (as pip does by default), or this environment's if it has one
    offline = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", *offline, ".", "-w", tmp_path / "dist", cwd=sources)
    (wheel,) = (tmp_path / "dist").glob("nodding_terms-*.whl")
    python = _fresh_venv(tmp_path / "venv")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel, cwd=tmp_path)
    shutil.rmtree(sources)  # nothing may come from a source tree

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["NUMBA_NUM_THREADS"] = "1"
    where = _run(python, "-c", "import nodding.model, nodding.dashboards; print(nodding.model.__file__)", cwd=elsewhere,
                 env=env).stdout
    assert where.startswith(str(tmp_path / "venv")), where
    # the wheel claims no generic top-level names that a user's own model.py would fight with
    generic = _run(python, "-c", "import importlib.util as u; print([n for n in ('model', 'dashboards', 'scenarios') "
                   "if u.find_spec(n)])", cwd=elsewhere, env=env).stdout
    assert generic.strip() == "[]"

    nodding = tmp_path / "venv" / "bin" / "nodding"
    listed = _run(nodding, "scenarios", cwd=elsewhere, env=env).stdout.splitlines()
    assert len(listed) == SHIPPED and any(line.startswith("classroom ") for line in listed)
    _run(nodding, "run", "classroom", "--days", 2, "--out", "classroom", "--quiet", cwd=elsewhere, env=env)
    assert len((elsewhere / "classroom" / "daily.csv").read_text().splitlines()) == 3
