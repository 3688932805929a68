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

from .population import draw_population

__all__ = ["AT_HOME", "BEFORE_THE_START", "CHILD", "ROLES", "ResidentView", "Residents", "SENIOR", "WORKER", "draw_residents",
           "living_alone"]

#: `Residents.arrived` of the residents drawn with the town (a newcomer's is the day they moved in; warm-up
#: days are negative)
BEFORE_THE_START = -1_000_000
ROLES = ("child", "worker", "at_home", "senior")  # at_home: working age, not employed
CHILD, WORKER, AT_HOME, SENIOR = range(4)

FIRST_NAMES = (
    "Ana", "Bram", "Chloë", "Daan", "Esra", "Finn", "Gijs", "Hanna", "Iris", "Jesse", "Karim", "Lotte",
    "Milan", "Noor", "Olaf", "Priya", "Quinten", "Roos", "Sem", "Tess", "Umut", "Vera", "Wouter", "Xiu",
    "Yara", "Zeynep", "Anouk", "Bilal", "Cas", "Dewi", "Emma", "Fatima", "Guus", "Hidde", "Ilse", "Joris",
    "Kiki", "Luuk", "Mila", "Nadia", "Owen", "Pien", "Ruben", "Sara", "Thijs", "Usha", "Vince", "Wies",
)


@dataclass
class Residents:
    """Traits and state of all residents, one array per field."""

    # who they are: a lifelong id, age and household (changed by life events, model/life.py)
    person: np.ndarray              # int64: one id per person for life; a newcomer gets a new one
    age: np.ndarray                 # float64, years
    role: np.ndarray                # int8, index into ROLES
    household: np.ndarray           # int32
    partner: np.ndarray             # int64: the resident's partner in the household, -1 if none
    at_parents: np.ndarray          # bool: a child living with their parent(s)
    arrived: np.ndarray             # int64: the day the resident moved in (BEFORE_THE_START: drawn with the town)
    # traits (fixed after drawing, except where an intervention changes them)
    neighbourhood: np.ndarray       # int32
    sociability: np.ndarray
    anxiety: np.ndarray             # resting fear: where fear creeps back to
    busyness: np.ndarray
    mobility: np.ndarray            # chance of making a planned out-of-home visit
    digital: np.ndarray             # digital preference
    baseline: np.ndarray            # personal baseline belonging: the stable (heritable) part of the set point
    resting_acceptance: np.ndarray  # where expected acceptance creeps back to
    # state
    belonging: np.ndarray
    affect: np.ndarray
    expected_acceptance: np.ndarray
    fear: np.ndarray
    support: np.ndarray
    modeling: np.ndarray            # recently seen positive interactions, in [0, 1]
    felt_belonging: np.ndarray      # today's felt belonging: the slow score coloured by today's contact
    drift: np.ndarray               # the set point's drifting part: life outside the model (belonging.drift_set_point)
    wider_circle: np.ndarray        # slow score of the wider circle (weak ties): social loneliness's opposite
    close_bonds: np.ndarray         # slow score of close bonds (strong ties, a partner): emotional loneliness's opposite

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
    """Draw `n` residents: ages and households (`population.draw_population`), then traits and initial state.

    Parameters
    ----------
    s : Scenario
        Read: the `population.*` fields, the `traits.*` means, spreads, age shifts and low-mobility fields,
        `learning.prior_acceptance`, `learning.prior_sd`, `belonging.baseline_mean`, `belonging.baseline_sd`
        and `belonging.drift_sd`.
    n : int
        How many residents (`population.size`, at least 2).
    rng : numpy.random.Generator
        The town's generator.

    Returns
    -------
    Residents
        `n` residents numbered household by household, in equal neighbourhoods of consecutive residents (a household
        never split); person ids 0 .. n-1. Traits as `draw_traits`; state as `starting_state`, with the set point's
        drift drawn from its long-run spread (the town then sets support and belonging from the seeded ties).
    """
    people = draw_population(s, n, rng)
    neighbourhood = (np.arange(n) * neighbourhood_count(n, s["population.neighbourhood_size"]) // n).astype(np.int32)
    neighbourhood = neighbourhood[np.searchsorted(people.household, people.household)]  # a household lives in one
    traits = draw_traits(s, people.age, lambda purpose: rng.standard_normal(n), lambda purpose: rng.random(n))
    return Residents(person=np.arange(n, dtype=np.int64), age=people.age, role=people.role,
                     household=people.household, partner=people.partner, at_parents=people.at_parents,
                     arrived=np.full(n, BEFORE_THE_START, dtype=np.int64), neighbourhood=neighbourhood,
                     **traits, **starting_state(traits, drift=s["belonging.drift_sd"] * rng.standard_normal(n)))


def draw_traits(s, age: np.ndarray, normal, uniform) -> dict[str, np.ndarray]:
    """Personal traits of residents of these ages, from standard normal and uniform draws.

    Each trait is a normal draw around the scenario's mean, clipped to [0, 1]; mobility is 1, or
    `traits.low_mobility` for the share with low mobility. Where the literature says a trait varies
    with age, the mean (or share) does:

    * social anxiety is higher among young adults (16-29: + `traits.anxiety_young_adults`; Jefferies
      & Ungar 2020: 36% of 16-29-year-olds over the SIAS threshold; seed 002, de la Serna 2025:
      more than a third of young people);
    * the oldest (75+) are the least digital (+ `traits.digital_oldest`, negative; seed 004, De
      Witte: the most vulnerable are the least digital);
    * low mobility is more common from 75 (`traits.low_mobility_share_75_plus`).

    Parameters
    ----------
    s : Scenario
    age : numpy.ndarray
        Years, one per resident.
    normal, uniform : callable
        ``normal(purpose)`` gives one standard normal draw per resident, ``uniform(purpose)`` one draw in
        [0, 1): the town's generator when the town is built, the counter-based draws keyed by person id
        for a newcomer (`life.move_in`).

    Returns
    -------
    dict
        sociability, anxiety, busyness, mobility, digital, baseline, resting_acceptance: arrays like `age`.

    References
    ----------
    Movisie (n.d.). Wat is het effect van alledaagse kleine interacties? Pilots in Amsterdam en Enschede. Seed 001.
    Sandstrom, G. M., & Boothby, E. J. (2021). Why do people avoid talking to strangers? *Self and Identity*, 20(1).
    Jefferies, P., & Ungar, M. (2020). Social anxiety in young people: A prevalence study in seven countries.
    *PLoS ONE*, 15(9), e0239133.
    Epley, N., & Schroeder, J. (2014). Mistakenly seeking solitude. *JEP: General*, 143(5), 1980-1999.
    """
    def trait(name: str, mean) -> np.ndarray:
        return np.clip(mean + s[f"traits.{name}_sd"] * normal(name), 0.0, 1.0)

    young, oldest = (age >= 16) & (age < 30), age >= 75
    low_share = np.where(oldest, s["traits.low_mobility_share_75_plus"], s["traits.low_mobility_share"])
    return {
        "sociability": trait("sociability", s["traits.sociability_mean"]),
        "anxiety": trait("anxiety", s["traits.anxiety_mean"] + s["traits.anxiety_young_adults"] * young),
        "busyness": trait("busyness", s["traits.busyness_mean"]),
        "mobility": np.where(uniform("mobility") < low_share, s["traits.low_mobility"], 1.0),
        "digital": trait("digital_preference", s["traits.digital_preference_mean"] + s["traits.digital_oldest"] * oldest),
        "baseline": np.clip(s["belonging.baseline_mean"] + s["belonging.baseline_sd"] * normal("baseline"), 0.0, 1.0),
        "resting_acceptance": np.clip(s["learning.prior_acceptance"] + s["learning.prior_sd"] * normal("acceptance"),
                                      0.0, 1.0),
    }


def starting_state(traits: dict[str, np.ndarray], drift: np.ndarray) -> dict[str, np.ndarray]:
    """A new resident's state: fear at their anxiety, expectations at rest, belonging at the baseline, no
    support or modeling yet (the town, or the move, then sets belonging from the ties they have)."""
    n = len(traits["baseline"])
    return {"belonging": traits["baseline"].copy(), "affect": np.full(n, 0.5),
            "expected_acceptance": traits["resting_acceptance"].copy(), "fear": traits["anxiety"].copy(),
            "support": np.zeros(n), "modeling": np.zeros(n), "felt_belonging": traits["baseline"].copy(),
            "drift": drift, "wider_circle": np.full(n, 0.5), "close_bonds": np.full(n, 0.5)}


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

    Children never live alone (model/population.py); the rule leaves them out all the same
    (docs/interventions.md, "Who is reached").

    Parameters
    ----------
    residents : Residents

    Returns
    -------
    numpy.ndarray of bool
    """
    return (np.bincount(residents.household)[residents.household] == 1) & (residents.role != CHILD)
