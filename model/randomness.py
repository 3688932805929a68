"""Common random numbers: every draw of the day is a pure function of who draws it, when and why.

Comparing two scenarios run for run (a closure against the baseline) only
isolates the intervention if everything it does not touch happens the same way
in both runs. With one shared generator this fails at the first difference:
one extra draw shifts every later draw of the whole town, and two runs become
independent realisations (docs/model.md, section 9).

Starsim (the successor of Covasim) fixes this by giving each distribution its
own generator, jumping it to a fixed state at every time step and drawing for
every agent slot, so an agent's number does not depend on how many numbers
other agents needed; pair decisions combine the two agents' numbers. We go one
step further with a counter-based hash: a draw is

    uniform = hash(seed, purpose, day, day-part, a, b)

for a resident `a` (b = 0) or an ordered pair (a, b) -- the resident who
decides and the other. There is no generator state at all, so a draw is the
same whatever else happened that day, in whatever order the pairs come and on
any number of threads. The hash is the splitmix64 finaliser (Steele, Lea &
Flood 2014), applied in a chain; its output's top 53 bits make a double in
[0, 1).

Example
-------
>>> import numpy as np
>>> draws = RandomSource(seed=7).on(day=3)
>>> u = draws.uniform("start", np.array([1, 2, 1]), np.array([5, 5, 5]), part=2)
>>> bool(u[0] == u[2]) and bool(u[0] != u[1]) and bool(((0 <= u) & (u < 1)).all())
True
>>> bool((draws.uniform("start", np.array([1]), np.array([5]), part=2) == u[0]).all())
True
"""

from __future__ import annotations

import functools
import zlib

import numba
import numpy as np
from scipy.special import ndtri

__all__ = ["DayDraws", "RandomSource", "unit"]

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _mix_int(x: int) -> int:
    """splitmix64's finaliser on a Python int (for keys, computed once per purpose and day-part)."""
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


@numba.njit(cache=True, inline="always")
def mix(x):
    """splitmix64's finaliser on a uint64 (numba)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def unit(key, a, b):
    """The draw of (a, b) under `key`: a double in [0, 1) (numba; usable inside other kernels)."""
    h = mix(key ^ mix(np.uint64(a) ^ mix(np.uint64(b) + np.uint64(1))))
    return (h >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, parallel=True)
def _uniforms(key, a, b):
    out = np.empty(len(a))
    for e in numba.prange(len(a)):
        out[e] = unit(key, a[e], b[e])
    return out


@numba.njit(cache=True, parallel=True)
def _poisson(key, a, mean):
    """Poisson counts by inverting the distribution function at each draw (small means)."""
    out = np.zeros(len(a), dtype=np.int64)
    for e in numba.prange(len(a)):
        u = unit(key, a[e], 0)
        p = np.exp(-mean)
        cumulative = p
        k = 0
        while u >= cumulative and k < 1000:
            k += 1
            p *= mean / k
            cumulative += p
        out[e] = k
    return out


@functools.cache
def _purpose_key(purpose: str, part: int) -> int:
    """The part of a key that does not change from day to day (computed once per purpose and day-part)."""
    return _mix_int(zlib.crc32(purpose.encode()) ^ (part << 32))


class RandomSource:
    """The town's common random numbers: `on(day)` gives that day's draws."""

    def __init__(self, seed: int):
        self.seed_key = _mix_int(int(seed) & _MASK)

    def on(self, day: int) -> DayDraws:
        return DayDraws(self.seed_key, int(day))


class DayDraws:
    """One day's draws, by purpose (a short name: "visit", "start", "welcome", ...) and day-part."""

    def __init__(self, seed_key: int, day: int):
        self._key = _mix_int(seed_key ^ _mix_int(day))

    def key(self, purpose: str, part: int = 0) -> np.uint64:
        """The key of one purpose in one day-part, for kernels that draw with `unit` themselves."""
        return np.uint64(_mix_int(self._key ^ _purpose_key(purpose, part)))

    def uniform(self, purpose: str, a: np.ndarray, b: np.ndarray | None = None, part: int = 0) -> np.ndarray:
        """One draw in [0, 1) per resident `a` (or per ordered pair `a`, `b`)."""
        a = np.asarray(a, dtype=np.int64)
        b = np.zeros(len(a), dtype=np.int64) if b is None else np.asarray(b, dtype=np.int64)
        return _uniforms(self.key(purpose, part), a, b)

    def normal(self, purpose: str, a: np.ndarray) -> np.ndarray:
        """One standard normal draw per resident `a` (the inverse normal distribution function at a uniform draw,
        kept off 0 and 1 so that it is finite)."""
        return ndtri(np.clip(self.uniform(purpose, a), 1e-16, 1.0 - 1e-16))

    def poisson(self, purpose: str, a: np.ndarray, mean: float) -> np.ndarray:
        """One Poisson count per resident `a`."""
        return _poisson(self.key(purpose), np.asarray(a, dtype=np.int64), float(mean))
