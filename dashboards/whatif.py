"""What if: a baseline and one or more changes, run as paired replicates by the experiments runner.

The runs go to a worker process (`nodding.experiments.compare` with our executor), so
the page stays responsive and shows progress; results are curves with 95% bands, an
effect table, one sentence per effect, and downloads.
"""

from __future__ import annotations

import threading

import solara

from model import Scenario, ScenarioError

from .charts import png
from .session import SCENARIOS, parse_number, question
from .text import scenario_name, t
from .widgets import Bullets, Heading, Table

CHOICES = [name for name in SCENARIOS if name != "classroom"]  # every other scenario is the baseline plus one change
WORKERS = 1  # one simulation process: the other core keeps the page (and other visitors) responsive
LIMITS = {"replicates": (2, 50), "days": (1, 730), "population": (50, 20_000)}
WINDOW = 30

baseline = solara.reactive("baseline")
changes = solara.reactive(["community_centre_closes"])
texts = solara.reactive({"replicates": "5", "days": "150", "population": "500"})
errors = solara.reactive({})
run_id = solara.reactive(0)       # bumped by the Run button; the worker thread follows it
progress = solara.reactive((0, 0))
result = solara.reactive(None)
failure = solara.reactive("")


class CountingExecutor:
    """Hands runs to a real executor and reports each finished one (the runner's own bar is a terminal bar)."""

    def __init__(self, executor, done):
        self.executor, self.done = executor, done

    def submit(self, fn, *args, **kwargs):
        future = self.executor.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda _: self.done())
        return future


def checked_settings() -> tuple[dict | None, dict[str, str]]:
    """Whole numbers within LIMITS, or a message per bad field."""
    values, bad = {}, {}
    for key, (low, high) in LIMITS.items():
        value = parse_number(texts.value.get(key, ""))
        if not isinstance(value, int) or not low <= value <= high:
            bad[key] = f"must be a whole number from {low:,} to {high:,} (got {texts.value.get(key)!r})"
        values[key] = value
    return (None, bad) if bad else (values, {})


def on_field(key: str, text: str) -> None:
    texts.set({**texts.value, key: text or ""})
    errors.set(checked_settings()[1])


def run_comparison(cancel: threading.Event) -> None:
    if run_id.value == 0:
        return
    from nodding.experiments import compare, make_executor  # scipy and more: loaded on first use, not at start-up

    settings, bad = checked_settings()
    errors.set(bad)
    if bad or not changes.value:
        return
    names = [baseline.value] + [c for c in changes.value if c != baseline.value]
    if len(names) < 2:
        return
    scenarios = [Scenario.named(n).with_values({"population.size": settings["population"]}) for n in names]
    total = len(scenarios) * settings["replicates"]
    finished = [0]

    def one_done():
        finished[0] += 1
        progress.set((finished[0], total))

    progress.set((0, total))
    failure.set("")
    result.set(None)
    try:
        with make_executor(workers=WORKERS) as pool:
            outcome = compare(scenarios, replicates=settings["replicates"], days=settings["days"],
                              window=min(WINDOW, settings["days"]), executor=CountingExecutor(pool, one_done),
                              progress=False)
        result.set(outcome)
    except (ScenarioError, ValueError, RuntimeError, OSError) as err:  # shown on the page, never a traceback
        failure.set(t("wi_failed", error=err))
    finally:
        progress.set((0, 0))


def first_start(names: list[str]) -> int | None:
    """The first day on which any of these scenarios' changes applies (None: no changes)."""
    starts = [iv["start"] for name in names for iv in Scenario.named(name).interventions.values() if "start" in iv]
    return min(starts) if starts else None


@solara.component
def Settings():
    running = progress.value[1] > 0
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "16px"}):
        label_of = {name: scenario_name(name) for name in CHOICES}
        name_of = {label: name for name, label in label_of.items()}
        solara.Select(t("wi_baseline"), values=[label_of[c] for c in CHOICES], value=label_of[baseline.value],
                      on_value=lambda label: baseline.set(name_of[label]), disabled=running,
                      style={"min-width": "240px"})
        options = [label_of[c] for c in CHOICES if c != baseline.value]
        solara.SelectMultiple(t("wi_interventions"), [label_of[c] for c in changes.value if label_of[c] in options],
                              options, on_value=lambda labels: changes.set([name_of[x] for x in labels]),
                              disabled=running, classes=["changes"], style={"min-width": "340px"})
        for key, label in (("replicates", "wi_replicates"), ("days", "wi_days"), ("population", "wi_population")):
            bad = errors.value.get(key)
            solara.InputText(t(label), value=texts.value.get(key, ""), disabled=running, error=bad or False,
                             message=bad, classes=[f"wi-{key}"],
                             on_value=lambda v, k=key: on_field(k, v))
        solara.Button(t("wi_run"), icon_name="mdi-play", color="primary",
                      disabled=running or not changes.value or bool(errors.value),
                      on_click=lambda: run_id.set(run_id.value + 1), classes=["run"])


@solara.component
def WhatIf():
    solara.use_thread(run_comparison, dependencies=[run_id.value], intrusive_cancel=False)
    with solara.Column(classes=["whatif"], style={"padding": "12px 20px"}):
        Heading(t("wi_title"), level=2)
        solara.Text(t("wi_intro"), style={"color": "#444"})
        Settings()
        Bullets([t("wi_scenario_note", name=scenario_name(name), description=question(name))
                 for name in [baseline.value, *changes.value]], classes=["scenario-notes"])
        if not changes.value:
            solara.Warning(t("wi_pick"))
        start = first_start([baseline.value, *changes.value])
        days = parse_number(texts.value.get("days", ""))
        if start is not None and isinstance(days, int) and days < start + WINDOW:
            solara.Warning(t("wi_too_short", start=start + 1, days=start + WINDOW))
        done, total = progress.value
        if total:
            solara.ProgressLinear(value=100 * done / total if done else True)
            solara.Text(t("wi_running", done=min(done + 1, total), total=total), classes=["wi-progress"])
        if failure.value:
            solara.Error(failure.value)
        if result.value is not None:
            Results(result.value)


@solara.component
def Results(outcome):
    from . import effects  # the runner's summaries import scipy: loaded with the first result, not at start-up

    s = outcome.settings
    lang = t("day")
    image = solara.use_memo(lambda: png(effects.curves(outcome)), [id(outcome), lang])
    solara.Text(t("wi_done", runs=s["runs"], seconds=s["wall_seconds"]), style={"color": "#555"})
    solara.Image(image, width="100%")
    Heading(t("wi_effects", window=s["window"], baseline=scenario_name(s["baseline"])))
    Bullets(effects.sentences(outcome), classes=["effect-sentences"])
    Table([t("wi_outcome"), t("wi_base_value"), t("wi_value"), t("wi_effect"), t("wi_sure")],
          effects.table_rows(outcome), classes=["effect-table"])
    with solara.Row():
        solara.FileDownload(lambda: outcome.runs.to_csv(index=False).encode(), filename="whatif_runs.csv",
                            label=t("wi_download_csv"))
        solara.FileDownload(lambda: outcome.effects.to_csv(index=False).encode(), filename="whatif_effects.csv",
                            label=t("wi_download_effects"))
        solara.FileDownload(image, filename="whatif_curves.png", label=t("wi_download_png"))
