"""What if: a baseline and one or more changes, run as paired replicates by the experiments runner.

The changes are shipped scenarios or changes composed on the page (`compose.Change`: one
intervention with its place, days and values, added to the chosen baseline). The runs go
to a worker process (`nodding.experiments.compare` with our executor), so the page stays
responsive and shows progress; results are curves with 95% bands, an effect table, one
sentence per effect, and downloads.
"""

from __future__ import annotations

import functools
import threading

import solara

from nodding import Scenario, ScenarioError
from nodding.experiments.design import DEFAULT_WINDOW

from . import compose
from .charts import png
from .session import SCENARIOS, parse_number, question
from .text import place_name, problem_text, scenario_name, t
from .widgets import Bullets, Heading, Table

CHOICES = [name for name in SCENARIOS if name != "classroom"]  # every other scenario is the baseline plus one change
WORKERS = 1  # one simulation process: the other core keeps the page (and other visitors) responsive
LIMITS = {"replicates": (2, 50), "days": (1, 730), "population": (50, 20_000)}
WIDTHS = {"start": "190px", "end": "250px", "name": "330px"}  # of the compose form's fields; the rest 250px

baseline = solara.reactive("baseline")
changes = solara.reactive(["community_centre_closes"])
texts = solara.reactive({"replicates": "5", "days": "150", "population": "500"})
errors = solara.reactive({})
run_id = solara.reactive(0)       # bumped by the Run button; the worker thread follows it
progress = solara.reactive((0, 0))
result = solara.reactive(None)
failure = solara.reactive("")
# a change composed on the page
composed = solara.reactive([])          # compose.Change, in the order added
kind = solara.reactive("close_place")
form = solara.reactive(None)            # the form's texts (None: the kind's example, not yet touched)
form_errors = solara.reactive({})       # field -> message
ran = solara.reactive({})               # scenario name -> compose.Change, for the result shown


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
    if key == "days" and form.value is not None:
        check_form()


@functools.cache
def scenario_named(name: str) -> Scenario:
    return Scenario.named(name)


def horizon() -> int | None:
    """The run's length in days, if that field is valid."""
    days = parse_number(texts.value.get("days", ""))
    low, high = LIMITS["days"]
    return days if isinstance(days, int) and low <= days <= high else None


def form_texts() -> dict[str, str]:
    return form.value if form.value is not None else compose.blank(kind.value, scenario_named(baseline.value))


def check_form():
    """The form as a change, with a message under each bad field (the scenario's own rules)."""
    change, bad = compose.check(kind.value, form_texts(), scenario_named(baseline.value), horizon(), composed.value)
    form_errors.set(bad)
    return change


def on_kind(name: str) -> None:
    kind.set(name)
    form.set(None)
    form_errors.set({})


def on_form(key: str, text) -> None:
    form.set({**form_texts(), key: "" if text is None else text})
    check_form()


def add_change() -> None:
    form.set(form_texts())  # tried: from now on its messages count, even if nothing was typed
    change = check_form()
    if change is not None:
        composed.set([*composed.value, change])
        form.set(None)  # a fresh form: pressing Add twice does not add the same change twice


def remove_change(name: str) -> None:
    composed.set([c for c in composed.value if c.name != name])


def blocked() -> bool:
    """Whether something on the page is not valid yet: then nothing runs."""
    days = horizon()
    return bool(errors.value or (form.value is not None and form_errors.value)
                or (days is not None and any(c.outside(days) for c in composed.value)))


def run_comparison(cancel: threading.Event) -> None:
    if run_id.value == 0:
        return
    from nodding.experiments import compare, make_executor  # scipy and more: loaded on first use, not at start-up

    settings, bad = checked_settings()
    errors.set(bad)
    if bad or blocked():
        return
    names = [baseline.value] + [c for c in changes.value if c != baseline.value]
    base = scenario_named(baseline.value)
    own = [c for c in composed.value if c.name not in names]
    if len(names) + len(own) < 2:
        return
    start = first_start(names, own)
    if start is not None and start >= settings["days"]:  # the page counts days from 1, the model from 0
        failure.set(t("wi_no_change", start=start + 1, days=settings["days"]))
        return
    try:
        scenarios = [scenario_named(n) for n in names] + [c.scenario(base) for c in own]
        scenarios = [s.with_values({"population.size": settings["population"]}) for s in scenarios]
    except ScenarioError as err:
        failure.set(t("wi_failed", error=problem_text(err.problem)))
        return
    total = len(scenarios) * settings["replicates"]
    finished = [0]

    def one_done():
        finished[0] += 1
        progress.set((finished[0], total))

    progress.set((0, total))
    failure.set("")
    result.set(None)
    ran.set({c.name: c for c in own})  # the result's changes, told in the page's language when it is shown
    try:
        with make_executor(workers=WORKERS) as pool:
            outcome = compare(scenarios, replicates=settings["replicates"], days=settings["days"],
                              window=min(DEFAULT_WINDOW, settings["days"]), executor=CountingExecutor(pool, one_done),
                              progress=False)
        result.set(outcome)
    except (ScenarioError, ValueError, RuntimeError, OSError) as err:  # shown on the page, never a traceback
        failure.set(t("wi_failed", error=err))
    finally:
        progress.set((0, 0))


def first_start(names: list[str], own: list = ()) -> int | None:
    """The first day on which any of these scenarios' or composed changes applies (None: no changes)."""
    starts = [iv["start"] for name in names for iv in scenario_named(name).interventions.values() if "start" in iv]
    starts += [c.spec["start"] for c in own]
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
                             message=problem_text(bad) if bad else None, classes=[f"wi-{key}"],
                             on_value=lambda v, k=key: on_field(k, v))
        solara.Button(t("wi_run"), icon_name="mdi-play", color="primary",
                      disabled=running or not (changes.value or composed.value) or blocked(),
                      on_click=lambda: run_id.set(run_id.value + 1), classes=["run"])


@solara.component
def Compose():
    """Compose a change: what happens, where, on which days, its own values and a name."""
    running = progress.value[1] > 0
    base = scenario_named(baseline.value)
    texts_now, bad, k = form_texts(), form_errors.value, kind.value
    with solara.Card(t("cp_title"), classes=["compose"], style={"margin": "8px 0"}):
        solara.Text(t("cp_intro"), style={"color": "#444"})
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "12px", "margin-top": "8px"}):
            label_of = {name: compose.kind_label(name) for name in compose.KINDS}
            name_of = {label: name for name, label in label_of.items()}
            solara.Select(t("cp_kind"), values=list(name_of), value=label_of[k], disabled=running,
                          on_value=lambda label: on_kind(name_of[label]), classes=["cp-kind"],
                          style={"min-width": "330px"})
            if compose.needs_place(k):
                places = compose.places_for(k, base)
                place_of = {place_name(p): p for p in places}
                current = texts_now.get("place", "")
                solara.Select(t("cp_place"), values=list(place_of), disabled=running, classes=["cp-place"],
                              value=place_name(current) if current in places else None,
                              on_value=lambda label: on_form("place", place_of.get(label, "")),
                              style={"min-width": "220px"})
            for key in compose.form_fields(k):
                if key == "place":
                    continue
                message = bad.get(key)
                solara.InputText(compose.field_label(k, key), value=texts_now.get(key, ""), disabled=running,
                                 error=bool(message), message=message or compose.field_help(k, key),
                                 on_value=lambda v, key=key: on_form(key, v), classes=[f"cp-{key}"],
                                 style={"flex": "0 0 auto", "width": WIDTHS.get(key, "250px")})
        for key in ("kind", "place"):
            if bad.get(key):
                solara.Error(bad[key], dense=True, classes=[f"cp-{key}-error"])
        solara.Text(t(f"ce_{k}"), style={"color": "#555", "font-style": "italic"})
        with solara.Row(style={"margin-top": "8px"}):
            solara.Button(t("cp_add"), icon_name="mdi-plus", color="primary", outlined=True,
                          disabled=running or bool(form.value is not None and bad), on_click=add_change,
                          classes=["add-change"])
            solara.Button(t("cp_clear"), text=True, disabled=running, on_click=lambda: on_kind(k),
                          classes=["clear-change"])
        if composed.value:
            solara.Text(t("cp_yours"), style={"font-weight": "bold", "margin-top": "8px"})
            days = horizon()
            for change in composed.value:
                with solara.Row(style={"align-items": "center"}, classes=["composed-change"]):
                    solara.Button(icon_name="mdi-close", icon=True, disabled=running, classes=["remove-change"],
                                  on_click=lambda name=change.name: remove_change(name))
                    solara.Text(change.label() + (f": {change.phrase()}" if change.title else ""))
                for message in (change.outside(days) if days is not None else {}).values():
                    solara.Error(f"{change.label()}: {message}", dense=True, classes=["composed-error"])


@solara.component
def WhatIf():
    solara.use_thread(run_comparison, dependencies=[run_id.value], intrusive_cancel=False)
    with solara.Column(classes=["whatif"], style={"padding": "12px 20px"}):
        Heading(t("wi_title"), level=2)
        solara.Text(t("wi_intro"), style={"color": "#444"})
        Settings()
        Compose()
        Bullets([t("wi_scenario_note", name=scenario_name(name), description=question(name))
                 for name in [baseline.value, *changes.value]]
                + [t("wi_scenario_note", name=c.label(), description=t(f"ce_{c.kind}")) for c in composed.value],
                classes=["scenario-notes"])
        if not (changes.value or composed.value):
            solara.Warning(t("wi_pick"))
        if blocked():
            solara.Warning(t("cp_fix_first"), classes=["fix-first"])
        start = first_start([baseline.value, *changes.value], composed.value)
        days = parse_number(texts.value.get("days", ""))
        if start is not None and isinstance(days, int) and days < start + DEFAULT_WINDOW:
            solara.Warning(t("wi_too_short", start=start + 1, days=start + DEFAULT_WINDOW))
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
    own = ran.value
    image = solara.use_memo(lambda: png(effects.curves(outcome, own)), [id(outcome), lang])
    solara.Text(t("wi_done", runs=s["runs"], seconds=s["wall_seconds"]), style={"color": "#555"})
    solara.Image(image, width="100%")
    Heading(t("wi_effects", window=s["window"], baseline=scenario_name(s["baseline"])))
    Bullets(effects.sentences(outcome, own), classes=["effect-sentences"])
    Table([t("wi_outcome"), t("wi_base_value"), t("wi_value"), t("wi_effect"), t("wi_sure")],
          effects.table_rows(outcome, own), classes=["effect-table"])
    with solara.Row():
        solara.FileDownload(lambda: outcome.runs.to_csv(index=False).encode(), filename="whatif_runs.csv",
                            label=t("wi_download_csv"))
        solara.FileDownload(lambda: outcome.effects.to_csv(index=False).encode(), filename="whatif_effects.csv",
                            label=t("wi_download_effects"))
        solara.FileDownload(image, filename="whatif_curves.png", label=t("wi_download_png"))
