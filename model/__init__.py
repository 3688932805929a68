"""Nodding Terms: an agent-based simulation of small everyday interactions and belonging.

>>> from model import Scenario, Town
>>> town = Town(Scenario.named("classroom"), seed=1)
>>> town.run(days=3)
>>> list(town.daily["day"])
[0, 1, 2]
"""

from .scenario import Scenario, ScenarioError
from .town import Town

__all__ = ["Scenario", "ScenarioError", "Town"]
__version__ = "0.1.0"
