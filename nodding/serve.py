"""`nodding dashboard [--port P] [--scenario NAME]`: serve the Solara dashboard (dashboards/app.py).

This process becomes the server (`python -m solara run nodding.dashboards.app`, by exec, so Ctrl-C
and a plain `kill` reach the server itself and leave no orphan holding the port), with
Solara's front-end assets served from the offline cache that `make install` fills.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import NoReturn
from pathlib import Path

from nodding.model.scenario import Scenario

from .errors import UserError

__all__ = ["add_dashboard_command", "serve"]

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / ".cache" / "solara-cdn"


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535 (got {text!r})")
    return int(text)


def add_dashboard_command(commands) -> None:
    dashboard = commands.add_parser("dashboard", help="open the dashboard in a browser (Explore, What if, Classroom)")
    dashboard.add_argument("--port", type=_port, default=8765, help="port to serve on (default: 8765)")
    dashboard.add_argument("--scenario", default="baseline", help="scenario the Explore page starts with")
    dashboard.add_argument("--host", default="localhost", help="address to serve on (default: localhost only)")


def serve(args) -> NoReturn:
    """Check the input, then become the server; a bad scenario name raises before anything starts."""
    Scenario.named(args.scenario)  # a bad name is the user's error: one line, before any server starts
    if os.environ.get("NUMBA_THREADING_LAYER", "").lower() == "workqueue":
        # each visitor's town steps in a thread of its own; numba's workqueue layer is not thread-safe
        # and aborts the whole server (SIGABRT) when two towns step at once
        raise UserError("NUMBA_THREADING_LAYER=workqueue: the dashboard steps each visitor's town in its own "
                        "thread, which numba's workqueue layer cannot do (the server would abort); unset it, or "
                        "set it to omp or tbb")
    env = {**os.environ, "NODDING_SCENARIO": args.scenario, "NUMBA_NUM_THREADS": "1",
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}
    if ASSETS.is_dir():
        env.setdefault("SOLARA_ASSETS_PROXY_CACHE_DIR", str(ASSETS))
    else:
        print(f"warning: no offline asset cache in {ASSETS} (run `make assets` once): without internet the page "
              "stays blank", file=sys.stderr)
    print(f"\n  Nodding Terms dashboard: http://{args.host}:{args.port}/   (Ctrl-C stops it)\n", flush=True)
    command = [sys.executable, "-m", "solara", "run", "nodding.dashboards.app", "--production", "--host", args.host,
               "--port", str(args.port), "--no-open"]
    os.chdir(ROOT)
    os.execve(sys.executable, command, env)
