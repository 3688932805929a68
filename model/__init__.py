"""The simulation: residents, places, a day's rules and the town that runs them.

Imported as ``nodding.model`` (the repository's ``model/`` folder). Users import the public
names from the top-level package:

>>> from nodding import Scenario, Town
>>> town = Town(Scenario.named("classroom"), seed=1)
>>> town.run(days=3)
>>> list(town.daily["day"])
[0, 1, 2]

This layer imports nothing above it (`nodding.cli`, `nodding.experiments`, `nodding.dashboards`).
"""

if __name__ != "nodding.model":
    # The repository's model/ folder reached under its old top-level name (`import model` from a
    # checkout's root). Loading it a second time under another name would make two Town classes
    # and a ScenarioError that is not caught: refuse, and say what to import instead.
    raise ImportError("Nodding Terms is imported as `nodding` since version 0.2.0: "
                      "`from nodding import Scenario, Town, ScenarioError` (the simulation's modules are "
                      "`nodding.model.*`)")

from . import kernel_cache  # noqa: E402

kernel_cache.refresh()  # before any kernel is loaded from numba's cache: see model/kernel_cache.py

from .scenario import Scenario, ScenarioError  # noqa: E402

__all__ = ["Scenario", "ScenarioError", "Town"]


def __getattr__(name: str):
    # Town (and with it Mesa and numba, ~1-2 s) loads on first use, so reading a scenario file or
    # printing `nodding --help` does not pay for it (PEP 562).
    if name == "Town":
        from .town import Town
        return Town
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
