"""The generated bad-input campaign (issue 11, "Must show").

Over 1,000 broken scenario files and argument lists, each run through `nodding.cli.main`
in-process in a fresh working directory. Every one must: raise nothing, return 2, print exactly
one line on stderr that names the file, field or argument at fault, build no town (the check
comes before the first day), and leave the working directory exactly as it was (no `runs/`).

The number of cases per family is printed (`pytest -s`) and each family asserts its count.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import tomllib
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import nodding.model.town
from nodding.model.parameters import INTERVENTION_FIELDS, PARAMETERS, PLACE_FIELDS, TOP_LEVEL
from nodding.model.places import BASELINE_PLACES
from nodding.model.scenario import _toml_key, _toml_value, available, one_line
from nodding import cli

#: Cases per family; they add up to well over 1,000.
COUNTS = {"malformed_toml": 150, "unknown_keys": 120, "wrong_types": 150, "out_of_range": 150, "bad_names": 100,
          "bad_interventions": 150, "bad_places": 150, "bad_arguments": 200}
RAN: dict[str, int] = {}

BASE = {"name": "case", "population": {"size": 40, "neighbourhood_size": 40}}
SMALL_FILE = "[population]\nsize = 40\nneighbourhood_size = 40\n"
FIELDS = {**TOP_LEVEL, **PARAMETERS}
PLACE_NEEDING = [kind for kind, fields in INTERVENTION_FIELDS.items() if "place" in fields]


# ===================================================================== the harness
def snapshot(root: Path) -> dict:
    """Every path below `root`: file bytes, link targets, or None for folders."""
    seen = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            key = path.relative_to(root).as_posix()
            seen[key] = ("link", os.readlink(path)) if path.is_symlink() else (path.read_bytes() if path.is_file() else None)
    return seen


def _no_town(*args, **kwargs):
    raise AssertionError("a town was built: the bad input was not refused before the first day")


def assert_refused(argv: list[str], files: dict[str, bytes | str | None], names: list[str]) -> None:
    """Run `nodding argv` in a fresh directory holding `files` (None: a folder; str starting
    with '->': a symbolic link) and check the refusal: exit 2, one line naming `names`, no change."""
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                path.mkdir()
            elif isinstance(content, str) and content.startswith("->"):
                path.symlink_to(content[2:])
            else:
                path.write_bytes(content.encode() if isinstance(content, str) else content)
        before = snapshot(root)
        err, out = io.StringIO(), io.StringIO()
        here = os.getcwd()
        os.chdir(root)
        try:
            with mock.patch.object(nodding.model.town.Town, "__init__", _no_town), redirect_stderr(err), redirect_stdout(out):
                code = cli.main(argv)  # an exception escaping here is a traceback for the user: the test fails
        finally:
            os.chdir(here)
        message = err.getvalue()
        assert code == cli.USER_ERROR, (argv, code, message)
        assert message.startswith("error: ") and message.endswith("\n") and message.count("\n") == 1, (argv, message)
        for name in names:
            assert one_line(name) in message, (argv, name, message)
        assert snapshot(root) == before, (argv, message)
        assert not (root / "runs").exists()


def campaign(family: str):
    """Run the decorated check over `COUNTS[family]` generated cases and record how many ran."""
    def decorate(check):
        def test():
            ran = [0]

            @settings(max_examples=COUNTS[family], deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
            @given(case=STRATEGIES[family]())
            def one(case):
                ran[0] += 1
                check(case)

            one()
            RAN[family] = ran[0]
            print(f"bad-input campaign: {family}: {ran[0]} cases")
            assert ran[0] >= COUNTS[family]
        test.__name__ = check.__name__
        return test
    return decorate


# ===================================================================== rendering TOML
def render(data: dict) -> str:
    """TOML text: top-level values first, then one table per section (dotted keys for deeper ones)."""
    top = [f"{_toml_key(k)} = {inline(v)}" for k, v in data.items() if not isinstance(v, dict)]
    tables = []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.extend(_tables([key], value))
    return "\n".join(top + tables) + "\n"


def _tables(path: list[str], table: dict) -> list[str]:
    lines = [f"\n[{'.'.join(_toml_key(p) for p in path)}]"]
    lines += [f"{_toml_key(k)} = {inline(v)}" for k, v in table.items() if not isinstance(v, dict)]
    for key, value in table.items():
        if isinstance(value, dict):
            lines.extend(_tables([*path, key], value))
    return lines


def inline(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return _toml_value(value)


def with_item(path: str, value) -> dict:
    """BASE with `value` at dotted `path` (sections created as needed)."""
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    *sections, key = path.split(".")
    node = data
    for section in sections:
        node = node.setdefault(section, {})
    node[key] = value
    return data


def file_case(data_or_text, field: str, file: str = "bad.toml"):
    text = data_or_text if isinstance(data_or_text, (str, bytes)) else render(data_or_text)
    return ["run", file], {file: text}, [file, field]


# ===================================================================== generated values
KEYWORD = st.from_regex(r"[a-z][a-z_]{0,14}", fullmatch=True)
ANY_TEXT = st.text(max_size=20)
NUMBERS = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True))
SCALARS = st.one_of(ANY_TEXT, st.booleans(), NUMBERS)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.dictionaries(KEYWORD, SCALARS, max_size=2))


def wrong_type(param) -> st.SearchStrategy:
    want = param.type
    if want is bool:
        return st.one_of(ANY_TEXT, NUMBERS, st.lists(st.booleans(), max_size=2), st.dictionaries(KEYWORD, SCALARS, max_size=1))
    if want in (int, float):
        wrong = st.one_of(ANY_TEXT, st.booleans(), st.lists(NUMBERS, max_size=2), st.dictionaries(KEYWORD, SCALARS, max_size=1))
        if want is int:
            wrong = st.one_of(wrong, st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()))
        return wrong
    if want is list:
        return st.one_of(NUMBERS, st.booleans(), st.lists(NUMBERS, min_size=1, max_size=2),
                         st.lists(ANY_TEXT.filter(lambda t: t not in (param.choices or ())), min_size=1, max_size=2))
    return st.one_of(NUMBERS, st.booleans(), st.lists(ANY_TEXT, max_size=2), st.dictionaries(KEYWORD, SCALARS, max_size=1))


@st.composite
def out_of_range(draw, param):
    """A number beyond `param`'s bounds (or not a number at all: nan)."""
    sides = [s for s, bound in (("low", param.low), ("high", param.high)) if bound is not None]
    side = draw(st.sampled_from(sides))
    if param.type is int:
        step = draw(st.one_of(st.integers(1, 10), st.integers(1, 10**20)))
        return int(param.low) - step if side == "low" else int(param.high) + step
    step = draw(st.one_of(st.floats(1e-3, 1e6), st.just(math.inf)))
    value = draw(st.one_of(st.just(param.low - step if side == "low" else param.high + step), st.just(math.nan)))
    assume(math.isnan(value) or value < param.low or value > param.high)
    return value


def ranged(params: dict) -> list[str]:
    return [path for path, p in params.items() if p.type in (int, float) and (p.low is not None or p.high is not None)]


# ===================================================================== the families
@st.composite
def malformed_toml(draw):
    """Valid lines with one broken statement (or broken bytes) somewhere among them."""
    broken = draw(st.sampled_from([
        "days = ", "[population", "= 3", 'name = "unterminated', "days = 1\ndays = 2", "x = [1,", "days = 1979-13-45",
        "days = 0x", "days = 1__0", "baseline_places = tru", 'name = "\\uZZZZ"', 'name = "a\x01b"', "[[population]]\nsize = 3",
        "[population]\n[population]", "population = 3\n[population]\nsize = 3", "days = 3 4", "a.b = 1\n[a]\nb = 2",
        "name = '''", "days = +", "[places.]", "x = {a = 1,}", "days = 1e", "\x00", "days = [" * 3000,
        "seed = 99999999999999999999999999999999999999999999999999999999999999e",
    ]))
    lines = [f"{k} = {v}" for k, v in draw(st.lists(st.sampled_from([("days", "30"), ("seed", "7"), ("description", '"q?"')]),
                                                      max_size=2, unique=True))]
    lines.insert(draw(st.integers(0, len(lines))), broken)
    text = "\n".join(lines) + "\n" + SMALL_FILE
    if draw(st.booleans()):
        return file_case(text, "not valid TOML")
    data = text.encode()
    cut = draw(st.integers(0, len(data)))
    bad_bytes = draw(st.sampled_from([b"\xff", b"\xfe\xfe", b"\xc3", b"\xe9t\xe9", b"\x80\x80"]))
    return file_case(data[:cut] + bad_bytes + data[cut:], "not UTF-8 text")


def _assume_broken(case):
    text = case[1]["bad.toml"]
    if isinstance(text, bytes):
        return case
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return case
    assume(False)


@st.composite
def unknown_keys(draw):
    key = draw(KEYWORD)
    where = draw(st.sampled_from(["top", "section", "new_section"]))
    if where == "top":
        assume(key not in TOP_LEVEL and key not in ("places", "interventions") and not any(s == key for s in _sections()))
        return file_case(with_item(key, draw(SCALARS)), key)
    if where == "section":
        section = draw(st.sampled_from(_sections()))
        assume(f"{section}.{key}" not in PARAMETERS)
        return file_case(with_item(f"{section}.{key}", draw(SCALARS)), f"{section}.{key}")
    assume(key not in _sections() and key not in ("places", "interventions"))
    return file_case(with_item(f"{key}.{draw(KEYWORD)}", draw(SCALARS)), key)


def _sections() -> list[str]:
    return sorted({path.split(".")[0] for path in PARAMETERS})


@st.composite
def wrong_types(draw):
    path = draw(st.sampled_from(sorted(FIELDS)))
    value = draw(wrong_type(FIELDS[path]))
    assume(not (path in ("name", "description") and isinstance(value, str)))
    if isinstance(value, dict) and "." in path:  # a table where a value belongs: named as the deeper path
        return file_case(with_item(path, value), path)
    return file_case(with_item(path, value), path)


@st.composite
def out_of_ranges(draw):
    path = draw(st.sampled_from(ranged(FIELDS)))
    return file_case(with_item(path, draw(out_of_range(FIELDS[path]))), path)


NAME_OK = r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}"


@st.composite
def bad_names(draw):
    import re
    name = draw(st.one_of(st.text(max_size=70), st.sampled_from(["", ".", "..", "../outside", "a/b", "/abs", ".hidden",
                                                                  "x" * 65, "a b", "new\nline", "nul\x00", "C:\\x", "é"])))
    assume(not re.fullmatch(NAME_OK, name))
    return file_case(with_item("name", name), "name")


@st.composite
def bad_interventions(draw):
    name = draw(st.one_of(KEYWORD, st.text(min_size=1, max_size=10)))
    kind = draw(st.sampled_from(sorted(INTERVENTION_FIELDS)))
    fields = INTERVENTION_FIELDS[kind]
    table = {"kind": kind, **({"place": "library"} if "place" in fields else {})}
    defect = draw(st.sampled_from(["no_kind", "bad_kind", "unknown_field", "wrong_type", "out_of_range", "no_place",
                                   "end_before_start", "not_a_table", "not_tables"]))
    path = f"interventions.{name}"
    if defect == "no_kind":
        table.pop("kind")
        field = f"{path}.kind"
    elif defect == "bad_kind":
        table["kind"] = draw(VALUES.filter(lambda v: not isinstance(v, str) or v not in INTERVENTION_FIELDS))
        field = f"{path}.kind"
    elif defect == "unknown_field":
        key = draw(KEYWORD.filter(lambda k: k not in fields and k != "kind"))
        table[key], field = draw(SCALARS), f"{path}.{key}"
    elif defect in ("wrong_type", "out_of_range"):
        choices = sorted(fields) if defect == "wrong_type" else ranged(fields)
        key = draw(st.sampled_from(choices))
        param = fields[key]
        value = draw(wrong_type(param) if defect == "wrong_type" else out_of_range(param))
        assume(not (key == "place" and isinstance(value, str)))
        table[key], field = value, f"{path}.{key}"
    elif defect == "no_place":
        kind = draw(st.sampled_from(PLACE_NEEDING))
        place = draw(ANY_TEXT.filter(lambda p: p not in BASELINE_PLACES))
        table, field = {"kind": kind, "place": place}, f"{path}.place"
    elif defect == "end_before_start":
        assume("end" in fields)
        start = draw(st.integers(1, 100_000))
        table.update(start=start, end=draw(st.integers(0, start - 1)))
        field = f"{path}.end"
    elif defect == "not_a_table":
        return file_case({**BASE, "interventions": {name: draw(SCALARS)}}, "interventions")
    else:
        return file_case({**BASE, "interventions": draw(st.one_of(SCALARS, st.lists(SCALARS, min_size=1, max_size=2)))},
                         "interventions")
    return file_case({**BASE, "interventions": {name: table}}, field)


@st.composite
def bad_places(draw):
    name = draw(st.one_of(st.sampled_from(sorted(BASELINE_PLACES)), KEYWORD, st.text(min_size=1, max_size=10)))
    defect = draw(st.sampled_from(["unknown_field", "wrong_type", "out_of_range", "bad_kind", "online_mismatch",
                                   "not_a_table", "not_tables", "no_places"]))
    path = f"places.{name}"
    if defect == "unknown_field":
        key = draw(KEYWORD.filter(lambda k: k not in PLACE_FIELDS))
        return file_case({**BASE, "places": {name: {key: draw(SCALARS)}}}, f"{path}.{key}")
    if defect in ("wrong_type", "out_of_range"):
        key = draw(st.sampled_from(sorted(PLACE_FIELDS) if defect == "wrong_type" else ranged(PLACE_FIELDS)))
        value = draw(wrong_type(PLACE_FIELDS[key]) if defect == "wrong_type" else out_of_range(PLACE_FIELDS[key]))
        return file_case({**BASE, "places": {name: {"kind": "third_place", key: value} if key != "kind" else {key: value}}},
                         f"{path}.{key}")
    if defect == "bad_kind":
        kind = draw(st.one_of(st.just("home"), ANY_TEXT.filter(lambda k: k not in PLACE_FIELDS["kind"].choices)))
        return file_case({**BASE, "places": {name: {"kind": kind}}}, f"{path}.kind")
    if defect == "online_mismatch":
        table = draw(st.sampled_from([{"kind": "online", "use": "leisure"}, {"kind": "third_place", "use": "online"}]))
        return file_case({**BASE, "places": {name: table}}, f"{path}.use")
    if defect == "not_a_table":
        return file_case({**BASE, "places": {name: draw(SCALARS)}}, path)
    if defect == "not_tables":
        return file_case({**BASE, "places": draw(st.one_of(SCALARS, st.lists(SCALARS, min_size=1, max_size=2)))}, "places")
    return file_case({**BASE, "baseline_places": False}, "places")


OPTIONS = ["--days", "--seed", "--out", "--quiet", "--help", "--version"]
OUT_FILES = {"small.toml": SMALL_FILE, "afile": "a file", "foreign/notes.txt": "mine", "link": "->afile",
             "dirlink": "->foreign", "empty": None}


@st.composite
def bad_arguments(draw):
    kind = draw(st.sampled_from(["flag", "days", "seed", "out", "missing", "command", "extra"]))
    run = ["run", "small.toml"]
    if kind == "flag":
        word = draw(st.from_regex(r"--?[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True))
        assume(not any(option.startswith(word) for option in OPTIONS) and word not in ("-h",))
        return [*run, word], OUT_FILES, [word]
    if kind in ("days", "seed"):
        param = TOP_LEVEL[kind]
        text = draw(st.one_of(st.text(max_size=12), st.integers(-10**30, 10**30).map(str), st.floats().map(str),
                              st.just(str(int(param.high) + 1)), st.sampled_from(["", " ", "1.5", "1e3", "0x10", "--"])))
        try:
            assume(not (param.low <= int(text) <= param.high))
        except ValueError:
            pass
        assume(not text.startswith("-") or text.lstrip("-")[:1].isdigit() or text == "-")
        return [*run, f"--{kind}", text], OUT_FILES, [f"--{kind}"]
    if kind == "out":
        out = draw(st.one_of(
            st.sampled_from([".", "", " ", "/", "..", "./", "x/..", "../", "afile", "afile/sub", "afile/a/b", "foreign",
                             "link", "dirlink", "link/sub", "a\nb", "tab\t", "x" * 300, "deep/" + "y" * 300]),
            st.text(min_size=1, max_size=8).map(lambda t: t + "\n"),
        ))
        assume(not out.startswith("-"))
        return [*run, "--out", out], OUT_FILES, ["--out"]
    if kind == "missing":
        name = draw(st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda n: n not in available()))
        file = draw(st.sampled_from([name, f"{name}.toml", f"nowhere/{name}.toml"]))
        return ["run", file], OUT_FILES, [file]
    if kind == "command":
        word = draw(st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True).filter(lambda w: w not in ("run", "scenarios")))
        return [word], OUT_FILES, ["invalid choice"]
    extra = draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True))
    return [*run, extra], OUT_FILES, ["unrecognized arguments", extra]


STRATEGIES = {
    "malformed_toml": lambda: malformed_toml().map(_assume_broken),
    "unknown_keys": unknown_keys, "wrong_types": wrong_types, "out_of_range": out_of_ranges,
    "bad_names": bad_names, "bad_interventions": bad_interventions, "bad_places": bad_places,
    "bad_arguments": bad_arguments,
}


# ===================================================================== the tests
def _check(case):
    argv, files, names = case
    assert_refused(argv, files, names)


test_malformed_toml = campaign("malformed_toml")(_check)
test_unknown_keys = campaign("unknown_keys")(_check)
test_wrong_types = campaign("wrong_types")(_check)
test_out_of_range_values = campaign("out_of_range")(_check)
test_bad_names = campaign("bad_names")(_check)
test_bad_intervention_tables = campaign("bad_interventions")(_check)
test_bad_place_tables = campaign("bad_places")(_check)
test_bad_arguments = campaign("bad_arguments")(_check)


def test_the_campaign_is_over_a_thousand_cases():
    assert sum(COUNTS.values()) >= 1000


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["--version"]])
def test_help_and_version_exit_zero_without_a_traceback(argv, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 0
