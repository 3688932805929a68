#!/usr/bin/env python
"""Before/after measurements of a Nodding Terms town (default "baseline" scenario).

For each seed: build the town, run one day and record it as "day 0", run on to day
`days - 1` (default 364) and record again.  Prints per-seed values and the mean over seeds.

Works on the current code (roles only) and on a later version where residents may carry
`age` (years) and `person` (id) arrays:
  * with `age`: adults = age >= 18, seniors = age >= 75, children = age < 18;
    otherwise adults = role != 0, seniors = role == 3, children = role == 0.
  * with `person`: the day-0 vs last-day comparisons (rank correlation and the lonely
    transitions) are restricted to slots holding the same person on both days.

Usage: python measure_table.py --seeds 7,8,9 --days 365 [--scenario baseline]
"""
import argparse

import numpy as np
from scipy import stats

from nodding import Town


def snapshot(town):
    r = town.residents
    snap = {}
    for name in ("belonging", "baseline", "role", "household", "age", "person"):
        arr = getattr(r, name, None)
        if arr is not None:
            snap[name] = np.array(arr, copy=True)
    hh = snap["household"].astype(np.int64)
    snap["hh_size"] = np.bincount(hh)[hh]
    try:
        from nodding.model.residents import living_alone
        snap["living_alone_fn"] = np.asarray(living_alone(r), dtype=bool).copy()
    except Exception:  # noqa: BLE001
        snap["living_alone_fn"] = None
    return snap


def groups(s):
    if "age" in s:
        age = s["age"]
        return age >= 18, age >= 75, age < 18
    role = s["role"]
    return role != 0, role == 3, role == 0


def measure(seed, days, scenario):
    town = Town(scenario=scenario, seed=seed)
    thr = float(town.config["belonging.lonely_below"])
    town.run(days=1)
    s0 = snapshot(town)
    town.run(days=days - 1)
    s1 = snapshot(town)

    adult0, _, _ = groups(s0)
    adult1, senior1, child1 = groups(s1)

    # slots comparable across the two days
    if "person" in s0 and "person" in s1 and len(s0["person"]) == len(s1["person"]):
        same = s0["person"] == s1["person"]
    elif len(s0["belonging"]) == len(s1["belonging"]):
        same = np.ones(len(s0["belonging"]), dtype=bool)
    else:
        same = None  # population size changed and no ids: cannot pair

    meta = {"uses_age": "age" in s1, "uses_person": "person" in s0 and "person" in s1}
    out = {"n_residents": len(s1["belonging"]), "lonely_below": thr}
    if same is not None:
        pair = same & adult0 & adult1
        out["n_paired_adults"] = int(pair.sum())
        out["spearman_b0_b364"] = stats.spearmanr(s0["belonging"][pair], s1["belonging"][pair]).statistic
        l0 = s0["belonging"][pair] < thr
        l1 = s1["belonging"][pair] < thr
        out["still_lonely_given_lonely0"] = l1[l0].mean() if l0.any() else np.nan
        out["lonely_given_not_lonely0"] = l1[~l0].mean() if (~l0).any() else np.nan
        out["n_became_lonely"] = int((~l0 & l1).sum())
        out["n_stopped_lonely"] = int((l0 & ~l1).sum())
    out["pearson_b364_baseline"] = stats.pearsonr(s1["belonging"][adult1], s1["baseline"][adult1]).statistic
    alone1 = s1["hh_size"] == 1
    out["children_alone_share"] = alone1[child1].mean() if child1.any() else np.nan
    out["seniors_alone_share"] = alone1[senior1].mean() if senior1.any() else np.nan
    out["all_alone_share"] = alone1.mean()
    if s1["living_alone_fn"] is not None:
        out["living_alone_fn_share"] = s1["living_alone_fn"].mean()
    out["lonely_share_adults_day0"] = (s0["belonging"][adult0] < thr).mean()
    out[f"lonely_share_adults_day{days - 1}"] = (s1["belonging"][adult1] < thr).mean()
    out["mean_belonging_adults_day0"] = s0["belonging"][adult0].mean()
    out[f"mean_belonging_adults_day{days - 1}"] = s1["belonging"][adult1].mean()
    return out, meta


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="7,8,9")
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--scenario", default="baseline")
    a = ap.parse_args()
    seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
    rows, metas = {}, {}
    for seed in seeds:
        rows[seed], metas[seed] = measure(seed, a.days, a.scenario)
    keys = []
    for r in rows.values():
        keys += [k for k in r if k not in keys]
    print(f"scenario={a.scenario} days={a.days} (day 0 = after the first day, last = day {a.days - 1})")
    print("definitions: adults/seniors/children by " + ("age (>=18 / >=75 / <18)" if metas[seeds[0]]["uses_age"]
          else "role (!=0 / ==3 / ==0)") + ("; day-0 vs last-day pairs restricted to same `person`"
          if metas[seeds[0]]["uses_person"] else "; slots paired by index (no `person` ids)")
          + "; lonely = belonging < belonging.lonely_below; alone = household of size 1 (last day);"
          + " living_alone_fn = nodding.model.residents.living_alone (excludes children)")
    header = f"{'measure':34s}" + "".join(f"{'seed ' + str(s):>12s}" for s in seeds) + f"{'mean':>12s}"
    print(header)
    print("-" * len(header))
    for k in keys:
        vals = [rows[s].get(k, np.nan) for s in seeds]
        mean = float(np.nanmean(vals)) if not all(np.isnan(v) for v in vals) else np.nan
        fmt = (lambda v: f"{v:12d}") if all(isinstance(v, (int, np.integer)) for v in vals) else (lambda v: f"{v:12.4f}")
        print(f"{k:34s}" + "".join(fmt(v) for v in vals) + f"{mean:12.4f}")


if __name__ == "__main__":
    main()
