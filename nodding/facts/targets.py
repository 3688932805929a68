"""Target files: the published numbers the statistics are held to, read by `validate` and `calibrate`.

A target file (TOML) has one table per statistic, `[fact.statistic]`, with the target's value,
its tolerance (`tolerance`, or `low`/`high`, or a `direction`), how the report states it, its
source, and its `use` in a calibration (`fit`, `construction` or `check`); the shipped file,
`targets.toml` beside this module, documents the format at its top. The statistics are defined
once, in `table.py`; a target file only says which value each should have. So a fact and a
target cannot drift apart: `nodding validate` checks the shipped file's targets, and `nodding
calibrate` fits the same targets (or a user's file in the same format, naming the same statistics).

Every problem with a file is one `TargetError` line naming the file, the statistic and the field.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UserError

__all__ = ["SHIPPED", "USES", "Statistic", "TargetError", "read_targets"]

SHIPPED = Path(__file__).with_name("targets.toml")
USES = ("fit", "construction", "check")
_DIRECTIONS = {"above 0": 1, "below 0": -1}
_KEYS = ("value", "tolerance", "low", "high", "direction", "stated", "source", "use")


class TargetError(UserError):
    """A target file that cannot be used as it is (one line: file, statistic, field, what is allowed)."""


@dataclass(frozen=True)
class Statistic:
    """What a statistic measures (its definition lives with its fact's `measure` in `table.py`)."""

    name: str  # "fact.key"
    measure: str  # in words, as the report prints it
    digits: int = 3


def read_targets(path: str | Path, statistics: dict[str, Statistic]) -> dict:
    """The targets of a file, checked against the statistics that exist.

    Parameters
    ----------
    path : str or Path
        A target file (TOML; the format of `targets.toml`).
    statistics : dict of str to Statistic
        Every statistic a target may name.

    Returns
    -------
    dict of str to Target
        Statistic name -> its target, in the file's order.

    Raises
    ------
    TargetError
        Unreadable file, bad TOML, an unknown statistic or key, a target without a tolerance or
        source, a band that is empty or does not hold its value, an unknown `use`.
    """
    from .fact import Target

    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TargetError(f"{where}: no such target file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise TargetError(f"{where}: cannot read the target file ({type(err).__name__})") from None
    except tomllib.TOMLDecodeError as err:
        raise TargetError(f"{where}: not a valid TOML file ({err})") from None
    targets = {}
    for fact, entries in data.items():
        if not isinstance(entries, dict) or not all(isinstance(e, dict) for e in entries.values()) or not entries:
            raise TargetError(f"{where}: {fact}: expected tables [{fact}.STATISTIC], one per target "
                              f"(statistics: {', '.join(statistics)})")
        for key, entry in entries.items():
            name = f"{fact}.{key}"
            if name not in statistics:
                raise TargetError(f"{where}: unknown statistic {name!r}{_suggest(name, statistics)} "
                                  f"(known: {', '.join(statistics)})")
            targets[name] = _target(Target, statistics[name], entry, f"{where}: [{name}]")
    if not targets:
        raise TargetError(f"{where}: the file names no targets (expected tables [fact.statistic])")
    return targets


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _number(entry: dict, key: str, where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TargetError(f"{where}: {key} must be a finite number (got {value!r})")
    return float(value)


def _target(Target, statistic: Statistic, entry: dict, where: str):
    """One entry as a `Target`, every field checked."""
    unknown = [k for k in entry if k not in _KEYS]
    if unknown:
        raise TargetError(f"{where}: unknown key {unknown[0]!r}{_suggest(unknown[0], _KEYS)} "
                          f"(allowed: {', '.join(_KEYS)})")
    value, tolerance = _number(entry, "value", where), _number(entry, "tolerance", where)
    low, high = _number(entry, "low", where), _number(entry, "high", where)
    direction = entry.get("direction")
    if direction is not None and direction not in _DIRECTIONS:
        raise TargetError(f"{where}: direction must be \"above 0\" or \"below 0\" (got {direction!r})")
    if tolerance is not None:
        if tolerance <= 0:
            raise TargetError(f"{where}: tolerance must be above 0 (got {tolerance:g})")
        if value is None:
            raise TargetError(f"{where}: a tolerance needs the value it is around (value = ...)")
        if low is not None or high is not None:
            raise TargetError(f"{where}: give either tolerance or low/high, not both")
        low, high = value - tolerance, value + tolerance
    kinds = (low is not None or high is not None) + (direction is not None)
    if kinds != 1:
        raise TargetError(f"{where}: " + ("give a band or a direction, not both" if kinds else
                          "no tolerance: give tolerance = ... (around value), or low and/or high, "
                          "or direction = \"above 0\" / \"below 0\""))
    if low is not None and high is not None and not low < high:
        raise TargetError(f"{where}: the band is empty or reversed (low {low:g}, high {high:g})")
    if value is not None and not ((low is None or value >= low) and (high is None or value <= high)):
        raise TargetError(f"{where}: value {value:g} lies outside its own band")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise TargetError(f"{where}: source is missing: say where the number comes from (source = \"...\")")
    use = entry.get("use", "fit")
    if use not in USES:
        raise TargetError(f"{where}: use must be one of {', '.join(USES)} (got {use!r})")
    stated = entry.get("stated")
    if stated is not None and not isinstance(stated, str):
        raise TargetError(f"{where}: stated must be text (got {stated!r})")
    target = Target(statistic.name.split(".", 1)[1], statistic.measure, stated or "", low, high,
                    _DIRECTIONS.get(direction, 0), value, statistic.digits, statistic=statistic.name,
                    source=source.strip(), use=use)
    return target if stated else replace(target, stated=target.tolerance())
