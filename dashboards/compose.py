"""A change composed on the What-if page: one intervention, with its place, days and values.

Plain Python (no Solara), so the rules are tested without a browser. The form's texts
become one `[interventions.<name>]` table added to the chosen baseline
(`Change.scenario`), and are checked by the scenario's own validation
(`Scenario.from_dict`): its messages are the ones shown under the fields. The page adds
one rule of its own, which the model cannot know: the days must fall within the days
the comparison simulates.

Days count from 0 (day 0 is the first simulated day), on the page as in the scenario files
and the reports: a change typed as "from day 20" has `start = 20`, and a message such as
"the last day (10) is before the first day (20)" quotes the numbers the user typed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from nodding import Scenario, ScenarioError
from nodding.model.groups import PARTICIPANT_KINDS, TARGET_WORDS, default_target
from nodding.model.parameters import INTERVENTION_FIELDS, PARTICIPANT_FIELDS
from nodding.model.scenario import available, name_from_stem

from .session import parse_number
from .text import place_name, problem_text, t, the_place

#: What can be composed: every intervention kind but `open_place`, which only means something
#: for a place the baseline does not already have (a place table the page does not compose).
KINDS = tuple(kind for kind in INTERVENTION_FIELDS if kind != "open_place")
KEY = "composed_on_the_page"  # the intervention's table name inside the composed scenario
FIRST_DAY = 60                # the first day suggested for a kind no shipped scenario has


def needs_place(kind: str) -> bool:
    return "place" in INTERVENTION_FIELDS[kind]


def has_end(kind: str) -> bool:
    """A conversation training is a one-off on its start day: it has no end."""
    return "end" in INTERVENTION_FIELDS[kind]


def value_fields(kind: str) -> tuple[str, ...]:
    """The kind's own values (share, hosts, ...), in the model's order."""
    return tuple(f for f in INTERVENTION_FIELDS[kind] if f not in ("place", "start", "end"))


def reaches(kind: str) -> bool:
    """Whether the kind has participants, and so a target and an uptake."""
    return kind in PARTICIPANT_KINDS


def form_fields(kind: str) -> tuple[str, ...]:
    """Every field of the form for this kind, in the order shown."""
    return (*(["place"] if needs_place(kind) else []), "start", *(["end"] if has_end(kind) else []),
            *value_fields(kind), *(["target", "uptake"] if reaches(kind) else []), "name")


def targets_for(baseline: Scenario) -> list[str]:
    """The targets the form offers: everyone, the roles, living alone, low mobility, the lonely, the anxious,
    and the regulars of each of the baseline's places that has copies."""
    regulars = [f"regulars:{name}" for name, place in baseline.places.items() if place["count"] > 0]
    return [*TARGET_WORDS, *regulars]


def target_label(target: str) -> str:
    """Who a target is, in words: 'residents living alone', 'the regulars of the library'."""
    prefix, _, name = target.partition(":")
    return t("tg_regulars", place=the_place(name)) if prefix == "regulars" else t(f"tg_{target}")


def places_for(kind: str, baseline: Scenario) -> list[str]:
    """The baseline's places this kind can use (nobody volunteers at a place with no copies)."""
    return [name for name, place in baseline.places.items() if kind != "volunteering" or place["count"] > 0]


@functools.cache
def example(kind: str) -> dict:
    """The kind's intervention in a shipped scenario (a week's challenge, a three-day blackout, ...),
    else the model's defaults from day 60 on."""
    for name in available():
        for spec in Scenario.named(name).interventions.values():
            if spec["kind"] == kind:
                return dict(spec)
    return {"kind": kind, **{f: p.default for f, p in INTERVENTION_FIELDS[kind].items()}, "start": FIRST_DAY}


def blank(kind: str, baseline: Scenario) -> dict[str, str]:
    """The form's texts for a kind, as in the shipped scenario of that kind, no name."""
    spec = example(kind)
    end = spec.get("end", -1)
    texts = {"start": str(spec["start"]), "name": ""}
    if has_end(kind):
        texts["end"] = str(end) if end >= 0 else ""
    for f in value_fields(kind):
        texts[f] = _text(spec[f])
    if needs_place(kind):
        places = places_for(kind, baseline)
        first = spec.get("place") or "community_centre"
        texts["place"] = first if first in places else (places[0] if places else "")
    if reaches(kind):
        texts["target"] = spec.get("target", default_target(kind))
        texts["uptake"] = _text(spec["uptake"]) if "uptake" in spec else ""
    return texts


def _text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Change:
    """A checked change: its scenario name, the name typed (may be empty) and its intervention table."""

    name: str                      # the scenario's name: runs and downloads are labelled with it
    title: str                     # the name the user typed ("" if none: the page describes it in words)
    spec: dict = field(hash=False)  # the intervention table as the scenario holds it

    @property
    def kind(self) -> str:
        return self.spec["kind"]

    @property
    def first_day(self) -> int:
        return self.spec["start"]

    @property
    def last_day(self) -> int | None:
        """The last day the change applies (inclusive); None: until the end of the run."""
        end = self.spec.get("end", self.spec["start"])
        return None if end < 0 else end

    def scenario(self, baseline: Scenario) -> Scenario:
        """The baseline plus this intervention, validated by the scenario's own rules."""
        data = baseline.to_dict()
        data["name"] = self.name
        data["description"] = f"{baseline.name} plus a change composed on the What-if page: {self.spec}"
        data["interventions"] = {**data["interventions"], KEY: dict(self.spec)}
        return Scenario.from_dict(data, source=f"<{self.name}>")

    def phrase(self) -> str:
        """What the change does, in words of the page's language: 'closing the library from day 20 to day 40'."""
        return action(self.spec)

    def label(self) -> str:
        """How the chart and the table call it: the typed name, else the phrase."""
        return self.title or self.phrase()

    def subject(self) -> str:
        """The subject of an effect sentence: 'Closing the library from day 20 to day 40' or 'Plan B (closing ...)'."""
        text = f"{self.title} ({self.phrase()})" if self.title else self.phrase()
        return text[:1].upper() + text[1:]

    def outside(self, days: int) -> dict[str, str]:
        """Messages for days beyond a run of `days` days (the run length may change after the change was added)."""
        bad, last = {}, days - 1
        if self.first_day > last:
            bad["start"] = t("cp_day_range", low=0, high=last)
        elif self.last_day is not None and self.last_day > last:
            bad["end"] = t("cp_end_range", low=self.first_day, high=last)
        return bad


def action(spec: dict) -> str:
    """An intervention table in words: 'closing the library from day 20 to day 40'."""
    start, end = spec["start"], spec.get("end", spec["start"])
    if spec["kind"] == "conversation_training" or end == start:
        when = t("when_on", start=start)
    elif end < 0:
        when = t("when_from", start=start)
    else:
        when = t("when_span", start=start, end=end)
    values = {"when": when}
    if "place" in spec:
        values["place"] = the_place(spec["place"])
    if "share" in spec:
        values["share"] = percent(spec["share"])
    if "hosts" in spec:
        values["hosts"] = spec["hosts"]
        values["host_word"] = t("host_one" if spec["hosts"] == 1 else "host_many")
    if "uptake" in spec:
        values["share"] = percent(spec["uptake"])
    return t(f"a_{spec['kind']}", **values) + reach(spec)


def reach(spec: dict) -> str:
    """Who may take part and how, when the table says: ', among residents living alone, self-selected'."""
    target = spec.get("target", default_target(spec["kind"]))
    among = t("a_among", target=target_label(target)) if target != default_target(spec["kind"]) else ""
    return among + (t("a_self_selected") if "uptake" in spec else "")


def percent(share: float) -> str:
    """0.2 -> '20%', 0.025 -> '2.5%'."""
    text = f"{100 * share:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def check(kind: str, texts: dict[str, str], baseline: Scenario, days: int | None,
          added: list[Change] = ()) -> tuple[Change | None, dict[str, str]]:
    """The form's texts as a checked change, or (None, {field: message}) naming what is allowed.

    `days` is the run's length (None while that field is not valid: then only the model's
    rules apply to the days), so the last day allowed is `days - 1`; `added` are the changes already
    in the list (a name is used once).
    Every bad field gets its own message: a field the model rejects is replaced by a good
    value and the rest checked again.
    """
    if kind not in KINDS:
        return None, {"kind": problem_text(f"must be one of {', '.join(KINDS)} (got {kind!r})")}
    bad: dict[str, str] = {}
    high = days - 1 if days is not None else 100_000
    spec: dict = {"kind": kind}
    if needs_place(kind):
        spec["place"] = texts.get("place", "")
    start = parse_number(texts.get("start", ""))
    if not _whole(start) or not 0 <= start <= high:
        bad["start"] = t("cp_day_range", low=0, high=high)
    spec["start"] = start if "start" not in bad else 0
    if has_end(kind):
        end_text = str(texts.get("end", "")).strip()
        end = parse_number(end_text) if end_text else -1
        if end_text and (not _whole(end) or not 0 <= end <= high):
            bad["end"] = t("cp_end_range", low=spec["start"], high=high)
        spec["end"] = end if "end" not in bad else -1
    for f in value_fields(kind):
        spec[f] = parse_number(texts.get(f, ""))
    if reaches(kind):
        spec.update(_reach_spec(kind, texts))
    # the model's rules
    for _ in range(len(spec) + 1):
        try:
            Change("check", "", spec).scenario(baseline)
            break
        except ScenarioError as err:
            name = (err.field or "").removeprefix(f"interventions.{KEY}.")
            if name not in spec or name in bad or name == "kind":
                bad["kind"] = problem_text(err.problem)
                break
            bad[name] = problem_text(err.problem)
            spec[name] = _good(kind, name, baseline)
    title = " ".join(str(texts.get("name", "")).split())
    if title and title.casefold() in {c.title.casefold() for c in added}:
        bad["name"] = t("cp_name_taken")
    if bad:
        return None, bad
    # the scenario's name (runs and downloads): from the typed name or from what the change is, made unique
    stem = title or f"{kind}_{spec.get('place', '')}_{_days(spec)}".replace("__", "_")
    name = _unused(name_from_stem(stem), taken_names(added) | {baseline.name})
    # the table as the scenario holds it: values of the field's type, defaults filled in
    final = Change(name, title, spec).scenario(baseline).interventions[KEY]
    return Change(name, title, final), {}


def _reach_spec(kind: str, texts: dict[str, str]) -> dict:
    """`target` and `uptake` as the scenario takes them: given only when they differ from drawing participants
    as before (a share of everyone; of the low-mobility residents for transport help)."""
    spec = {}
    target = str(texts.get("target") or default_target(kind))
    if target != default_target(kind):
        spec["target"] = target
    uptake = str(texts.get("uptake", "")).strip()
    if uptake:
        spec["uptake"] = parse_number(uptake)
    return spec


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _good(kind: str, name: str, baseline: Scenario):
    """A value the model accepts for this field, to check the other fields with."""
    if name == "place":
        return (places_for(kind, baseline) or [""])[0]
    if name == "end":
        return -1
    if name == "target":
        return default_target(kind)
    return {**INTERVENTION_FIELDS[kind], **PARTICIPANT_FIELDS}[name].default


def _days(spec: dict) -> str:
    end = spec.get("end", spec["start"])
    return f"day{spec['start']}" + ("" if end == spec["start"] else "-end" if end < 0 else f"-{end}")


def _unused(name: str, taken) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name[:60]}_{n}", n + 1
    return candidate


def taken_names(changes: list[Change]) -> set[str]:
    """Names a new change may not have: the shipped scenarios' and the changes already added."""
    return set(available()) | {c.name for c in changes}


def kind_label(kind: str) -> str:
    return t(f"ck_{kind}")


def field_label(kind: str, name: str) -> str:
    """A field's label; a few fields mean something else per kind (whose share, which affordance)."""
    key = f"cf_{kind}.{name}"
    return t(key) if key in _keys() else t(f"cf_{name}")


def field_help(kind: str, name: str) -> str:
    """What the field means and its allowed range, from the model's table."""
    if name in ("start", "end", "name", "place"):
        return t(f"ch_{name}")
    if name == "uptake":
        return t("ch_uptake")
    param = INTERVENTION_FIELDS[kind][name]
    key = f"ch_{kind}.{name}"
    words = t(key) if key in _keys() else t(f"ch_{name}")
    return t("cp_help_range", help=words, low=_text(param.low), high=_text(param.high))


def place_label(name: str) -> str:
    return place_name(name)


def _keys():
    from .text import EN

    return EN
