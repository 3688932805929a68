"""Speed and memory of the vectorised Town, side by side with the plain-Mesa reference.

Usage (from the repository root)::

    python benchmarks/bench.py                  # full: 1k, 10k, 100k, 1M; year curve at 100k
    python benchmarks/bench.py --quick          # development: 1k, 10k, 100k; 60-day curve at 10k
    python benchmarks/bench.py --sizes 1000000 --days 2 --no-reference --no-year   # does 1M fit?

Every measurement runs in a fresh subprocess (this same file with ``--worker``),
so one measurement's memory and warm caches never contaminate another. A worker
imports the model, warms up (a 50-resident town runs one day, which loads the
numba kernels from their cache or compiles them), builds the town (setup, timed
separately), then times every day with ``time.perf_counter``. It reports its own
peak resident memory (``getrusage(RUSAGE_SELF).ru_maxrss``: the whole process,
Python and numpy included) and its resident memory before the town was built.

Agent-days per second = residents x days / seconds spent in ``step()``; setup
and warm-up are excluded and reported separately. The ratio vectorised/reference
is measured in the same invocation at the same N and seed over the same days
(the reference's days; the vectorised run's first days).

Writes to ``--out`` (default ``benchmarks/results``; ``--quick`` defaults to
``benchmarks/results/quick``): ``README.md`` (tables and machine info),
``results.json`` (everything, including per-day seconds), ``throughput.png`` and
``per_day.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# ------------------------------------------------------------------------------ worker (one measurement)
def _rss_mb() -> float:
    """Current resident memory of this process in MB (Linux /proc; psutil if available)."""
    try:
        import psutil
        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # pragma: no cover
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def worker(impl: str, n: int, days: int, seed: int, track: bool) -> dict:
    """Build one town, run it day by day, report timings and memory (printed as JSON)."""
    t0 = time.perf_counter()
    if impl == "town":
        from nodding import Town as Model
    else:
        sys.path.insert(0, str(HERE))
        from reference_mesa import ReferenceTown as Model
    warm = Model(seed=0, **{"population.size": 50, "population.neighbourhood_size": 50, "warmup": 0})
    warm.step()
    del warm
    warm_up = time.perf_counter() - t0
    rss_before = _rss_mb()
    t0 = time.perf_counter()
    # no warm-up: both implementations time the same days of the same young town (the reference has no
    # warm-up); a mature town's days cost ~20% more (docs/model.md section 5)
    town = Model(seed=seed, **{"population.size": n, "warmup": 0})
    setup = time.perf_counter() - t0
    rss_setup = _rss_mb()
    day_seconds = []
    for _ in range(days):
        t0 = time.perf_counter()
        town.step()
        day_seconds.append(time.perf_counter() - t0)
    out = {
        "impl": impl, "n": n, "days": days, "seed": seed, "warm_up_s": warm_up, "setup_s": setup,
        "run_s": sum(day_seconds), "day_s": day_seconds,
        "agent_days_per_s": n * days / sum(day_seconds),
        "rss_before_setup_mb": rss_before, "rss_after_setup_mb": rss_setup, "peak_rss_mb": _peak_rss_mb(),
    }
    if track:  # for the per-day curve: how ties accumulate while the cost stays flat
        daily = town.daily
        out["daily"] = {c: daily[c].tolist() for c in ("mean_weak_ties", "mean_familiar_faces", "mean_strong_ties",
                                                      "initiations")}
    return out


# ------------------------------------------------------------------------------ driver
def measure(impl: str, n: int, days: int, seed: int, track: bool = False) -> dict:
    """Run one measurement in a fresh Python process."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", impl, "--n", str(n), "--days", str(days),
           "--seed", str(seed)] + (["--track"] if track else [])
    label = f"{impl:9s} N={n:>9,} days={days:>3}"
    print(f"  {label} ...", end="", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(" FAILED")
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"measurement failed: {label}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - t0
    print(f" {result['agent_days_per_s']:>12,.0f} agent-days/s  setup {result['setup_s']:6.1f} s"
          f"  peak {result['peak_rss_mb']:8,.0f} MB (town {result['peak_rss_mb'] - result['rss_before_setup_mb']:,.0f} MB)",
          flush=True)
    return result


def machine_info() -> dict:
    import mesa
    import numpy

    info = {
        "python": platform.python_version(), "numpy": numpy.__version__, "mesa": mesa.__version__,
        "platform": platform.platform(), "cpu_count": os.cpu_count(), "cpu": platform.processor() or "",
    }
    try:
        import numba
        info["numba"] = numba.__version__
    except ImportError:
        info["numba"] = "not installed"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    try:
        git = ["git", "-C", str(ROOT)]
        info["commit"] = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True,
                                        text=True).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "model"], capture_output=True, text=True).stdout
        info["model_uncommitted_changes"] = bool(dirty.strip())
    except OSError:
        pass
    return info


def window_mean(values: list[float], centre: int, width: int = 7) -> float:
    """Mean over a week around `centre` (a whole week, so weekdays and weekends weigh alike)."""
    lo = max(0, min(centre - width // 2, len(values) - width))
    chunk = values[lo:lo + width]
    return sum(chunk) / len(chunk)


def summarise(results: dict) -> dict:
    """Ratios vectorised/reference (same N, same days) and the year curve's flatness."""
    town = {r["n"]: r for r in results["town"]}
    ratios = []
    for ref in results["reference"]:
        vec = town.get(ref["n"])
        if vec is None:
            continue
        days = min(ref["days"], vec["days"])
        vec_rate = ref["n"] * days / sum(vec["day_s"][:days])
        ref_rate = ref["n"] * days / sum(ref["day_s"][:days])
        ratios.append({"n": ref["n"], "days": days, "town_agent_days_per_s": vec_rate,
                       "reference_agent_days_per_s": ref_rate, "ratio": vec_rate / ref_rate,
                       "town_peak_rss_mb": vec["peak_rss_mb"], "reference_peak_rss_mb": ref["peak_rss_mb"]})
    summary = {"ratios": ratios}
    year = results.get("year")
    if year:
        d = year["day_s"]
        early = min(10, len(d) - 1)
        summary["year"] = {
            "n": year["n"], "days": len(d), "agent_days_per_s": year["agent_days_per_s"],
            "early_day": early, "early_week_s": window_mean(d, early), "last_week_s": window_mean(d, len(d) - 1),
            "ratio_last_to_early": window_mean(d, len(d) - 1) / window_mean(d, early),
            "day_s_early": d[early], "day_s_last": d[-1], "peak_rss_mb": year["peak_rss_mb"],
        }
        if len(d) >= 120:  # once the town's social life has matured (interactions stop growing)
            mid = 100
            summary["year"].update({"mid_day": mid, "mid_week_s": window_mean(d, mid),
                                    "ratio_last_to_mid": window_mean(d, len(d) - 1) / window_mean(d, mid)})
        if "daily" in year:  # context: how much more happens per day once people know each other
            daily = year["daily"]
            summary["year"].update({
                "initiations_ratio_last_to_early": window_mean(daily["initiations"], len(d) - 1)
                / window_mean(daily["initiations"], early),
                "weak_ties_early": daily["mean_weak_ties"][early], "weak_ties_last": daily["mean_weak_ties"][-1],
                "familiar_faces_last": daily["mean_familiar_faces"][-1],
            })
    return summary


def write_report(results: dict, summary: dict, out: Path, args) -> None:
    info = results["machine"]
    lines = ["# Benchmark results", "",
             f"Generated by `python benchmarks/bench.py {' '.join(args.argv)}`".rstrip() + f" on "
             f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(results['started']))}"
             + (" (**quick mode**: development numbers)" if args.quick else "") + ".", "",
             "## Machine", "",
             f"- CPU: {info.get('cpu', '?')}, {info['cpu_count']} logical cores; memory {info.get('memory_gb', '?')} GB",
             f"- {info['platform']}",
             f"- Python {info['python']}, numpy {info['numpy']}, mesa {info['mesa']}, numba {info['numba']}",
             f"- commit {info.get('commit', '?')}"
             + (" with uncommitted changes in model/" if info.get("model_uncommitted_changes") else ""), "",
             "## Throughput", "",
             "Agent-days per second = residents x days / seconds in `step()` (setup excluded, shown separately). "
             "Peak memory is the whole measuring process (Python, numpy, Mesa, numba and the town); "
             "'town' is peak minus the process's memory just before the town was built. "
             "Each row is a fresh process; one seed.", "",
             "| implementation | residents | days | setup (s) | s per day | agent-days/s | peak memory (MB) | "
             "town (MB) |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(results["town"] + results["reference"], key=lambda r: (r["impl"] != "town", r["n"])):
        name = "vectorised `Town`" if r["impl"] == "town" else "plain-Mesa reference"
        lines.append(f"| {name} | {r['n']:,} | {r['days']} | {r['setup_s']:.1f} | {r['run_s'] / r['days']:.3f} | "
                     f"{r['agent_days_per_s']:,.0f} | {r['peak_rss_mb']:,.0f} | "
                     f"{r['peak_rss_mb'] - r['rss_before_setup_mb']:,.0f} |")
    if summary["ratios"]:
        lines += ["", "## Vectorised versus plain-Mesa reference (same run, same N, same seed, same days)", "",
                  "| residents | days | vectorised agent-days/s | reference agent-days/s | ratio | "
                  "peak memory vectorised / reference (MB) |", "|---:|---:|---:|---:|---:|---:|"]
        for q in summary["ratios"]:
            lines.append(f"| {q['n']:,} | {q['days']} | {q['town_agent_days_per_s']:,.0f} | "
                         f"{q['reference_agent_days_per_s']:,.0f} | **{q['ratio']:.1f}x** | "
                         f"{q['town_peak_rss_mb']:,.0f} / {q['reference_peak_rss_mb']:,.0f} |")
        lines += ["", "Goal (issue 3): at least 20x at 10,000 residents."]
    if "year" in summary:
        y = summary["year"]
        lines += ["", f"## Cost per day over a {y['days']}-day run ({y['n']:,} residents)", "",
                  f"- average: {y['agent_days_per_s']:,.0f} agent-days/s over {y['days']} days "
                  f"(peak memory {y['peak_rss_mb']:,.0f} MB)",
                  f"- week around day {y['early_day']}: {y['early_week_s']:.3f} s/day; last week: "
                  f"{y['last_week_s']:.3f} s/day; ratio last/early = **{y['ratio_last_to_early']:.2f}** "
                  "(1.0 = flat; weekly means, since weekends are cheaper than weekdays)",
                  f"- single days: day {y['early_day']} {y['day_s_early']:.3f} s, day {y['days'] - 1} "
                  f"{y['day_s_last']:.3f} s"]
        if "mid_day" in y:
            lines += [f"- week around day {y['mid_day']}: {y['mid_week_s']:.3f} s/day; ratio last/day-{y['mid_day']} "
                      f"week = **{y['ratio_last_to_mid']:.2f}**"]
        if "initiations_ratio_last_to_early" in y:
            lines += [f"- meanwhile mean weak ties per resident went from {y['weak_ties_early']:.1f} (day "
                      f"{y['early_day']}) to {y['weak_ties_last']:.1f} (last day), and interactions started per "
                      f"day changed by a factor {y['initiations_ratio_last_to_early']:.2f} (last week / early "
                      "week): part of any rise in cost is more social life, not slower memory"]
        lines += ["", "![cost per day](per_day.png)"]
    lines += ["", "![throughput](throughput.png)", ""]
    (out / "README.md").write_text("\n".join(lines))


def plot(results: dict, summary: dict, out: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for impl, label, marker in (("town", "vectorised Town", "o"), ("reference", "plain-Mesa reference", "s")):
        rows = sorted(results[impl], key=lambda r: r["n"])
        if rows:
            ax.plot([r["n"] for r in rows], [r["agent_days_per_s"] for r in rows], marker=marker, label=label)
    for q in summary["ratios"]:
        ax.annotate(f"{q['ratio']:.0f}x", (q["n"], (q["town_agent_days_per_s"] * q["reference_agent_days_per_s"]) ** 0.5),
                    ha="center", fontsize=10, color="0.3")
    ax.set(xscale="log", yscale="log", xlabel="residents", ylabel="agent-days per second",
           title="Throughput (setup excluded)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=120)
    plt.close(fig)

    year = results.get("year")
    if not year:
        return
    d = year["day_s"]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.plot(range(len(d)), d, lw=0.7, alpha=0.5, label="seconds per day")
    week = [sum(d[max(0, k - 6):k + 1]) / len(d[max(0, k - 6):k + 1]) for k in range(len(d))]
    ax.plot(range(len(d)), week, lw=2, label="7-day mean")
    ax.set(xlabel="day", ylabel="seconds per day", ylim=(0, max(d) * 1.1),
           title=f"Cost per day, {year['n']:,} residents (flat = bounded tie memory)")
    ax.grid(True, alpha=0.3)
    if "daily" in year:
        ax2 = ax.twinx()
        ax2.plot(year["daily"]["mean_weak_ties"], color="tab:green", lw=1.2, label="mean weak ties")
        ax2.plot(year["daily"]["mean_familiar_faces"], color="tab:olive", lw=1.2, ls="--", label="mean familiar faces")
        ax2.set_ylabel("ties per resident")
        ax2.set_ylim(bottom=0)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="lower right")
    else:
        ax.legend()
    fig.tight_layout()
    fig.savefig(out / "per_day.png", dpi=120)
    plt.close(fig)


def _sizes(text: str) -> list[int]:
    return [int(float(x.replace("_", ""))) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=_sizes, help="vectorised town sizes (default 1000,10000,100000,1000000)")
    p.add_argument("--days", type=int, help="days per vectorised measurement (default 10; quick 5)")
    p.add_argument("--reference-sizes", type=_sizes,
                   help="sizes for the plain-Mesa reference (default 1000,10000, restricted to --sizes)")
    p.add_argument("--reference-days", type=int, default=5, help="days per reference measurement (default 5)")
    p.add_argument("--year-size", type=int, help="residents in the per-day cost run (default 100000; quick 10000)")
    p.add_argument("--year-days", type=int, help="days in the per-day cost run (default 365; quick 60)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, help="output directory (default benchmarks/results; quick: .../quick)")
    p.add_argument("--quick", action="store_true", help="development mode: 1k,10k,100k; 5 days; 60-day curve at 10k")
    p.add_argument("--no-reference", action="store_true", help="skip the plain-Mesa reference")
    p.add_argument("--no-year", action="store_true", help="skip the per-day cost run")
    # worker mode (internal)
    p.add_argument("--worker", choices=("town", "reference"), help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    p.add_argument("--track", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.argv = argv

    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.days, args.seed, args.track)))
        return

    sizes = args.sizes or ([1000, 10_000, 100_000] if args.quick else [1000, 10_000, 100_000, 1_000_000])
    days = args.days or (5 if args.quick else 10)
    ref_sizes = [] if args.no_reference else [n for n in (args.reference_sizes or [1000, 10_000]) if n in sizes]
    year_size = args.year_size or (10_000 if args.quick else 100_000)
    year_days = args.year_days or (60 if args.quick else 365)
    out = args.out or (HERE / "results" / "quick" if args.quick else HERE / "results")
    out.mkdir(parents=True, exist_ok=True)

    results = {"started": time.time(), "machine": machine_info(), "town": [], "reference": [], "year": None,
               "settings": {"sizes": sizes, "days": days, "reference_sizes": ref_sizes,
                            "reference_days": args.reference_days, "year_size": year_size, "year_days": year_days,
                            "seed": args.seed, "quick": args.quick}}
    print(f"Benchmarks -> {out}")
    for n in sizes:
        results["town"].append(measure("town", n, max(days, args.reference_days if n in ref_sizes else 0), args.seed))
        if n in ref_sizes:
            results["reference"].append(measure("reference", n, args.reference_days, args.seed))
    if not args.no_year:
        print(f"Per-day cost over {year_days} days:")
        results["year"] = measure("town", year_size, year_days, args.seed, track=True)
    summary = summarise(results)
    results["summary"] = summary
    (out / "results.json").write_text(json.dumps(results, indent=1))
    write_report(results, summary, out, args)
    plot(results, summary, out)
    for q in summary["ratios"]:
        print(f"ratio at N={q['n']:,} over {q['days']} days: {q['ratio']:.1f}x "
              f"({q['town_agent_days_per_s']:,.0f} vs {q['reference_agent_days_per_s']:,.0f} agent-days/s)")
    if "year" in summary:
        y = summary["year"]
        print(f"year run: {y['agent_days_per_s']:,.0f} agent-days/s on average; last week / week of day "
              f"{y['early_day']} = {y['ratio_last_to_early']:.2f}")
    print(f"wrote {out / 'README.md'}")


if __name__ == "__main__":
    main()
