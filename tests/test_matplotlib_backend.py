"""Importing the application layer leaves matplotlib's backend alone.

A researcher who imports `compare` in Jupyter must still see inline plots: the report writers
draw on `matplotlib.figure.Figure` objects, never through pyplot's global backend.
"""

import os
import subprocess
import sys


def test_importing_the_report_writers_keeps_the_users_backend():
    code = ("import matplotlib; import nodding.output, nodding.experiments.report, nodding.facts; "
            "print(matplotlib.get_backend())")
    env = {**os.environ, "MPLBACKEND": "svg"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "svg"
