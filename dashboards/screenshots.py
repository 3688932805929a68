"""Screenshots of every page for the README: `python -m nodding.dashboards.screenshots [OUT_DIR]` (default docs/img).

Starts its own server (offline asset cache), drives Debian's Chromium, stops both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8799


def serve(port: int = PORT) -> subprocess.Popen:
    """The dashboard server on `port` (offline assets, one numba thread), once it answers."""
    env = {**os.environ, "SOLARA_ASSETS_PROXY_CACHE_DIR": str(ROOT / ".cache" / "solara-cdn"),
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", "NUMBA_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "solara", "run", "nodding.dashboards.app", "--production", "--host",
                               "localhost", "--port", str(port), "--no-open"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(90):
        try:
            urllib.request.urlopen(f"http://localhost:{port}", timeout=2)
            return server
        except OSError:
            time.sleep(1)
    server.kill()
    raise SystemExit("the dashboard server did not start")


def steps(page, n: int) -> None:
    """Press Step n times, each time waiting for the day label to change."""
    for _ in range(n):
        before = page.inner_text(".day-label")
        page.click("button.step")
        page.wait_for_function("before => document.querySelector('.day-label').innerText !== before", arg=before)


def choose(page, selector: str, item: str) -> None:
    """Pick an item from a drop-down list (the open one: closed lists stay in the page)."""
    page.click(selector)
    page.click(f'.menuable__content__active .v-list-item >> text="{item}"')


def in_dutch(page, marker: str, path: Path) -> None:
    """Switch the page to Dutch, wait for `marker` and the redrawn charts, take the picture."""
    page.click("button.language")
    page.wait_for_selector(marker)
    time.sleep(3)
    page.screenshot(path=path, full_page=True)


def whatif(browser, url: str, out: Path) -> None:
    """The What-if page after a comparison, and its "who is affected" block, in English and in Dutch."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url + "/what-if")
    page.wait_for_selector(".whatif", timeout=60_000)
    for key, value in (("replicates", "4"), ("days", "120"), ("population", "300")):
        page.fill(f".wi-{key} input", value)
        page.press(f".wi-{key} input", "Enter")
    # besides the shipped "closing the community centre": a change composed on the page
    choose(page, ".cp-kind", "Residents volunteer at a place")
    page.fill(".cp-share input", "0.1")
    page.press(".cp-share input", "Enter")
    page.click("button.add-change")
    page.wait_for_selector(".composed-change")
    page.click("button.run")
    page.wait_for_selector(".effect-table", timeout=600_000)
    time.sleep(2)
    page.screenshot(path=out / "whatif.png", full_page=True)
    page.locator(".who-is-affected").screenshot(path=out / "whatif_groups.png")
    in_dutch(page, "text=Wat als?", out / "whatif_dutch.png")
    page.locator(".who-is-affected").screenshot(path=out / "whatif_groups_dutch.png")


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = serve()
    url = f"http://localhost:{PORT}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                        args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.wait_for_selector(".day-label", timeout=60_000)
            page.click("button.play")
            time.sleep(6)
            page.click("button.play")
            page.wait_for_selector("button.step:not([disabled])", timeout=60_000)
            page.click(".v-btn-toggle >> text=midday")
            page.wait_for_function("document.querySelector('.day-label').innerText.includes('midday')")
            time.sleep(3)
            page.screenshot(path=out / "explore.png", full_page=True)

            page.fill(".field-population-size input", "60")
            page.press(".field-population-size input", "Enter")
            page.click("button.reset")
            page.wait_for_selector("text=Who knows whom")
            steps(page, 12)
            page.click(".story .v-select")
            page.click(".v-menu__content .v-list-item >> text=Bram")
            page.wait_for_selector("text=Belonging of Bram over time")
            time.sleep(3)
            page.screenshot(path=out / "explore_small_town.png", full_page=True)
            in_dutch(page, "text=Verken een buurt", out / "explore_dutch.png")

            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(url + "/classroom")
            page.wait_for_selector(".day-label", timeout=60_000)
            steps(page, 18)
            time.sleep(3)
            page.screenshot(path=out / "classroom.png")

            whatif(browser, url, out)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
