"""Will a run fit in memory? An estimate of a run's peak memory, made before its first day.

A town's memory grows with its residents: each remembers up to `ties.slots` others (18 bytes a
slot), and the day's arrays (routines, visits, gatherings) add about as much again. Writing the
outputs adds the tie network: as a Parquet edge list (`Town.tie_edges`) a few bytes per
remembered pair, as GraphML (networkx) about 1 kB per tie, which is why `nodding run` writes
GraphML only for towns of up to `GRAPHML_MAX_RESIDENTS` residents. A 1,000,000-resident year that would
have needed ~40 GB at the write step is refused, or run, before hours of simulating, not after.

The coefficients are measured (benchmarks/big_town.py; benchmarks/README.md): peak resident
memory of towns of 2,000 to 1,000,000 residents on x86-64 Linux, with a safety margin.

>>> from nodding import Scenario
>>> small = estimate_peak_bytes(Scenario.named("classroom"))
>>> big = estimate_peak_bytes(Scenario.default().with_values({"population.size": 1_000_000}))
>>> small < 1e9 < big
True
"""

from __future__ import annotations

from pathlib import Path

from .errors import UserError

__all__ = ["GRAPHML_MAX_RESIDENTS", "TooBig", "available_bytes", "check_fits", "estimate_peak_bytes", "writes_graphml"]

#: The interpreter with numpy, pandas, Mesa, numba and a compiled model loaded.
BASE_BYTES = 300e6
#: Per resident and tie slot while simulating (the tie store's 18 bytes a slot, and the day's arrays).
SIM_BYTES_PER_SLOT = 42
#: Per resident and tie slot while writing the tie network as an edge list (sort keys, indices).
EDGES_BYTES_PER_SLOT = 48
#: Per tie in a networkx graph written as GraphML (nodes, edge dicts, the XML writer).
GRAPHML_BYTES_PER_TIE = 1100
#: Ties (pairs at familiar_face or above) per resident in a mature town (measured: 21-23).
TIES_PER_RESIDENT = 25
#: Up to this many residents (about 500,000 ties), `nodding run` also writes ties.graphml, which
#: Gephi opens in seconds; bigger towns get ties.parquet only.
GRAPHML_MAX_RESIDENTS = 20_000
#: Estimates are measured peaks times this, for what the measurements did not cover.
MARGIN = 1.25


class TooBig(UserError):
    """A run that would not fit in memory; `str()` is one line: the estimate, what is there, what to do."""


def writes_graphml(residents: int) -> bool:
    """Whether a run of this many residents also writes its tie network as GraphML."""
    return residents <= GRAPHML_MAX_RESIDENTS


def estimate_peak_bytes(scenario, outputs: bool = True) -> float:
    """The peak memory of one run of `scenario`, in bytes (an estimate with a margin).

    Parameters
    ----------
    scenario : Scenario
        Its `population.size` and `ties.slots` decide the estimate.
    outputs : bool
        Whether the run writes its tie network (`nodding run`); an experiment's runs do not.

    Returns
    -------
    float
    """
    residents, slots = scenario["population.size"], scenario["ties.slots"]
    peak = SIM_BYTES_PER_SLOT * slots * residents
    if outputs:
        peak += EDGES_BYTES_PER_SLOT * slots * residents
        if writes_graphml(residents):
            peak += GRAPHML_BYTES_PER_TIE * TIES_PER_RESIDENT * residents
    return MARGIN * (BASE_BYTES + peak)


def available_bytes() -> float | None:
    """Memory this process can still take: the system's available memory, capped by a cgroup limit.

    Returns
    -------
    float or None
        None where it cannot be read (not Linux): then nothing is refused.
    """
    try:
        meminfo = Path("/proc/meminfo").read_text()
        available = float(next(line.split()[1] for line in meminfo.splitlines()
                                if line.startswith("MemAvailable:"))) * 1024
    except (OSError, StopIteration, ValueError):
        return None
    try:  # a container's own limit (cgroup v2), minus what this group already uses
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit != "max":
            used = float(Path("/sys/fs/cgroup/memory.current").read_text())
            available = min(available, float(limit) - used)
    except (OSError, ValueError):
        pass
    return available


def _gb(value: float) -> str:
    return f"{value / 1e9:.1f} GB"


def check_fits(scenario, runs_at_once: int = 1, outputs: bool = True, available: float | None = None) -> float:
    """Refuse a run (or runs side by side) that would not fit in memory.

    Parameters
    ----------
    scenario : Scenario
    runs_at_once : int
        Runs in memory at the same time (local worker processes).
    outputs : bool
        As in `estimate_peak_bytes`.
    available : float, optional
        Bytes there are to use (default: `available_bytes()`; a Dask worker's memory limit).

    Returns
    -------
    float
        The estimate for all runs at once, in bytes.

    Raises
    ------
    TooBig
        One line: the estimate, the memory there is, and how to make it fit.
    """
    one = estimate_peak_bytes(scenario, outputs)
    needed = one * runs_at_once
    available = available_bytes() if available is None else available
    if available is None or needed <= available:
        return needed
    residents = scenario["population.size"]
    per_resident = (one / MARGIN - BASE_BYTES) / residents
    fits = int(max((available / (MARGIN * runs_at_once) - BASE_BYTES) / per_resident, 0) // 1000 * 1000)
    at_once = f" ({runs_at_once} runs at once: fewer workers also helps)" if runs_at_once > 1 else ""
    raise TooBig(f"population.size = {residents:,}: needs about {_gb(needed)} of memory at its peak{at_once}, "
                 f"and {_gb(available)} is available; lower population.size (about {fits:,} residents fit) "
                 "or use a machine with more memory")
