"""Which code made a result: a fingerprint of Nodding Terms' sources and of the libraries it ran on.

Every output (`run.json`, an experiment's `report.md` and `experiment.json`, the stylized-facts
report) carries it, so a result can be traced to the code that made it; the experiments' resume
cache keys each run on it, so a run made by other code is redone, never mixed in.

The sources are every ``*.py`` file of the installed package, subpackages included
(`nodding`, `nodding.model`, `nodding.experiments`, `nodding.facts`, `nodding.dashboards`),
named by their place in the package, not on disk: a checkout and a wheel of the same code give
the same fingerprint.

>>> from nodding.provenance import code_fingerprint
>>> sorted(code_fingerprint())
['code', 'mesa', 'numba', 'numpy', 'python']
>>> len(code_fingerprint()["code"])
16
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["code_fingerprint", "sources_digest"]

#: The libraries whose version can change a run's numbers (random streams, float kernels, scheduling).
LIBRARIES = ("numpy", "numba", "mesa")


def _package_dirs() -> dict[str, Path]:
    """Each package of Nodding Terms and the folder it is loaded from (found, not imported)."""
    dirs = {}
    for name in ("nodding", "nodding.model", "nodding.dashboards"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            dirs[name] = Path(next(iter(spec.submodule_search_locations)))
    return dirs


def sources_digest() -> str:
    """A SHA-256 over every Python source of the package, by package-relative name and contents.

    Returns
    -------
    str
        64 hex digits; any edit of any ``.py`` file (or a file added or removed) changes it.
    """
    digest = hashlib.sha256()
    nested = {str(d) for d in _package_dirs().values()}
    for name, folder in sorted(_package_dirs().items()):
        for path in sorted(folder.rglob("*.py")):
            inner = path.relative_to(folder)
            # a subpackage inside this folder (a wheel's nodding/model/) is hashed under its own name, once
            inside = path.parents[:len(inner.parts) - 1]
            if "__pycache__" in inner.parts or any(str(parent) in nested for parent in inside):
                continue
            digest.update(f"{name}/{inner.as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> dict[str, str]:
    """The code and library versions that make this process's results.

    Returns
    -------
    dict
        ``code``: the first 16 hex digits of `sources_digest` (64 bits: no two versions of the code
        in practice share one); ``python``, ``numpy``, ``numba``, ``mesa``: their versions.
    """
    found = {"code": sources_digest()[:16], "python": platform.python_version()}
    for library in LIBRARIES:
        try:
            found[library] = version(library)
        except PackageNotFoundError:  # not installed as a distribution (a source checkout on sys.path)
            found[library] = "unknown"
    return dict(sorted(found.items()))
