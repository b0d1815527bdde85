"""Plans every bench proposal (bench.history): who, which track, where it stands, when each step happened."""

import datetime
import random
from collections import defaultdict

from accounts.models import OrganisationKind
from bench.history import (
    DAY,
    FINAL_WEIGHTS,
    HOUR,
    SEOUL,
    Plan,
    Session,
    Slots,
    Step,
    actors,
    add_loops,
    between,
    cycle_year,
    intake,
    path_to,
    spread,
)
from bench.text import Prose
from consulting.models import Booking, BookingStatus
from proposals.models import ReferenceCounter, Track
from proposals.workflow import STAFF, Status

# The sample proposal (proposal page, API messages, attachments and history): the same at every dataset size, a
# busy but ordinary file in committee review of the current cycle, on the coming meeting's agenda.
SAMPLE_PATH = [Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.SCREENING, Status.PRE_CONSULTING,
               Status.INFO_REQUESTED, Status.PRE_CONSULTING, Status.SCREENING, Status.PRE_CONSULTING,
               Status.COMMITTEE_REVIEW]
SAMPLE_MESSAGES = 30


class Planner:
    def __init__(self, *, rng: random.Random, now: datetime.datetime, start: datetime.datetime, people, tracks,
                 cycles: dict, past_meetings: dict, coming_meetings: dict, consultants: list, staff: int,
                 prose: Prose):
        self.rng, self.now, self.start = rng, now, start
        self.people = people
        self.tracks: list[Track] = tracks
        self.cycles = cycles  # (programme_id, year) -> Cycle
        self.past_meetings = past_meetings  # programme_id -> [Meeting]
        self.coming_meetings = coming_meetings  # (programme_id, cycle year) -> Meeting
        index = {consultant.pk: number for number, consultant in enumerate(consultants)}
        booked = Booking.objects.exclude(status=BookingStatus.CANCELLED).values_list(
            "consultant_id", "blocked_start", "blocked_end")
        self.slots = Slots(len(consultants), booked=[(index[c], start, end) for c, start, end in booked])
        self.staff = staff
        self.prose = prose

    # --- who and which track ---------------------------------------------------------------------------------

    def _track_for(self, kind: str) -> Track:
        if kind == OrganisationKind.KOREAN_COMPANY:
            eligible = [t for t in self.tracks if kind in t.eligible_organisation_kinds]
            sandbox = [t for t in eligible if t.programme.slug == "sandbox"]
            if sandbox and self.rng.random() < 0.3:
                return sandbox[0]
            return self.rng.choice([t for t in eligible if t.programme.slug != "sandbox"] or eligible)
        return self.rng.choice([t for t in self.tracks
                                if kind in t.eligible_organisation_kinds and t.programme.slug != "sandbox"])

    def _applicants(self, total: int, big_share: float) -> list:
        big = max(1, round(total * big_share))
        others = [a for a in self.people.applicants if a is not self.people.big]
        # A few organisations are far busier than most (a long tail, as in any programme).
        weights = [1 / (1 + (i % 50)) ** 0.5 for i in range(len(others))]
        rest = [self.people.big] * (big - 1) + (self.rng.choices(others, weights, k=total - big) if others else [])
        self.rng.shuffle(rest)
        return [self.people.big, *rest][:total]

    # --- when ----------------------------------------------------------------------------------------------

    def _window(self, plan: Plan, path: list[str]) -> tuple[datetime.datetime, datetime.datetime] | None:
        """(submitted, last step before any decision) for a submitted proposal; sets the meeting of decided ones."""
        now, rng = self.now, self.rng
        if plan.final in (Status.APPROVED, Status.REJECTED):
            # A meeting of a cycle whose intake (within the dataset's years) ends 40 days before it at the latest.
            meetings = [m for m in self.past_meetings.get(plan.track.programme_id, [])
                        if max(intake(m.cycle.year)[0], self.start) < min(intake(m.cycle.year)[1],
                                                                          m.starts_at - 40 * DAY)]
            if not meetings:
                return None
            meeting = rng.choice(meetings)
            first, last = intake(meeting.cycle.year)
            submitted = between(rng, max(first, self.start), min(last, meeting.starts_at - 40 * DAY))
            plan.meeting = meeting
            return submitted, meeting.starts_at - 3 * DAY
        min_span = 3 * DAY * len(path)
        if rng.random() < 0.75:
            submitted = between(rng, now - 150 * DAY - min_span, now - min_span - 2 * DAY)
        else:
            submitted = between(rng, self.start, now - 150 * DAY - min_span)
        return submitted, submitted + max(min_span, (now - 2 * HOUR - submitted) * (0.3 + 0.7 * rng.random()))

    def _times(self, plan: Plan, path: list[str], submitted, last, *, room: float) -> list[datetime.datetime]:
        weights = [1.0] * (len(path) - 1)
        if Status.PRE_CONSULTING in path:
            first_pre = path.index(Status.PRE_CONSULTING)
            if first_pre < len(weights):
                weights[first_pre] = room  # time for the session and its report before the next move
        decided = plan.final in (Status.APPROVED, Status.REJECTED)
        if decided:
            times = [submitted, *spread(self.rng, submitted, last, len(path) - 2, weights[:-1])]
            return [*times, plan.meeting.starts_at + 2 * HOUR]
        return [submitted, *spread(self.rng, submitted, last, len(path) - 1, weights)]

    def _sessions(self, plan: Plan, path: list[str], times: list[datetime.datetime]) -> bool:
        """The consulting sessions of the first pre-consulting stage; False when no slot fits before the next move."""
        if Status.PRE_CONSULTING not in path:
            return True
        at = path.index(Status.PRE_CONSULTING)
        asked = times[at]
        if at + 1 < len(path):
            found = self.slots.first_free(asked + 26 * HOUR, times[at + 1] - 3 * HOUR)
            if found is None:
                return False
            plan.sessions.append(Session(found[0], found[1], asked, BookingStatus.HELD, report=True))
        elif asked < self.now - 4 * DAY and self.rng.random() < 0.6:
            found = self.slots.first_free(asked + 26 * HOUR, self.now - 3 * DAY)
            if found is not None:
                # A few reports are overdue (the consultant's reminder went out).
                plan.sessions.append(Session(found[0], found[1], asked, BookingStatus.HELD,
                                             report=self.rng.random() < 0.7))
        if not plan.sessions or plan.sessions[-1].status != BookingStatus.HELD:
            found = self.slots.first_free(max(asked + 26 * HOUR, self.now + 2 * HOUR), self.now + 21 * DAY)
            if found is not None:
                plan.sessions.append(Session(found[0], found[1], min(asked, self.now), BookingStatus.CONFIRMED))
        if plan.sessions and self.rng.random() < 0.05:
            # Cancelled sessions do not hold their slot (the exclusion constraint leaves them out).
            first = plan.sessions[0]
            plan.sessions.insert(0, Session(first.consultant, first.start - 2 * DAY, asked,
                                            BookingStatus.CANCELLED))
        return True

    def _steps(self, plan: Plan, path: list[str], times: list[datetime.datetime]) -> list[Step]:
        steps = []
        for to, at, actor in zip(path, times, actors(path), strict=True):
            note, internal = "", False
            if to in (Status.INFO_REQUESTED, Status.WITHDRAWN):
                note = self.prose.text(300, 2000)
            elif actor == STAFF and self.rng.random() < 0.3:
                note, internal = self.prose.text(200, 1000), self.rng.random() < 0.25
            steps.append(Step(to=to, at=at, actor=actor, note=note, internal=internal))
        return steps

    # --- all of them -----------------------------------------------------------------------------------------

    def plans(self, *, total: int, big_share: float, changes_per_proposal: float, messages_per_proposal: float
              ) -> list[Plan]:
        rng = self.rng
        finals, weights = zip(*FINAL_WEIGHTS.items(), strict=True)
        plans, paths, windows = [], [], []
        for index, applicant in enumerate(self._applicants(total, big_share)):
            sample = index == 0
            track = next(t for t in self.tracks if t.slug == "smart-solution-planning") if sample else \
                self._track_for(applicant.organisation.kind)
            final = Status.COMMITTEE_REVIEW if sample else rng.choices(finals, weights)[0]
            plan = Plan(index=index, applicant=applicant, track=track, final=final, created_at=self.now,
                        updated_at=self.now, sample=sample)
            pre = track.pre_consulting_required or final == Status.PRE_CONSULTING or rng.random() < 0.5
            path = SAMPLE_PATH if sample else path_to(final, pre_consulting=pre, rng=rng)
            window = (self.now - 150 * DAY, self.now - 5 * DAY) if sample else None
            if path and path[0] == Status.SUBMITTED and window is None:
                window = self._window(plan, path)
                if window is None:  # no meeting could have decided it: it waits in screening instead
                    plan.final, path = Status.SCREENING, [Status.SUBMITTED, Status.SCREENING]
                    window = self._window(plan, path)
            plans.append(plan)
            paths.append(path)
            windows.append(window)
        self._add_loops(plans, paths, windows, target=round(changes_per_proposal * total))
        for plan, path, window in zip(plans, paths, windows, strict=True):
            self._schedule(plan, path, window)
        self._number(plans)
        self._messages(plans, target=round(messages_per_proposal * total))
        return plans

    def _add_loops(self, plans, paths, windows, *, target: int) -> None:
        """Spread information requests and returns over the proposals until the history has `target` moves."""
        room = []
        for i, (plan, window) in enumerate(zip(plans, windows, strict=True)):
            if plan.sample or window is None or plan.final == Status.WITHDRAWN:
                continue
            if any(s in (Status.SCREENING, Status.PRE_CONSULTING) for s in paths[i]):
                capacity = int((window[1] - window[0]) / (6 * DAY)) - len(paths[i])
                room.extend([i] * max(0, capacity))
        loops = max(0, target - sum(len(p) for p in paths)) // 2
        counts: dict[int, int] = defaultdict(int)
        for i in (self.rng.sample(room, min(loops, len(room))) if room else []):
            counts[i] += 1
        for i, extra in counts.items():
            paths[i] = add_loops(paths[i], extra, self.rng)

    def _schedule(self, plan: Plan, path: list[str], window) -> None:
        rng, now = self.rng, self.now
        organisation = plan.applicant.organisation
        plan.country = str(organisation.country)
        if organisation.kind == OrganisationKind.KOREAN_COMPANY and plan.track.programme.slug != "sandbox":
            plan.country = rng.choice(["ID", "VN", "TH", "PH", "KE", "CO", "PL", "MN", "UZ", "PE"])
        plan.level = {OrganisationKind.NATIONAL: "national", OrganisationKind.REGIONAL: "regional"}.get(
            organisation.kind, "city")
        plan.region = f"{organisation.region_city} {plan.index + 1}"  # its own place: one per jurisdiction holds
        if not path:  # a draft
            fresh = rng.random() < 0.12
            plan.created_at = between(rng, now - 10 * DAY, now - HOUR) if fresh else between(rng, self.start, now)
            plan.updated_at = min(now - HOUR, plan.created_at + rng.random() * 20 * DAY)
            return
        if window is None:  # withdrawn before it was ever submitted
            created = between(rng, self.start, now - 3 * DAY)
            times = [min(now - HOUR, created + (1 + rng.random() * 60) * DAY)]
        else:
            created = window[0] - (2 + rng.random() * 58) * DAY
            for room in (4.0, 40.0):  # a wider gap after pre-consulting when no slot fitted the first time
                times = self._times(plan, path, *window, room=room)
                if self._sessions(plan, path, times):
                    break
            else:  # every consultant booked up: it is still waiting for its session
                waiting = path.index(Status.PRE_CONSULTING) + 1
                path, times = path[:waiting], times[:waiting]
                plan.meeting = None
                self._sessions(plan, path, times)
        plan.created_at = created
        plan.steps = self._steps(plan, path, times)
        plan.updated_at = plan.steps[-1].at
        plan.final = plan.steps[-1].to
        if plan.submitted_at is not None:
            day = plan.submitted_at.astimezone(SEOUL).date()
            plan.cycle = self.cycles[(plan.track.programme_id, cycle_year(day))]
            plan.assigned_staff = rng.randrange(self.staff) if rng.random() < 0.9 else None
        if plan.final == Status.COMMITTEE_REVIEW and plan.cycle is not None:
            plan.meeting = self.coming_meetings.get((plan.track.programme_id, plan.cycle.year))

    def _number(self, plans: list[Plan]) -> None:
        """References in order of submission per programme prefix and Seoul year, after those already handed out."""
        taken = {(c.prefix, c.year): c.last_number for c in ReferenceCounter.objects.all()}
        groups: dict[tuple[str, int], list[Plan]] = defaultdict(list)
        for plan in plans:
            if plan.submitted_at is not None:
                year = plan.submitted_at.astimezone(SEOUL).year
                groups[(plan.track.programme.reference_prefix, year)].append(plan)
        self.counters = {}
        for (prefix, year), members in groups.items():
            members.sort(key=lambda p: (p.submitted_at, p.index))
            base = taken.get((prefix, year), 0)
            for number, plan in enumerate(members, start=base + 1):
                plan.reference = f"{prefix}-{year}-{number:04d}"
            self.counters[(prefix, year)] = base + len(members)

    def _messages(self, plans: list[Plan], *, target: int) -> None:
        asked = sum(1 for p in plans for s in p.steps if s.to == Status.INFO_REQUESTED)
        submitted = [p for p in plans if p.submitted_at is not None and not p.sample]
        for plan in plans:
            if plan.sample:
                plan.messages = SAMPLE_MESSAGES
        free = max(0, target - asked - SAMPLE_MESSAGES)
        for plan in self.rng.choices(submitted, k=free) if submitted else []:
            plan.messages += 1

