"""Scenario files: TOML in, a validated, immutable `Scenario` out.

A scenario file holds only what differs from the defaults in `model.parameters`
(the baseline neighbourhood), so `community_centre_closes.toml` is literally the
baseline plus one intervention. Loading parses TOML with `tomllib` and never
executes code. Every problem raises `ScenarioError` naming the file, the dotted
field path, what is wrong and what is allowed.

Example
-------
>>> s = Scenario.default().with_values({"population.size": 300})
>>> s["population.size"]
300
>>> s.with_values({"population.sise": 3})
Traceback (most recent call last):
...
nodding.model.scenario.ScenarioError: <scenario>: population.sise: unknown field (did you mean population.size?)
"""

from __future__ import annotations

import copy
import difflib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .groups import PARTICIPANT_KINDS, check_target
from .parameters import INTERVENTION_FIELDS, PARAMETERS, PARTICIPANT_FIELDS, PLACE_FIELDS, TOP_LEVEL, Param
from .places import BASELINE_PLACES
from .population import AGE_KEYS

__all__ = ["SCENARIO_DIR", "Scenario", "ScenarioError", "available", "name_from_stem", "one_line"]


def _shipped_dir() -> Path:
    """The shipped scenario files: package data `model/scenarios/` when installed from a wheel,
    the repository's top-level `scenarios/` when run from a checkout (editable install)."""
    installed = Path(str(importlib.resources.files(__package__))) / "scenarios"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "scenarios"


SCENARIO_DIR = _shipped_dir()
#: Larger than any sensible scenario; stops `nodding run /dev/zero` from reading forever.
MAX_FILE_BYTES = 1_000_000
#: Fields of earlier versions, with what replaced them (a file that still has one is told what to write).
REPLACED = {
    "population.share_children": "ages are drawn from the age mix: give population.age_0_15 .. population.age_65_plus "
                                 "(CBS age bands; docs/population.md)",
    "population.share_seniors": "ages are drawn from the age mix: give population.age_0_15 .. population.age_65_plus; "
                                "residents retire at population.retirement_age",
    "population.household_size": "households are formed from the ages: give population.share_living_alone "
                                 "(and population.single_parent_share); docs/population.md",
}
_SECTIONS = sorted({path.split(".")[0] for path in PARAMETERS})


class ScenarioError(ValueError):
    """A scenario file or value is wrong. `str()` is one line: file: field: problem."""

    def __init__(self, problem: str, *, file: str | None = None, field: str | None = None):
        self.file = file or "<scenario>"
        self.field = field
        self.problem = problem
        super().__init__(one_line(f"{self.file}: {field + ': ' if field else ''}{problem}"))


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped, so a message stays one line
    whatever a file name, key or value holds.

    Parameters
    ----------
    text : str
        A message, e.g. a `ScenarioError`'s file: field: problem.

    Returns
    -------
    str
        `text` with every non-printable character other than a space written as its Python escape
        sequence (a line break as a backslash and ``n``).
    """
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: flat parameter values, place tables and interventions.

    Build one with `Scenario.load(path)`, `Scenario.named("baseline")`,
    `Scenario.default()` or `Scenario.from_dict(...)`; derive variants with
    `with_values`. Read a value with `scenario["decisions.fear_weight"]`.
    """

    values: dict[str, Any]
    places: dict[str, dict[str, Any]]
    interventions: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = "<scenario>"

    # ----------------------------------------------------------------- construction
    @classmethod
    def default(cls) -> Scenario:
        """The baseline neighbourhood, with no file needed."""
        return cls.from_dict({"name": "baseline"})

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a TOML scenario file.

        Parameters
        ----------
        path : str or Path
            A TOML file holding what differs from the defaults (docs/parameters.md).

        Returns
        -------
        Scenario
            Named after the file's `name` field, else after the file name.

        Raises
        ------
        ScenarioError
            One line naming the file, the field and what is allowed.
        """
        path = Path(path)
        data = _parse_toml(_read_text(path), str(path))
        data.setdefault("name", name_from_stem(path.stem))
        return cls.from_dict(data, source=str(path))

    @classmethod
    def named(cls, name_or_path: str | Path) -> Scenario:
        """Load a file path, or a scenario shipped in `scenarios/` by name.

        Parameters
        ----------
        name_or_path : str or Path
            A shipped scenario's name (``"baseline"``, see `available()`) or a TOML file's path.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            Neither a shipped name nor a readable scenario file.
        """
        path = Path(name_or_path)
        if path.suffix != ".toml" and not _is_file(path):
            # only an exact shipped name: "../x" must not reach files outside the scenario folder;
            # and a folder that happens to be called `baseline` (runs/baseline) is no scenario file
            if str(name_or_path) in available():
                path = SCENARIO_DIR / f"{name_or_path}.toml"
            elif not _exists(path):
                known = ", ".join(available())
                raise ScenarioError(f"no such file or shipped scenario (shipped: {known})", file=str(name_or_path))
        return cls.load(path)

    @classmethod
    def from_toml(cls, text: str, source: str = "<scenario>") -> Scenario:
        """Validate TOML text (as `to_toml` writes it, or a file's contents) into a Scenario.

        >>> Scenario.from_toml("name = 'small'\\n[population]\\nsize = 40\\n")["population.size"]
        40
        """
        return cls.from_dict(_parse_toml(text, source), source=source)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<scenario>") -> Scenario:
        """Validate nested TOML-like data (sections as dicts) into a Scenario."""
        if not isinstance(data, dict):
            raise ScenarioError("a scenario must be a table of fields", file=source)
        data = dict(data)
        places_data = data.pop("places", None)
        interventions_data = data.pop("interventions", {})
        flat = _flatten(data, source)
        values = {path: p.default for path, p in {**TOP_LEVEL, **PARAMETERS}.items()}
        for path, value in flat.items():
            param = TOP_LEVEL.get(path) or PARAMETERS.get(path)
            if param is None:
                if path in REPLACED:
                    raise ScenarioError(f"no longer a field: {REPLACED[path]}", file=source, field=path)
                raise ScenarioError(f"unknown field{_suggest(path, [*TOP_LEVEL, *PARAMETERS])}", file=source, field=path)
            values[path] = _check(value, param, path, source)
        places = _check_places(places_data, values["baseline_places"], source)
        interventions = _check_interventions(interventions_data, places, source, values)
        _check_consistency(values, source)
        return cls(values=values, places=places, interventions=interventions, source=source)

    def with_values(self, changes: dict[str, Any]) -> Scenario:
        """A validated copy with dotted field paths changed.

        Parameters
        ----------
        changes : dict
            Dotted paths to new values. Paths reach into tables too: ``"places.library.hosts"``,
            ``"interventions.close_centre.start"``.

        Returns
        -------
        Scenario
            A new scenario; this one is unchanged (scenarios are immutable).

        Raises
        ------
        ScenarioError
            An unknown path or a value out of its range.
        """
        data = self.to_dict()
        for path, value in changes.items():
            parts = str(path).split(".")
            node = data
            for i, part in enumerate(parts[:-1]):
                child = node.get(part)
                if not isinstance(child, dict):
                    if part in ("places", "interventions") or i > 0:
                        known = list(node) if i else [*TOP_LEVEL, *PARAMETERS]
                        raise ScenarioError(f"unknown field{_suggest(path if i == 0 else part, known)}", file=self.source, field=path)
                    child = node.setdefault(part, {})
                node = child
            node[parts[-1]] = value
        return Scenario.from_dict(data, source=self.source)

    # ----------------------------------------------------------------- reading
    def __getitem__(self, path: str) -> Any:
        return self.values[path]

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path, reaching into the place and intervention tables.

        >>> s = Scenario.named("host_in_third_places")
        >>> s.get("places.library.hosts"), s.get("interventions.host_in_library.start")
        (0, 60)
        >>> s.get("places.no_such_place.hosts") is None
        True
        """
        if path in self.values:
            return self.values[path]
        section, _, rest = path.partition(".")
        name, _, key = rest.partition(".")
        table = {"places": self.places, "interventions": self.interventions}.get(section, {})
        return table.get(name, {}).get(key, default) if key else default

    @property
    def name(self) -> str:
        return self.values["name"]

    def to_dict(self) -> dict[str, Any]:
        """Nested data that `from_dict` turns back into an equal Scenario."""
        data: dict[str, Any] = {}
        for path, value in self.values.items():
            *sections, key = path.split(".")
            node = data
            for section in sections:
                node = node.setdefault(section, {})
            node[key] = copy.deepcopy(value)
        data["places"] = copy.deepcopy(self.places)
        data["interventions"] = copy.deepcopy(self.interventions)
        return data

    def to_toml(self) -> str:
        """The full scenario as TOML text (written next to every run's results)."""
        data = self.to_dict()
        lines = [f"{k} = {_toml_value(data.pop(k))}" for k in list(TOP_LEVEL)]
        for section, table in data.items():
            for name, entry in (table.items() if section in ("places", "interventions") else [(None, table)]):
                lines.append(f"\n[{section}{'.' + _toml_key(name) if name else ''}]")
                lines.extend(f"{k} = {_toml_value(v)}" for k, v in entry.items())
        return "\n".join(lines) + "\n"


def available() -> list[str]:
    """Names of the scenarios shipped in `scenarios/`.

    Returns
    -------
    list of str
        The stems of the shipped `.toml` files (`SCENARIO_DIR`), sorted: the names `Scenario.named` accepts.
    """
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


# --------------------------------------------------------------------- reading files
def _read_text(path: Path) -> str:
    """The file's text, or a ScenarioError that says why it cannot be read."""
    file = str(path)
    try:
        if path.is_dir():
            raise ScenarioError("is a directory, not a scenario file", file=file)
        if path.exists() and not path.is_file():  # a FIFO or device would block or never end
            raise ScenarioError("is not a regular file", file=file)
        if path.exists() and path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(f"too large for a scenario file (over {MAX_FILE_BYTES:,} bytes)", file=file)
        return path.read_text(encoding="utf-8-sig")  # -sig: files saved with a byte-order mark read too
    except ScenarioError:  # a ValueError too: keep it from the ValueError branch below
        raise
    except FileNotFoundError:
        raise ScenarioError("file not found", file=file) from None
    except UnicodeDecodeError as err:
        raise ScenarioError(f"not UTF-8 text (byte {err.object[err.start]:#04x} at position {err.start}); "
                            "save the file as UTF-8", file=file) from None
    except OSError as err:
        raise ScenarioError(f"cannot read file ({err.strerror or err.__class__.__name__})", file=file) from None
    except ValueError as err:  # e.g. an embedded NUL character in the path
        raise ScenarioError(f"cannot read file ({err})", file=file) from None


def _exists(path: Path) -> bool:
    return _safely(path.exists)


def _is_file(path: Path) -> bool:
    return _safely(path.is_file)


def _safely(check) -> bool:
    try:
        return check()
    except (OSError, ValueError):  # a name too long, a NUL character: not a file we can read
        return False


def _parse_toml(text: str, file: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"not valid TOML: {err}", file=file) from None
    except RecursionError:
        raise ScenarioError("not valid TOML: arrays or tables nested too deeply", file=file) from None


def name_from_stem(stem: str) -> str:
    """A valid scenario name from a file name: `my study.toml` runs as `my_study`,
    `.hidden.toml` as `hidden`; a stem with nothing usable gives `scenario`.

    Parameters
    ----------
    stem : str
        A file name without its `.toml` suffix (`Path.stem`).

    Returns
    -------
    str
        The stem with each run of characters other than letters, digits, `_`, `.` and `-` replaced by `_`,
        leading dots dropped and cut to 64 characters; the default name (`scenario`) if nothing is left.
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).lstrip(".")[:64]
    return name or TOP_LEVEL["name"].default


# --------------------------------------------------------------------- validation
def _flatten(data: dict, source: str, prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            if path not in _SECTIONS:
                raise ScenarioError(f"unknown section{_suggest(path, _SECTIONS + ['places', 'interventions'])}", file=source, field=path)
            flat.update(_flatten(value, source, prefix=f"{path}."))
        else:
            flat[path] = value
    return flat


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _check(value: Any, param: Param, path: str, source: str) -> Any:
    """Return `value` converted to the parameter's type, or raise ScenarioError."""
    want = param.type

    def bad(problem: str = "") -> ScenarioError:
        return ScenarioError(f"{problem or 'must be ' + param.allowed()} (got {_shown(value)})", file=source, field=path)

    if want is bool:
        if not isinstance(value, bool):
            raise bad()
        return value
    if want in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad()
        if want is int and not (isinstance(value, int) or float(value).is_integer()):
            raise bad()
        try:
            value = want(value)
        except OverflowError:
            raise bad() from None
        if value != value or value in (float("inf"), float("-inf")):
            raise bad()
        if (param.low is not None and value < param.low) or (param.high is not None and value > param.high):
            raise bad()
        return value
    if want is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad()
        unknown = [v for v in value if v not in param.choices]
        if unknown:
            raise bad(f"unknown value {_shown(unknown[0])}{_suggest(unknown[0], param.choices)}; must be {param.allowed()}")
        return list(dict.fromkeys(value))
    if not isinstance(value, str):
        raise bad("must be text")
    if param.choices is not None and value not in param.choices:
        raise bad(f"must be {param.allowed()}{_suggest(value, param.choices)}")
    if param.pattern is not None and not re.fullmatch(param.pattern[0], value):
        raise bad()
    return value


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it appears in a message: its repr, cut short (a message is one line)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _check_table(entry: Any, fields: dict[str, Param], path: str, source: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ScenarioError("must be a table of fields", file=source, field=path)
    checked = {}
    for key, value in entry.items():
        if key not in fields:
            raise ScenarioError(f"unknown field{_suggest(key, fields)}; allowed: {', '.join(fields)}", file=source, field=f"{path}.{key}")
        checked[key] = _check(value, fields[key], f"{path}.{key}", source)
    return {key: checked.get(key, copy.deepcopy(p.default)) for key, p in fields.items()}


def _check_places(data: Any, on_baseline: bool, source: str) -> dict[str, dict[str, Any]]:
    """Place tables: by default merged field by field over the baseline's places."""
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ScenarioError("must be a set of [places.<name>] tables", file=source, field="places")
    merged = {name: dict(entry) for name, entry in BASELINE_PLACES.items()} if on_baseline else {}
    for name, entry in data.items():
        if not isinstance(name, str) or not name:
            raise ScenarioError(f"place names must be text (got {_shown(name)})", file=source, field="places")
        if not isinstance(entry, dict):
            raise ScenarioError("must be a table of fields", file=source, field=f"places.{name}")
        merged[name] = {**merged.get(name, {}), **entry}
    if not merged:
        raise ScenarioError("a town needs at least one place (baseline_places = false and no [places.<name>] tables)",
                            file=source, field="places")
    places = {}
    for name, entry in merged.items():
        places[name] = _check_table(entry, PLACE_FIELDS, f"places.{name}", source)
        if places[name]["kind"] == "online" and places[name]["use"] != "online" or (
                places[name]["use"] == "online" and places[name]["kind"] != "online"):
            raise ScenarioError("use 'online' goes with kind 'online' and only with it", file=source, field=f"places.{name}.use")
    return places


def _check_interventions(data: Any, places: dict, source: str, values: dict) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict):
        raise ScenarioError("must be a set of [interventions.<name>] tables", file=source, field="interventions")
    checked = {}
    for name, entry in data.items():
        path = f"interventions.{name}"
        if not isinstance(name, str) or not isinstance(entry, dict):
            raise ScenarioError("must be a table of fields with a `kind`", file=source, field=path)
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in INTERVENTION_FIELDS:
            raise ScenarioError(f"unknown intervention kind {_shown(kind)}{_suggest(str(kind), INTERVENTION_FIELDS)}; "
                                f"allowed: {', '.join(INTERVENTION_FIELDS)}", file=source, field=f"{path}.kind")
        targeting = PARTICIPANT_FIELDS if kind in PARTICIPANT_KINDS else {}
        fields = {k: v for k, v in entry.items() if k != "kind" and k not in targeting}
        own = INTERVENTION_FIELDS[kind]
        if any(k not in own for k in fields):  # name every allowed field, the optional ones too
            own = {**own, **targeting}
        checked[name] = {"kind": kind, **_check_table(fields, own, path, source)}
        # target and uptake are kept only when given: a file without them draws participants as it always did
        checked[name].update({k: _check(v, targeting[k], f"{path}.{k}", source) for k, v in entry.items() if k in targeting})
        spec = checked[name]
        _check_targeting(spec, path, source, values, places)
        if "place" in spec and spec["place"] not in places:
            raise ScenarioError(f"no place named {_shown(spec['place'])}{_suggest(spec['place'], places)}; places: {', '.join(places)}",
                                file=source, field=f"{path}.place")
        if spec.get("end", -1) != -1 and spec["end"] < spec["start"]:
            raise ScenarioError(f"end ({spec['end']}) is before start ({spec['start']})", file=source, field=f"{path}.end")
    return checked


def _check_targeting(spec: dict, path: str, source: str, values: dict, places: dict) -> None:
    """`target` names a group that can have members; `uptake_*` weights come with an `uptake`."""
    if "target" in spec:
        problem = check_target(spec["target"], values, places)
        if problem:
            raise ScenarioError(problem, file=source, field=f"{path}.target")
    weights = [k for k in spec if k.startswith("uptake_")]
    if weights and "uptake" not in spec:
        raise ScenarioError(f"self-selection weights need an uptake (the share of the target who take part, 0 to 1); "
                            f"add uptake = ... or remove {weights[0]}", file=source, field=f"{path}.{weights[0]}")


def _check_consistency(values: dict[str, Any], source: str) -> None:
    ages = sum(values[key] for key in AGE_KEYS)
    if not 0.95 <= ages <= 1.05:
        # CBS's rounded percentages add up to 0.98-1.02; they are normalised. A larger miss is a typo.
        raise ScenarioError(f"the five age shares must add up to 1 (they add up to {ages:.3g}): "
                            f"{', '.join(f'{k} = {values[k]:g}' for k in AGE_KEYS)}", file=source,
                            field="population.age_65_plus")
    ladder = ["ties.nodding_after", "ties.greeting_after", "ties.acquaintance_after", "ties.friend_after"]
    for lower, higher in zip(ladder, ladder[1:]):
        if values[lower] >= values[higher]:
            raise ScenarioError(f"must be above {lower} ({values[lower]:g}): the familiarity ladder goes up",
                                file=source, field=higher)
    if values["liking.gap"] > values["liking.true_mean"]:
        # a larger gap would make a welcomed chat feel worse than being looked through
        raise ScenarioError(f"must not exceed liking.true_mean ({values['liking.true_mean']:g}): people cannot "
                            "feel liked less than not at all", file=source, field="liking.gap")


def _toml_key(key: str) -> str:
    """A bare key where TOML allows one, else a quoted key."""
    return key if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key) else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)
