"""Who an intervention is for, who takes part, whose place changes: targets, uptake and groups.

An intervention with participants (`PARTICIPANT_KINDS`) may name a `target`, the residents who may
take part, and an `uptake`, the share of the target who do, with self-selection: taking part is
more or less likely by trait (a logistic weight per trait). Without `target` and `uptake` the
participants are drawn exactly as before this module existed (a `share` of everyone; of the
residents with low mobility for `mobility_support`).

The `target` syntax (one word, or a prefix and a name; docs/interventions.md):

- ``everyone`` (the default), ``child``, ``worker``, ``at_home``, ``senior`` (the roles),
- ``living_alone`` (a household of one, children left out: the model draws roles independently of
  households, so a few one-person households hold a "child"), ``low_mobility``,
- ``lonely`` (belonging below `belonging.lonely_below` on the start day),
- ``anxious`` (social anxiety, the resting fear of rejection, at or above `groups.anxious_above`),
- ``neighbourhood:<number>`` (neighbourhoods are numbered from 0),
- ``regulars:<place>`` (the regulars of a place table, as below).

**Regulars** of a place are the residents whose *regular routine* (`Routines.anchor`: their own
regular place of that use, with a regular day-part and at least some visits a week) had one of the
place's copies on any day of the `groups.regular_days` days before the change starts, or on its
start day. The routine, not the visits drawn on those days: a regular is who *expects* to be there
(Milgram 1972; Blokland 2009: public familiarity comes from routine), and the routine rule gives the
same regulars whatever the day's draws. Regulars of a place that opens are those whose routine
already has it (they go once it is open). A volunteer's place is not a routine of the town's own, so
volunteering makes nobody a regular.

**Groups** are fixed when the change starts and kept in the intervention (`Intervention.target_group`,
`.participants`, `.regulars`); `town_groups` lists them, one boolean array over residents per group.

Sources: Movisie pilot report 2023 (seed 001): campaigns hope to reach people "open to more" small
contact, motivated, "in a positive way", not those who already have many; the named barriers are
fear of rejection and being too busy. The self-selection weights (`PARTICIPANT_FIELDS`) are
modelling choices in that direction. No source at hand gives drop-out from such campaigns (Lim et
al. 2024 report a four-week challenge's effect, not its drop-out), so there is no drop-out.
"""

from __future__ import annotations

import numpy as np

from .parameters import PARTICIPANT_FIELDS
from .residents import ROLES, living_alone, neighbourhood_count

__all__ = ["PARTICIPANT_KINDS", "TARGET_WORDS", "UPTAKE_DEFAULTS", "check_target", "check_town_targets", "default_target", "regulars_today",
           "self_selected", "target_members", "town_groups"]

#: Intervention kinds that draw participants (and so take `target` and `uptake`).
PARTICIPANT_KINDS = ("challenge", "conversation_training", "greeting_excuses", "mobility_support", "volunteering")
#: Targets of one word; `neighbourhood:<number>` and `regulars:<place>` take a name.
TARGET_WORDS = ("everyone", *ROLES, "living_alone", "low_mobility", "lonely", "anxious")
_PREFIXES = ("neighbourhood", "regulars")
#: Self-selection weights (log-odds per unit of the trait) when a file gives `uptake` but not the weight.
UPTAKE_DEFAULTS = {trait: PARTICIPANT_FIELDS[f"uptake_{trait}"].default for trait in ("sociability", "anxiety", "loneliness")}


def default_target(kind: str) -> str:
    """Who may take part when a file names no `target`.

    Parameters
    ----------
    kind : str
        An intervention kind (`PARTICIPANT_KINDS`).

    Returns
    -------
    str
        ``"low_mobility"`` for `mobility_support` (transport help is for them), else ``"everyone"``.
    """
    return "low_mobility" if kind == "mobility_support" else "everyone"


def check_target(target: str, values: dict, places: dict) -> str | None:
    """What is wrong with a `target`, in words, or None: the checks that need no town.

    Parameters
    ----------
    target : str
        The `target` field as written.
    values : dict
        The scenario's flat values (population shares and sizes).
    places : dict
        The scenario's place tables.

    Returns
    -------
    str or None
        One line naming the problem and what is allowed; None if the target can select someone.
        Whether `living_alone`, `lonely`, `anxious`, `low_mobility` or a place's regulars select
        anyone is known only in the town (`target_members` raises then).

    Examples
    --------
    >>> check_target("seniors", {}, {})
    "unknown target 'seniors' (did you mean senior?); allowed: everyone, child, worker, at_home, senior, living_alone, low_mobility, lonely, anxious, neighbourhood:<number>, regulars:<place>"
    """
    import difflib

    allowed = ", ".join([*TARGET_WORDS, "neighbourhood:<number>", "regulars:<place>"])
    prefix, sep, name = target.partition(":")
    if not sep:
        if target in TARGET_WORDS:
            share = {k: values.get(k, 0.0) for k in ("population.age_0_15", "population.age_15_25",
                                                     "population.age_25_45", "population.age_45_65")}
            working_age = share["population.age_15_25"] + share["population.age_25_45"] + share["population.age_45_65"]
            nobody = {"child": share["population.age_0_15"] + share["population.age_15_25"] == 0,
                      "senior": values.get("population.age_65_plus", 0.0) == 0
                      and values.get("population.retirement_age", 67.0) >= 65,
                      "worker": working_age == 0, "at_home": working_age == 0}.get(target, False)
            if nobody:
                return f"'{target}' selects nobody: the town's age mix has no {target} residents (age shares 0)"
            return None
        close = difflib.get_close_matches(target, [*TARGET_WORDS, *_PREFIXES], n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"unknown target {target!r}{hint}; allowed: {allowed}"
    if prefix == "neighbourhood":
        hoods = neighbourhood_count(values.get("population.size", 2000), values.get("population.neighbourhood_size", 2000))
        if not (name.isdigit() and int(name) < hoods):
            return f"no neighbourhood {name!r}: this town has neighbourhoods 0 to {hoods - 1}"
        return None
    if prefix == "regulars":
        if name not in places:
            return f"no place named {name!r} for regulars:<place>; places: {', '.join(places)}"
        if places[name].get("count", 1) == 0:
            return f"'{target}' selects nobody: the place has no copies (count = 0)"
        return None
    return f"unknown target {target!r}; allowed: {allowed}"


def check_town_targets(town) -> None:
    """Refuse, before the first day, a target given in the file that selects nobody in this town and cannot
    change before the start: a role, living alone, low mobility, a neighbourhood.

    Parameters
    ----------
    town : Town
        A town just built: read its interventions and residents.

    Returns
    -------
    None

    Raises
    ------
    ScenarioError
        One line naming the intervention's `target` (`lonely`, `anxious` and regulars are checked on the start day).
    """
    from .scenario import ScenarioError

    for iv in town.interventions:
        target = iv.spec.get("target")
        if target is None or target in ("lonely", "anxious") or target.startswith("regulars:"):
            continue
        if not target_members(town, target).any():
            raise ScenarioError(f"{target!r} selects nobody in this town ({len(town.residents)} residents); "
                                "choose another target", file=town.config.source, field=f"interventions.{iv.name}.target")


def regulars_today(town, place: str) -> np.ndarray:
    """Residents whose regular routine today has a copy of `place` (the rule in the module docstring).

    Parameters
    ----------
    town : Town
        Read: `places` and the town's own `routines` (not an intervention's view of them).
    place : str
        A place table name.

    Returns
    -------
    numpy.ndarray of bool
        One value per resident.
    """
    copies = town.places.of_spec(place)
    r = town.routines
    if len(copies) == 0:
        return np.zeros(len(town.residents), dtype=bool)
    use = int(town.places.use[copies[0]])
    return np.isin(r.anchor[:, use], copies) & (r.part[:, use] >= 0) & (r.per_week[:, use] > 0)


def target_members(town, target: str, regulars: np.ndarray | None = None) -> np.ndarray:
    """Who belongs to a target group today (`check_target` has accepted the target).

    Parameters
    ----------
    town : Town
        Read: residents (role, household, mobility, belonging, anxiety, neighbourhood) and the scenario.
    target : str
        A target (module docstring).
    regulars : numpy.ndarray of bool, optional
        The regulars of the target's place, gathered over the days before the start (for ``regulars:``).

    Returns
    -------
    numpy.ndarray of bool
        One value per resident.
    """
    res, s = town.residents, town.config
    n = len(res)
    prefix, _, name = target.partition(":")
    if target == "everyone":
        return np.ones(n, dtype=bool)
    if target in ROLES:
        return res.role == ROLES.index(target)
    if target == "living_alone":
        return living_alone(res)
    if target == "low_mobility":
        return res.mobility < 1.0
    if target == "lonely":
        return res.belonging < s["belonging.lonely_below"]
    if target == "anxious":
        return res.anxiety >= s["groups.anxious_above"]
    if prefix == "neighbourhood":
        return res.neighbourhood == int(name)
    if prefix == "regulars":
        return regulars_today(town, name) if regulars is None else regulars.copy()
    raise ValueError(f"unknown target {target!r}")


def self_selected(among: np.ndarray, uptake: float, weights: dict[str, float], town,
                  rng: np.random.Generator) -> np.ndarray:
    """Who of `among` takes part: a logistic model whose mean chance is `uptake`.

    Resident i takes part with chance sigmoid(a + w_s sociability_i + w_a anxiety_i + w_l (1 - belonging_i)),
    the intercept a solved (by bisection) so that the mean chance over `among` is `uptake`: the share
    taking part is `uptake` in expectation whatever the weights, and the weights only decide *who*.
    With all weights 0 everyone has chance `uptake`.

    Parameters
    ----------
    among : numpy.ndarray of int
        The target group's resident indices, in order.
    uptake : float
        Share of the target who take part, in [0, 1].
    weights : dict
        Log-odds per unit of ``sociability``, ``anxiety`` and ``loneliness`` (1 - belonging), traits on [0, 1].
    town : Town
        Read: residents' sociability, anxiety and belonging.
    rng : numpy.random.Generator
        The intervention's own stream: one uniform draw per member of `among`.

    Returns
    -------
    numpy.ndarray of int
        The participants, a subset of `among` in its order.
    """
    res = town.residents
    draw = rng.random(len(among))
    if len(among) == 0 or uptake <= 0.0:
        return among[:0]
    if uptake >= 1.0:
        return among.copy()
    z = (weights["sociability"] * res.sociability[among] + weights["anxiety"] * res.anxiety[among]
         + weights["loneliness"] * (1.0 - res.belonging[among]))
    low, high = -60.0, 60.0
    for _ in range(80):
        mid = (low + high) / 2
        if np.mean(1.0 / (1.0 + np.exp(-(mid + z)))) < uptake:
            low = mid
        else:
            high = mid
    chance = 1.0 / (1.0 + np.exp(-((low + high) / 2 + z)))
    return among[draw < chance]


def town_groups(town) -> dict[str, np.ndarray]:
    """Every group the run knows, one boolean array over residents each, in the file's order of interventions.

    Per intervention `<name>`: ``target:<name>`` and ``participant:<name>`` (kinds with participants),
    ``regular:<name>`` (an intervention with a `place`, or targeted at ``regulars:<place>``), and
    ``others:<name>``: everyone who is neither a participant nor a regular of it (the spill-over group).
    Groups are fixed on the start day; before it every group of that intervention is empty.

    Parameters
    ----------
    town : Town

    Returns
    -------
    dict
        Group name to a boolean numpy array of length `len(town.residents)`.
    """
    n = len(town.residents)
    groups: dict[str, np.ndarray] = {}
    for iv in town.interventions:
        started = iv.formed
        mine = np.zeros(n, dtype=bool)
        if iv.kind in PARTICIPANT_KINDS:
            groups[f"target:{iv.name}"] = iv.target_group.copy() if iv.target_group is not None else np.zeros(n, dtype=bool)
            taking_part = np.zeros(n, dtype=bool)
            taking_part[iv.participants] = True
            groups[f"participant:{iv.name}"] = taking_part
            mine |= taking_part
        if iv.watched_place is not None:
            regular = iv.regulars.copy() if started and iv.regulars is not None else np.zeros(n, dtype=bool)
            groups[f"regular:{iv.name}"] = regular
            mine |= regular
        groups[f"others:{iv.name}"] = ~mine if started else np.zeros(n, dtype=bool)
    return groups
