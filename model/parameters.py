"""Every tunable number in the model: default, allowed range, reason and source.

This table is the single place parameters are declared. The scenario loader
(`model.scenario`) validates files against it, `docs/parameters.md` is generated
from it (`make docs`), and sweeps vary the
same dotted paths (`population.size`, `decisions.fear_weight`, ...).

Where a value is ours and not the literature's, `source` says
"modelling choice" and `reason` says why it is plausible.

Scales: traits, fear, expected acceptance, belonging and affect live on [0, 1].
Propensities are logits (log-odds); a weight of 1 moves the odds of starting an
interaction by a factor e ≈ 2.7.

Example
-------
>>> PARAMETERS["learning.prior_acceptance"].default
0.4
>>> PARAMETERS["response.receptivity"].allowed()
'a number from 0 to 1'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "DAY_PARTS", "FAMILIARITY_LEVELS", "INTERACTION_LEVELS", "INTERVENTION_FIELDS", "PARAMETERS", "PARTICIPANT_FIELDS",
    "PLACE_FIELDS", "PLACE_KINDS", "PLACE_USES", "Param", "RECALIBRATIONS", "TOP_LEVEL", "parameter_table",
]

DAY_PARTS = ("morning", "midday", "afternoon", "evening")
PLACE_KINDS = ("home", "third_place", "transitory", "work", "online")
#: How a place enters residents' routines (see `model.routines`).
PLACE_USES = ("work", "school", "commute", "errand", "outing", "leisure", "online", "street")
INTERACTION_LEVELS = ("nod", "greeting", "chat", "help")
FAMILIARITY_LEVELS = ("familiar_face", "nodding", "greeting", "acquaintance", "friend")


@dataclass(frozen=True)
class Param:
    """One parameter: its default, what values are allowed, and why."""

    default: Any
    low: float | None = None
    high: float | None = None
    reason: str = ""
    source: str = "modelling choice"
    choices: tuple | None = None  # for strings and lists of strings
    pattern: tuple[str, str] | None = None  # for strings: (regular expression, what it allows in words)

    @property
    def type(self) -> type:
        return type(self.default)

    def allowed(self) -> str:
        """Plain-language description of the allowed values."""
        if self.pattern is not None:
            return self.pattern[1]
        if self.choices is not None:
            if isinstance(self.default, list):
                return "a list drawn from " + ", ".join(self.choices)
            return "one of " + ", ".join(self.choices)
        if isinstance(self.default, bool):
            return "true or false"
        kind = "a whole number" if isinstance(self.default, int) else "a number"
        if self.low is not None and self.high is not None:
            return f"{kind} from {_fmt(self.low)} to {_fmt(self.high)}"
        if self.low is not None:
            return f"{kind} of at least {_fmt(self.low)}"
        return kind


def _fmt(x: float) -> str:
    return f"{x:,}".replace(",", "_") if isinstance(x, int) else f"{x:g}"


P = Param
_EPLEY = "Epley & Schroeder 2014; Sandstrom, Boothby & Cooney 2022"

PARAMETERS: dict[str, Param] = {
    # --- population -----------------------------------------------------------------
    "population.size": P(2000, 2, 5_000_000, "residents in the town; 2,000 is a Dutch neighbourhood (buurt)", "CBS buurt sizes"),
    "population.neighbourhood_size": P(2000, 2, 100_000, "residents per neighbourhood; the town forms round(size / this) equal neighbourhoods (at least one), each with its own copy of the places below, counts scaled to its population", "modelling choice"),
    # the age mix and households: CBS "Kerncijfers wijken en buurten" columns (docs/population.md); model/population.py
    "population.age_0_15": P(0.155, 0.0, 1.0, "share of residents aged 0-14 (Kerncijfers column k_0Tot15Jaar / AantalInwoners); the five age shares are normalised to add up to 1", "CBS StatLine 7461BEV, 1 January 2024: 15.5%"),
    "population.age_15_25": P(0.122, 0.0, 1.0, "share of residents aged 15-24 (k_15Tot25Jaar)", "CBS StatLine 7461BEV, 2024: 12.2%"),
    "population.age_25_45": P(0.253, 0.0, 1.0, "share of residents aged 25-44 (k_25Tot45Jaar)", "CBS StatLine 7461BEV, 2024: 25.3%"),
    "population.age_45_65": P(0.268, 0.0, 1.0, "share of residents aged 45-64 (k_45Tot65Jaar)", "CBS StatLine 7461BEV, 2024: 26.8%"),
    "population.age_65_plus": P(0.202, 0.0, 1.0, "share of residents aged 65 or more (k_65JaarOfOuder); split 65-75, 75-85, 85+ as in the Netherlands", "CBS StatLine 7461BEV, 2024: 20.2%"),
    "population.share_living_alone": P(0.186, 0.0, 0.9, "share of residents living alone (Kerncijfers: Eenpersoonshuishoudens / AantalInwoners); how likely each adult is to live alone follows age (young adults, the widowed old)", "CBS StatLine 37620, 2024: 3,340,560 of 17,942,942 persons in households (18.6%)"),
    "population.single_parent_share": P(0.26, 0.0, 1.0, "share of families with children at home headed by one parent", "CBS StatLine 37620, 2024: single-parent families against couples with children at home (about 1 in 4)"),
    "population.retirement_age": P(67.0, 50.0, 100.0, "age at which residents retire (role senior)", "Dutch state pension age (AOW), 67 from 2024"),
    "population.employment_rate": P(0.75, 0.0, 1.0, "share of residents from 18 to retirement who work or study outside home (students count: they leave home for school)", "CBS labour participation ~0.72-0.75"),
    # --- traits (drawn per resident at start) ----------------------------------------
    "traits.sociability_mean": P(0.5, 0.0, 1.0, "mean sociability; not everyone is social in the same way", "Movisie pilot report 2023"),
    "traits.sociability_sd": P(0.15, 0.0, 0.5, "spread of sociability between residents", "modelling choice"),
    "traits.anxiety_mean": P(0.45, 0.0, 1.0, "mean social anxiety = resting fear of rejection", "Sandstrom & Boothby 2021 (fears are common)"),
    "traits.anxiety_sd": P(0.15, 0.0, 0.5, "spread of social anxiety", "modelling choice"),
    "traits.busyness_mean": P(0.4, 0.0, 1.0, "mean time pressure; 'too busy' is a named barrier", "Movisie pilot report 2023"),
    "traits.busyness_sd": P(0.15, 0.0, 0.5, "spread of time pressure", "modelling choice"),
    "traits.low_mobility_share": P(0.07, 0.0, 1.0, "share of residents under 75 with low mobility (reach few places)", "modelling choice; with the 75+ share below about 9% of residents, near the ~10% of Dutch adults who report mobility limits (CBS)"),
    "traits.low_mobility_share_75_plus": P(0.52, 0.0, 1.0, "share of residents aged 75 or more with low mobility: mobility is lower among the oldest", "fitted with nodding calibrate to the 75+ survey rows; above the third of Dutch people over 75 who report limits in moving about (CBS health survey, as cited in RIVM's VZinfo; not checked against the table): here it also stands for the oldest's other limits the model lacks (health, hearing), a modelling choice"),
    "traits.low_mobility": P(0.35, 0.0, 1.0, "chance a low-mobility resident makes a planned out-of-home visit", "modelling choice"),
    "traits.digital_preference_mean": P(0.3, 0.0, 1.0, "mean preference for online contact", "modelling choice"),
    "traits.digital_preference_sd": P(0.2, 0.0, 0.5, "spread of online preference", "modelling choice"),
    "traits.digital_oldest": P(-0.15, -1.0, 1.0, "online preference added for residents aged 75 or more (negative: the oldest are the least digital)", "seed 004 (De Witte in Wascabi 2021): the most vulnerable are the least digital; the size is a modelling choice"),
    "traits.anxiety_young_adults": P(0.10, 0.0, 0.5, "social anxiety added for residents aged 16-29: with the default mean and spread, 37% of them are at or above the 'anxious' threshold (0.6), against 16% of everyone", "Jefferies & Ungar 2020 (36% of 16-29-year-olds over the SIAS threshold); seed 002 (de la Serna 2025: more than a third of young people)"),
    # --- routines ----------------------------------------------------------------------
    "routines.regularity": P(0.8, 0.0, 1.0, "chance a visit goes to the resident's own regular place at their own time; routines create public familiarity", "Milgram 1972; Blokland 2009 (public familiarity needs routine)"),
    "routines.commute_share": P(0.6, 0.0, 1.0, "share of workers and pupils who pass a transit stop on the way", "modelling choice; CBS travel survey: most commute by transit, bike or on foot"),
    "routines.turnover": P(0.5, 0.0, 365.0, "times per year a resident re-draws their regular transit stop, shops, park, third place and online haunt with new time slots (moving house, a new timetable, a new club); without it a closed town runs out of strangers and familiar faces vanish", "modelling choice, calibrated so familiar strangers are steady; CBS: ~10% of Dutch residents move house each year, schedules change more often"),
    "routines.errands_per_week": P(3.5, 0.0, 14.0, "visits to shops and waiting rooms per week", "modelling choice; Dutch households shop ~3-4 times a week"),
    "routines.outings_per_week": P(2.0, 0.0, 14.0, "walks in the park and similar per week", "modelling choice"),
    "routines.leisure_per_week": P(1.5, 0.0, 14.0, "third-place visits per week for an average-sociability resident (scaled by sociability)", "modelling choice"),
    "routines.online_per_week": P(3.0, 0.0, 28.0, "online-community visits per week at full digital preference", "modelling choice"),
    "routines.street_per_week": P(7.0, 0.0, 7.0, "days per week a resident who is home by day (seniors, working-age residents at home) spends a while in their own street (front door, garden, bins, a neighbour's groceries), where the neighbours of their block meet; workers and pupils are left out (modelling choice, docs/model.md 9.2)", "Cornwell, Laumann & Schumm 2008 (socializing with neighbours rises with age and retirement); seeds 000, 001 (a neighbour's groceries, banana bread for the neighbour); the rate is a modelling choice, calibrated with the street's notice and affordance to loneliness by age (docs/model.md 7.9)"),
    # --- encounters ----------------------------------------------------------------------
    "encounters.familiar_boost": P(2.0, 1.0, 10.0, "odds multiplier for noticing a familiar face rather than a stranger", "modelling choice after Milgram 1972 (familiar strangers stand out)"),
    "encounters.need_rate": P(0.03, 0.0, 1.0, "chance that a noticed other visibly needs a hand (dropped groceries, lost way)", "Kremer, Parys & Verplanke 2019 (everyday attentiveness); rate is a modelling choice"),
    # --- deciding to start ----------------------------------------------------------------
    "decisions.base": P(-1.5, -10.0, 10.0, "baseline log-odds of starting an interaction with a noticed other", "modelling choice, calibrated to stylized facts"),
    "decisions.sociability_weight": P(2.0, 0.0, 10.0, "log-odds per unit of sociability (centred at 0.5)", "modelling choice"),
    "decisions.familiarity_weight": P(0.7, 0.0, 5.0, "log-odds per rung of the familiarity ladder", "Blokland 2009; Uyterlinde et al. 2023 (passive to active familiarity)"),
    "decisions.affordance_weight": P(1.5, 0.0, 10.0, "log-odds per unit of the place's affordance for contact", "Kremer, Parys & Verplanke 2019 (third places are designed for contact)"),
    "decisions.host_weight": P(0.8, 0.0, 5.0, "log-odds added by one host who connects people (more hosts: log2(1 + hosts) times this)", "Kremer, Parys & Verplanke 2019 (staff connect people)"),
    "decisions.modeling_weight": P(0.82, 0.0, 5.0, "log-odds per unit of recently seen positive interactions: g = 0.45 converted as g*pi/sqrt(3)", "Jung et al. 2020 (prosocial modeling, g = 0.45)"),
    "decisions.fear_weight": P(3.0, 0.0, 10.0, "log-odds lost per unit of fear x predicted rejection", "Sandstrom & Boothby 2021; Epley & Schroeder 2014"),
    "decisions.busyness_weight": P(1.5, 0.0, 10.0, "log-odds lost per unit of time pressure", "Movisie pilot report 2023 ('too busy')"),
    "decisions.stranger_penalty": P(1.0, 0.0, 5.0, "log-odds lost below nodding terms (strangers and familiar faces alike: familiar strangers stay strangers, Milgram 1972)", "Sandstrom & Boothby 2021; Milgram 1972"),
    "decisions.familiar_stranger_penalty": P(0.73, 0.0, 10.0, "log-odds lost, on top of the stranger penalty, toward a familiar face, per multiple of the recognition threshold (familiarity / ties.familiar_face_after: 1 for a face just recognised, several for one seen daily for months): the longer people see each other without speaking, the harder it is to break the ice, so familiar strangers stay a lasting relationship of people who never speak; the scaling with recognition is a modelling choice that keeps familiar faces steady over a year (docs/model.md 7.5)", "Milgram 1972 (the familiar-stranger relationship is 'frozen'; ~90%, ~4)"),
    "decisions.help_bonus": P(2.0, 0.0, 10.0, "log-odds added when the other visibly needs help (altruism)", "Kremer, Parys & Verplanke 2019; de la Serna 2025 (altruism outweighs panic)"),
    "decisions.chat_step": P(0.3, 0.0, 1.0, "chance per unit of affordance x sociability of stepping up one rung (e.g. a chat with a stranger at the bus stop)", "modelling choice after Epley & Schroeder 2014"),
    "decisions.greeting_to_chat": P(0.3, 0.0, 1.0, "chance that people on greeting terms chat rather than greet", "modelling choice; Uyterlinde et al. 2023 (active familiarity leads to talk)"),
    # --- response -------------------------------------------------------------------------
    "response.receptivity": P(0.93, 0.0, 1.0, "chance the other welcomes contact: about 90% do", _EPLEY),
    "response.busy_penalty": P(0.1, 0.0, 1.0, "receptivity lost per unit of the receiver's time pressure", "modelling choice"),
    "response.familiar_bonus": P(0.02, 0.0, 0.2, "receptivity gained per familiarity rung", "modelling choice"),
    # --- liking gap ------------------------------------------------------------------------
    "liking.true_mean": P(0.75, 0.0, 1.0, "how much partners actually like a conversation with you", "Boothby et al. 2018"),
    "liking.gap": P(0.12, 0.0, 1.0, "initial underestimate of the partner's liking after a first conversation (~0.8 on a 7-point scale)", "Boothby et al. 2018"),
    "liking.gap_learning": P(0.01, 0.0, 1.0, "share of the gap closed per further conversation with the same person; the gap persists for months", "Boothby et al. 2018 (suitemates, narrowing over a year)"),
    # --- learning -------------------------------------------------------------------------
    "learning.prior_acceptance": P(0.4, 0.0, 1.0, "expected share of strangers who welcome a chat, at start", _EPLEY),
    "learning.prior_sd": P(0.1, 0.0, 0.5, "spread of that expectation between residents", "modelling choice"),
    "learning.acceptance_rate": P(0.05, 0.0, 1.0, "step of expected acceptance toward each experience", "Sandstrom & Boothby 2021 (practice helps)"),
    "learning.fear_rate": P(0.03, 0.0, 1.0, "fear lost per unit of positive surprise", "Sandstrom, Boothby & Cooney 2022"),
    "learning.generalisation": P(0.3, 0.0, 1.0, "share of what is learned that generalises beyond the encounter (damping)", "Sandstrom, Boothby & Cooney 2022 (partial generalisation)"),
    "learning.rebound": P(0.02, 0.0, 1.0, "daily share by which fear and expectation creep back toward their resting values", "Sandstrom, Boothby & Cooney 2022 (fear creeps back)"),
    "learning.modeling_memory": P(0.7, 0.0, 0.99, "daily persistence of 'I saw others interact' (exponential memory)", "modelling choice after Jung et al. 2020"),
    "learning.modeling_saturation": P(3.0, 0.1, 100.0, "positive interactions seen in public places in a day that give 63% of the full modeling effect", "modelling choice"),
    # --- ties --------------------------------------------------------------------------------
    "ties.slots": P(64, 8, 512, "remembered others per resident (bounded memory); the weakest memory is forgotten first", "modelling choice; Dunbar: weak ties up to ~150"),
    "ties.familiar_face_after": P(3.0, 0.5, 100.0, "decayed count of times noticed before a face is recognised; calibrated to Milgram's fact in a mature town: ~85% of regular commuters recognise at least one familiar stranger at their stop and time, ~4.5 on average (nodding validate)", "Milgram 1972 (familiar strangers: ~90%, ~4)"),
    "ties.familiarity_decay": P(0.97, 0.5, 1.0, "daily retention of recognition without co-presence", "modelling choice"),
    "ties.rapport_decay": P(0.99, 0.5, 1.0, "daily retention of rapport built by interactions", "modelling choice"),
    "ties.nodding_after": P(1.5, 0.1, 1000.0, "rapport needed for nodding terms (a few nods)", "Blokland 2009"),
    "ties.greeting_after": P(5.0, 0.1, 1000.0, "rapport needed for greeting terms", "Blokland 2009; Uyterlinde et al. 2023"),
    "ties.acquaintance_after": P(15.0, 0.1, 1000.0, "rapport needed for an acquaintance (weak tie)", "Sandstrom & Dunn 2014b"),
    "ties.friend_after": P(250.0, 0.1, 10000.0, "rapport needed for a new friendship (rare: months of near-daily chats)", "modelling choice; Hall 2019: ~90-200 hours to a friend"),
    "ties.friends": P(6, 0, 50, "friends per resident seeded at start (Watts-Strogatz degree; an odd value is rounded down to even)", "Dunbar: ~5 close + ~15 good friends"),
    "ties.friend_rewiring": P(0.1, 0.0, 1.0, "share of seeded friendships outside one's street (small-world rewiring)", "Watts & Strogatz 1998"),
    "ties.relatives": P(2, 0, 20, "strong ties to relatives elsewhere in town, per resident", "modelling choice"),
    "ties.rapport_nod": P(0.5, 0.0, 100.0, "rapport a welcomed nod adds, both ways", "modelling choice; Blokland 2009 (the ladder climbs with contact)"),
    "ties.rapport_greeting": P(1.5, 0.0, 100.0, "rapport a welcomed greeting adds, both ways", "modelling choice"),
    "ties.rapport_chat": P(3.0, 0.0, 100.0, "rapport a welcomed chat adds, both ways", "modelling choice"),
    "ties.rapport_help": P(3.0, 0.0, 100.0, "rapport welcomed help adds, both ways", "modelling choice"),
    "ties.strong_contact_rate": P(0.66, 0.0, 10.0, "expected contacts per day with strong ties outside shared places (visits, calls)", "modelling choice"),
    # --- belonging ---------------------------------------------------------------------------
    "belonging.baseline_mean": P(0.3, 0.0, 1.0, "mean belonging with no contact and no support: the personal floor", "modelling choice"),
    "belonging.baseline_sd": P(0.12, 0.0, 0.5, "spread of baseline belonging: the stable, heritable part of the set point", "modelling choice; about half the variance of loneliness is heritable (Boomsma et al. 2005)"),
    "belonging.drift_sd": P(0.132, 0.0, 0.5, "long-run spread of the set point's drift: the part of a life the model does not simulate (health, work, family far away)", "modelling choice, fitted with nodding calibrate to the year-on-year rank correlation of loneliness (Russell 1996: 0.73; Mund et al. 2020)"),
    "belonging.drift_days": P(600.0, 1.0, 10_000.0, "time scale of the set point's drift, in days (memory of months)", "modelling choice, fitted with nodding calibrate (Dykstra et al. 2005: loneliness comes and goes)"),
    "belonging.decay": P(0.05, 0.0, 1.0, "daily step of belonging toward the day's target (a ~20-day memory)", "modelling choice"),
    "belonging.weight_nod": P(0.25, 0.0, 5.0, "weight of a nod or eye contact in the day's social contact", "Sandstrom & Dunn 2014a; Wesselmann et al. 2012"),
    "belonging.weight_greeting": P(0.5, 0.0, 5.0, "weight of a greeting", "Sandstrom & Dunn 2014a"),
    "belonging.weight_chat": P(1.0, 0.0, 5.0, "weight of a conversation (the unit)", "Sandstrom & Dunn 2014b; Epley & Schroeder 2014"),
    "belonging.weight_help": P(1.2, 0.0, 5.0, "weight of help given or received", "Kremer, Parys & Verplanke 2019"),
    "belonging.strong_multiplier": P(1.1, 0.0, 10.0, "weight multiplier for interactions with strong ties", "Sandstrom & Dunn 2014b (weak ties count, strong count more); size fitted with nodding calibrate (docs/parameters.md, Recalibrations)"),
    "belonging.digital_weight": P(0.4, 0.0, 1.0, "weight multiplier for online contact: supplements, does not replace", "De Witte in Wascabi 2021; de la Serna 2025"),
    "belonging.saturation": P(14.8, 0.1, 100.0, "weighted interactions in a day that give 63% of the day's possible social nourishment (diminishing returns)", "modelling choice, fitted with nodding calibrate to CBS's severe loneliness by age band (docs/parameters.md, Recalibrations)"),
    "belonging.need_by_age": P(0.27, 0.0, 1.0, "how much less contact a resident needs per 30 years of age, relative to a 45-year-old (0: the same need at every age): the young want many contacts, the old are content with fewer, closer ones", "De Jong Gierveld 1987 (loneliness as the gap between wanted and actual relationships); Carstensen et al. 1999 (socioemotional selectivity); the size is fitted (docs/calibration.md)"),
    "belonging.social_weight": P(0.3, 0.0, 1.0, "how far a day of full versus no social contact moves the belonging target", "Sandstrom & Dunn 2014b"),
    "belonging.rejection_cost": P(0.03, 0.0, 1.0, "target belonging lost per time looked through 'as though air'", "Wesselmann et al. 2012"),
    "belonging.diversity_weight": P(0.1, 0.0, 1.0, "target belonging gained per unit of relational diversity (mix of strong and weak contact)", "Collins et al. 2022"),
    "belonging.support_weight": P(0.2, 0.0, 1.0, "target belonging gained per unit of perceived support available", "Moreton, Kelly & Sandstrom 2022"),
    "belonging.weak_support": P(0.5, 0.0, 1.0, "support availability of a weak tie relative to a strong tie (available more often, less intense)", "Moreton, Kelly & Sandstrom 2022"),
    "belonging.support_saturation": P(10.0, 0.1, 1000.0, "weighted ties that give 63% of full perceived support", "modelling choice"),
    "belonging.felt_day_weight": P(0.5, 0.0, 1.0, "weight of today's target in today's felt belonging (the rest is the slow score): a daily diary's 'I felt I belonged today' reflects today's contacts as well as the lasting sense of belonging", "modelling choice after Sandstrom & Dunn 2014b (daily diary: more belonging on days with more weak-tie interactions)"),
    "belonging.lonely_below": P(0.680, 0.0, 1.0, "adults below this belonging are counted lonely: maps the belonging score onto the De Jong Gierveld scale (score 3 or more of 11), calibrated so that 47% of adults in a mature default town are below it (a read-out step of `nodding calibrate`, docs/calibration.md)", "Gezondheidsmonitor Volwassenen en Ouderen 2020 (GGD'en, CBS, RIVM): 47% of adults lonely"),
    "belonging.severely_lonely_below": P(0.457, 0.0, 1.0, "adults below this belonging are counted severely lonely (De Jong Gierveld score 9 or more of 11), calibrated so that 11% of adults in a mature default town are below it (a read-out step of `nodding calibrate`, docs/calibration.md)", "Gezondheidsmonitor Volwassenen en Ouderen 2020: 11% of adults severely lonely"),
    "belonging.socially_lonely_below": P(0.388, 0.0, 1.0, "residents 15+ whose wider-circle score (weak-tie contact and weak ties) is below this are counted strongly socially lonely; read out so that 13.7% of residents 15+ in a mature default town are (docs/calibration.md)", "CBS StatLine 85766NED, 2022: 13.7% strongly socially lonely (De Jong Gierveld social subscale)"),
    "belonging.emotionally_lonely_below": P(0.197, 0.0, 1.0, "residents 15+ whose close-bonds score (strong-tie contact, strong ties, a partner) is below this are counted strongly emotionally lonely; read out so that 10.4% of residents 15+ in a mature default town are", "CBS StatLine 85766NED, 2022: 10.4% strongly emotionally lonely (De Jong Gierveld emotional subscale)"),
    "belonging.lasting_days": P(90, 1, 365, "the window of lasting loneliness: lonely on more than half of the last this many days (passing loneliness: lonely today, not on most days)", "modelling choice; the Gezondheidsmonitor and CBS ask about loneliness 'in the past period', not today"),
    # --- life events (model/life.py) ----------------------------------------------------------------
    "life.moving_rate": P(0.097, 0.0, 1.0, "share of residents whose household moves away per year (a household like it moves in); young households move more", "CBS: 1.73 million people (9.7%) moved in 2023"),
    "life.leaving_home_rate": P(0.17, 0.0, 5.0, "chance per year that a young adult (18+) living with their parents leaves home, and the neighbourhood: from 18 on average at about 24", "CBS 2021: young people leave home at 23.7 on average"),
    # --- groups (who an intervention is for; model/groups.py) ----------------------------------------
    "groups.anxious_above": P(0.6, 0.0, 1.0, "residents whose social anxiety (resting fear of rejection) is at or above this form the target 'anxious': one standard deviation above the default mean (0.45 + 0.15), about one in six adults, between the 9% with a lifetime social phobia and the 36% of young adults over a screening threshold", "modelling choice between NEMESIS-2 (NL, 18-64: lifetime social phobia 9.3%) and Jefferies & Ungar 2020 (36% of 16-29-year-olds over the SIAS threshold)"),
    "groups.regular_days": P(28, 0, 365, "a place's regulars are the residents whose regular routine had the place on any of this many days before a change to the place starts, or on its start day (four weeks: a monthly habit counts, a move long ago does not)", "modelling choice after Milgram 1972 and Blokland 2009 (public familiarity comes from routine)"),
    "affect.scale": P(1.5, 0.0, 10.0, "positive affect of the day per unit of the day's social effect", "Sandstrom & Dunn 2014b"),
    "affect.floor": P(0.3, 0.0, 1.0, "positive affect of a day without any contact", "modelling choice"),
}

#: Fields of one entry in the `[places.<name>]` tables.
PLACE_FIELDS: dict[str, Param] = {
    "kind": P("third_place", choices=PLACE_KINDS[1:], reason="what sort of place (homes are generated from households)", source="Kremer, Parys & Verplanke 2019; Oldenburg 1989"),
    "use": P("leisure", choices=PLACE_USES, reason="how it enters routines"),
    "count": P(1, 0, 10_000, "places of this type per neighbourhood"),
    "capacity": P(50, 1, 1_000_000, "visitors per day-part; more are turned away"),
    "affordance": P(0.5, 0.0, 1.0, "how much the place invites contact (third places high, trains low)", "Kremer, Parys & Verplanke 2019"),
    "hosts": P(0, 0, 100, "staff or volunteers who connect people", "Kremer, Parys & Verplanke 2019"),
    "slots": P(1, 1, 96, "time slots per day-part; routines keep a resident in the same slot (the 8:10 bus)", "Milgram 1972"),
    "notice": P(3, 0, 50, "others a visitor notices per visit (dwell: brief in transit, longer in third places)"),
    "open": P(list(DAY_PARTS), choices=DAY_PARTS, reason="day-parts the place is open"),
    "weekend": P(True, reason="open on Saturdays and Sundays"),
}

# Fields shared by every intervention.
_WHEN = {
    "start": P(0, 0, 100_000, "first day (0 = from the start)"),
    "end": P(-1, -1, 100_000, "last day, inclusive (-1 = until the end of the run)"),
}
_SHARE = P(0.2, 0.0, 1.0, "share of residents taking part")

#: Fields of each intervention kind in the `[interventions.<name>]` tables.
INTERVENTION_FIELDS: dict[str, dict[str, Param]] = {
    "close_place": {"place": P("", reason="name of a place table"), **_WHEN},
    "open_place": {"place": P("", reason="name of a place table (closed before start)"), **_WHEN},
    "add_hosts": {"place": P(""), "hosts": P(1, 1, 100, "hosts added"), **_WHEN},
    "challenge": {"share": _SHARE, "propensity": P(1.0, 0.0, 10.0, "log-odds added for participants"),
                  "fear_learning": P(3.0, 1.0, 20.0, "multiplier of participants' learning from good experiences (fear and expected acceptance)"), **_WHEN},
    "conversation_training": {"share": _SHARE, "fear_reduction": P(0.15, 0.0, 1.0, "fear removed at the training"),
                              "calibration": P(0.5, 0.0, 1.0, "share of the gap between expected and true acceptance closed"),
                              "start": _WHEN["start"]},  # a one-off training: no end
    "greeting_excuses": {"share": _SHARE, "propensity": P(0.6, 0.0, 10.0, "log-odds added: an excuse lowers the threshold"), **_WHEN},
    "self_checkout": {"place": P(""), "contact_reduction": P(0.6, 0.0, 1.0, "share of till contact removed"), **_WHEN},
    "chat_checkout": {"place": P(""), "affordance": P(0.3, 0.0, 1.0, "affordance added"), **_WHEN},
    "mobility_support": {"share": P(0.5, 0.0, 1.0, "share of low-mobility residents reached"),
                         "mobility": P(0.8, 0.0, 1.0, "their new chance of making a visit"), **_WHEN},
    "volunteering": {"share": P(0.05, 0.0, 1.0, "share of residents who volunteer"), "place": P(""),
                     "per_week": P(2.0, 0.0, 14.0, "volunteering visits per week"), **_WHEN},
    "blackout": {"help_needs": P(3.0, 1.0, 20.0, "multiplier of visible needs for help"),
                 "affordance": P(0.3, 0.0, 1.0, "affordance added to local places (neighbours meet)"), **_WHEN},
    "lockdown": {"digital": P(2.0, 1.0, 10.0, "multiplier of online visits"),
                 "reentry_fear": P(0.15, 0.0, 1.0, "fear added on reopening (re-entry anxiety)"), **_WHEN},
}

#: Optional fields of every intervention kind with participants (`groups.PARTICIPANT_KINDS`): who may take
#: part and who does. Stored in a scenario only when a file gives them, so that a file without them runs
#: exactly as before they existed (a `share` of everyone, or of the low-mobility residents).
PARTICIPANT_FIELDS: dict[str, Param] = {
    "target": P("everyone", reason="who may take part: everyone, a role (child, worker, at_home, senior), living_alone, "
                                   "low_mobility, lonely, anxious, neighbourhood:<number> or regulars:<place> "
                                   "(docs/interventions.md); mobility_support's default is low_mobility",
                pattern=(r"[a-z_]+(:[^\s].*)?", "a target such as living_alone, senior or regulars:library")),
    "uptake": P(0.2, 0.0, 1.0, "share of the target who take part, chosen by self-selection (the uptake_* weights); "
                               "given, it replaces `share`", "modelling choice; Movisie pilot report 2023 (seed 001)"),
    "uptake_sociability": P(0.0, -20.0, 20.0, "log-odds of taking part per unit of sociability (used with `uptake`): "
                                              "a campaign aims at people 'open to more', not at those who already "
                                              "have many contacts, so no pull either way", "modelling choice after the Movisie pilot report 2023 (seed 001)"),
    "uptake_anxiety": P(-3.0, -20.0, 20.0, "log-odds of taking part per unit of social anxiety (used with `uptake`): "
                                           "fear of rejection is the named barrier, so the most anxious join least "
                                           "(one standard deviation of anxiety, 0.15, lowers the odds by a third)", "modelling choice after the Movisie pilot report 2023 (seed 001) and Sandstrom & Boothby 2021"),
    "uptake_loneliness": P(1.0, -20.0, 20.0, "log-odds of taking part per unit of loneliness (1 - belonging; used with `uptake`): "
                                             "people with fewer contacts are a little more open to more", "modelling choice after the Movisie pilot report 2023 (seed 001)"),
}

TOP_LEVEL: dict[str, Param] = {
    # the name becomes a directory (runs/<name>): one safe path component, portable across systems
    "name": P("scenario", reason="short name of the scenario; the default output directory is runs/<name>",
              pattern=(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}",
                       "1-64 ASCII letters, digits, '_', '-' or '.', not starting with '.'")),
    "description": P("", reason="the question this scenario answers"),
    "days": P(365, 1, 100_000, "default run length in days"),
    "warmup": P(160, 0, 10_000, "unreported days lived before day 0, interventions not yet started, so that day 0 is a mature town (weak ties, familiar faces, newcomers, fear and belonging near their long-run levels); 0: start from a town with only strong ties", "modelling choice; DESIGN.md: a default town starts mature"),
    "warmup_speed": P(10.0, 1.0, 10.0, "how many days of a town's life the first warm-up day stands for, falling linearly to 1 on the last (warmup.speed_on; the default 160 days stand for about 880): retention of rapport and of prosocial modeling ** speed; rapport gains, learning rates, routine turnover and life events x speed; the daily steps of belonging, of fear's rebound and of the liking gap 1 - (1 - step) ** speed; recognition (a memory of about a month) runs at normal speed", "modelling choice (fast-forward; measured drift in docs/model.md section 5)"),
    "baseline_places": P(True, reason="true: [places.<name>] tables change or add to the baseline's places, field by field; "
                                     "false: the town has exactly the places listed"),
    "seed": P(42, 0, 2**63 - 1, "default random seed"),
}


#: Defaults a recalibration moved: (field, before, after, why). The newest last; `after` is the
#: default today (tests/test_docs.py). Fitted with `nodding calibrate` (docs/calibration.md).
RECALIBRATIONS: tuple[tuple[str, float, float, str], ...] = (
    ("ties.strong_contact_rate", 0.6, 0.66, "the population (issue 25): partners, widowhood and people living alone change who has strong ties; refitted with the age bands' severe loneliness"),
    ("traits.low_mobility_share", 0.10, 0.07, "the population: low mobility now follows age, 52% from 75 (`traits.low_mobility_share_75_plus`, fitted to the 75+ survey rows) and 7% below, about the old 10% overall"),
    ("decisions.familiar_stranger_penalty", 3.0, 0.73, "the population: newcomers arrive knowing nobody and, with a penalty of 3, froze most of their regulars as familiar strangers (18.7 familiar faces against 8.7 for residents there from the start), so faces rose 22% over a year; refitted to Milgram's share and count with faces and weak ties steady over the year"),
    ("ties.familiar_face_after", 3.2, 3.0, "refitted together with the familiar-stranger penalty (Milgram 1972: ~90% recognise a familiar stranger, ~4 each)"),
    ("belonging.saturation", 6.0, 14.8, "the population: with diminishing returns from 6 weighted contacts a day, a family's or a workplace's daily contact saturated a day's nourishment, so partnered and working ages were rarely severely lonely (35-45 and 65-75 at 0.79 times the adults' share, against CBS's flat profile); fitted with nodding calibrate to the age bands' severe loneliness and the 75+ rows"),
    ("belonging.strong_multiplier", 1.5, 1.1, "fitted with the saturation, for the same reason: a household's daily contact counting half again as much kept partnered ages out of severe loneliness"),
    ("belonging.lonely_below", 0.776, 0.680, "read out at the survey's 47% of adults lonely after each recalibration of the population (construction, not a fit)"),
    ("belonging.severely_lonely_below", 0.626, 0.457, "read out at the survey's 11% of adults severely lonely (construction)"),
)


def parameter_table() -> str:
    """Markdown table of all parameters (the source of docs/parameters.md)."""
    lines = ["# Parameters", "", "Generated from `model/parameters.py` by `make docs`; do not edit by hand.", ""]

    def table(title: str, params: dict[str, Param]) -> None:
        lines.extend([f"## {title}", "", "| field | default | allowed | reason | source |", "|---|---|---|---|---|"])
        for path, p in params.items():
            default = p.default if not isinstance(p.default, float) else _fmt(p.default)
            lines.append(f"| `{path}` | {default} | {p.allowed()} | {p.reason} | {p.source} |")
        lines.append("")

    table("Model", PARAMETERS)
    table("Places (`[places.<name>]`)", PLACE_FIELDS)
    for kind, fields in INTERVENTION_FIELDS.items():
        table(f"Intervention `{kind}`", fields)
    table("Target and uptake (optional, every intervention with participants)", PARTICIPANT_FIELDS)
    lines.extend(["## Recalibrations", "", "Defaults a recalibration moved, oldest first. New parameters (the population's ages, "
                  "households, drift, need by age and life events) are in the tables above with their reasons.", "",
                  "| field | before | after | why |", "|---|---|---|---|"])
    lines.extend(f"| `{field}` | {_fmt(before)} | {_fmt(after)} | {why} |" for field, before, after, why in RECALIBRATIONS)
    lines.append("")
    return "\n".join(lines)
