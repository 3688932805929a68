"""The population: residents with ages, living in households, with roles that follow from both.

A town is drawn age first, then housed (a modelling choice that lets a scenario give its
neighbourhood's age mix and share living alone straight from CBS "Kerncijfers wijken en
buurten", docs/population.md):

1. **Ages** from the five CBS age bands (`population.age_0_15` .. `population.age_65_plus`),
   uniform within a band; the 65+ band splits 65-75 / 75-85 / 85-100 as in the Netherlands
   (`OLD_AGE_SPLIT`, CBS StatLine 7461BEV, 2024).
2. **Living alone**: each adult lives alone with a chance that rises and falls with age as
   in the Dutch figures (`ALONE_BY_AGE`: young adults who left home, the widowed old; CBS 2018:
   about a third of people in their 70s and 80s), scaled so that the expected share of all
   residents is `population.share_living_alone` (CBS table 37620, 2024: 18.6%).
3. **Families**: children (under 18, and some young adults still at home, `AT_HOME_BY_AGE`)
   form sibling groups of similar age; each group gets one parent (a single parent, share
   `population.single_parent_share`) or two, about 24 to 36 years older than the eldest child.
4. **Couples**: the remaining adults pair by similar age (couples without children at home,
   older couples); an odd one out lives alone.

Roles follow from age: pupils under 18 (the youngest at day care, a simplification), students
and workers from 18 (`population.employment_rate`), at home, and retired from
`population.retirement_age` (the Dutch state pension age, AOW).

Example
-------
>>> import numpy as np
>>> from nodding.model.scenario import Scenario
>>> people = draw_population(Scenario.default(), 2000, np.random.default_rng(1))
>>> bool((people.age[people.role == 0] < 18).all()), bool(np.all(np.diff(people.household) >= 0))
(True, True)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["AGE_BANDS", "AGE_KEYS", "ALONE_BY_AGE", "AT_HOME_BY_AGE", "OLD_AGE_SPLIT", "Population", "age_band",
           "band_members", "draw_population", "household_sizes", "roles_for"]

#: The CBS "Kerncijfers wijken en buurten" age bands a scenario gives, with their (low, high) ages.
AGE_KEYS = {"population.age_0_15": (0, 15), "population.age_15_25": (15, 25), "population.age_25_45": (25, 45),
            "population.age_45_65": (45, 65), "population.age_65_plus": (65, 100)}
#: How the 65+ band splits (65-75, 75-85, 85-100): CBS StatLine 7461BEV, 1 January 2024 (2.02, 1.21 and
#: 0.38 million of 3.61 million).
OLD_AGE_SPLIT = ((65, 75, 0.56), (75, 85, 0.335), (85, 100, 0.105))
#: The age bands loneliness is reported in (CBS's bands, and "young adults" 18-30): name -> [low, high).
AGE_BANDS = {"15_25": (15, 25), "25_35": (25, 35), "35_45": (35, 45), "45_55": (45, 55), "55_65": (55, 65),
             "65_75": (65, 75), "75_plus": (75, 200), "18_30": (18, 30)}
#: Relative chance of living alone by age (ages from, relative weight), the shape of the Dutch figures:
#: few before 20, a peak among people in their twenties who left home, a trough in the family years,
#: rising with widowhood to about a third in the 70s and 80s and more among the oldest (CBS 2018, "Wie
#: woont alleen?"; CBS StatLine 37620). Scaled per town to `population.share_living_alone`.
ALONE_BY_AGE = ((18, 0.06), (20, 0.16), (25, 0.28), (30, 0.20), (40, 0.14), (50, 0.17), (60, 0.21),
                (70, 0.31), (80, 0.40), (90, 0.55))
#: Chance that a young adult not living alone still lives with a parent, by age (ages from, chance):
#: Dutch young people leave home at 23 on average (CBS 2023, "Jongeren verlaten ouderlijk huis").
AT_HOME_BY_AGE = ((18, 0.9), (20, 0.7), (22, 0.5), (24, 0.3), (26, 0.12), (28, 0.04), (30, 0.0))
#: Sizes of sibling groups living at home (1, 2, 3 children): CBS 2023, families with children at home
#: have 1.8 children on average.
SIBLINGS = (0.40, 0.42, 0.18)


class Population(NamedTuple):
    """Residents numbered household by household (members adjacent, households in random order)."""

    age: np.ndarray          # float64, years
    household: np.ndarray    # int32, 0, 0, 1, 2, 2, 2, ...
    role: np.ndarray         # int8, index into residents.ROLES
    partner: np.ndarray      # int64, the resident's partner in the household, -1 if none
    at_parents: np.ndarray   # bool: a child living with their parent(s) (all under-18s, some young adults)


def step_table(table, age: np.ndarray) -> np.ndarray:
    """The value of a step table ((age from, value), ...) at each age; 0 before the first step."""
    starts = np.array([a for a, _ in table], dtype=float)
    values = np.array([0.0] + [v for _, v in table])
    return values[np.searchsorted(starts, age, side="right")]


def draw_ages(s, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` ages in years from the scenario's age mix (band shares normalised to 1), uniform within a band."""
    bands = [(lo, hi, s[key]) for key, (lo, hi) in AGE_KEYS.items()]
    bands = bands[:-1] + [(lo, hi, s["population.age_65_plus"] * w) for lo, hi, w in OLD_AGE_SPLIT]
    weights = np.array([w for *_, w in bands], dtype=float)
    band = rng.choice(len(bands), size=n, p=weights / weights.sum())
    low, high = np.array([b[0] for b in bands], float), np.array([b[1] for b in bands], float)
    return low[band] + rng.random(n) * (high[band] - low[band])


def living_alone_chance(age: np.ndarray, share: float) -> np.ndarray:
    """Each resident's chance of living alone: `ALONE_BY_AGE` scaled so that the mean over all is `share`.

    Children (under 18) never live alone. The scale is found by bisection (chances capped at 0.95).

    >>> import numpy as np
    >>> age = np.array([10.0, 25.0, 45.0, 80.0])
    >>> chance = living_alone_chance(age, 0.25)
    >>> round(float(chance.mean()), 3), bool(chance[0] == 0), bool(chance[3] > chance[2])
    (0.25, True, True)
    """
    shape = step_table(ALONE_BY_AGE, age)
    if share <= 0 or not shape.any():
        return np.zeros(len(age))
    low, high = 0.0, 1.0
    while np.minimum(shape * high, 0.95).mean() < share and high < 1e6:
        high *= 2
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if np.minimum(shape * mid, 0.95).mean() < share else (low, mid)
    return np.minimum(shape * high, 0.95)


def draw_population(s, n: int, rng: np.random.Generator) -> Population:
    """Draw `n` residents' ages, households and roles (steps 1-4 of the module docstring).

    Parameters
    ----------
    s : Scenario
        Read: the age bands `population.age_0_15` .. `population.age_65_plus`, `population.share_living_alone`,
        `population.single_parent_share`, `population.employment_rate` and `population.retirement_age`.
    n : int
        How many residents (at least 1).
    rng : numpy.random.Generator
        The town's generator.

    Returns
    -------
    Population

    References
    ----------
    CBS StatLine 37620 (2024), Huishoudens; personen naar geslacht, leeftijd en positie in het huishouden.
    CBS (2018), "Wie woont alleen?": a third of people in their 70s and 80s live alone.
    CBS (2023), "Jongeren verlaten ouderlijk huis": on average at 23.
    """
    age = draw_ages(s, n, rng)
    alone = rng.random(n) < living_alone_chance(age, s["population.share_living_alone"])
    still_home = (age < 18) | (~alone & (rng.random(n) < step_table(AT_HOME_BY_AGE, age)) & (age < 30))
    households: list[np.ndarray] = [np.array([i]) for i in np.flatnonzero(alone)]
    pairs: list[tuple[int, int]] = []
    free = np.flatnonzero(~alone & ~still_home)
    free = free[np.argsort(age[free], kind="stable")]
    # families: sibling groups of similar age, each with parents 24-36 years older than the eldest
    kids = np.flatnonzero(still_home)
    kids = kids[np.argsort(age[kids] + rng.normal(0.0, 3.0, len(kids)), kind="stable")]
    sizes = 1 + rng.choice(len(SIBLINGS), size=len(kids), p=SIBLINGS)
    groups = np.split(kids, np.cumsum(sizes)[np.cumsum(sizes) < len(kids)])
    groups = [g for g in groups if len(g)]
    targets = np.array([age[g].max() for g in groups]) + rng.uniform(24.0, 36.0, len(groups))
    order = np.argsort(targets, kind="stable")
    two_parents = rng.random(len(groups)) >= s["population.single_parent_share"]
    taken = np.zeros(len(free), dtype=bool)
    cursor, orphans = 0, []
    for g in order:
        while cursor < len(free) and age[free[cursor]] < targets[g] - 8.0:
            cursor += 1  # too young to be this group's parent: stays free for a couple
        take = free[cursor:cursor + (2 if two_parents[g] else 1)]
        if not len(take) or age[take[0]] > targets[g] + 25.0:
            orphans.append(groups[g])
            continue
        taken[cursor:cursor + len(take)] = True
        cursor += len(take)
        if len(take) == 2:
            pairs.append((take[0], take[1]))
        households.append(np.concatenate([take, groups[g]]))
    # couples among the remaining adults, by similar age; an odd one out lives alone
    free = free[~taken]
    free = free[np.argsort(age[free] + rng.normal(0.0, 2.0, len(free)), kind="stable")]
    for a, b in zip(free[0::2], free[1::2]):
        pairs.append((a, b))
        households.append(np.array([a, b]))
    if len(free) % 2:
        households.append(free[-1:])
    households = _place_orphans(households, orphans, still_home, rng)
    members = [households[k] for k in rng.permutation(len(households))]
    order = np.concatenate(members)
    household = np.repeat(np.arange(len(members), dtype=np.int32), [len(m) for m in members])
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    partner = np.full(n, -1, dtype=np.int64)
    for a, b in pairs:
        partner[position[a]], partner[position[b]] = position[b], position[a]
    age = age[order]
    return Population(age=age, household=household, role=roles_for(age, rng.random(n), s),
                      partner=partner, at_parents=still_home[order])


def _place_orphans(households: list, orphans: list, still_home: np.ndarray, rng: np.random.Generator) -> list:
    """Sibling groups no adult of parental age was left for join a random family (or, in a town with no
    family at all, live together): in a real neighbourhood they would live with a relative."""
    if not orphans:
        return households
    families = [k for k, h in enumerate(households) if still_home[h].any() and not still_home[h].all()]
    households = list(households)
    for g in orphans:
        if families:
            k = families[int(rng.integers(len(families)))]
            households[k] = np.concatenate([households[k], g])
        else:
            households.append(g)
    return households


def roles_for(age: np.ndarray, draw: np.ndarray, s) -> np.ndarray:
    """Roles from age: pupil (child) under 18, retired (senior) from `population.retirement_age`, and in
    between working or studying outside home (worker) with chance `population.employment_rate`
    (`draw` < rate), else at home.

    >>> import numpy as np
    >>> from nodding.model.scenario import Scenario
    >>> roles_for(np.array([8.0, 30.0, 30.0, 70.0]), np.array([0.5, 0.1, 0.9, 0.5]), Scenario.default()).tolist()
    [0, 1, 2, 3]
    """
    from .residents import AT_HOME, CHILD, SENIOR, WORKER

    role = np.where(draw < s["population.employment_rate"], WORKER, AT_HOME).astype(np.int8)
    role[age < 18] = CHILD
    role[age >= s["population.retirement_age"]] = SENIOR
    return role


def household_sizes(household: np.ndarray) -> np.ndarray:
    """Each resident's household size."""
    return np.bincount(household)[household]


def age_band(age: np.ndarray) -> np.ndarray:
    """The CBS age band of each age ("0_15" for children under 15; 18-30 is reported besides, not here).

    >>> import numpy as np
    >>> age_band(np.array([3.0, 16.0, 40.0, 80.0])).tolist()
    ['0_15', '15_25', '35_45', '75_plus']
    """
    names = [name for name in AGE_BANDS if name != "18_30"]
    lows = np.array([AGE_BANDS[name][0] for name in names], float)
    k = np.searchsorted(lows, age, side="right") - 1
    return np.where(k >= 0, np.array(names, dtype=object)[np.maximum(k, 0)], "0_15").astype(str)


def band_members(age: np.ndarray) -> dict[str, np.ndarray]:
    """{band name: boolean array of its members} for every reported band of `AGE_BANDS`."""
    return {name: (age >= low) & (age < high) for name, (low, high) in AGE_BANDS.items()}
