"""Keep numba's on-disk cache of the compiled kernels in step with the model's sources.

numba (`cache=True`) stores each compiled kernel next to its source file and checks only that
file's timestamp before reusing it. Most kernels call kernels from other files (`randomness.unit`,
`ties.recall`, `ties.make_memories`), which are compiled into them: after an update that changes
only the callee (a `git pull`, an edit), the caller's cached copy would go on running the old
callee, silently (numba documents this limitation). So the cache is keyed on all of the model's
sources: when any of them changes, the cached kernels of this package are dropped and compiled
afresh on first use.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["PACKAGE", "refresh", "sources_key"]

PACKAGE = Path(__file__).resolve().parent


def sources_key(package: Path = PACKAGE) -> str:
    """A digest of every Python source of the package (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def refresh(package: Path = PACKAGE) -> bool:
    """Drop the package's cached kernels if its sources changed since they were compiled.

    Returns True if stale kernels were dropped. A read-only install is left alone (pip rewrites
    every file on an upgrade, so numba's own timestamp check suffices there).
    """
    cache = package / "__pycache__"
    stamp = cache / "numba-sources.sha256"
    key = sources_key(package)
    try:
        if stamp.read_text() == key:
            return False
    except OSError:
        pass
    dropped = False
    try:
        cache.mkdir(exist_ok=True)
        for path in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            path.unlink(missing_ok=True)
            dropped = True
        # atomic: processes importing the model at the same time see the old stamp or the new one
        temporary = cache / f"numba-sources.{os.getpid()}.tmp"
        temporary.write_text(key)
        temporary.replace(stamp)
    except OSError:
        pass
    return dropped
