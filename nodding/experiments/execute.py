"""How runs are executed: a worker function, executors, and a resumable store.

Every experiment runs through a `concurrent.futures.Executor`: a local process
pool by default, or a Dask cluster's executor (`Client.get_executor()`), so one
code path serves a laptop and a cluster. Results come back in the design's
order whatever order they finish in, so 1 worker, 2 workers and Dask give
identical tables.

Finished runs are kept as one small Parquet file per run in a cache directory
(named by a hash of the experiment), so a killed experiment resumes where it
stopped; a run that fails in a worker is reported with its scenario, replicate
and seed, and the others are kept.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .design import RunSpec

__all__ = ["ExecutorError", "RunFailed", "RunStore", "default_workers", "execute", "make_executor", "run_one"]

# MALLOC_TRIM_THRESHOLD_ for Dask workers: its nanny's 64 KiB default costs about a third of the
# throughput of array-heavy workers (TOOLCHAIN.md, "Parallel runs").
DASK_MALLOC_TRIM = str(256 * 2**20)
DASK_CONNECT_TIMEOUT = "5s"


class RunFailed(RuntimeError):
    """One or more runs failed inside a worker; the others are kept in the cache."""


class ExecutorError(ValueError):
    """The executor cannot be set up as asked (e.g. an unreachable Dask address)."""


# ---------------------------------------------------------------- the worker
def run_one(spec: RunSpec) -> pd.DataFrame:
    """Build and run one town; its daily table with the run's identifying columns in front.

    Module level (picklable by reference) so a spawned process or a Dask worker can import it.
    One numba thread per worker: workers, not threads, use the cores.
    """
    import numba

    numba.set_num_threads(1)
    from nodding import Scenario, Town

    scenario = Scenario.from_toml(spec.toml, source=spec.scenario)
    town = Town(scenario, seed=spec.seed, log_events=False)
    town.run(days=spec.days)
    daily = town.daily
    front = {"scenario": spec.scenario, "point": spec.point, "replicate": spec.replicate, "seed": spec.seed,
             "population": scenario["population.size"], **spec.values}
    for i, (name, value) in enumerate(front.items()):
        daily.insert(i, name, value)
    return daily


def _run_guarded(spec: RunSpec):
    """(table, None) or (None, one-line error): a failing run must not take the others down."""
    try:
        return run_one(spec), None
    except Exception as err:  # reported to the user with the run's scenario, replicate and seed
        return None, f"{type(err).__name__}: {err}".splitlines()[0]


# ---------------------------------------------------------------- executors
def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextmanager
def make_executor(workers: int | None = None, dask: str | None = None):
    """A process pool of `workers` (default: the cores), or a Dask executor.

    `dask` is a scheduler address ("tcp://host:8786"), or "local" for a LocalCluster of
    `workers` single-threaded worker processes. An unreachable address raises ExecutorError
    within a few seconds, before anything is simulated.
    """
    workers = workers or default_workers()
    if dask is None:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
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
            yield client.get_executor()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


# ---------------------------------------------------------------- the resumable store
class RunStore:
    """One Parquet file per finished run, named by the run's key."""

    def __init__(self, directory: Path | None):
        self.directory = Path(directory) if directory is not None else None

    def path(self, spec: RunSpec) -> Path:
        return self.directory / f"{spec.key}.parquet"

    def get(self, spec: RunSpec) -> pd.DataFrame | None:
        if self.directory is None or not self.path(spec).exists():
            return None
        try:
            return pd.read_parquet(self.path(spec))
        except Exception:  # a file cut short by a kill: run it again
            return None

    def put(self, spec: RunSpec, table: pd.DataFrame) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.path(spec).with_suffix(".tmp")
        table.to_parquet(tmp, index=False)
        os.replace(tmp, self.path(spec))  # whole files only

    def remove(self) -> None:
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)


def execute(specs: list[RunSpec], executor: Executor | None = None, *, workers: int | None = None,
            dask: str | None = None, cache: Path | None = None, progress: bool | None = None) -> pd.DataFrame:
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
        Directory of finished runs (one Parquet file per run): those found there are not run again.
    progress : bool, optional
        Show a progress bar (default: when stderr is a terminal).

    Returns
    -------
    DataFrame
        Every run's daily table (`run_one`), concatenated in the order of `specs`. Raises RunFailed (after
        every other run has finished and been cached) if any run failed.
    """
    store = RunStore(cache)
    tables: dict[int, pd.DataFrame] = {}
    todo = []
    for i, spec in enumerate(specs):
        found = store.get(spec)
        if found is None:
            todo.append(i)
        else:
            tables[i] = found
    failures = []
    if todo:
        if executor is None:
            with make_executor(workers, dask) as made:
                failures = _submit_all(made, specs, todo, tables, store, progress)
        else:
            failures = _submit_all(executor, specs, todo, tables, store, progress)
    if failures:
        spec, message = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        kept = f"; the {len(tables)} finished runs are kept in {cache} and the same command resumes" if cache else ""
        raise RunFailed(f"run failed: scenario {spec.scenario}, point {spec.point}, replicate {spec.replicate}, "
                        f"seed {spec.seed}: {message}{more}{kept}")
    return pd.concat([tables[i] for i in range(len(specs))], ignore_index=True)


def _submit_all(executor, specs, todo, tables, store, progress):
    from tqdm import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    futures = {executor.submit(_run_guarded, specs[i]): i for i in todo}
    failures = []
    with tqdm(total=len(specs), initial=len(specs) - len(todo), unit="run", disable=not show, leave=False) as bar:
        try:
            for future in as_completed(futures):
                i = futures[future]
                try:
                    table, error = future.result()
                except Exception as err:  # the worker process itself died
                    table, error = None, f"{type(err).__name__}: {err}".splitlines()[0]
                if error is None:
                    store.put(specs[i], table)
                    tables[i] = table
                else:
                    failures.append((i, error))
                bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return [(specs[i], error) for i, error in sorted(failures)]

