"""The committee side of the bench dataset: meetings of every cycle, their agendas, reviewers, declarations,
reviews with scores, attendance, decisions with their letters, minutes, cooperation projects.

Past cycles have two meetings each (July and November, closed once a month has passed); the open cycle and the
one just closed each have a meeting two days from now, planned, whose agenda holds their proposals in committee
review (the review reminder sweep's window). A decision is taken at a meeting of the proposal's cycle, by the
members present (a quorum with a co-chair), and its letter is sent when the proposal's decision is released.
"""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from bench import reminder_keys
from bench.history import DAY, HOUR, SEOUL, Plan, between, cycle_year
from bench.text import Prose
from committee.models import (
    AgendaItem,
    Assignment,
    Attendance,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionLetter,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Outcome,
    Review,
    Score,
)
from cooperation.models import Project
from notifications.models import SentReminder
from proposals.workflow import Status

BATCH = 2000
MEETING_DAYS = ((7, 10), (11, 20))  # month, day (Seoul) of each past cycle's two meetings
REVIEWERS = 3


def meetings_make(*, rng: random.Random, now: datetime.datetime, start: datetime.datetime, programmes, cycles
                  ) -> tuple[dict, dict, list[Meeting]]:
    """(past meetings by programme id, the coming meeting by (programme id, cycle year), all of them)."""
    past, coming, made = defaultdict(list), {}, []
    current = cycle_year(now.astimezone(SEOUL).date())
    for offset, programme in enumerate(programmes):
        for (programme_id, year), cycle in sorted(cycles.items()):
            if programme_id != programme.pk:
                continue
            for month, day in MEETING_DAYS:
                starts = datetime.datetime(year, month, day + offset, 10, tzinfo=SEOUL).astimezone(datetime.UTC)
                if not (start + 60 * DAY < starts < now - 7 * DAY):
                    continue
                status = MeetingStatus.CLOSED if starts < now - 30 * DAY else MeetingStatus.OPEN
                meeting = Meeting(programme=programme, cycle=cycle, starts_at=starts, status=status, opened_at=starts,
                                  closed_at=starts + 4 * HOUR if status == MeetingStatus.CLOSED else None,
                                  title=f"{programme.reference_prefix} committee {year}-{month:02d}",
                                  place="Government Complex Sejong")
                past[programme.pk].append(meeting)
                made.append(meeting)
            if year in (current - 1, current):  # the cycle just closed and the open one: either may be waiting
                starts = (now + 2 * DAY + offset * HOUR).replace(minute=0, second=0, microsecond=0)
                meeting = Meeting(programme=programme, cycle=cycle, starts_at=starts, status=MeetingStatus.SCHEDULED,
                                  title=f"{programme.reference_prefix} committee {year}: review meeting",
                                  place="Government Complex Sejong", video_link="https://meet.example.org/bench")
                coming[(programme.pk, year)] = meeting
                made.append(meeting)
    Meeting.objects.bulk_create(made)
    return past, coming, made


def weighted_total(pairs) -> Decimal:
    """committee.services.weighted_total: sum(value x weight) / sum(weight), half-up to 2 places."""
    weight = sum(Decimal(w) for _v, w in pairs)
    return (sum(Decimal(v) * Decimal(w) for v, w in pairs) / weight).quantize(Decimal("0.01"), ROUND_HALF_UP)


class CommitteeWriter:
    def __init__(self, *, rng: random.Random, now: datetime.datetime, prose: Prose, staff, meetings: list[Meeting]):
        self.rng, self.now, self.prose, self.staff = rng, now, prose, staff
        self.meetings = meetings
        self.members = list(CommitteeMember.objects.select_related("user").order_by("pk"))
        self.lee = next((m for m in self.members if m.user.email == "member@example.org"), self.members[0])
        self.criteria = defaultdict(list)
        for criterion in Criterion.objects.select_related("rubric"):
            self.criteria[criterion.rubric.programme_id].append(criterion)
        co_chairs = [m for m in self.members if m.is_co_chair]
        self.present: dict[int, set[int]] = {}
        for meeting in meetings:
            if meeting.status != MeetingStatus.SCHEDULED:
                others = [m for m in self.members if not m.is_co_chair]
                chosen = rng.sample(others, min(len(others), rng.randint(13, 20)))
                self.present[meeting.pk] = {m.pk for m in [*co_chairs, *chosen]}
        self.order: dict[int, int] = defaultdict(int)
        self.reviewed_by: dict[int, set[int]] = defaultdict(set)  # meeting -> members with assigned proposals
        self.pending: dict[int, set[int]] = defaultdict(set)  # coming meeting -> members with reviews to do
        self.counts: dict[str, int] = {}

    def _save(self, model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + len(rows)
        return rows

    def write(self, plans: list[Plan], proposals: list) -> None:
        rng, prose = self.rng, self.prose
        agenda, assignments, declarations, reviews, decisions, projects = [], [], [], [], [], []
        review_scores: list[tuple[Review, list]] = []
        for plan, proposal in zip(plans, proposals, strict=True):
            meeting = plan.meeting
            if meeting is None:
                continue
            decided = plan.final in (Status.APPROVED, Status.REJECTED)
            self.order[meeting.pk] += 1
            agenda.append(AgendaItem(meeting=meeting, proposal=proposal, order=self.order[meeting.pk]))
            in_review = (plan.steps[-2] if decided else plan.steps[-1]).at
            horizon = min(meeting.starts_at, self.now) - HOUR
            members = rng.sample(self.members, REVIEWERS)
            if plan.sample and self.lee not in members:
                members[0] = self.lee
            criteria = self.criteria.get(plan.track.programme_id, [])
            for member in members:
                assigned = between(rng, in_review + HOUR, min(horizon, in_review + 2 * DAY))
                assignments.append(Assignment(member=member, proposal=proposal, assigned_by=self.staff[0],
                                              assigned_at=assigned))
                declared = between(rng, assigned, min(horizon, assigned + 3 * DAY))
                conflict = rng.random() < 0.03 and not (plan.sample and member is self.lee)
                declarations.append(ConflictDeclaration(
                    member=member, proposal=proposal, has_conflict=conflict, declared_at=declared,
                    reason="Advised this city before." if conflict else ""))
                self.reviewed_by[meeting.pk].add(member.pk)
                if conflict:
                    continue
                if not decided and (plan.sample or not criteria or rng.random() < 0.7):
                    self.pending[meeting.pk].add(member.pk)  # selectors.assignments_awaiting_review finds them
                    continue
                if not criteria:  # a programme without a rubric: decided without scored reviews
                    continue
                values = [rng.randint(1, 5) for _ in criteria]
                review = Review(member=member, proposal=proposal, comment=prose.text(300, 5000),
                                submitted_at=between(rng, declared, horizon),
                                weighted_total=weighted_total(list(zip(values, [c.weight for c in criteria],
                                                                       strict=True))))
                reviews.append(review)
                review_scores.append((review, list(zip(criteria, values, strict=True))))
            if decided:
                decisions.append(self._decision(plan, proposal, meeting))
                if plan.final == Status.APPROVED:
                    projects.append(Project(proposal=proposal, partner_organisation=plan.applicant.organisation,
                                            support_amount_krw=proposal.requested_support_krw,
                                            conditions=prose.line(200), opened_at=plan.steps[-1].at,
                                            opened_by=self._recorder(plan)))
        self._save(AgendaItem, agenda)
        self._save(Assignment, assignments)
        self._save(ConflictDeclaration, declarations)
        self._save(Review, reviews)
        self._save(Score, [Score(review=review, criterion=criterion, value=value)
                           for review, pairs in review_scores for criterion, value in pairs])
        self._save(Decision, [decision for decision, _letter in decisions])
        for decision, letter in decisions:
            letter.decision = decision  # now that the decision has its id
        self._save(DecisionLetter, [letter for _decision, letter in decisions])
        self._save(Project, projects)

    def _recorder(self, plan: Plan):
        return self.staff[plan.index % len(self.staff)]  # bench.rows records the committee's move by the same

    def _decision(self, plan: Plan, proposal, meeting: Meeting) -> tuple[Decision, DecisionLetter]:
        rng = self.rng
        present = len(self.present[meeting.pk])
        majority = rng.randint(present // 2 + 1, present)
        minority = rng.randint(0, present - majority)
        approve = plan.final == Status.APPROVED
        decision = Decision(
            meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE if approve else Outcome.REJECT,
            support_amount_krw=proposal.requested_support_krw if approve else None,
            conditions=self.prose.text(200, 4000) if approve else "", reasons=self.prose.text(300, 4000),
            votes_for=majority if approve else minority, votes_against=minority if approve else majority,
            votes_abstain=present - majority - minority, members_present=present,
            quorum_required=len(self.members) // 2 + 1, co_chair_present=True, recorded_by=self._recorder(plan),
            recorded_at=plan.steps[-1].at,
        )
        released = proposal.decision_released_at
        letter = DecisionLetter(
            message=self.prose.text(500, 10000), status=LetterStatus.SENT if released else LetterStatus.DRAFT,
            approved_by=self.staff[0] if released else None, approved_at=released, sent_at=released,
        )
        return decision, letter

    def finish(self) -> None:
        """Attendance and minutes of past meetings; the review reminders already sent."""
        attendance, minutes, keys = [], [], []
        for meeting in self.meetings:
            if meeting.status == MeetingStatus.SCHEDULED:
                for member_id in sorted(self.pending[meeting.pk]):
                    keys.append(SentReminder(key=reminder_keys.committee_review(meeting.pk, member_id, "3d"),
                                             sent_at=max(meeting.starts_at - 3 * DAY, self.now - DAY)))
                continue
            present = self.present[meeting.pk]
            attendance.extend(Attendance(meeting=meeting, member=m, present=m.pk in present) for m in self.members)
            final = meeting.status == MeetingStatus.CLOSED
            minutes.append(Minutes(
                meeting=meeting, body=self.prose.text(3000, 50000),
                status=MinutesStatus.FINAL if final else MinutesStatus.DRAFT,
                finalised_at=meeting.starts_at + 14 * DAY if final else None, finalised_by=self.staff[0] if final
                else None, updated_at=meeting.starts_at + 14 * DAY if final else meeting.starts_at + DAY))
            for member_id in sorted(self.reviewed_by[meeting.pk]):
                for occasion, before in (("3d", 3 * DAY), ("1d", DAY)):
                    keys.append(SentReminder(key=reminder_keys.committee_review(meeting.pk, member_id, occasion),
                                             sent_at=meeting.starts_at - before))
        self._save(Attendance, attendance)
        self._save(Minutes, minutes)
        self._save(SentReminder, keys)
