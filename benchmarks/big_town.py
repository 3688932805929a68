"""A big town end to end: build, warm-up, a year of days, and the run's outputs; time and peak memory.

    python benchmarks/big_town.py --residents 1000000 --days 365      # about an hour on 2 cores
    python benchmarks/big_town.py --residents 20000 --days 30         # a minute: the same phases, small

Writes benchmarks/results/big_town_<residents>.json (and prints it): seconds and peak resident
memory (ru_maxrss) after each phase, the tie network's size, and the output files' sizes. The
outputs are what `nodding run` writes for a town of that size: the daily table, one row per
resident, and the tie network as a Parquet edge list (`Town.tie_edges`); GraphML (networkx, about
1 kB a tie in memory) is left out here, as `nodding run` leaves it out for big towns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    from nodding import Scenario, Town
    from nodding.provenance import code_fingerprint
    phases = {"import": {"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}}

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = {"seconds": round(now - since, 1), "peak_mb": round(peak_mb())}
        print(name, phases[name], flush=True)
        return now

    clock = time.perf_counter()
    town = Town(Scenario.default().with_values({"population.size": args.residents}), seed=args.seed)
    clock = phase("build and warm-up", clock)
    for day in range(args.days):
        town.step()
        if day % 30 == 29:
            print(f"  day {day}: {time.perf_counter() - clock:.0f} s, peak {peak_mb():.0f} MB", flush=True)
    clock = phase(f"{args.days} days", clock)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        town.daily.to_csv(out / "daily.csv", index=False)
        town.residents_frame().to_csv(out / "residents.csv", index=False)
        edges = town.tie_edges()
        edges.to_parquet(out / "ties.parquet", index=False)
        clock = phase("outputs", clock)
        sizes = {p.name: p.stat().st_size for p in out.iterdir()}

    result = {
        "residents": args.residents, "days": args.days, "seed": args.seed, "ties": len(edges),
        "phases": phases, "total_seconds": round(time.perf_counter() - started, 1), "peak_mb": round(peak_mb()),
        "output_bytes": sizes, "numba_threads": os.environ.get("NUMBA_NUM_THREADS", "all cores"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores", "code": code_fingerprint(),
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"big_town_{args.residents}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
