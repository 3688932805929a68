"""Life events: residents grow older, leave school, retire, leave home, move away, die; newcomers move in.

Loneliness "comes and goes" with changes in network and health (Dykstra, van Tilburg & de Jong
Gierveld 2005, LASA); in the model a resident's contacts and ties change when their life does.
Each day, in this order:

* **Ageing** (reported days only: the ages a scenario gives are the ages on day 0). A pupil who turns
  18 leaves school: they study or work (`population.employment_rate`) or stay home; a resident who
  reaches `population.retirement_age` retires. Their regular places are re-drawn for the new role.
* **Moving away**: a household leaves the neighbourhood at `life.moving_rate` per person per year
  (CBS: 9.7% of people moved in 2023), young households more often (`MOVING_BY_AGE`).
* **Leaving home**: a young adult living with their parents leaves (and, in the model, leaves the
  neighbourhood) at `life.leaving_home_rate` per year from 18 (CBS 2021: on average at 23.7).
* **Dying**: residents from 65 die at the age-specific rates of the Dutch life table (`MORTALITY`); a
  partner left behind now lives alone (widowhood).

Everyone who leaves is replaced at once by a newcomer of the same age (a modelling choice that
keeps the town's size and age mix as the scenario gave them): a household that moves away by a
household like it, a single leaver by a newcomer living alone in a home of their own. Newcomers get
new person ids, new traits and routines, and no local ties but their household's (`ties.forget`
removes every memory of those who left). All events are drawn from the counter-based streams keyed
by person id and day (model/randomness.py), independent of anything an intervention changes: paired
runs see the same people come and go on the same days.

References
----------
Dykstra, P. A., van Tilburg, T. G., & de Jong Gierveld, J. (2005). Changes in older adult loneliness:
Results from a seven-year longitudinal study. *Research on Aging*, 27(6), 725-747.
CBS (2021). Leeftijd bij uit huis gaan in 2020 licht gedaald (average age 23.7).
CBS (2024). Verhuisd in 2023: 1.73 million people, 9.7% of the population.
CBS StatLine 37360, Levensduurtabel 2023 (one-year probabilities of dying by age).
"""

from __future__ import annotations

import numpy as np

from .belonging import perceived_support, starting_belonging
from .population import ALONE_BY_AGE, living_alone_chance, roles_for, step_table
from .residents import draw_traits, starting_state
from .routines import STREET, redraw

__all__ = ["MORTALITY", "MOVING_BY_AGE", "Life", "daily_chance"]

#: Relative chance that a household moves away, by the age of its eldest member (ages from, weight):
#: moving peaks in the twenties and is rare among the old (CBS: over a quarter of 25-year-olds moved in
#: 2023, against 9.7% of everyone). Scaled per town to `life.moving_rate`. The shape is a modelling choice.
MOVING_BY_AGE = ((0, 3.0), (30, 1.3), (45, 0.6), (65, 0.4), (80, 0.5))
#: One-year probability of dying by age (ages from, probability), Dutch life table 2023 (CBS StatLine
#: 37360; 0.0069 at 61 and 0.057 at 81 for men), rounded and shared by both sexes (a modelling choice).
MORTALITY = ((65, 0.011), (70, 0.017), (75, 0.029), (80, 0.052), (85, 0.10), (90, 0.19), (95, 0.32))


def daily_chance(per_year: np.ndarray | float, speed: float = 1.0) -> np.ndarray:
    """The chance of an event today, for a rate per year (a warm-up day stands for `speed` days).

    >>> round(float(daily_chance(0.1)) * 365, 3)
    0.1
    """
    return -np.expm1(-np.asarray(per_year, dtype=float) * speed / 365.0)


class Life:
    """The life events of one town: who leaves today, and the newcomers who take their places."""

    def __init__(self, town):
        res = town.residents
        self.next_person = int(res.person.max()) + 1
        # the moving shape is scaled by its mean at the start, so that the share of people moving away per year
        # is `life.moving_rate`
        self.moving_norm = max(float(self._moving_shape(res).mean()), 1e-12)
        # the scale of the chance of living alone by age in this town (`population.living_alone_chance`)
        shape = step_table(ALONE_BY_AGE, res.age)
        chance = living_alone_chance(res.age, town.config["population.share_living_alone"])
        self.alone_scale = float((chance[shape > 0] / shape[shape > 0]).max()) if (shape > 0).any() else 0.0

    @staticmethod
    def _moving_shape(res) -> np.ndarray:
        eldest = np.zeros(res.household.max() + 1)
        np.maximum.at(eldest, res.household, res.age)
        return step_table(MOVING_BY_AGE, eldest[res.household])

    def live(self, town, draws, record: bool, speed: float) -> np.ndarray:
        """Today's life events (module docstring); returns the slots that got a newcomer today."""
        res, s = town.residents, town.config
        if record:
            self._grow_older(town, draws)
        who = res.person
        # the warm-up's scenario has the rates already sped up (model/warmup.py); the life table needs `speed`
        moving = draws.uniform("move", self._household_key(town)) < daily_chance(
            s["life.moving_rate"] * self._moving_shape(res) / self.moving_norm)
        leaving = res.at_parents & (res.age >= 18) & (draws.uniform("leave_home", who) < daily_chance(
            s["life.leaving_home_rate"])) & ~moving
        dying = (draws.uniform("death", who) < daily_chance(-np.log1p(-step_table(MORTALITY, res.age)), speed)) & ~moving
        households = np.flatnonzero(moving)
        singles = np.flatnonzero(leaving | dying)
        if not len(households) and not len(singles):
            return np.zeros(0, dtype=np.int64)
        partners = res.partner[singles]
        res.partner[partners[partners >= 0]] = -1  # widowed
        res.partner[singles] = -1
        gone = np.sort(np.concatenate([households, singles]))
        self._move_in(town, gone, np.isin(gone, singles), draws)
        return gone

    @staticmethod
    def _household_key(town) -> np.ndarray:
        """Per resident, the smallest person id in their household: a household's draw is keyed by it, so it
        is the same in every run of the seed whatever the household's index."""
        res = town.residents
        key = np.full(len(res), np.iinfo(np.int64).max)
        np.minimum.at(key, res.household, res.person)
        return key[res.household]

    def _grow_older(self, town, draws) -> None:
        """One day older; leaving school at 18 and retiring change a resident's role and regular places."""
        res, s = town.residents, town.config
        before = res.age.copy()
        res.age += 1.0 / 365.0
        turned = np.flatnonzero(((before < 18) & (res.age >= 18))
                                | ((before < s["population.retirement_age"]) & (res.age >= s["population.retirement_age"])))
        if len(turned):
            res.role[turned] = roles_for(res.age[turned], draws.uniform("role", res.person[turned]), s)
            redraw(town.routines, turned, res, town.places, s, draws)

    def _move_in(self, town, slots: np.ndarray, single: np.ndarray, draws) -> None:
        """Newcomers take the slots: new ids, traits and routines, no local ties but their household's.

        A household that moved away is replaced by one of the same ages and make-up. A single leaver (a
        young adult who left home, someone who died) is replaced by a newcomer of the same age, who lives
        alone with the chance of their age in this town (`population.living_alone_chance`) or else moves
        in with the resident living alone nearest in age (a couple forms). Without couples forming,
        widowhood would only ever add to the residents living alone. Both keep the town's age mix and
        household make-up near what the scenario gave; both are modelling choices (docs/population.md).
        """
        res, s = town.residents, town.config
        person = np.arange(self.next_person, self.next_person + len(slots), dtype=np.int64)
        self.next_person += len(slots)
        res.person[slots] = person
        res.arrived[slots] = town.day
        town.ties.forget(slots)
        for iv in town.interventions:
            iv.forget(slots)
        res.at_parents[slots[single]] = False
        self._house(town, slots[single], draws.uniform("newcomer_alone", person[single]))
        traits = draw_traits(s, res.age[slots], lambda purpose: draws.normal(f"newcomer_{purpose}", person),
                             lambda purpose: draws.uniform(f"newcomer_{purpose}", person))
        state = starting_state(traits, s["belonging.drift_sd"] * draws.normal("newcomer_drift", person))
        for field, values in {**traits, **state}.items():
            getattr(res, field)[slots] = values
        res.role[slots] = roles_for(res.age[slots], draws.uniform("role", person), s)
        a, b = _family_pairs(res.household, slots)
        town.ties.make_strong(a, b)
        redraw(town.routines, slots, res, town.places, s, draws)
        family = np.bincount(res.household, minlength=len(res))[res.household[slots]] - 1
        res.support[slots] = perceived_support(family, np.zeros(len(slots)), s)
        res.belonging[slots] = res.felt_belonging[slots] = starting_belonging(res, s)[slots]

    def _house(self, town, newcomers: np.ndarray, draw: np.ndarray) -> None:
        """Homes for single newcomers (`_move_in`): alone in a free home, or with a resident living alone."""
        res = town.residents
        alone_chance = np.minimum(step_table(ALONE_BY_AGE, res.age[newcomers]) * self.alone_scale, 0.95)
        for i, u, chance in zip(newcomers, draw, alone_chance):
            size = np.bincount(res.household, minlength=len(res))
            single = (size[res.household] == 1) & (res.age >= 18) & (res.arrived != town.day)
            if u >= chance and single.any():
                mate = int(np.flatnonzero(single)[np.argmin(np.abs(res.age[single] - res.age[i]))])
                res.household[i], res.partner[i], res.partner[mate] = res.household[mate], mate, i
                # they live where the partner lives: neighbourhood and street (routines.redraw keeps the street)
                res.neighbourhood[i] = res.neighbourhood[mate]
                town.routines.anchor[i, STREET] = town.routines.anchor[mate, STREET]
                continue
            if size[res.household[i]] > 1:  # the leaver shared a home: the newcomer gets one of their own
                home = int(np.flatnonzero(size == 0)[0]) if (size == 0).any() else res.household[i]
                res.household[i] = home
                town.places.neighbourhood[town.places.n_public + home] = res.neighbourhood[i]


def _family_pairs(household: np.ndarray, newcomers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of household members with at least one newcomer in it, once each: their family ties."""
    is_new = np.zeros(len(household), dtype=bool)
    is_new[newcomers] = True
    a, b = [], []
    for i in newcomers:
        members = np.flatnonzero(household == household[i])
        members = members[(members > i) | ~is_new[members]]
        a.extend([i] * len(members))
        b.extend(members.tolist())
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
