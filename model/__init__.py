"""Nodding Terms: an agent-based simulation of small everyday interactions and belonging.

>>> from model import Scenario, Town
>>> town = Town(Scenario.named("classroom"), seed=1)
>>> town.run(days=3)
>>> list(town.daily["day"])
[0, 1, 2]
"""

from . import kernel_cache

kernel_cache.refresh()  # before any kernel is loaded from numba's cache: see model/kernel_cache.py

from .scenario import Scenario, ScenarioError  # noqa: E402
from .town import Town  # noqa: E402

__all__ = ["Scenario", "ScenarioError", "Town"]
__version__ = "0.1.0"
