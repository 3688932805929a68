"""Fingerprint every shipped scenario's daily table, to show that a refactoring changed no result.

A fingerprint is a hash of the daily table's integer columns (exact) and of its float columns
rounded to 12 significant digits: equal fingerprints mean the same results, on one machine (a
different CPU may sum floats in another order; see tests/test_interventions.py).

    python tests/data/fingerprints.py [--days 120] > before.txt   # ... change the code ...
    python tests/data/fingerprints.py [--days 120] | diff before.txt -
"""
import argparse
import hashlib

import numpy as np

try:
    from nodding import Scenario, Town
    from nodding.model.scenario import available
except ImportError:  # the code before the import rename (0.1.x)
    from model import Scenario, Town
    from model.scenario import available


def fingerprint(daily) -> str:
    digest = hashlib.sha256()
    for column in daily.columns:
        values = daily[column].to_numpy()
        digest.update(column.encode())
        if np.issubdtype(values.dtype, np.floating):
            values = np.array([float(f"{v:.12g}") for v in values])
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for name in available():
        town = Town(Scenario.named(name), seed=args.seed)
        town.run(days=args.days)
        print(f"{name:28s} {fingerprint(town.daily)}", flush=True)


if __name__ == "__main__":
    main()
