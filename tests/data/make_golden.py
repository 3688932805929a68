"""Regenerate the golden baseline table of tests/test_interventions.py (only for a deliberate rule change)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from conftest import small_scenario  # noqa: E402
from nodding import Town  # noqa: E402

town = Town(small_scenario(), seed=1)
town.run(days=30)
town.daily.to_csv(Path(__file__).parent / "baseline_300_seed1_30days.csv", index=False, float_format="%.17g")
