"""Dashboard benchmark (issue 9): how fast Play runs with the page open, and how soon the first page is usable.

    python benchmarks/dashboard.py            # ~1 min; writes benchmarks/results/dashboard.{md,json}
    python benchmarks/dashboard.py --seconds 20 --out /tmp/b

A real server (`solara run dashboards.app --production`, offline assets, one numba thread) and
Debian's Chromium with every request outside the local server blocked, as in the browser tests.

- **First page**: seconds from the server's start to a usable Explore page (the day label shown),
  and from opening the page to that point once the server is up.
- **Play**: days on screen per second over `--seconds` of Play on the 2,000-resident baseline,
  rendering included (the day on screen after pausing, over the time Play ran).
- **Reference, same run**: the same town stepped headless in this process, days per second. The
  ratio Play / headless says how much of the model's speed survives the page (charts, map,
  transfer to the browser); it is what to compare across machines and loads, not the raw days/s.

Targets (issue 9): Play at least 5 days/s; first page within 15 s of `make run` once set up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from nodding.dashboards.screenshots import serve  # the same server the screenshots use

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / ".cache" / "solara-cdn"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def day_on_screen(page) -> int:
    """Days the town has lived: the label names the last one, counted from 0 ('Day 0' after the first)."""
    match = re.search(r"(?:Day|Dag) (\d+)", page.inner_text(".day-label"))
    return int(match.group(1)) + 1 if match else 0


def measure_in_browser(url: str, play_seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route(re.compile(r"^(?!http://localhost:\d+/).*"), lambda route: route.abort())
        page = context.new_page()
        opened = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".day-label", timeout=60_000)
        page_seconds = time.perf_counter() - opened
        page.click("button.step")  # the first day also loads the compiled kernels: not part of Play
        page.wait_for_function("/(Day|Dag) 1\\b/.test(document.querySelector('.day-label').innerText)",
                               timeout=60_000)
        first_day = day_on_screen(page)
        page.click("button.play")
        started = time.perf_counter()
        time.sleep(play_seconds)
        page.click("button.play")
        played = time.perf_counter() - started
        page.wait_for_selector("button.step:not([disabled])", timeout=30_000)
        time.sleep(1)  # the paused page draws the day it reached
        days = day_on_screen(page) - first_day
        browser.close()
    return {"page_open_s": round(page_seconds, 2), "play_days": days, "play_s": round(played, 2),
            "play_days_per_s": round(days / played, 1)}


def headless_days_per_second(days: int) -> float:
    """The reference: the dashboard's default town stepped without a page, one numba thread."""
    os.environ["NUMBA_NUM_THREADS"] = "1"
    from nodding import Scenario, Town

    town = Town(Scenario.named("baseline"), seed=42)
    town.step()  # kernels loaded, as after the page's first Step
    started = time.perf_counter()
    for _ in range(days):
        town.step()
    return days / (time.perf_counter() - started)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=15.0, help="how long Play runs (default 15)")
    ap.add_argument("--reference-days", type=int, default=60, help="days stepped headless (default 60)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args()
    if not (ASSETS / ".complete").exists():
        sys.exit(f"error: no offline asset cache in {ASSETS}: run `make assets`")
    if shutil.which("chromium") is None:
        sys.exit("error: chromium is not installed (`make browser`)")

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    port = free_port()
    started = time.perf_counter()
    server = serve(port)
    server_seconds = time.perf_counter() - started
    try:
        browser = measure_in_browser(f"http://localhost:{port}/", args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    reference = headless_days_per_second(args.reference_days)
    result = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip(),
              "server_start_s": round(server_seconds, 2), **browser,
              "first_page_s": round(server_seconds + browser["page_open_s"], 2),
              "headless_days_per_s": round(reference, 1),
              "play_to_headless": round(browser["play_days_per_s"] / reference, 2),
              "load_before": load_before, "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "dashboard.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "dashboard.md").write_text(
        f"# Dashboard benchmark ({result['when']}, commit {result['commit']}, 2,000-resident baseline)\n\n"
        f"Load average (1, 5, 15 min) before / after: {result['load_before']} / {result['load_after']}.\n\n"
        "| measure | value | target |\n|---|---|---|\n"
        f"| first page: server start {result['server_start_s']} s + page open {result['page_open_s']} s "
        f"| **{result['first_page_s']} s** | within 15 s |\n"
        f"| Play with the page open: {result['play_days']} days in {result['play_s']} s "
        f"| **{result['play_days_per_s']} days/s** | at least 5 |\n"
        f"| reference, same run: the same town stepped headless | {result['headless_days_per_s']} days/s | |\n"
        f"| Play / headless | **{result['play_to_headless']}** | |\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
