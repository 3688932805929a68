"""Residents: traits drawn per scenario and the state that changes day by day.

Everything is a numpy array indexed by resident id (struct of arrays), so each
rule of the day is one vectorised function. `ResidentView` reads one resident
out of the arrays for a teacher or researcher who wants to look at a person.

Traits follow DESIGN.md: sociability ("not everyone is social in the same way",
Movisie pilot report), social anxiety (resting fear of rejection, Sandstrom &
Boothby 2021), busyness (time pressure, a named barrier), mobility, age group,
digital preference and home. State: belonging, positive affect of the day,
expected acceptance (biased low, Epley & Schroeder 2014), fear, perceived
support, and "modeling" -- positive interactions seen recently (Jung et al. 2020).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["AT_HOME", "CHILD", "ROLES", "ResidentView", "Residents", "SENIOR", "WORKER", "draw_residents",
           "living_alone"]

ROLES = ("child", "worker", "at_home", "senior")  # at_home: working age, not employed
CHILD, WORKER, AT_HOME, SENIOR = range(4)

FIRST_NAMES = (
    "Ana", "Bram", "Chloë", "Daan", "Esra", "Finn", "Gijs", "Hanna", "Iris", "Jesse", "Karim", "Lotte",
    "Milan", "Noor", "Olaf", "Priya", "Quinten", "Roos", "Sem", "Tess", "Umut", "Vera", "Wouter", "Xiu",
    "Yara", "Zeynep", "Anouk", "Bilal", "Cas", "Dewi", "Emma", "Fatima", "Guus", "Hidde", "Ilse", "Joris",
    "Kiki", "Luuk", "Mila", "Nadia", "Owen", "Pien", "Ruben", "Sara", "Thijs", "Usha", "Vince", "Wies",
)


def _clipped_normal(rng: np.random.Generator, mean: float, sd: float, n: int) -> np.ndarray:
    return np.clip(rng.normal(mean, sd, n), 0.0, 1.0)


@dataclass
class Residents:
    """Traits and state of all residents, one array per field."""

    # traits (fixed after drawing, except where an intervention changes them)
    role: np.ndarray                # int8, index into ROLES
    household: np.ndarray           # int32
    neighbourhood: np.ndarray       # int32
    sociability: np.ndarray
    anxiety: np.ndarray             # resting fear: where fear creeps back to
    busyness: np.ndarray
    mobility: np.ndarray            # chance of making a planned out-of-home visit
    digital: np.ndarray             # digital preference
    baseline: np.ndarray            # personal baseline belonging
    resting_acceptance: np.ndarray  # where expected acceptance creeps back to
    # state
    belonging: np.ndarray
    affect: np.ndarray
    expected_acceptance: np.ndarray
    fear: np.ndarray
    support: np.ndarray
    modeling: np.ndarray            # recently seen positive interactions, in [0, 1]
    felt_belonging: np.ndarray      # today's felt belonging: the slow score coloured by today's contact

    def __len__(self) -> int:
        return len(self.role)

    def name(self, i: int) -> str:
        """A first name for narration; unique within small towns."""
        base = FIRST_NAMES[i % len(FIRST_NAMES)]
        return base if i < len(FIRST_NAMES) else f"{base} {i // len(FIRST_NAMES) + 1}"


def neighbourhood_count(n: int, neighbourhood_size: int) -> int:
    """How many equal neighbourhoods `n` residents form: the nearest whole number, at least one.

    Equal neighbourhoods (rather than full ones plus a remainder) let every
    neighbourhood have the same places, scaled to its population (`places.scaled_places`).

    >>> neighbourhood_count(500, 2000), neighbourhood_count(3000, 2000), neighbourhood_count(100_000, 2000)
    (1, 2, 50)
    """
    return max(1, int(n / neighbourhood_size + 0.5))


def draw_residents(s, n: int, rng: np.random.Generator) -> Residents:
    """Draw `n` residents' traits and initial state from scenario `s`.

    Parameters
    ----------
    s : Scenario
        Read: `population.household_size`, `population.neighbourhood_size`, `population.share_children`,
        `population.share_seniors`, `population.employment_rate`, the `traits.*` means, spreads and
        low-mobility fields, `learning.prior_acceptance`, `learning.prior_sd`, `belonging.baseline_mean`
        and `belonging.baseline_sd`.
    n : int
        How many residents (`population.size`, at least 2).
    rng : numpy.random.Generator
        The town's generator.

    Returns
    -------
    Residents
        `n` residents numbered household by household, in equal neighbourhoods of consecutive residents (a household
        never split). Traits are normal draws clipped to [0, 1] (mobility is 1 or `traits.low_mobility`); fear
        starts at anxiety, expected acceptance at the resting one, belonging and felt belonging at the baseline,
        affect at 0.5, support and modeling at 0 (the town then sets support and belonging from the seeded ties).

    References
    ----------
    Movisie (n.d.). Wat is het effect van alledaagse kleine interacties? Pilots in Amsterdam en Enschede
    (J. W. van de Maat & M. Talma). Seed 001. (Cited in the code as "Movisie pilot report 2023".)

    Sandstrom, G. M., & Boothby, E. J. (2021). Why do people avoid talking to strangers? A mini
    meta-analysis of predicted fears and actual experiences talking to a stranger. *Self and Identity*,
    20(1), 47-71. https://doi.org/10.1080/15298868.2020.1816568

    Epley, N., & Schroeder, J. (2014). Mistakenly seeking solitude. *Journal of Experimental Psychology:
    General*, 143(5), 1980-1999. https://doi.org/10.1037/a0037323

    Jung, H. et al. (2020). Prosocial modeling: A meta-analytic review and synthesis. *Psychological
    Bulletin*, 146(8), 635-663.
    """
    household = _households(n, s["population.household_size"], rng)
    neighbourhood = (np.arange(n) * neighbourhood_count(n, s["population.neighbourhood_size"]) // n).astype(np.int32)
    neighbourhood = neighbourhood[np.searchsorted(household, household)]  # a household lives in one neighbourhood
    role = _roles(n, s, rng)
    low_mobility = rng.random(n) < s["traits.low_mobility_share"]
    anxiety = _clipped_normal(rng, s["traits.anxiety_mean"], s["traits.anxiety_sd"], n)
    acceptance = _clipped_normal(rng, s["learning.prior_acceptance"], s["learning.prior_sd"], n)
    baseline = _clipped_normal(rng, s["belonging.baseline_mean"], s["belonging.baseline_sd"], n)
    return Residents(
        role=role,
        household=household,
        neighbourhood=neighbourhood,
        sociability=_clipped_normal(rng, s["traits.sociability_mean"], s["traits.sociability_sd"], n),
        anxiety=anxiety,
        busyness=_clipped_normal(rng, s["traits.busyness_mean"], s["traits.busyness_sd"], n),
        mobility=np.where(low_mobility, s["traits.low_mobility"], 1.0),
        digital=_clipped_normal(rng, s["traits.digital_preference_mean"], s["traits.digital_preference_sd"], n),
        baseline=baseline,
        resting_acceptance=acceptance,
        belonging=baseline.copy(),
        affect=np.full(n, 0.5),
        expected_acceptance=acceptance.copy(),
        fear=anxiety.copy(),
        support=np.zeros(n),
        modeling=np.zeros(n),
        felt_belonging=baseline.copy(),
    )


def _households(n: int, mean_size: float, rng: np.random.Generator) -> np.ndarray:
    """Household id per resident; sizes are 1 + Poisson(mean - 1), members adjacent."""
    sizes = 1 + rng.poisson(mean_size - 1, size=n)
    starts = np.cumsum(sizes) - sizes
    n_households = int(np.searchsorted(starts, n))
    household = np.zeros(n, dtype=np.int32)
    household[starts[1:n_households]] = 1
    return np.cumsum(household, dtype=np.int32)


def _roles(n: int, s, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(n)
    children, seniors = s["population.share_children"], s["population.share_seniors"]
    working_age = u >= children + seniors
    employed = rng.random(n) < s["population.employment_rate"]
    role = np.where(u < children, CHILD, SENIOR).astype(np.int8)
    role[working_age] = np.where(employed[working_age], WORKER, AT_HOME)
    return role


class ResidentView:
    """One resident, read live from the town's arrays.

    >>> from nodding import Town
    >>> town = Town(scenario="classroom", seed=1)
    >>> ana = town.resident(0)
    >>> ana.name, 0.0 <= ana.belonging <= 1.0
    ('Ana', True)
    """

    _FIELDS = ("sociability", "anxiety", "busyness", "mobility", "digital", "baseline", "belonging",
               "affect", "expected_acceptance", "fear", "support", "modeling", "felt_belonging")

    def __init__(self, town, resident_id: int):
        self._town = town
        self.id = int(resident_id)

    def __getattr__(self, field: str):
        if field in ResidentView._FIELDS:
            return float(getattr(self._town.residents, field)[self.id])
        raise AttributeError(field)

    @property
    def name(self) -> str:
        return self._town.residents.name(self.id)

    @property
    def role(self) -> str:
        return ROLES[self._town.residents.role[self.id]]

    def ties(self):
        """This resident's remembered others: a DataFrame with level, familiarity, rapport, liking gap."""
        return self._town.ties.frame_of(self.id)

    def history(self):
        """Daily trajectory of this resident (recorded when the town follows them)."""
        return self._town.history(self.id)

    def __repr__(self) -> str:
        return f"<Resident {self.id} {self.name} ({self.role}) belonging={self.belonging:.2f} fear={self.fear:.2f}>"


def living_alone(residents: Residents) -> np.ndarray:
    """Whether each resident lives alone: a household of one, children left out.

    Roles are drawn independently of households, so a few one-person households hold a "child";
    they are not counted (docs/interventions.md, "Who is reached").

    Parameters
    ----------
    residents : Residents

    Returns
    -------
    numpy.ndarray of bool
    """
    return (np.bincount(residents.household)[residents.household] == 1) & (residents.role != CHILD)
