"""Run outputs: tables, the tie graph and a summary plot, written all-or-nothing.

`write_run` fills a temporary sibling directory and renames it into place at
the end, so an interrupted or failed run never leaves a half-written output
directory behind.

An output directory is only ever *replaced* if nodding wrote it and it holds
nothing else: its `run.json` carries the marker key `nodding_output` and lists
the files written, and the directory holds no other file or folder. Anything
else (a user's notes, a scenario file, a foreign folder) is refused before the
first simulated day: `check_target` runs up front, and again just before the
old directory is swapped out.

One process at a time: `check_target` claims the target with a lock beside it
(`.<name>.lock`, holding the owner's PID and start time) that `atomic_directory`
releases; a second process is refused up front, naming the first. The lock is an
advisory `flock`, so the kernel drops it when its process dies: a killed run's
lock is taken over. The temporaries beside the target (`.<name>.<pid>.<random>.tmp`
and `.old`) name their process, so that those of dead processes are cleaned up by
the next claim: a partial output is removed, and an old output that a crash left
moved aside is put back (or, if the target exists again, mentioned and left).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


from nodding.model.scenario import one_line
from nodding.provenance import code_fingerprint
from .errors import UserError

__all__ = ["OutputError", "atomic_directory", "check_out_option", "check_target", "release_claims"]

MARKER_FILE = "run.json"
MARKER_KEY = "nodding_output"  # run.json of every directory nodding writes: {"nodding_output": 1, "files": [...], ...}


# `nodding run` outputs written before the marker existed: replaceable only if they hold these files and nothing else
LEGACY_RUN_KEYS = {"scenario", "source", "seed", "days", "residents", "wall_seconds", "version"}
LEGACY_RUN_FILES = {"daily.csv", "residents.csv", "ties.graphml", "summary.png", "scenario.toml", "events.csv"}


class OutputError(Exception):
    """The output directory cannot be used. `str()` is one line: path: problem."""

    def __init__(self, target, problem: str):
        self.problem = problem
        super().__init__(one_line(f"{str(target) or repr('')}: {problem}"))


# --------------------------------------------------------------------- checks up front
def check_target(target) -> Path:
    """`target` as a Path if nodding may write it there, else OutputError -- before any work is done.

    Allowed: a new path, an empty directory, or a directory nodding wrote that holds nothing
    else; its nearest existing ancestor must be a writable directory. The target is then claimed
    for this process until `atomic_directory` writes it (or the process ends): its missing parent
    folders are created, another process claiming it is refused, and what dead processes left
    beside it is cleaned up.

    Parameters
    ----------
    target : str or Path
        The output directory.

    Returns
    -------
    Path

    Raises
    ------
    OutputError
        The target cannot be used, or another process is writing it (named by PID and start time).
    """
    target = _check_location(target)
    claim = _guarded(target, _claim)
    try:
        _guarded(target, _check_existing)
    except BaseException:
        claim.release()
        raise
    return target


def check_out_option(target) -> Path:
    """`check_target` for a command's `--out`: its refusal as a UserError naming the option.

    Parameters
    ----------
    target : str or Path

    Returns
    -------
    Path
    """
    try:
        return check_target(target)
    except OutputError as err:
        raise UserError(f"--out {err}") from None


def _check_location(target) -> Path:
    """What `atomic_directory` needs to start: a name of its own, in a place it can write."""
    target = Path(target)
    if str(target).strip() in ("", ".") or target.name in ("", ".", ".."):
        raise OutputError(target, "names no directory of its own; give a new directory such as runs/mine")
    if any(len(os.fsencode(part)) > 255 for part in target.parts):  # checked here: a missing parent hides it
        raise OutputError(target, "has a name longer than 255 bytes, more than file systems allow")
    if one_line(str(target)) != str(target) or "\x00" in str(target):
        raise OutputError(target, "contains control characters (a line break?); give a plain directory name")
    _guarded(target, _check_not_cwd)
    _guarded(target, _check_writable_parent)
    return target


def _guarded(target: Path, check):
    try:
        return check(target)
    except (OSError, RuntimeError) as err:  # a name too long, a symbolic link loop, ...
        raise OutputError(target, f"cannot be used ({getattr(err, 'strerror', None) or err})") from None


def _check_not_cwd(target: Path) -> None:
    here, resolved = Path.cwd().resolve(), target.resolve()
    if resolved == here or resolved in here.parents:
        raise OutputError(target, "is the current directory or contains it; give a new directory such as runs/mine")


def _check_existing(target: Path) -> None:
    if target.is_symlink():
        raise OutputError(target, "is a symbolic link; give the directory itself")
    if target.exists():
        if not target.is_dir():
            raise OutputError(target, "exists and is not a directory; choose another --out")
        _check_replaceable(target)


def _check_replaceable(target: Path) -> None:
    """Refuse a non-empty directory unless nodding wrote it and it holds nothing else."""
    present = _entries(target)
    if not present:
        return
    written = _written_files(target)
    if written is None:
        raise OutputError(target, f"directory exists and is not a nodding output (no {MARKER_FILE} marking it as one); "
                                  "it is left as it is: choose another --out")
    folders = {parent.as_posix() for f in written for parent in PurePosixPath(f).parents}
    expected = {MARKER_FILE} | written | (folders - {"."})
    foreign = sorted(present - expected)
    if foreign:
        raise OutputError(target, f"holds files nodding did not write ({', '.join(foreign[:3])}"
                                  f"{', ...' if len(foreign) > 3 else ''}); it is left as it is: choose another --out")


def _entries(directory: Path) -> set[str]:
    """Every file and folder below `directory`, as relative POSIX paths (symbolic links not followed)."""
    found = set()

    def unreadable(err: OSError):  # a folder we cannot list may hold anything: do not replace it
        raise OutputError(directory, f"cannot list everything in it ({err.strerror}: {err.filename}); choose another --out")

    for root, dirs, files in os.walk(directory, onerror=unreadable):
        base = Path(root).relative_to(directory)
        found.update((base / name).as_posix() for name in [*dirs, *files])
    return found


def _written_files(directory: Path) -> set[str] | None:
    """The files nodding listed in the directory's run.json, or None if it is not nodding's."""
    try:
        meta = json.loads((directory / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(meta, dict):
        return None
    if meta.get(MARKER_KEY) != 1:
        return LEGACY_RUN_FILES if LEGACY_RUN_KEYS <= set(meta) else None
    files = meta.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def _check_writable_parent(target: Path) -> None:
    """The nearest existing ancestor must be a directory we can create things in."""
    ancestor = target.parent
    while not os.path.lexists(ancestor):
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(target, f"cannot be created: {ancestor} is not a directory")
    try:  # a real attempt: permission bits, read-only file systems and root all answer truthfully
        os.rmdir(tempfile.mkdtemp(prefix=".nodding-probe.", dir=ancestor))
    except OSError as err:
        raise OutputError(target, f"cannot be created: cannot write in {ancestor} ({err.strerror})") from None


# --------------------------------------------------------------------- writing
@contextmanager
def atomic_directory(target: Path, meta: dict | None = None):
    """Yield a temporary directory that replaces `target` only if the block succeeds.

    Call `check_target` before expensive work: it claims the target, and this releases the claim
    at the end (a target not checked before is claimed here). Here the target is checked again at
    the end: if it is no longer replaceable, the results go to a free sibling (`<target>-1`) and
    OutputError says so. At the end a `run.json` (the block's own, if it wrote one, updated with
    `meta`) marks the directory as nodding's, lists its files and names the code that wrote them
    (`nodding.provenance.code_fingerprint`). If anything fails, nothing is left behind: no
    temporary, no new parent directories, and a previous output directory is kept.

    Parameters
    ----------
    target : str or Path
        The output directory.
    meta : dict, optional
        Written into `run.json`.

    Yields
    ------
    Path
        The temporary directory to fill; it is beside `target`, on the same file system.
    """
    target = _check_location(target)  # the rest is checked at the swap, where the results can still go elsewhere
    claim = _claim(target)
    try:
        tmp = _hidden_directory(target, "tmp")
        try:
            yield tmp
            _mark(tmp, meta or {})
            _swap_in(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    finally:
        claim.release()


def _hidden_prefix(target: Path) -> str:
    """Names beside the target start with this: cut short, so that a target name near the
    file system's limit (255 bytes) still leaves room for the rest."""
    return "." + target.name.encode()[:100].decode(errors="ignore") + "."


def _hidden_directory(target: Path, kind: str) -> Path:
    """A new empty `.<name>.<pid>.<random>.<kind>` beside `target`, made with the user's umask
    (unlike `tempfile.mkdtemp`'s 0700: it becomes the output directory)."""
    while True:
        path = target.parent / f"{_hidden_prefix(target)}{os.getpid()}.{secrets.token_hex(4)}.{kind}"
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue


# --------------------------------------------------------------------- one process per target
_claims: dict[Path, "_Claim"] = {}  # this process's claimed targets, by resolved path


class _Claim:
    """This process's lock on a target, and the parent folders made for it."""

    def __init__(self, key: Path, lock: Path, fd: int, created: list[Path]):
        self.key, self.lock, self.fd, self.created = key, lock, fd, created

    def release(self) -> None:
        """Unlock; remove the lock file, and the parent folders made for the target if still empty."""
        if _claims.pop(self.key, None) is None:
            return
        self.lock.unlink(missing_ok=True)  # before unlocking: a process that opened it sees it is gone
        os.close(self.fd)
        for directory in reversed(self.created):
            _remove_if_empty(directory)


def _claim(target: Path) -> _Claim:
    """Lock `target` for this process (once: a second claim returns the first), then clean up beside it."""
    created = _make_parents(target.parent)
    key = target.parent.resolve() / target.name
    if key in _claims:
        return _claims[key]
    try:
        fd, lock = _lock(target)
    except BaseException:
        for directory in reversed(created):
            _remove_if_empty(directory)
        raise
    claim = _claims[key] = _Claim(key, lock, fd, created)
    try:
        _clean_up_after_the_dead(target)
        code_fingerprint()  # taken now, before the work (it is cached): sources edited meanwhile did not make it
    except BaseException:
        claim.release()
        raise
    return claim


def _lock(target: Path) -> tuple[int, Path]:
    """An exclusive `flock` on `.<name>.lock` beside `target`, recording who holds it."""
    lock = target.parent / f"{_hidden_prefix(target)}lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "a process starting up"
            os.close(fd)
            raise OutputError(target, f"is being written by another nodding ({holder}); wait until it "
                                      "finishes or choose another --out") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a file its previous holder removed after we opened it
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"PID {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode())
    return fd, lock


@atexit.register
def release_claims() -> None:
    """Release this process's claims that were never written (the command failed or stopped between
    `check_target` and `atomic_directory`): their lock files and new, still empty folders go.

    Called when the process ends, and by `nodding.cli.main` when a command ends.
    """
    for claim in list(_claims.values()):
        claim.release()


_HIDDEN = re.compile(r"(\d+)\.[0-9a-f]+\.(tmp|old)")  # after the prefix: the pid, the random part, the kind


def _clean_up_after_the_dead(target: Path) -> None:
    """Remove the partial outputs of dead processes beside `target`; put back an old output a
    crash left moved aside (or, if `target` exists again, say where it is)."""
    prefix = _hidden_prefix(target)
    exact = prefix == f".{target.name}."  # a shortened name may be another target's
    for path in sorted(target.parent.iterdir()):
        found = path.name.startswith(prefix) and _HIDDEN.fullmatch(path.name[len(prefix):])
        if not found or _alive(int(found.group(1))) or path.is_symlink() or not path.is_dir():
            continue
        if found.group(2) == "tmp":
            shutil.rmtree(path, ignore_errors=True)
        elif exact and not os.path.lexists(target):
            path.rename(target)
            _tell(f"note: restored {target} from {path.name}, where an interrupted run had moved it aside")
        else:
            _tell(f"note: {path} holds an earlier output of {target} that an interrupted run moved aside; "
                  "it is left as it is")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _tell(message: str) -> None:
    print(one_line(message), file=sys.stderr)


def _make_parents(directory: Path) -> list[Path]:
    """Create `directory` and its missing ancestors; return those created, outermost first."""
    missing = []
    while not os.path.lexists(directory):
        missing.append(directory)
        directory = directory.parent
    missing.reverse()
    for created, path in enumerate(missing):
        try:
            path.mkdir()
        except OSError:
            for made in reversed(missing[:created]):
                _remove_if_empty(made)
            raise
    return missing


def _remove_if_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass


def _mark(tmp: Path, meta: dict) -> None:
    """Write run.json: the marker, `meta` over what the block wrote there, and the list of files."""
    path = tmp / MARKER_FILE
    written = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    written = written if isinstance(written, dict) else {"contents": written}
    files = sorted(entry for entry in _entries(tmp) if (tmp / entry).is_file() and entry != MARKER_FILE)
    marked = {MARKER_KEY: 1, **written, **meta, "provenance": code_fingerprint()}
    marked.update({MARKER_KEY: 1, "files": files})  # whatever the block wrote, these two are nodding's
    path.write_text(json.dumps(marked, indent=2) + "\n", encoding="utf-8")


def _swap_in(tmp: Path, target: Path) -> None:
    """Rename `tmp` to `target`. A previous output directory is moved aside first and put back
    if the second rename fails, so the old results are never lost midway."""
    if not os.path.lexists(target):
        tmp.rename(target)
        return
    try:
        _guarded(target, _check_existing)  # again: files may have been added while the simulation ran
    except OutputError as err:
        elsewhere = _free_sibling(target)
        tmp.rename(elsewhere)  # keep the results rather than lose the run
        raise OutputError(target, f"{err.problem} -- the results are in {elsewhere} instead") from None
    old = _hidden_directory(target, "old")
    target.rename(old)  # onto an empty directory: allowed, and the name is ours alone
    try:
        tmp.rename(target)
    except BaseException:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _free_sibling(target: Path) -> Path:
    for number in range(1, 1000):
        candidate = target.with_name(f"{target.name}-{number}")
        if not os.path.lexists(candidate):
            return candidate
    raise OutputError(target, "no free name next to it for the results")
