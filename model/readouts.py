"""Read-outs: what one can look at in a town, as tables and graphs.

The Town's own read-out methods (`Town.residents_frame`, `Town.tie_graph`, `Town.places_frame`,
`Town.daily`, `Town.events_frame`, `Town.history`) delegate to the functions here. The `Diary`
keeps what has to be written down while the days go by, since it cannot be read off the arrays
afterwards: the event log and the daily state of followed residents.

Example
-------
>>> from nodding import Town
>>> town = Town(scenario="classroom", seed=3)
>>> town.run(days=2)
>>> residents_frame(town).shape[0] == len(town.residents), sorted(town.history()["day"].unique().tolist())
(True, [0, 1])
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .decisions import HELP
from .metrics import loneliness
from .parameters import DAY_PARTS, INTERACTION_LEVELS, PLACE_KINDS, PLACE_USES
from .population import age_band, household_sizes
from .residents import ROLES, living_alone
from .ties import LEVEL_NAMES

__all__ = ["EVENT_COLUMNS", "HISTORY_COLUMNS", "Diary", "daily_frame", "places_frame", "resident_ids",
           "residents_frame", "tie_edges", "tie_graph"]

#: Column types of `Town.events_frame()` and of `Town.history()` (also when nothing is logged yet).
EVENT_COLUMNS = {"day": "int64", "part": "str", "place": "int64", "initiator": "int64", "receiver": "int64",
                 "interaction": "str", "familiarity": "str", "expected": "float64", "welcomed": "bool",
                 "felt_liking": "float64", "helped": "bool"}
HISTORY_COLUMNS = {"day": "int64", "resident": "int64",
                   **dict.fromkeys(("belonging", "felt_belonging", "affect", "fear", "expected_acceptance", "support",
                                    "weak_interactions", "strong_interactions", "rejections"), "float64"),
                   **{f"place_{part}": "int64" for part in DAY_PARTS}}


def daily_frame(datacollector) -> pd.DataFrame:
    """One row per reported day from the town's `DataCollector`, with a `day` column in front.

    Parameters
    ----------
    datacollector : mesa.DataCollector
        The town's collector (one model reporter per column of `metrics.COLUMNS`).

    Returns
    -------
    pandas.DataFrame
    """
    frame = datacollector.get_model_vars_dataframe().reset_index(drop=True)
    frame.insert(0, "day", np.arange(len(frame)))
    return frame


def residents_frame(town) -> pd.DataFrame:
    """One row per resident (array slot): who lives there, traits, state, loneliness, tie counts, groups.

    Columns, in order:

    - ``resident`` (the slot, 0 .. n-1), ``person`` (lifelong id: a newcomer who takes a leaver's slot
      gets a new one, model/life.py), ``name``, ``role``, ``age`` (years, floored to one decimal), ``age_band``
      (`population.age_band`: "0_15", "15_25", ... "75_plus"), ``household``, ``household_size``,
      ``partner`` (lives with a partner), ``arrived`` (the day they moved in; negative: during the warm-up;
      residents drawn with the town have `residents.BEFORE_THE_START`),
      ``neighbourhood``, ``home``;
    - traits and state: ``sociability`` .. ``felt_belonging``, and the two subscale scores
      ``wider_circle`` and ``close_bonds``;
    - loneliness today, read off at the scenario's thresholds (`metrics.loneliness`): ``lonely``,
      ``severely_lonely``, ``socially_lonely``, ``emotionally_lonely``, and ``lasting_lonely`` (lonely on
      more than half of the last `belonging.lasting_days` days, `LonelyDays.lasting`). Flagged for every
      resident, children too: the daily table's shares count adults (18+) or 15+ only;
    - tie counts (``familiar_faces``, ``weak_ties``, ``strong_ties``), ``living_alone``;
    - the group columns `Town.groups()`: per intervention ``target:<name>``, ``participant:<name>``,
      ``regular:<name>`` and ``others:<name>`` (docs/interventions.md, "Who is reached").

    Parameters
    ----------
    town : Town

    Returns
    -------
    pandas.DataFrame
    """
    res = town.residents
    counts = town.ties.counts()
    flags = loneliness(res, town.config)
    return pd.DataFrame({
        "resident": np.arange(len(res)),
        "person": res.person,
        "name": [res.name(i) for i in range(len(res))] if len(res) <= 10_000 else "",
        "role": np.array(ROLES)[res.role],
        "age": np.floor(res.age * 10) / 10,  # floored, so that the shown age agrees with its band
        "age_band": age_band(res.age),
        "household": res.household,
        "household_size": household_sizes(res.household),
        "partner": res.partner >= 0,
        "arrived": res.arrived,
        "neighbourhood": res.neighbourhood,
        "home": town.routines.home,
        **{f: getattr(res, f) for f in ("sociability", "anxiety", "busyness", "mobility", "digital",
                                         "baseline", "belonging", "affect", "expected_acceptance",
                                         "fear", "support", "modeling", "felt_belonging", "wider_circle",
                                         "close_bonds")},
        "lonely": flags["lonely"],
        "severely_lonely": flags["severe"],
        "socially_lonely": flags["social"],
        "emotionally_lonely": flags["emotional"],
        "lasting_lonely": town.lonely_days.lasting(),
        **counts,
        "living_alone": living_alone(res),
        **town.groups(),  # target:<name>, participant:<name>, regular:<name>, others:<name> (model/groups.py)
    })


def tie_edges(town, min_level: str = "familiar_face") -> pd.DataFrame:
    """The tie network as an edge list: one row per pair of residents who know each other.

    Each resident remembers others from their own side (`Ties`); a pair's edge carries the higher
    of the two views. Sorted by `a`, then `b`, with `a < b`. Unlike `tie_graph`, this needs
    memory for the arrays only (about 9 bytes a tie), so it serves towns of millions (written
    as `ties.parquet` by `nodding run`).

    Parameters
    ----------
    town : Town
    min_level : str
        The lowest rung kept as an edge (a name of `ties.LEVEL_NAMES`, not "stranger").

    Returns
    -------
    pandas.DataFrame
        Columns `a`, `b` (resident ids, int32) and `level` (an ordered categorical of rung names).

    Examples
    --------
    >>> from nodding import Scenario, Town
    >>> town = Town(Scenario.named("classroom"), seed=1)
    >>> edges = tie_edges(town, "friend")
    >>> bool((edges["a"] < edges["b"]).all()), str(edges["level"].dtype)
    (True, 'category')
    """
    if min_level not in LEVEL_NAMES[1:]:
        raise ValueError(f"min_level={min_level!r}: must be one of {', '.join(LEVEL_NAMES[1:])}")
    level = town.ties.levels()
    owner, slot = np.nonzero(level >= LEVEL_NAMES.index(min_level))
    other, level = town.ties.other[owner, slot].astype(np.int64), level[owner, slot]
    a, b = np.minimum(owner, other), np.maximum(owner, other)
    pair = a * len(town.residents) + b
    order = np.lexsort((-level.astype(np.int16), pair))  # by pair, the higher view first
    first = np.ones(len(order), dtype=bool)
    first[1:] = pair[order][1:] != pair[order][:-1]
    keep = order[first]
    return pd.DataFrame({
        "a": a[keep].astype(np.int32), "b": b[keep].astype(np.int32),
        "level": pd.Categorical.from_codes(level[keep] - 1, categories=list(LEVEL_NAMES[1:]), ordered=True),
    })


def tie_graph(town, min_level: str = "familiar_face") -> nx.Graph:
    """Residents as nodes, ties as edges with attribute `level` (the higher of the two views).

    Parameters
    ----------
    town : Town
    min_level : str
        The lowest rung drawn as an edge (a name of `ties.LEVEL_NAMES`, not "stranger").

    Returns
    -------
    networkx.Graph
        Built from `tie_edges`; a networkx graph needs ~1 kB a tie: for big towns use `tie_edges`.
    """
    edges = tie_edges(town, min_level)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(town.residents)))
    graph.add_edges_from((int(a), int(b), {"level": level})
                         for a, b, level in zip(edges["a"], edges["b"], edges["level"].astype(str)))
    return graph


def places_frame(town) -> pd.DataFrame:
    """One row per place (public places, then homes): label, kind, use, map position, capacity.

    Parameters
    ----------
    town : Town

    Returns
    -------
    pandas.DataFrame
    """
    p = town.places
    uses = np.array(("home",) + PLACE_USES)
    return pd.DataFrame({
        "place": np.arange(len(p)), "label": [p.label(k) for k in range(len(p))],
        "kind": np.array(PLACE_KINDS)[p.kind], "use": uses[p.use + 1], "neighbourhood": p.neighbourhood,
        "x": p.xy[:, 0], "y": p.xy[:, 1], "capacity": p.capacity, "affordance": p.affordance, "hosts": p.hosts,
    })


def resident_ids(resident_ids, n: int) -> np.ndarray:
    """Whole-number resident ids that exist in a town of `n` (no negative indexing from the end).

    Parameters
    ----------
    resident_ids : int or array-like of int
    n : int
        The number of residents.

    Returns
    -------
    numpy.ndarray of int64
    """
    ids = np.atleast_1d(np.asarray(resident_ids))
    if ids.size and ids.dtype.kind not in "iu":
        raise ValueError(f"resident ids must be whole numbers from 0 to {n - 1} (got {resident_ids!r})")
    bad = ids[(ids < 0) | (ids >= n)] if ids.size else ids
    if bad.size:
        raise IndexError(f"resident {bad[0]} does not exist: this town has residents 0 to {n - 1}")
    return ids.astype(np.int64)


class Diary:
    """What is written down day by day: the event log and the daily state of followed residents.

    Parameters
    ----------
    followed : numpy.ndarray
        Residents whose daily state is recorded from the start.
    """

    def __init__(self, followed: np.ndarray):
        self.followed = followed
        self._events: list[pd.DataFrame] = []
        self._histories: list[pd.DataFrame] = []

    def follow(self, ids: np.ndarray) -> None:
        """Record these residents' daily state from now on, too."""
        self.followed = np.union1d(self.followed, ids)

    def log(self, day: int, part: int, starts, replies, true_liking: float) -> None:
        """Log one day-part's started interactions (`decisions.Starts`) and their answers (`responses.Replies`)."""
        self._events.append(pd.DataFrame({
            "day": day, "part": DAY_PARTS[part], "place": starts.place, "initiator": starts.initiator,
            "receiver": starts.receiver, "interaction": np.array(INTERACTION_LEVELS)[starts.kind],
            "familiarity": np.array(LEVEL_NAMES)[starts.level], "expected": starts.expected,
            "welcomed": replies.welcomed,
            # NaN: not a chat outside the household
            "felt_liking": true_liking - np.where(replies.chat, replies.felt_gap, np.nan),
            "helped": (starts.kind == HELP) & replies.welcomed,
        }))

    def record(self, day: int, residents, tally, whereabouts: np.ndarray) -> None:
        """Write down the followed residents' state at the end of `day` (`tally`: the day's `metrics.DayTally`)."""
        ids = self.followed
        if len(ids) == 0:
            return
        self._histories.append(pd.DataFrame({
            "day": day, "resident": ids,
            **{f: getattr(residents, f)[ids] for f in ("belonging", "felt_belonging", "affect", "fear",
                                                       "expected_acceptance", "support")},
            "weak_interactions": tally.weak_contacts[ids], "strong_interactions": tally.strong_contacts[ids],
            "rejections": tally.rejections[ids],
            **{f"place_{part}": whereabouts[k, ids].astype(np.int64) for k, part in enumerate(DAY_PARTS)},
        }))

    def events_frame(self) -> pd.DataFrame:
        """Every logged interaction, one row each (columns as `EVENT_COLUMNS`)."""
        return _frame(self._events, EVENT_COLUMNS)

    def history(self, resident: int | None = None) -> pd.DataFrame:
        """Followed residents' daily state (one row per resident-day; columns as `HISTORY_COLUMNS`)."""
        frame = _frame(self._histories, HISTORY_COLUMNS)
        if resident is None:
            return frame
        return frame[frame["resident"] == resident].reset_index(drop=True)


def _frame(parts: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    """Concatenate logged frames; with nothing logged, an empty frame with the same typed columns."""
    if parts:
        return pd.concat(parts, ignore_index=True)
    return pd.DataFrame({c: pd.Series(dtype=dtype) for c, dtype in columns.items()})
