"""How runs are executed: a worker function, executors, and the resume cache.

Every experiment runs through a `concurrent.futures.Executor`: a local process
pool by default, or a Dask cluster's executor (`Client.get_executor()`), so one
code path serves a laptop and a cluster. Results come back in the design's
order whatever order they finish in, so 1 worker, 2 workers and Dask give
identical tables.

Finished runs are kept in a cache directory (named by a hash of the experiment;
cache.py), so a killed experiment resumes where it stopped; a cached run made by
other code, or damaged, is run again. A run that fails in a worker is reported with
its scenario, replicate and seed, and the others are kept. Local worker processes
die with the process that started them, and an interrupted experiment stops them at
once rather than waiting for the runs in progress.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nodding import provenance

from .cache import RunCache, describe_code
from .design import RunSpec

__all__ = ["Execution", "ExecutorError", "RunFailed", "default_workers", "execute", "make_executor", "resident_outcomes",
           "run_one", "run_outputs"]

# MALLOC_TRIM_THRESHOLD_ for Dask workers: its nanny's 64 KiB default costs about a third of the
# throughput of array-heavy workers (TOOLCHAIN.md, "Parallel runs").
DASK_MALLOC_TRIM = str(256 * 2**20)
DASK_CONNECT_TIMEOUT = "5s"
PARENT_POLL = 0.5  # seconds between a local worker's checks that the process that started it is alive


class RunFailed(RuntimeError):
    """One or more runs failed inside a worker; the others are kept in the cache."""


class ExecutorError(ValueError):
    """The executor cannot be set up as asked (e.g. an unreachable Dask address)."""


# ---------------------------------------------------------------- the worker
def run_one(spec: RunSpec) -> pd.DataFrame:
    """Build and run one town; its daily table with the run's identifying columns in front.

    A calibration's run (`spec.statistics`) returns one row instead: the statistics measured on the
    run (`nodding.facts.table.measure_statistics`). The per-resident outcomes of a comparison's run
    are `run_outputs`'.

    Parameters
    ----------
    spec : RunSpec

    Returns
    -------
    DataFrame
    """
    return run_outputs(spec)[0]


def run_outputs(spec: RunSpec) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Build and run one town: its daily table (`run_one`) and, if `spec.window`, its residents' outcomes.

    Module level (picklable by reference) so a spawned process or a Dask worker can import it. One
    numba thread per worker: workers, not threads, use the cores.

    Parameters
    ----------
    spec : RunSpec

    Returns
    -------
    tuple
        The daily table, and `resident_outcomes` over the last `spec.window` days (None without a window).
    """
    import numba

    numba.set_num_threads(1)
    from nodding import Scenario, Town

    scenario = Scenario.from_toml(spec.toml, source=spec.scenario)
    residents = None
    if spec.statistics:
        from nodding.facts.table import measure_statistics

        table = pd.DataFrame([measure_statistics(scenario, spec.seed, spec.days, spec.statistics, spec.readout)])
    else:
        town = Town(scenario, seed=spec.seed, log_events=False)
        if spec.window:
            residents = resident_outcomes(town, spec.days, spec.window)
        else:
            town.run(days=spec.days)
        table = town.daily
    front = {"scenario": spec.scenario, "point": spec.point, "replicate": spec.replicate, "seed": spec.seed,
             "population": scenario["population.size"], **spec.values}
    for i, (name, value) in enumerate(front.items()):
        table.insert(i, name, value)
    return table, residents


def resident_outcomes(town, days: int, window: int) -> pd.DataFrame:
    """Run a new town `days` days; the outcomes over the last `window` of each resident present all along.

    Belonging is summed day by day over the window only (no daily history per resident is kept).
    Residents are numbered 0..N-1 in the order the town drew them (array slots). With life events
    (model/life.py) a slot's person can change during a run: a leaver's slot goes to a newcomer with a
    new lifelong `person` id (never reused). Only residents present for the whole run are kept: the slots
    whose person is the same at the start (the town just built) and at the end. Life events are drawn
    from streams keyed by person and day, independent of interventions, so two runs of the same seed and
    population keep the same slots with the same persons in every scenario (routine turnover re-draws a
    resident's places, never the resident), and pair by `resident` (`summarise.group_effects` checks it).

    Parameters
    ----------
    town : Town
        Just built (day 0).
    days, window : int
        Days to run, and the last days to average over (1 <= window <= days).

    Returns
    -------
    DataFrame
        One row per resident present for the whole run: `resident` (the slot), `person` (the lifelong id),
        `belonging` (mean end-of-day belonging over the window, 0-1), `lonely` (share of the window's days
        below `belonging.lonely_below`; NaN for residents under 18 at the end, as the lonely share counts
        adults), `living_alone`, `role`, and one boolean column per group of `Town.groups()` at the end of
        the run (``target:<name>``, ``participant:<name>``, ...).
    """
    from nodding.model.residents import ROLES, living_alone

    res = town.residents
    person_at_start = res.person.copy()
    if days > window:
        town.run(days=days - window)
    below = town.config["belonging.lonely_below"]
    belonging = np.zeros(len(res))
    lonely = np.zeros(len(res))
    for _ in range(window):
        town.run(days=1)
        belonging += res.belonging
        lonely += res.belonging < below
    stayed = res.person == person_at_start
    frame = pd.DataFrame({"resident": np.arange(len(res)), "person": res.person, "belonging": belonging / window,
                          "lonely": np.where(res.age < 18, np.nan, lonely / window),
                          "living_alone": living_alone(res), "role": np.array(ROLES)[res.role], **town.groups()})
    return frame[stayed].reset_index(drop=True)


def _run_guarded(spec: RunSpec):
    """((table, residents), code, None) or (None, code, one-line error): a failing run must not take the others
    down.

    `code` is the fingerprint of the code in the process that ran the run, computed there: a Dask
    worker may have another install than the process that collects the results.
    """
    code = provenance.code_fingerprint()
    try:
        return run_outputs(spec), code, None
    except Exception as err:  # reported to the user with the run's scenario, replicate and seed
        return None, code, f"{type(err).__name__}: {err}".splitlines()[0]


def _die_with_parent(parent: int) -> None:
    """A local pool worker's initializer: it never outlives the process that started it.

    Ctrl-C in a terminal reaches every process of the group; the workers ignore it, so that the
    parent alone decides (it kills them) and no worker prints a traceback. A watchdog thread ends
    the worker once its parent is gone (`kill -9` of the parent: the worker is re-parented).
    A thread rather than Linux's PR_SET_PDEATHSIG: that signal fires when the *thread* that spawned
    the worker exits, which would kill the workers of a pool used across threads; and it is Linux only.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="nodding-parent-watch").start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)  # no clean-up to do: the parent, which collects results, is gone


# ---------------------------------------------------------------- executors
def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def make_executor(workers: int | None = None, dask: str | None = None):
    """A process pool of `workers` (default: the cores), or a Dask executor.

    `dask` is a scheduler address ("tcp://host:8786"), or "local" for a LocalCluster of
    `workers` single-threaded worker processes. An unreachable address raises ExecutorError
    within a few seconds, before anything is simulated. A local pool's workers end themselves when
    this process is gone (`_die_with_parent`); if the block raises (Ctrl-C included), they are killed
    at once, the runs in progress abandoned (`_stop_now`). Dask's workers belong to their cluster
    (a LocalCluster's nannies end with this process too).
    """
    workers = workers or default_workers()
    if dask is None:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_die_with_parent, initargs=(os.getpid(),))
        try:
            yield pool
        except BaseException:  # Ctrl-C or an error: the runs in progress are abandoned, not waited for
            _stop_now(pool)
            raise
        pool.shutdown(wait=True)
        return
    try:
        import dask as dask_
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("--dask needs the optional Dask extra: pip install 'nodding-terms[dask]'") from None
    cluster = None
    with dask_.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": DASK_MALLOC_TRIM,
                           "distributed.nanny.pre-spawn-environ.NUMBA_NUM_THREADS": "1",
                           "distributed.comm.timeouts.connect": DASK_CONNECT_TIMEOUT}):
        try:
            if dask == "local":
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=50)  # no shutdown chatter
                client = Client(cluster)
            else:
                client = Client(dask, timeout=DASK_CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as err:
            if cluster is not None:
                cluster.close()
            raise ExecutorError(f"--dask {dask}: cannot reach a Dask scheduler there ({type(err).__name__})") from None
        try:
            executor = client.get_executor()
            # the smallest worker's memory limit: each run must fit there (run_design checks)
            limits = [w.get("memory_limit") or 0 for w in client.scheduler_info()["workers"].values()]
            executor.worker_memory = min(limits) if limits and min(limits) > 0 else None
            yield executor
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Cancel the pending runs and kill the workers, without waiting for the runs in progress."""
    workers = list((pool._processes or {}).values())  # private, but the pool offers no way to stop a running task
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join()  # reaped: no zombie, and gone before the caller reports the interruption


# ---------------------------------------------------------------- running a list of runs
@dataclass
class Execution:
    """What `execute` did.

    Attributes
    ----------
    runs : DataFrame
        Every run's daily table (`run_one`), concatenated in the order of the specs.
    reused : int
        Runs taken from the cache rather than run now.
    code : dict
        The fingerprint of the code that made every run (`nodding.provenance.code_fingerprint`).
    residents : list
        Per spec, in the same order: its residents' outcomes over the window (`resident_outcomes`), or None
        for a spec without a window.
    """

    runs: pd.DataFrame
    reused: int
    code: dict
    residents: list = field(default_factory=list)


def execute(specs: list[RunSpec], executor: Executor | None = None, *, workers: int | None = None,
            dask: str | None = None, cache: Path | None = None, progress: bool | None = None) -> Execution:
    """Run every spec not already in the cache; return all tables in design order.

    Parameters
    ----------
    specs : list of RunSpec
        The runs, in the order their tables are concatenated (a `Design`'s `specs`).
    executor : concurrent.futures.Executor, optional
        Reused if given; otherwise one is made from `workers` / `dask` (`make_executor`).
    workers, dask
        As in `make_executor`.
    cache : Path, optional
        Directory of finished runs (`cache.RunCache`): those found there, made by this code and
        undamaged, are not run again; the others are, with one line on stderr per reason.
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).

    Returns
    -------
    Execution
        The tables, how many came from the cache, and the code fingerprint. Raises RunFailed (after every
        other run has finished and been cached) if any run failed, or ran on other code than this process.
    """
    code = provenance.code_fingerprint()
    store = RunCache(cache, code)
    lookup = store.lookup(specs)
    for line in lookup.notices():
        print(f"{line} (cache: {cache})", file=sys.stderr)
    outputs = lookup.found
    reused = len(outputs)
    todo = lookup.todo
    failures = []
    if todo:
        if executor is None:
            with make_executor(workers, dask) as made:
                failures = _submit_all(made, specs, todo, outputs, store, progress)
        else:
            failures = _submit_all(executor, specs, todo, outputs, store, progress)
    if failures:
        spec, message = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        kept = f"; the {len(outputs)} finished runs are kept in {cache} and the same command resumes" if cache else ""
        raise RunFailed(f"run failed: scenario {spec.scenario}, point {spec.point}, replicate {spec.replicate}, "
                        f"seed {spec.seed}: {message}{more}{kept}")
    ordered = [outputs[i] for i in range(len(specs))]
    return Execution(pd.concat([table for table, _ in ordered], ignore_index=True), reused, code,
                     [residents for _, residents in ordered])


def _submit_all(executor, specs, todo, outputs, store, progress):
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    futures = {executor.submit(_run_guarded, specs[i]): i for i in todo}
    failures = []
    with tqdm(total=len(specs), initial=len(specs) - len(todo), unit="run", disable=not show, leave=False) as bar:
        try:
            for future in as_completed(futures):
                i = futures[future]
                try:
                    output, code, error = future.result()
                except Exception as err:  # the worker process itself died
                    output, code, error = None, None, f"{type(err).__name__}: {err}".splitlines()[0]
                if error is None and code != store.code:
                    error = (f"ran other code ({describe_code(code)}) than this process ({describe_code(store.code)}): "
                             "the sources changed since this process started, or a worker has another install")
                if error is None:
                    store.save(specs[i], *output, code)
                    outputs[i] = output
                else:
                    failures.append((i, error))
                bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [(specs[i], error) for i, error in sorted(failures)]

