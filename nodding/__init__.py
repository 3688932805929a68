"""Nodding Terms: an agent-based simulation of small everyday interactions and belonging.

The one public import::

    from nodding import Scenario, Town, ScenarioError

>>> from nodding import Scenario, Town
>>> town = Town(Scenario.named("classroom"), seed=1)
>>> town.run(days=2)
>>> len(town.daily)
2

The package has three layers, each importing only those below it:

- ``nodding.model`` (the repository's ``model/`` folder): the simulation itself;
- ``nodding.experiments``, ``nodding.cli``, ``nodding.output``, ...: the application, which runs it;
- ``nodding.dashboards`` (the ``dashboards/`` folder): the Solara dashboard.

The simulation loads on first use of a name (PEP 562), so `nodding --help` and the command
line's one-line error messages do not wait for Mesa and numba.
"""

import importlib

__version__ = "0.2.0"
__all__ = ["Scenario", "ScenarioError", "Town", "__version__"]


def __getattr__(name: str):
    if name in ("Scenario", "ScenarioError", "Town"):
        return getattr(importlib.import_module(".model", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
