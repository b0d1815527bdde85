"""The life of each bench proposal, planned before any row is written: its path through the workflow, when each
step happened, its cycle, reference, meeting and consulting sessions.

Every path is a walk through proposals.workflow's table of moves (checked with `move_for`, so a move the table
does not allow can never be planned), from the draft to the proposal's status today. What the services enforce
beyond the table is planned in too: a reference and a cycle by the cut-off rule at submission (numbered in order
of submission per prefix and year), one counted proposal per jurisdiction and cycle (every proposal has its own
place), a held session with a filed report before committee review on tracks that require pre-consulting, a
committee decision only at a meeting of the proposal's cycle while it is in committee review, consultants' sessions
on free working-hour slots that never overlap.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field

from committee.models import Meeting
from proposals.models import Cycle, Track
from proposals.workflow import Status, move_for

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

# Where proposals stand today, in percent (the decided ones and those before the committee are about 45%).
FINAL_WEIGHTS = {
    Status.DRAFT: 15, Status.WITHDRAWN: 10, Status.SUBMITTED: 5, Status.SCREENING: 8, Status.INFO_REQUESTED: 7,
    Status.PRE_CONSULTING: 10, Status.COMMITTEE_REVIEW: 5, Status.APPROVED: 15, Status.REJECTED: 25,
}
OPEN_STATES = (Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.PRE_CONSULTING,
               Status.COMMITTEE_REVIEW)
SLOT_HOURS = (9, 11, 13, 15)  # Seoul: a 60-minute session plus its 15-minute buffer never reaches the next one


@dataclass
class Step:
    to: str
    at: datetime.datetime
    actor: str  # workflow.OWNER, STAFF or COMMITTEE: who makes the move
    note: str = ""
    internal: bool = False


@dataclass
class Session:
    consultant: int  # index into the consultants
    start: datetime.datetime
    scheduled_at: datetime.datetime
    status: str  # consulting.models.BookingStatus value
    report: bool = False


@dataclass
class Plan:
    index: int
    applicant: object  # people.Applicant
    track: Track
    final: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    steps: list[Step] = field(default_factory=list)
    country: str = ""
    region: str = ""
    level: str = ""
    cycle: Cycle | None = None
    reference: str | None = None
    meeting: Meeting | None = None  # the meeting that decided it, or the coming one whose agenda it is on
    sessions: list[Session] = field(default_factory=list)
    assigned_staff: int | None = None
    messages: int = 0
    sample: bool = False

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return next((s.at for s in self.steps if s.to == Status.SUBMITTED), None)

    @property
    def status_changed_at(self) -> datetime.datetime:
        return self.steps[-1].at if self.steps else self.created_at


def cycle_year(day: datetime.date, *, cutoff_month: int = 4, cutoff_day: int = 30) -> int:
    """proposals.services.cycle_year_for with the default cut-off (the bench's cycles keep it)."""
    return day.year if (day.month, day.day) <= (cutoff_month, cutoff_day) else day.year + 1


def intake(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The submissions a cycle takes: after the previous cut-off, up to its own (Seoul calendar)."""
    start = datetime.datetime(year - 1, 5, 1, tzinfo=SEOUL).astimezone(UTC)
    end = datetime.datetime(year, 4, 30, 23, 0, tzinfo=SEOUL).astimezone(UTC)
    return start, end


def between(rng: random.Random, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def path_to(final: str, *, pre_consulting: bool, rng: random.Random) -> list[str]:
    """The shortest plausible path from a draft to `final` (loops are added later)."""
    main = [Status.SUBMITTED, Status.SCREENING, *([Status.PRE_CONSULTING] if pre_consulting else []),
            Status.COMMITTEE_REVIEW]
    if final == Status.DRAFT:
        return []
    if final in (Status.APPROVED, Status.REJECTED):
        return [*main, final]
    if final == Status.INFO_REQUESTED:
        asked_by = main.index(Status.PRE_CONSULTING) if pre_consulting and rng.random() < 0.4 else 1
        return [*main[: asked_by + 1], Status.INFO_REQUESTED]
    if final == Status.WITHDRAWN:
        prefix = rng.choice([[], main[:1], main[:2], [*main[:2], Status.INFO_REQUESTED], main[:3]])
        return [*prefix, Status.WITHDRAWN]
    return main[: main.index(final) + 1]


def add_loops(path: list[str], loops: int, rng: random.Random) -> list[str]:
    """Information requests answered, returns to screening: each loop leaves the proposal where it was."""
    path = list(path)
    for _ in range(loops):
        places = [i for i, s in enumerate(path) if s in (Status.SCREENING, Status.PRE_CONSULTING)]
        if not places:
            return path
        at = rng.choice(places)
        here = path[at]
        detour = [Status.INFO_REQUESTED, here]
        if here == Status.PRE_CONSULTING and rng.random() < 0.3:
            detour = [Status.SCREENING, Status.PRE_CONSULTING]
        path[at + 1: at + 1] = detour
    return path


def actors(path: list[str]) -> list[str]:
    """Who makes each move; raises if a move is not in the workflow's table (a planning bug, not data)."""
    source, found = Status.DRAFT, []
    for target in path:
        move = move_for(source, target)
        if move is None:
            raise ValueError(f"not a workflow move: {source} -> {target}")
        found.append(move.actor)
        source = target
    return found


def spread(rng: random.Random, start: datetime.datetime, end: datetime.datetime, count: int,
           weights: list[float] | None = None) -> list[datetime.datetime]:
    """`count` increasing times after `start`, the last one at `end`, gaps random around their weight."""
    gaps = [(weights[i] if weights else 1.0) * (0.5 + rng.random()) for i in range(count)]
    total = sum(gaps)
    times, running = [], 0.0
    for gap in gaps:
        running += gap
        times.append(start + (end - start) * (running / total))
    return times


class Slots:
    """Consultants' free session slots: weekday mornings and afternoons in Seoul, never two at once."""

    LENGTH = datetime.timedelta(minutes=75)  # the session type's hour and its buffer after

    def __init__(self, consultants: int, *, booked: list[tuple[int, datetime.datetime, datetime.datetime]] = ()):
        self.consultants = consultants
        self.taken: set[tuple[int, datetime.datetime]] = set()
        self.turn = 0
        for consultant, blocked_start, blocked_end in booked:  # sessions already in the database (the demo's)
            day = blocked_start.astimezone(SEOUL).date()
            while datetime.datetime.combine(day, datetime.time(0), tzinfo=SEOUL) < blocked_end:
                for hour in SLOT_HOURS:
                    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SEOUL).astimezone(UTC)
                    if start < blocked_end and blocked_start < start + self.LENGTH:
                        self.taken.add((consultant, start))
                day += DAY

    def first_free(self, after: datetime.datetime, before: datetime.datetime) -> tuple[int, datetime.datetime] | None:
        day = after.astimezone(SEOUL).date()
        while True:
            if day.weekday() < 5:
                for hour in SLOT_HOURS:
                    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SEOUL).astimezone(UTC)
                    if start < after:
                        continue
                    if start > before:
                        return None
                    for offset in range(self.consultants):
                        consultant = (self.turn + offset) % self.consultants
                        if (consultant, start) not in self.taken:
                            self.taken.add((consultant, start))
                            self.turn += 1
                            return consultant, start
            day += DAY
            if datetime.datetime.combine(day, datetime.time(0), tzinfo=SEOUL) > before:
                return None
