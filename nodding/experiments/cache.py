"""The resume cache: finished runs kept on disk, reused only when they check out.

Each finished run is two files named by the run's key (`RunSpec.key`): its daily table
(`<key>.parquet`) and its record (`<key>.json`): the run's key, the code that made it
(`nodding.provenance.code_fingerprint`, as computed where the run ran), the SHA-256 of the
table file's bytes and its columns. A comparison's run (`RunSpec.window`) keeps a third file, its
residents' outcomes over the window (`<key>.residents.parquet`, `execute.resident_outcomes`), with
its own SHA-256 and columns in the same record (`residents_sha256`, `residents_columns`). The
tables are renamed into place first and the record last, so a run whose record exists was written whole.

A cached run is reused only if its record names this run and this code and the table still
has the bytes, columns, identity (scenario, point, replicate, seed, varied values) and days
the record promises. Otherwise it is *stale* (made by other code: an edited model, other
library versions) or *damaged* (a flipped byte, an edited table, another run's file copied
over it) and is run again; a table without its record is a write cut short and is simply
missing. So an experiment resumed after an interruption, a code change or a damaged disk
never mixes in a result it cannot vouch for.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .design import RunSpec

__all__ = ["CacheLookup", "RunCache", "describe_code", "kept_runs"]

MISSING, STALE, DAMAGED = "missing", "stale", "damaged"


@dataclass
class CacheLookup:
    """What the cache holds for a list of runs.

    Attributes
    ----------
    found : dict
        Index in the list -> (the run's daily table, its residents' outcomes or None), for runs that checked out.
    todo : list of int
        Indices of the runs to run: missing, stale or damaged.
    stale, damaged : int
        How many of `todo` were cached by other code, or cached but damaged.
    """

    found: dict[int, tuple] = field(default_factory=dict)
    todo: list[int] = field(default_factory=list)
    stale: int = 0
    damaged: int = 0

    def notices(self) -> list[str]:
        """One line per kind of cached run that is redone (none if every cached run checked out)."""
        lines = []
        if self.stale:
            lines.append(f"{_runs(self.stale)} made by other code and {_are(self.stale)} redone")
        if self.damaged:
            lines.append(f"{_runs(self.damaged)} damaged and {_are(self.damaged)} redone")
        return lines


def describe_code(code: dict) -> str:
    """A code fingerprint in words: "code 1a2b..., Python 3.12.1, numpy 2.1.3, numba 0.61.0, mesa 3.5.1".

    Parameters
    ----------
    code : dict
        From `nodding.provenance.code_fingerprint`.

    Returns
    -------
    str
    """
    return ", ".join(f"{name} {code[name]}" for name in ("code", "python", "numpy", "numba", "mesa") if name in code)


def _runs(n: int) -> str:
    return f"{n} cached run was" if n == 1 else f"{n} cached runs were"


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


class RunCache:
    """Finished runs in a directory, each a Parquet table and a JSON record (see the module docstring).

    Parameters
    ----------
    directory : Path or None
        Where the runs are kept; None: a cache that keeps nothing.
    code : dict
        The fingerprint of the code whose runs are wanted (`code_fingerprint()` of this process).
    """

    def __init__(self, directory: Path | None, code: dict):
        self.directory = Path(directory) if directory is not None else None
        self.code = code

    def table_path(self, spec: RunSpec) -> Path:
        """Where the run's daily table is kept."""
        return self.directory / f"{spec.key}.parquet"

    def residents_path(self, spec: RunSpec) -> Path:
        """Where the run's residents' outcomes over the window are kept (a run with a `window`)."""
        return self.directory / f"{spec.key}.residents.parquet"

    def record_path(self, spec: RunSpec) -> Path:
        """Where the run's record (key, code, checksum, columns) is kept."""
        return self.directory / f"{spec.key}.json"

    def lookup(self, specs: list[RunSpec]) -> CacheLookup:
        """Each run's cached table if it checks out; which runs to run, and why.

        Parameters
        ----------
        specs : list of RunSpec

        Returns
        -------
        CacheLookup
        """
        found = CacheLookup()
        for i, spec in enumerate(specs):
            output, state = self._load(spec)
            if output is not None:
                found.found[i] = output
                continue
            found.todo.append(i)
            found.stale += state == STALE
            found.damaged += state == DAMAGED
        return found

    def _load(self, spec: RunSpec) -> tuple[tuple | None, str | None]:
        """((table, residents), None) if the cached run checks out, else (None, MISSING, STALE or DAMAGED)."""
        if self.directory is None or not self.record_path(spec).exists():
            return None, MISSING
        try:
            record = json.loads(self.record_path(spec).read_text(encoding="utf-8"))
            if record["key"] != spec.key:  # another run's record copied here
                return None, DAMAGED
            if record["code"] != self.code:
                return None, STALE
            table = _checked_parquet(self.table_path(spec), record["sha256"])
            residents = (_checked_parquet(self.residents_path(spec), record["residents_sha256"]) if spec.window
                         else None)
        except (OSError, ValueError, KeyError, TypeError):  # unreadable, not JSON, a field missing, not Parquet
            return None, DAMAGED
        whole = _is_the_run(table, spec, record) and (residents is None or _are_the_residents(residents, table, record))
        return ((table, residents), None) if whole else (None, DAMAGED)

    def save(self, spec: RunSpec, table: pd.DataFrame, residents: pd.DataFrame | None, code: dict) -> None:
        """Keep a finished run: its tables, then its record (the record last: it vouches for the tables).

        Parameters
        ----------
        spec : RunSpec
        table : DataFrame
            The run's daily table (`execute.run_one`).
        residents : DataFrame or None
            Its residents' outcomes over the window (`execute.resident_outcomes`; None without a window).
        code : dict
            The fingerprint of the code that ran it.
        """
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        record = {"key": spec.key, "code": code}
        files = [(table, self.table_path(spec), "sha256", "columns")]
        if residents is not None:
            files.append((residents, self.residents_path(spec), "residents_sha256", "residents_columns"))
        for frame, path, checksum, columns in files:
            frame.to_parquet(path.with_suffix(".parquet.tmp"), index=False)
            record |= {checksum: hashlib.sha256(path.with_suffix(".parquet.tmp").read_bytes()).hexdigest(),
                       columns: list(frame.columns)}
        record_tmp = self.record_path(spec).with_suffix(".json.tmp")
        record_tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        for _, path, _, _ in files:
            os.replace(path.with_suffix(".parquet.tmp"), path)  # whole files only
        os.replace(record_tmp, self.record_path(spec))


def kept_runs(directory: Path) -> int:
    """The runs kept in a cache directory (those with a record), whether or not they would check out.

    Parameters
    ----------
    directory : Path

    Returns
    -------
    int
    """
    return sum(1 for _ in Path(directory).glob("*.json")) if Path(directory).is_dir() else 0


def _checked_parquet(path: Path, sha256: str) -> pd.DataFrame:
    """The table in `path` if its bytes have the checksum (read once); ValueError if not."""
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"{path.name}: not the bytes its record promises")
    return pd.read_parquet(io.BytesIO(data))


def _are_the_residents(residents: pd.DataFrame, table: pd.DataFrame, record: dict) -> bool:
    """Whether the residents' table has the record's columns and at most one row per resident of the run, in id
    order (residents who left during the run are not in it, `execute.resident_outcomes`)."""
    ids = residents["resident"].to_numpy()
    return (list(residents.columns) == record["residents_columns"]
            and bool(np.all(np.diff(ids) > 0))
            and (not len(ids) or 0 <= ids[0] and ids[-1] < int(table["population"].iloc[0])))


def _is_the_run(table: pd.DataFrame, spec: RunSpec, record: dict) -> bool:
    """Whether the table has the record's columns and the run's days (a calibration's run: one row of its
    statistics), and names this run in its first columns."""
    identity = {"scenario": spec.scenario, "point": spec.point, "replicate": spec.replicate, "seed": spec.seed,
                **spec.values}
    columns = list(table.columns)
    rows, needed = (1, set(spec.statistics)) if spec.statistics else (spec.days, {"day"})
    if columns != record["columns"] or len(table) != rows or not {*identity, *needed} <= set(columns):
        return False
    same = all((table[name] == value).all() for name, value in identity.items())
    return same and (bool(spec.statistics) or table["day"].tolist() == list(range(spec.days)))
