"""Ensemble benchmark: how fast experiments run through nodding.experiments (issue 7).

    python benchmarks/ensemble.py            # full: year-long 2,000-resident runs (~6-10 min on 2 cores)
    python benchmarks/ensemble.py --quick    # 60-day runs, fewer of them (~2 min)
    python benchmarks/ensemble.py --only crn # just the paired/unpaired ratio

Measures, each in its own section of benchmarks/results/ensemble.md (+ .json):
- throughput: year-long runs per minute through the default executor (a process pool, one
  worker per core, one numba thread each), pool start-up included;
- scaling: the same 8-run experiment with 1 and 2 local workers, and on a Dask LocalCluster
  (2 single-threaded workers, malloc-trim raised); cluster start-up reported separately;
- overhead: what a run costs besides simulating (process start + imports + numba cache load,
  town setup, result transfer), and a profile of where a one-thread run spends its time;
- crn: the CI half-width of "closing the community centre" on mean belonging, paired over
  replicates versus unpaired (Welch) on the same runs. Re-run after model changes that share
  random streams between scenarios (common random numbers): the ratio should fall.

The machine is shared: the load average before and after each section is recorded.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pickle
import platform
import pstats
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # this process simulates too (overhead, profile)

from nodding import Scenario, Town  # noqa: E402
from nodding.experiments import compare, execute, pairing_ratio  # noqa: E402
from nodding.experiments.design import RunSpec, replicate_seeds  # noqa: E402
from nodding.experiments.execute import make_executor  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def specs_for(n_runs: int, residents: int, days: int, seed: int = 1) -> list[RunSpec]:
    scenario = Scenario.named("baseline").with_values({"population.size": residents})
    toml = scenario.to_toml()
    return [RunSpec("baseline", toml, r, s, days) for r, s in enumerate(replicate_seeds(seed, n_runs))]


def timed_execute(specs, **kwargs) -> float:
    started = time.perf_counter()
    execute(specs, progress=False, **kwargs)
    return time.perf_counter() - started


def throughput(args) -> dict:
    specs = specs_for(args.throughput_runs, args.residents, args.days)
    before = load()
    seconds = timed_execute(specs)  # default executor: a pool with one worker per core
    return {"runs": len(specs), "residents": args.residents, "days": args.days, "seconds": round(seconds, 2),
            "runs_per_minute": round(60 * len(specs) / seconds, 1), "load_before": before, "load_after": load()}


def scaling(args) -> dict:
    """8 runs on 1 and 2 local workers and a 2-worker Dask LocalCluster, `--repeat` times, alternating.

    cold = executor start-up (processes, imports, numba cache) + the 8 runs; warm = the 8 runs on
    workers that have already run a tiny town. The fastest repeat of each counts (the machine is
    shared; the slower repeats measured the neighbours)."""
    specs = specs_for(8, args.residents, args.days, seed=2)
    warm_up = specs_for(2, 50, 1, seed=9)
    setups = [("one_worker", 1, None), ("two_workers", 2, None)] + ([] if args.no_dask else [("dask_two_workers", 2, "local")])
    times: dict[str, list] = {}
    out = {"runs": 8, "repeats": args.repeat, "load_before": load()}
    for _ in range(args.repeat):
        for name, workers, dask in setups:
            started = time.perf_counter()
            with make_executor(workers, dask) as executor:
                execute(warm_up[:workers], executor, progress=False)
                start_up = time.perf_counter() - started
                warm = timed_execute(specs, executor=executor)
            times.setdefault(name, []).append((start_up + warm, warm, start_up))
    for name, rows in times.items():
        cold, warm, start_up = min(r[0] for r in rows), min(r[1] for r in rows), min(r[2] for r in rows)
        out[f"{name}_cold_s"], out[f"{name}_warm_s"], out[f"{name}_start_up_s"] = round(cold, 2), round(warm, 2), round(start_up, 2)
        out[f"{name}_all_warm_s"] = [round(r[1], 2) for r in rows]
    for name in times:
        if name != "one_worker":
            out[f"{name}_speedup_cold"] = round(out["one_worker_cold_s"] / out[f"{name}_cold_s"], 2)
            out[f"{name}_speedup_warm"] = round(out["one_worker_warm_s"] / out[f"{name}_warm_s"], 2)
    out["load_after"] = load()
    return out


def _warm_task() -> float:
    """In a fresh worker: import the model and run a tiny town (loads the numba cache)."""
    started = time.perf_counter()
    from nodding.experiments.execute import run_one

    run_one(specs_for(1, 50, 1)[0])
    return time.perf_counter() - started


def overhead(args) -> dict:
    out = {"load_before": load()}
    # process start + imports + numba cache load: a fresh spawned worker's first task, end to end
    started = time.perf_counter()
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        inside = pool.submit(_warm_task).result()
    out["worker_start_to_first_result_s"] = round(time.perf_counter() - started, 2)
    out["of_which_first_tiny_run_numba_cache_load_s"] = round(inside, 2)
    # a bare interpreter start, for scale
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    out["bare_python_start_s"] = round(time.perf_counter() - started, 3)
    # setup and simulation of one run, in this process (one numba thread)
    scenario = Scenario.named("baseline").with_values({"population.size": args.residents})
    Town(scenario.with_values({"population.size": 50}), seed=1).run(days=1)  # warm
    started = time.perf_counter()
    town = Town(scenario, seed=7, log_events=False)
    out["town_setup_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    town.run(days=args.days)
    profile.disable()
    out["simulate_s"] = round(time.perf_counter() - started, 2)
    daily = town.daily
    started = time.perf_counter()
    blob = pickle.dumps(daily, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.loads(blob)
    out["result_transfer_s"] = round(time.perf_counter() - started, 4)
    out["result_bytes"] = len(blob)
    stream = io.StringIO()
    pstats.Stats(profile, stream=stream).sort_stats("tottime").print_stats(15)
    out["profile_top_tottime"] = _trim_profile(stream.getvalue())
    out["load_after"] = load()
    return out


def _trim_profile(text: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip())


def crn(args) -> dict:
    """Paired / unpaired 95% CI half-width, closing the community centre, mean belonging."""
    before = load()
    small = {"population.size": args.residents}
    scenarios = [Scenario.named("baseline").with_values(small), Scenario.named("community_centre_closes").with_values(small)]
    result = compare(scenarios, replicates=args.replicates, days=args.days, seed=1, progress=False)
    e = result.effects
    rows = e[(e["scenario"] == "community_centre_closes") & (e["metric"] == "belonging_points")].set_index("method")
    return {"replicates": args.replicates, "residents": args.residents, "days": args.days, "window": 30,
            "effect_points": round(float(rows.loc["paired", "effect"]), 3),
            "paired_half_width": round(float(rows.loc["paired", "half_width"]), 3),
            "unpaired_half_width": round(float(rows.loc["unpaired", "half_width"]), 3),
            "ratio_paired_to_unpaired": round(pairing_ratio(e, "community_centre_closes"), 3),
            "load_before": before, "load_after": load()}


def to_markdown(r: dict) -> str:
    """The headline numbers in a table, with the load they were measured under."""
    lines = [f"# Ensemble benchmark ({r['started']}, commit {r['commit']}, Python {r['python']}, {r['cores']} cores)", "",
             "The machine is shared: the load average (1, 5, 15 min) is given per section. "
             "Full numbers: `ensemble.json`.", "", "| section | measure | value | load before / after |", "|---|---|---|---|"]
    def row(section, measure, value):
        d = r.get(section, {})
        lines.append(f"| {section} | {measure} | {value} | {d.get('load_before', '')} / {d.get('load_after', '')} |")
    if "throughput" in r:
        t = r["throughput"]
        row("throughput", f"{t['runs']} runs of {t['residents']:,} residents x {t['days']} days, default executor "
            f"(pool start-up included)", f"{t['seconds']} s = **{t['runs_per_minute']} runs/min**")
    if "scaling" in r:
        c = r["scaling"]
        for name, words in (("one_worker", "1 worker"), ("two_workers", "2 workers"), ("dask_two_workers", "Dask LocalCluster, 2 workers")):
            if f"{name}_warm_s" in c:
                speed = "" if name == "one_worker" else (f"; speed-up **{c[name + '_speedup_warm']}x** warm, "
                                                          f"{c[name + '_speedup_cold']}x cold")
                row("scaling", f"8 runs, {words}", f"start-up {c[name + '_start_up_s']} s + runs {c[name + '_warm_s']} s{speed}")
    if "overhead" in r:
        o = r["overhead"]
        row("overhead", "fresh worker: process start + imports + numba cache load + first tiny run",
            f"{o['worker_start_to_first_result_s']} s (bare interpreter {o['bare_python_start_s']} s; "
            f"tiny run incl. numba cache load {o['of_which_first_tiny_run_numba_cache_load_s']} s)")
        row("overhead", "town setup (one run)", f"{o['town_setup_s']} s")
        row("overhead", "simulation (one run, 1 numba thread, under cProfile)", f"{o['simulate_s']} s")
        row("overhead", "result transfer (pickle out and in)", f"{o['result_transfer_s']} s, {o['result_bytes']:,} bytes")
    if "crn" in r:
        c = r["crn"]
        row("crn", f"closing the community centre, mean belonging, last {c['window']} days, {c['replicates']} replicates",
            f"effect {c['effect_points']} points; CI half-width paired {c['paired_half_width']} vs unpaired "
            f"{c['unpaired_half_width']}: **ratio {c['ratio_paired_to_unpaired']}**")
    if "overhead" in r:
        lines += ["", "Where a one-thread run spends its time (cProfile, top 15 by own time):", "", "```",
                  r["overhead"]["profile_top_tottime"], "```"]
    return "\n".join(lines) + "\n"


def commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="60-day runs, 4 throughput runs, 6 replicates")
    p.add_argument("--residents", type=int, default=2000)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--throughput-runs", type=int, default=12)
    p.add_argument("--replicates", type=int, default=10)
    p.add_argument("--no-dask", action="store_true")
    p.add_argument("--repeat", type=int, default=2, help="repeats of the scaling section (fastest counts)")
    p.add_argument("--only", choices=("throughput", "scaling", "overhead", "crn"), action="append")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = p.parse_args(argv)
    if args.quick:
        args.days, args.throughput_runs, args.replicates = 60, 4, 6
    sections = args.only or ["overhead", "throughput", "scaling", "crn"]
    report = {"commit": commit(), "python": platform.python_version(), "cores": os.cpu_count(),
              "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    for name in sections:
        print(f"[{name}] ...", file=sys.stderr, flush=True)
        report[name] = globals()[name](args)
        print(json.dumps(report[name], indent=1) if name != "overhead" else
              json.dumps({k: v for k, v in report[name].items() if k != "profile_top_tottime"}, indent=1), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "ensemble_quick" if args.quick else "ensemble"
    (args.out / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / f"{stem}.md").write_text(to_markdown(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
