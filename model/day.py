"""The order of a day, as data: stages that can be listed, run and timed.

`DAY` is the day's stages in order; the stage "day-parts" runs `PART` once for each day-part
(morning, midday, afternoon, evening). A stage is a named function over the town and the day in
progress (`Day`, and for a day-part's stages also the `Part`); each calls the rules of one concept
in the module of that concept. Inside a day-part everything is simultaneous: all encounters of the
part are one batch of arrays, and a resident's learning in the morning is in force at midday.

Print the stages with ``python -m nodding.model.day`` (or `describe()`); time them over a run
with `Town.time_stages(days)` (seconds per stage).

>>> print(describe().splitlines()[1])
 2. turn over routines: a few residents a day re-draw their regular places, slots and day-parts (routines.turn_over)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from time import perf_counter
from typing import Callable, NamedTuple

import numpy as np

from . import belonging, decisions, learning, responses
from .decisions import CHAT, Starts
from .encounters import Gatherings, Noticed, gather, notice
from .interventions import DayConditions, begin_and_finish, day_conditions
from .metrics import DayTally, daily_row
from .parameters import DAY_PARTS, PLACE_KINDS
from .responses import Replies
from .routines import ONLINE, Visits, plan_day, turn_over, whereabouts
from .ties import FRIEND, rapport_gains

__all__ = ["DAY", "PART", "Day", "Part", "Stage", "describe", "live_day", "stage_names"]

ONLINE_KIND = PLACE_KINDS.index("online")
HOME_KIND = PLACE_KINDS.index("home")


class Stage(NamedTuple):
    """One step of the day: a name to print and time it by, and the function that does it."""

    name: str
    run: Callable

    @property
    def summary(self) -> str:
        """The first line of the function's docstring: what the stage does."""
        return (self.run.__doc__ or "").strip().splitlines()[0].rstrip(".")


@dataclass
class Day:
    """The day in progress: what the stages hand on to each other."""

    record: bool                 # a reported day (False during the warm-up)
    draws: object                # the day's common random numbers (`randomness.RandomSource.on`)
    weekend: bool
    clock: dict | None = None    # seconds per stage name, when timed
    today: DayConditions | None = None
    visits: Visits | None = None
    tally: DayTally | None = None
    counts: dict = field(default_factory=dict)


@dataclass
class Part:
    """One day-part in progress."""

    index: int                   # into DAY_PARTS
    visits: Visits
    disposition: np.ndarray      # the resident's and the place's parts of the propensity, fixed for the day
    setting: np.ndarray
    is_home: np.ndarray          # per place
    gatherings: Gatherings | None = None
    seen: Noticed | None = None
    starts: Starts | None = None
    replies: Replies | None = None


# --------------------------------------------------------------------------- the day's stages
def live_lives(town, day: Day) -> None:
    """Residents age, leave school, retire, leave home, move away or die; newcomers take their places (life)."""
    speed = 1.0 if day.record else town.config["warmup_speed"]
    arrived = town.life.live(town, day.draws, day.record, speed)
    if len(arrived):
        town.lonely_days.forget(arrived)


def turn_over_routines(town, day: Day) -> None:
    """A few residents a day re-draw their regular places, slots and day-parts (routines.turn_over)."""
    turn_over(town.routines, town.residents, town.places, town.config["routines.turnover"], day.draws)


def set_conditions(town, day: Day) -> None:
    """Interventions end and begin, then overlay today's conditions and routines (interventions)."""
    begin_and_finish(town)
    day.today = day_conditions(town, town.day, day.weekend)


def plan(town, day: Day) -> None:
    """Who goes where, in which day-part and time slot; whereabouts per day-part (routines.plan_day)."""
    today, res = day.today, town.residents
    day.visits = plan_day(today.routines, res, town.places, day.weekend, today.open, today.mobility, today.use_rate,
                          town.config, day.draws)
    town.whereabouts = whereabouts(day.visits, town.places, len(res), town.routines.home)


def live_day_parts(town, day: Day) -> None:
    """Each day-part in turn, its stages in order (PART)."""
    s, res, today = town.config, town.residents, day.today
    day.tally = DayTally(len(res))
    disposition = decisions.disposition(s, res.sociability, res.modeling, res.busyness, today.propensity)
    setting = decisions.setting(s, today.affordance, today.hosts)
    is_home = town.places.kind == HOME_KIND
    for index, visits in enumerate(day.visits.by_part()):
        _run(PART, day.clock, town, day, Part(index, visits, disposition, setting, is_home))


def contact_strong_ties(town, day: Day) -> None:
    """Visits and calls with family and friends outside shared places, always welcome (ties.strong_partners)."""
    res, draws, tally, today = town.residents, day.draws, day.tally, day.today
    n = len(res)
    calls = draws.poisson("calls", np.arange(n), town.config["ties.strong_contact_rate"])
    a = np.repeat(np.arange(n), calls)
    call = np.arange(len(a)) - np.repeat(np.cumsum(calls) - calls, calls)  # each resident's 1st, 2nd, ... call
    b = town.ties.strong_partners(a, res.household, draws.uniform("partner", a, call))
    online = draws.uniform("online", a, call) < np.clip(res.digital[a] * today.use_rate[ONLINE], 0.0, 1.0)
    a, b, online = a[b >= 0], b[b >= 0], online[b >= 0]
    level = np.full(len(a), CHAT, dtype=np.int8)
    tally.count_interactions(level, np.where(online, ONLINE_KIND, HOME_KIND))
    strong = np.ones(len(a), dtype=bool)
    tally.add_contacts(a, b, belonging.interaction_weight(town.config, level, strong, online), strong)


def rebound(town, day: Day) -> None:
    """Fear and expected acceptance creep back toward their resting values (learning.rebound)."""
    learning.rebound(town.residents, town.config)


def model_prosocially(town, day: Day) -> None:
    """Positive interactions seen today fold into the fading memory of prosocial models (learning.update_modeling)."""
    learning.update_modeling(town.residents, day.tally.seen_positive, town.config)


def decay_ties(town, day: Day) -> None:
    """Memories fade, faded ones are forgotten, close ones become friends; tie counts (Ties.end_of_day)."""
    s = town.config
    day.counts = town.ties.end_of_day(s["ties.familiarity_decay"], s["ties.rapport_decay"])


def update_belonging(town, day: Day) -> None:
    """Perceived support from the tie counts; the set point drifts; belonging, its subscales and affect (belonging)."""
    res, s, tally, counts = town.residents, town.config, day.tally, day.counts
    res.support[:] = belonging.perceived_support(counts["strong_ties"], counts["weak_ties"], s)
    belonging.drift_set_point(res, s, day.draws.normal("drift", res.person))
    belonging.update_belonging(res, tally.contact_weight, tally.rejections, tally.weak_contacts, tally.strong_contacts, s,
                               tally.strong_weight, counts)


def record(town, day: Day) -> None:
    """Every day, who is lonely (for lasting loneliness); on reported days the day's row of metrics, collected,
    and followed residents' histories (metrics)."""
    town.lonely_days.add(town.residents.belonging < town.config["belonging.lonely_below"])
    if not day.record:
        return
    town.today = daily_row(town.day, town.residents, day.tally, day.counts, town.config, town.lonely_days.lasting())
    town.datacollector.collect(town)
    town.diary.record(town.day, town.residents, day.tally, town.whereabouts)
    if town.panel is not None:
        town.panel.add_day(town.day, town.residents, day.tally, day.counts, town.config["belonging.lonely_below"])


# --------------------------------------------------------------------------- a day-part's stages
def meet(town, day: Day, part: Part) -> None:
    """Gatherings by place and slot; who notices whom, remembering faces outside the household (encounters)."""
    draws, k = day.draws, part.index
    part.gatherings = gather(part.visits.who, part.visits.where, part.visits.slot,
                             draws.uniform("shuffle", part.visits.who, part=k))
    place_draw = draws.uniform("notice_count", np.arange(len(town.places)), part=k)
    notice_count = np.floor(town.places.notice * day.today.notice_factor + place_draw).astype(np.int64)
    part.seen = notice(part.gatherings, notice_count, part.is_home, town.ties, town.config["encounters.familiar_boost"],
                       draws.uniform("look", part.gatherings.who, part=k), draws.key("notice", k))


def decide(town, day: Day, part: Part) -> None:
    """Who starts an interaction with whom they noticed, and which one (decisions.decide)."""
    s, res, today = town.config, town.residents, day.today
    part.starts = decisions.decide(s, part.seen, town.ties.familiarity, town.ties.face_after,
                                   s["encounters.need_rate"] * today.help_needs, part.disposition, part.setting,
                                   today.affordance, res.fear, res.expected_acceptance, res.sociability, day.draws,
                                   part.index, len(town.places))


def respond(town, day: Day, part: Part) -> None:
    """Receivers welcome or look through; welcomed chats carry a liking gap (responses.respond)."""
    part.replies = responses.respond(town.config, part.starts, town.ties, town.residents.busyness, day.draws,
                                     part.index, len(town.places))


def learn(town, day: Day, part: Part) -> None:
    """Each initiator's prediction error, damped, moves their fear and expectations (learning)."""
    starts, replies, s = part.starts, part.replies, town.config
    experience = learning.experienced_acceptance(replies.welcomed, replies.felt_gap, s)
    learning.learn_from_experience(town.residents, starts.initiator, experience - starts.expected, starts.level,
                                   day.today.fear_learning, s)


def bond(town, day: Day, part: Part) -> None:
    """Welcomed contact outside the household grows ties both ways (Ties.bond)."""
    starts, w = part.starts, part.replies.welcomed
    town.ties.bond(starts.initiator[w], starts.slot[w], starts.receiver[w], part.replies.slot[w], ~starts.family[w],
                   rapport_gains(town.config)[starts.kind[w]])


def count(town, day: Day, part: Part) -> None:
    """The day's tallies for belonging and metrics; positive interactions others saw (metrics.DayTally)."""
    starts, replies, gatherings, tally = part.starts, part.replies, part.gatherings, day.tally
    n = len(town.residents)
    w, welcomed = np.flatnonzero(replies.welcomed), replies.welcomed
    a, b, kind, place = starts.initiator[w], starts.receiver[w], starts.kind[w], starts.place[w]
    strong = starts.level[w] >= FRIEND
    online = town.places.kind[place] == ONLINE_KIND
    tally.count_interactions(kind, town.places.kind[place])
    tally.add_contacts(a, b, belonging.interaction_weight(town.config, kind, strong, online), strong)
    tally.rejections += np.bincount(starts.initiator[~welcomed], minlength=n)
    tally.initiations += len(welcomed)
    tally.accepted += len(w)
    stranger = starts.level == 0
    tally.stranger_initiations += int(stranger.sum())
    tally.stranger_accepted += int((stranger & welcomed).sum())
    tally.felt_gaps.append(replies.felt_gap[replies.chat])
    # prosocial modeling: positive interactions others saw in their gathering (outside the household)
    outside = ~starts.family[w]
    positive = np.bincount(starts.group[w[outside]], minlength=gatherings.n_groups)
    involved = np.bincount(a[outside], minlength=n) + np.bincount(b[outside], minlength=n)
    tally.seen_positive += np.bincount(gatherings.who, weights=positive[gatherings.group], minlength=n) - involved


def log(town, day: Day, part: Part) -> None:
    """On reported days of a town with an event log: every started interaction (readouts.Diary)."""
    if town.log_events and day.record:
        town.diary.log(town.day, part.index, part.starts, part.replies, town.config["liking.true_mean"])


DAY = (
    Stage("life events", live_lives),
    Stage("turn over routines", turn_over_routines),
    Stage("conditions", set_conditions),
    Stage("plan", plan),
    Stage("day-parts", live_day_parts),
    Stage("strong-tie contact", contact_strong_ties),
    Stage("rebound", rebound),
    Stage("modelling", model_prosocially),
    Stage("tie decay", decay_ties),
    Stage("belonging", update_belonging),
    Stage("record", record),
)

PART = (
    Stage("meet", meet),
    Stage("decide", decide),
    Stage("respond", respond),
    Stage("learn", learn),
    Stage("bond", bond),
    Stage("tally", count),
    Stage("log", log),
)


def live_day(town, record: bool, clock: dict | None = None) -> None:
    """Live `town.day`: the stages of `DAY` in order.

    Parameters
    ----------
    town : Town
    record : bool
        Whether the day is reported (collected, logged and followed); False for warm-up days.
    clock : dict, optional
        If given, each stage's run time in seconds is added to ``clock[stage name]``.
    """
    _run(DAY, clock, town, Day(record=record, draws=town.random_source.on(town.day), weekend=town.day % 7 >= 5,
                               clock=clock))


def _run(stages: tuple[Stage, ...], clock: dict | None, *args) -> None:
    if clock is None:
        for stage in stages:
            stage.run(*args)
        return
    for stage in stages:
        start = perf_counter()
        stage.run(*args)
        clock[stage.name] = clock.get(stage.name, 0.0) + perf_counter() - start


def stage_names() -> list[str]:
    """Every stage's name in order, a day-part's stages right after "day-parts" (the keys of a timing).

    Returns
    -------
    list of str
    """
    names = []
    for stage in DAY:
        names.append(stage.name)
        if stage.run is live_day_parts:
            names.extend(sub.name for sub in PART)
    return names


def describe() -> str:
    """The day's stages in order, one per line, each with what it does.

    Returns
    -------
    str
    """
    lines = []
    for k, stage in enumerate(DAY, 1):
        lines.append(f"{k:2d}. {stage.name}: {stage.summary[0].lower()}{stage.summary[1:]}")
        if stage.run is live_day_parts:
            lines[-1] = f"{k:2d}. {stage.name} ({', '.join(DAY_PARTS)}), each:"
            lines.extend(f"    {k}.{j} {sub.name}: {sub.summary[0].lower()}{sub.summary[1:]}"
                         for j, sub in enumerate(PART, 1))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(describe(), end="")
