"""What if: the page. A baseline and one or more changes, run as paired replicates by the experiments runner.

The changes are shipped scenarios or changes composed on the page (`compose.Change`). What the
visitor typed, its checks and the run are `comparison.py` (no Solara); this module draws them:
the settings, the compose form, progress while the runs go to a worker process (so the page
stays responsive), then curves with 95% bands, an effect table, one sentence per effect, and
downloads.
"""

from __future__ import annotations

import threading

import solara

from . import compose
from .charts import png
from .comparison import CHOICES, CannotRun, Setup, plan, run, scenario_named
from .text import place_name, problem_text, scenario_name, t
from .widgets import Bullets, Heading, Table

WIDTHS = {"start": "190px", "end": "250px", "name": "330px"}  # of the compose form's fields; the rest 250px

setup = solara.reactive(Setup())
run_id = solara.reactive(0)        # bumped by the Run button; the worker thread follows it
progress = solara.reactive((0, 0))  # (runs finished, runs in all) while a comparison runs
result = solara.reactive(None)     # comparison.Result shown
failure = solara.reactive("")


def edit(change) -> None:
    """Apply one edit (a function from Setup to Setup, such as `Setup.with_change_added`) to this session's Setup."""
    setup.set(change(setup.value))


def run_comparison(cancel: threading.Event) -> None:
    """The Run button's work, in a thread: plan, run with progress, then the result or why it failed."""
    if run_id.value == 0:
        return
    try:
        planned = plan(setup.value)
        if planned is None:
            return
        progress.set((0, planned.runs))
        failure.set("")
        result.set(None)
        result.set(run(planned, lambda done, total: progress.set((done, total))))
    except CannotRun as err:
        failure.set(str(err))
    finally:
        progress.set((0, 0))


@solara.component
def Settings():
    running, now = progress.value[1] > 0, setup.value
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "16px"}):
        label_of = {name: scenario_name(name) for name in CHOICES}
        name_of = {label: name for name, label in label_of.items()}
        solara.Select(t("wi_baseline"), values=[label_of[c] for c in CHOICES], value=label_of[now.baseline],
                      on_value=lambda label: edit(lambda s: s.with_baseline(name_of[label])), disabled=running,
                      style={"min-width": "240px"})
        options = [label_of[c] for c in CHOICES if c != now.baseline]
        solara.SelectMultiple(t("wi_interventions"), [label_of[c] for c in now.changes if label_of[c] in options],
                              options,
                              on_value=lambda labels: edit(lambda s: s.with_changes(name_of[x] for x in labels)),
                              disabled=running, classes=["changes"], style={"min-width": "340px"})
        for key, label in (("replicates", "wi_replicates"), ("days", "wi_days"), ("population", "wi_population")):
            bad = now.errors.get(key)
            solara.InputText(t(label), value=now.texts.get(key, ""), disabled=running, error=bad or False,
                             message=problem_text(bad) if bad else None, classes=[f"wi-{key}"],
                             on_value=lambda v, k=key: edit(lambda s: s.with_setting(k, v)))
        solara.Button(t("wi_run"), icon_name="mdi-play", color="primary", disabled=running or not now.can_run(),
                      on_click=lambda: run_id.set(run_id.value + 1), classes=["run"])


@solara.component
def Compose():
    """Compose a change: what happens, where, on which days, its own values and a name."""
    running, now = progress.value[1] > 0, setup.value
    base = scenario_named(now.baseline)
    texts_now, bad, k = now.form_texts(), now.form_errors, now.kind
    with solara.Card(t("cp_title"), classes=["compose"], style={"margin": "8px 0"}):
        solara.Text(t("cp_intro"), style={"color": "#444"})
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "12px", "margin-top": "8px"}):
            label_of = {name: compose.kind_label(name) for name in compose.KINDS}
            name_of = {label: name for name, label in label_of.items()}
            solara.Select(t("cp_kind"), values=list(name_of), value=label_of[k], disabled=running,
                          on_value=lambda label: edit(lambda s: s.with_kind(name_of[label])), classes=["cp-kind"],
                          style={"min-width": "330px"})
            if compose.needs_place(k):
                places = compose.places_for(k, base)
                place_of = {place_name(p): p for p in places}
                current = texts_now.get("place", "")
                solara.Select(t("cp_place"), values=list(place_of), disabled=running, classes=["cp-place"],
                              value=place_name(current) if current in places else None,
                              on_value=lambda label: edit(lambda s: s.with_form_field("place",
                                                                                      place_of.get(label, ""))),
                              style={"min-width": "220px"})
            for key in compose.form_fields(k):
                if key == "place":
                    continue
                if key == "target":
                    TargetSelect(base, texts_now.get("target", ""), running)
                    continue
                message = bad.get(key)
                solara.InputText(compose.field_label(k, key), value=texts_now.get(key, ""), disabled=running,
                                 error=bool(message), message=message or compose.field_help(k, key),
                                 on_value=lambda v, key=key: edit(lambda s: s.with_form_field(key, v)),
                                 classes=[f"cp-{key}"],
                                 style={"flex": "0 0 auto", "width": WIDTHS.get(key, "250px")})
        for key in ("kind", "place", "target"):
            if bad.get(key):
                solara.Error(bad[key], dense=True, classes=[f"cp-{key}-error"])
        solara.Text(t(f"ce_{k}"), style={"color": "#555", "font-style": "italic"})
        with solara.Row(style={"margin-top": "8px"}):
            solara.Button(t("cp_add"), icon_name="mdi-plus", color="primary", outlined=True,
                          disabled=running or bool(now.form is not None and bad),
                          on_click=lambda: edit(Setup.with_change_added), classes=["add-change"])
            solara.Button(t("cp_clear"), text=True, disabled=running, on_click=lambda: edit(lambda s: s.with_kind(k)),
                          classes=["clear-change"])
        if now.composed:
            solara.Text(t("cp_yours"), style={"font-weight": "bold", "margin-top": "8px"})
            days = now.horizon()
            for change in now.composed:
                with solara.Row(style={"align-items": "center"}, classes=["composed-change"]):
                    solara.Button(icon_name="mdi-close", icon=True, disabled=running, classes=["remove-change"],
                                  on_click=lambda name=change.name: edit(lambda s: s.without_change(name)))
                    solara.Text(change.label() + (f": {change.phrase()}" if change.title else ""))
                for message in (change.outside(days) if days is not None else {}).values():
                    solara.Error(f"{change.label()}: {message}", dense=True, classes=["composed-error"])


@solara.component
def TargetSelect(base, current: str, running: bool):
    """Who may take part: everyone, a role, living alone, ..., the regulars of a place."""
    target_of = {compose.target_label(c): c for c in compose.targets_for(base)}
    solara.Select(compose.field_label(setup.value.kind, "target"), values=list(target_of), disabled=running,
                  value=compose.target_label(current) if current in target_of.values() else None,
                  on_value=lambda label: edit(lambda s: s.with_form_field("target", target_of.get(label, ""))),
                  classes=["cp-target"], style={"min-width": "300px"})


@solara.component
def WhatIf():
    solara.use_thread(run_comparison, dependencies=[run_id.value], intrusive_cancel=False)
    with solara.Column(classes=["whatif"], style={"padding": "12px 20px"}):
        Heading(t("wi_title"), level=2)
        solara.Text(t("wi_intro"), style={"color": "#444"})
        Settings()
        Compose()
        now = setup.value
        Bullets(now.notes(), classes=["scenario-notes"])
        if not (now.changes or now.composed):
            solara.Warning(t("wi_pick"))
        if now.blocked():
            solara.Warning(t("cp_fix_first"), classes=["fix-first"])
        if warning := now.too_short():
            solara.Warning(warning)
        done, total = progress.value
        if total:
            solara.ProgressLinear(value=100 * done / total if done else True)
            solara.Text(t("wi_running", done=min(done + 1, total), total=total), classes=["wi-progress"])
        if failure.value:
            solara.Error(failure.value)
        if result.value is not None:
            Results(result.value)


@solara.component
def WhoIsAffected(outcome, own: dict):
    """Each group's effect (participants, regulars, everyone else, ...) when the runner reports groups; else nothing."""
    from . import effects

    header, rows = effects.group_table(outcome, own)
    lang = t("day")
    image = solara.use_memo(lambda: png(effects.group_chart(outcome, own)) if rows else None, [id(outcome), lang])
    if not rows:
        return
    with solara.Column(classes=["who-is-affected"]):
        Heading(t("wi_who"))
        solara.Text(t("wi_who_intro"), style={"color": "#444"})
        Table(header, rows, classes=["group-table"])
        solara.Image(image, width="100%")
        solara.FileDownload(image, filename="whatif_groups.png", label=t("wi_download_groups_png"))


@solara.component
def Results(shown):
    """The result of a comparison: curves, effects in sentences and a table, downloads."""
    from . import effects  # the runner's summaries import scipy: loaded with the first result, not at start-up

    outcome, own = shown.outcome, shown.composed
    s = outcome.settings
    lang = t("day")
    image = solara.use_memo(lambda: png(effects.curves(outcome, own)), [id(outcome), lang])
    solara.Text(t("wi_done", runs=s["runs"], seconds=s["wall_seconds"]), style={"color": "#555"})
    WhoIsAffected(outcome, own)  # first: the residents the change is about (a place's regulars, a campaign's participants)
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
