"""Places: homes, third places, transitory zones, work and school, online.

Third places (community centre, shared garden, library, café, sports club) are
places people go *for* contact; transitory zones (supermarket, bus stop, train,
park, waiting room) are places people pass through daily (Kremer, Parys &
Verplanke 2019; Oldenburg 1989). Streets are where the neighbours of a block
meet, each resident in their own (Cornwell, Laumann & Schumm 2008). A place's
*affordance* says how much it invites contact, *hosts* are staff or volunteers
who connect people, and *slots* split a day-part into time slots so that
regulars of the 8:10 bus meet each other rather than everyone who passes the
stop that morning (Milgram 1972).

Every neighbourhood gets its own copy of each place table; homes come from
households. All places live in one struct of arrays, `Places`, indexed by place
id: public places first (neighbourhood by neighbourhood), then homes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .parameters import DAY_PARTS, PLACE_KINDS, PLACE_USES

__all__ = ["BASELINE_PLACES", "Places", "build_places", "scaled_places"]

_ALL = list(DAY_PARTS)
_DAYTIME = ["morning", "midday", "afternoon"]

#: The baseline neighbourhood's places (per `population.neighbourhood_size` residents).
#: Numbers are modelling choices sized for a Dutch neighbourhood of ~2,000 residents.
BASELINE_PLACES: dict[str, dict] = {
    "community_centre": dict(kind="third_place", use="leisure", count=1, capacity=80, affordance=0.8, hosts=1,
                             slots=1, notice=4, open=["midday", "afternoon", "evening"], weekend=True),
    "shared_garden": dict(kind="third_place", use="leisure", count=1, capacity=30, affordance=0.7, hosts=0,
                          slots=1, notice=3, open=_DAYTIME, weekend=True),
    "library": dict(kind="third_place", use="leisure", count=1, capacity=60, affordance=0.5, hosts=0,
                    slots=2, notice=3, open=_DAYTIME, weekend=True),
    "sports_club": dict(kind="third_place", use="leisure", count=2, capacity=60, affordance=0.6, hosts=0,
                        slots=1, notice=4, open=["afternoon", "evening"], weekend=True),
    "cafe": dict(kind="third_place", use="leisure", count=2, capacity=40, affordance=0.5, hosts=0,
                 slots=2, notice=3, open=["midday", "afternoon", "evening"], weekend=True),
    "supermarket": dict(kind="transitory", use="errand", count=2, capacity=400, affordance=0.25, hosts=0,
                        slots=8, notice=2, open=_ALL, weekend=True),
    "waiting_room": dict(kind="transitory", use="errand", count=1, capacity=30, affordance=0.3, hosts=0,
                         slots=4, notice=2, open=_DAYTIME, weekend=False),
    "bus_stop": dict(kind="transitory", use="commute", count=4, capacity=200, affordance=0.2, hosts=0,
                     slots=6, notice=2, open=_ALL, weekend=True),
    "train": dict(kind="transitory", use="commute", count=1, capacity=500, affordance=0.1, hosts=0,
                  slots=6, notice=2, open=_ALL, weekend=True),
    "park": dict(kind="transitory", use="outing", count=2, capacity=300, affordance=0.35, hosts=0,
                 slots=4, notice=2, open=_ALL, weekend=True),
    "street": dict(kind="transitory", use="street", count=40, capacity=100, affordance=0.55, hosts=0,
                   slots=1, notice=3, open=_DAYTIME, weekend=True),
    "workplace": dict(kind="work", use="work", count=30, capacity=80, affordance=0.4, hosts=0,
                      slots=1, notice=2, open=_DAYTIME, weekend=False),
    "school": dict(kind="work", use="school", count=2, capacity=400, affordance=0.5, hosts=0,
                   slots=8, notice=3, open=_DAYTIME, weekend=False),
    "neighbourhood_app": dict(kind="online", use="online", count=1, capacity=100_000, affordance=0.4, hosts=0,
                              slots=4, notice=2, open=_ALL, weekend=True),
}

HOME_KIND = PLACE_KINDS.index("home")
HOME_AFFORDANCE = 0.6  # family at home: modelling choice


@dataclass
class Places:
    """All places as arrays indexed by place id (public places, then homes)."""

    names: list[str]              # table name per place type (spec)
    spec: np.ndarray              # int16: index into `names`, -1 for homes
    kind: np.ndarray              # int8: index into PLACE_KINDS
    use: np.ndarray               # int8: index into PLACE_USES, -1 for homes
    neighbourhood: np.ndarray     # int32
    capacity: np.ndarray          # int64
    affordance: np.ndarray        # float64
    hosts: np.ndarray             # int32
    slots: np.ndarray             # int16
    notice: np.ndarray            # int16: others a visitor notices per visit
    open_parts: np.ndarray        # bool (n_places, 4)
    weekend: np.ndarray           # bool
    xy: np.ndarray                # float32 (n_places, 2): map position
    n_public: int

    def __len__(self) -> int:
        return len(self.kind)

    def of_spec(self, name: str) -> np.ndarray:
        """Ids of every copy of the place table `name` (e.g. all community centres)."""
        return np.flatnonzero(self.spec == self.names.index(name))

    def label(self, place: int) -> str:
        """Readable name of one place: 'community_centre', 'bus_stop 3', 'home 17'."""
        if self.spec[place] < 0:
            return f"home {place - self.n_public}"
        same = self.of_spec(self.names[self.spec[place]])
        return self.names[self.spec[place]] + (f" {int(np.searchsorted(same, place)) + 1}" if len(same) > 1 else "")


def scaled_places(place_tables: dict[str, dict], scale: float) -> dict[str, dict]:
    """Place tables for a neighbourhood of `scale` times `population.neighbourhood_size` residents.

    Per-capita results should not depend on the town's size, so a neighbourhood
    of 500 residents does not get the 30 workplaces and 2 supermarkets sized for
    2,000: each place's count scales with the population (rounded, at least one
    where the table has any), and where the count cannot shrink further, its
    time slots do, so a visitor meets about as many others as in the full-size
    neighbourhood. A modelling choice.

    Parameters
    ----------
    place_tables : dict of str to dict
        Place tables by name, each with at least `count` (copies per neighbourhood) and `slots` (time slots
        per day-part), as in `BASELINE_PLACES` or a scenario's `places`.
    scale : float
        The neighbourhood's residents over `population.neighbourhood_size` (> 0; 1 leaves every table as is).

    Returns
    -------
    dict of str to dict
        New tables with `count` and `slots` scaled (a table with count 0 keeps 0); other fields unchanged.

    Examples
    --------
    >>> small = scaled_places(BASELINE_PLACES, 0.25)
    >>> small["workplace"]["count"], small["supermarket"]["count"], small["supermarket"]["slots"]
    (8, 1, 4)
    """
    scaled = {}
    for name, table in place_tables.items():
        count = max(1, int(table["count"] * scale + 0.5)) if table["count"] else 0
        rest = table["count"] * scale / count if count else 1.0  # what the count could not absorb
        slots = max(1, int(table["slots"] * rest + 0.5)) if rest < 1 else table["slots"]
        scaled[name] = {**table, "count": count, "slots": slots}
    return scaled


def build_places(place_tables: dict[str, dict], n_neighbourhoods: int, household_neighbourhood: np.ndarray,
                 rng: np.random.Generator) -> Places:
    """Lay out every neighbourhood's copy of the place tables, then one home per household.

    Parameters
    ----------
    place_tables : dict of str to dict
        One neighbourhood's place tables by name (already scaled, `scaled_places`), with the fields of
        docs/parameters.md (`kind`, `use`, `count`, `capacity`, `affordance`, `hosts`, `slots`, `notice`,
        `open`, `weekend`); laid out in this order.
    n_neighbourhoods : int
        How many neighbourhoods (at least 1); each gets `count` copies of every table.
    household_neighbourhood : numpy.ndarray
        The neighbourhood of each household, indexed by household id: one home per entry.
    rng : numpy.random.Generator
        The town's generator; used only for the places' map positions (`xy`).

    Returns
    -------
    Places
        Public places first (neighbourhood by neighbourhood, in table order), then homes in household
        order, so household h lives in place `n_public + h`. Homes have affordance `HOME_AFFORDANCE`,
        notice 20, one slot, no capacity limit and are always open.

    References
    ----------
    Kremer, M., Parys, A., & Verplanke, L. (2019). *Alledaagse attentheid in een superdiverse wijk*.
    Ben Sajet Centrum, Stichting Actief Burgerschap, Universiteit van Amsterdam.

    Oldenburg, R. (1989). *The Great Good Place*. New York: Paragon House.

    Milgram, S. (1972). The familiar stranger: An aspect of urban anonymity. *The Division 8 Newsletter*,
    Division of Personality and Social Psychology. Washington, DC: American Psychological Association.
    """
    names = list(place_tables)
    per_hood = np.concatenate([np.full(t["count"], i, dtype=np.int16) for i, t in enumerate(place_tables.values())]
                              or [np.zeros(0, np.int16)])
    spec = np.concatenate([np.tile(per_hood, n_neighbourhoods), np.full(len(household_neighbourhood), -1, np.int16)])
    n_public = len(per_hood) * n_neighbourhoods
    public = spec >= 0

    def column(field, home_value, dtype, transform=lambda v: v):
        values = np.array([transform(t[field]) for t in place_tables.values()], dtype=dtype)
        out = np.full((len(spec),) + values.shape[1:], home_value, dtype=dtype)
        out[public] = values[spec[public]]
        return out

    neighbourhood = np.concatenate([np.repeat(np.arange(n_neighbourhoods, dtype=np.int32), len(per_hood)),
                                    household_neighbourhood.astype(np.int32)])
    # Neighbourhoods sit on a square grid of unit cells; places scatter inside their cell.
    side = int(np.ceil(np.sqrt(n_neighbourhoods)))
    corner = np.stack([neighbourhood % side, neighbourhood // side], axis=1)
    xy = (corner + rng.uniform(0.05, 0.95, size=(len(spec), 2))).astype(np.float32)
    return Places(
        names=names,
        spec=spec,
        kind=column("kind", HOME_KIND, np.int8, PLACE_KINDS.index),
        use=column("use", -1, np.int8, PLACE_USES.index),
        neighbourhood=neighbourhood,
        capacity=column("capacity", 10**9, np.int64),
        affordance=column("affordance", HOME_AFFORDANCE, np.float64),
        hosts=column("hosts", 0, np.int32),
        slots=column("slots", 1, np.int16),
        notice=column("notice", 20, np.int16),
        open_parts=column("open", True, bool, lambda parts: [p in parts for p in DAY_PARTS]),
        weekend=column("weekend", True, bool),
        xy=xy,
        n_public=n_public,
    )
