"""What every beat sweep costs, measured in queries (never in time):

- with nothing due, the same number of queries for 1 and for 50 rows that are not due (out of the sweep's window,
  or reminded already), so an idle run is proportional to what is due, not to the table;
- with k due rows the cost is a + b·k (the same extra queries for each further row: linear, nothing quadratic);
- a run right after a run finds nothing, costs what an idle run costs, inserts nothing (no unique insert retried
  for rows reminded already) and sends nothing twice.

The proposals' staff digest is also shown to be bounded: it lists DIGEST_LIST_LIMIT rows, gives the total and
links to the inbox, and costs the same for 25 and 50 overdue proposals.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.models import AgendaItem, Meeting
from committee.reminders import review_reminders_send
from consulting.reminders import reminders_send as booking_reminders_send
from cooperation import reminders_meetings
from cooperation import reminders_reports as coop_reminders
from cooperation.models import Deliverable, Milestone, Side, WorkStatus
from notifications.models import Notice, OutboxEmail, SentReminder
from notifications.tasks import outbox_redrive
from proposals import reminders as proposal_reminders
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, TrackFactory, UserFactory
from tests.factories.accounts import applicant
from tests.factories.committee import AssignmentFactory, CommitteeMemberFactory, meeting_for, proposal_in_review
from tests.factories.consulting import BookingFactory, ConsultantFactory, SessionTypeFactory
from tests.factories.cooperation_meetings import action_for, meeting_held, project_cast
from tests.factories.cooperation_reports import project_for_reports
from tests.sql import sent as sent_sql

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@dataclass
class Run:
    result: object
    queries: int
    sql: list[str]

    @property
    def inserts(self) -> list[str]:
        return [q for q in self.sql if q.lstrip().upper().startswith("INSERT")]


def run(sweep: Callable[[], object]) -> Run:
    with CaptureQueriesContext(connection) as captured:
        result = sweep()
    return Run(result, len(captured), sent_sql(captured))


def sent() -> tuple[int, int, int]:
    """Notices, e-mails queued, e-mails handed to the mail backend."""
    return Notice.objects.count(), OutboxEmail.objects.count(), len(mail.outbox)


def total(result) -> int:
    return sum(result.values()) if isinstance(result, dict) else int(result)


def check_sweep(*, sweep, not_due, due, idle_queries: int) -> list[int]:
    """The three rules of the module docstring for one sweep. `not_due(n)` adds n rows the sweep must leave alone
    (it may run the sweep to claim them: they are then reminded already); `due(k)` adds k due rows. Returns the
    measured cost of runs with 1, 2 and 3 due rows."""
    not_due(1)
    one = run(sweep)
    not_due(49)
    fifty = run(sweep)
    assert total(one.result) == total(fifty.result) == 0
    assert one.queries == fifty.queries == idle_queries, (one.queries, fifty.queries)
    assert not fifty.inserts

    costs = []
    for k in (1, 2, 3):
        due(k)
        busy = run(sweep)
        assert total(busy.result) == k
        costs.append(busy.queries)
        before = sent()
        again = run(sweep)
        assert total(again.result) == 0
        assert again.queries == idle_queries
        assert not again.inserts  # no claim tried again for what was reminded
        assert sent() == before  # nothing sent twice
    assert costs[2] - costs[1] == costs[1] - costs[0] > 0, costs  # a + b·k
    return costs


# --- proposals: quiet drafts and unanswered information requests ----------------------------------------------


@pytest.fixture
def proposal_maker():
    track, owner = TrackFactory(), applicant()

    def make(count: int, **fields) -> list[Proposal]:
        made = [ProposalFactory(track=track, owner=owner, organisation=owner.organisation) for _ in range(count)]
        Proposal.objects.filter(pk__in=[p.pk for p in made]).update(**fields)
        return made

    return make


NOW = timezone.now().replace(microsecond=0)


def test_draft_sweep_scales_with_what_is_due(proposal_maker):
    sweep = lambda: proposal_reminders.draft_reminders_send(now=NOW)  # noqa: E731

    def not_due(n):
        reminded = n // 2 or 1
        proposal_maker(reminded, updated_at=NOW - 20 * DAY)
        proposal_reminders.draft_reminders_send(now=NOW)  # reminded for this quiet spell from now on
        proposal_maker(n - reminded, updated_at=NOW - 5 * DAY)  # not quiet long enough

    costs = check_sweep(
        sweep=sweep, not_due=not_due, due=lambda k: proposal_maker(k, updated_at=NOW - 15 * DAY), idle_queries=1
    )
    assert Notice.objects.filter(event="draft_stale_reminder").count() == 25 + 6
    print("draft sweep, queries with 1, 2, 3 due:", costs)


def test_info_request_sweep_scales_with_what_is_due(proposal_maker):
    sweep = lambda: proposal_reminders.info_request_reminders_send(now=NOW)  # noqa: E731

    def not_due(n):
        reminded = n // 2 or 1
        proposal_maker(reminded, status=Status.INFO_REQUESTED, status_changed_at=NOW - 10 * DAY)
        proposal_reminders.info_request_reminders_send(now=NOW)
        proposal_maker(n - reminded, status=Status.INFO_REQUESTED, status_changed_at=NOW - 3 * DAY)

    def due(k):
        proposal_maker(k, status=Status.INFO_REQUESTED, status_changed_at=NOW - 8 * DAY)

    costs = check_sweep(sweep=sweep, not_due=not_due, due=due, idle_queries=1)
    print("info-request sweep, queries with 1, 2, 3 due:", costs)


# --- proposals: the staff digest ---------------------------------------------------------------------------------


def _overdue(proposal_maker, count: int) -> None:
    made = proposal_maker(count, status=Status.SCREENING, due_at=NOW - DAY)
    for n, proposal in enumerate(made):
        Proposal.objects.filter(pk=proposal.pk).update(reference=f"KCN-S-{proposal.pk}", due_at=NOW - DAY - n * HOUR)


def test_digest_asks_first_whether_today_went_out(proposal_maker):
    StaffFactory()
    SentReminder.objects.create(key=f"{proposal_reminders.DIGEST_KEY_PREFIX}{NOW.astimezone(SEOUL):%Y-%m-%d}")
    _overdue(proposal_maker, 1)
    one = run(lambda: proposal_reminders.staff_digest_send(now=NOW))
    _overdue(proposal_maker, 49)
    fifty = run(lambda: proposal_reminders.staff_digest_send(now=NOW))

    assert (one.result, fifty.result) == (False, False)
    assert one.queries == fifty.queries == 1


def test_digest_list_is_bounded_with_the_total_and_a_link_to_the_inbox(proposal_maker, settings):
    StaffFactory(language="en")
    _overdue(proposal_maker, 25)
    first = run(lambda: proposal_reminders.staff_digest_send(now=NOW))
    SentReminder.objects.filter(key__startswith=proposal_reminders.DIGEST_KEY_PREFIX).delete()
    Notice.objects.all().delete()
    _overdue(proposal_maker, 25)
    second = run(lambda: proposal_reminders.staff_digest_send(now=NOW))
    # Later the same Seoul day (an hour later, unless the run is in its last hour: NOW is the test's start).
    seoul_midnight = datetime.datetime.combine(NOW.astimezone(SEOUL).date() + datetime.timedelta(days=1),
                                               datetime.time.min, SEOUL)
    later = min(NOW + HOUR, seoul_midnight - datetime.timedelta(seconds=1))
    again = run(lambda: proposal_reminders.staff_digest_send(now=later))

    assert (first.result, second.result, again.result) == (True, True, False)
    assert first.queries == second.queries  # 25 or 50 overdue: the same work
    assert again.queries == 1
    body = Notice.objects.get(event="staff_digest").body
    limit = proposal_reminders.DIGEST_LIST_LIMIT
    most_overdue = Proposal.objects.filter(status=Status.SCREENING).order_by("due_at", "pk")
    listed = [p.reference for p in most_overdue if f"- {p.reference} “" in body]
    assert listed == [p.reference for p in most_overdue[:limit]]
    assert "50 proposals are overdue:" in body
    assert (
        f"The first {limit} are listed; all of them are in the inbox: "
        f"{settings.SITE_URL}/proposals/staff/inbox/?section=overdue&scope=all"
    ) in body


# --- consulting: session reminders ------------------------------------------------------------------------------


def test_booking_sweep_scales_with_what_is_due():
    now = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    consultant, session_type, booker = ConsultantFactory(), SessionTypeFactory(), UserFactory()
    later = iter(range(1000))

    def not_due(n):
        reminded = n // 2 or 1
        for step in range(reminded):  # in the 24 h window, its reminder claimed: one consultant each (no overlap)
            BookingFactory(start=now + 10 * HOUR + step * datetime.timedelta(minutes=7, microseconds=13))
        booking_reminders_send(now=now)
        for _ in range(n - reminded):  # days ahead: not in any window yet
            BookingFactory(
                consultant=consultant,
                session_type=session_type,
                booked_by=booker,
                start=now + 3 * DAY + 3 * HOUR * next(later),
            )

    def due(k):
        for step in range(k):
            BookingFactory(start=now + 12 * HOUR + step * datetime.timedelta(minutes=11))

    costs = check_sweep(sweep=lambda: booking_reminders_send(now=now), not_due=not_due, due=due, idle_queries=3)
    print("booking sweep, queries with 1, 2, 3 due:", costs)


# --- committee: reviews pending before a meeting ----------------------------------------------------------------


def test_committee_sweep_scales_with_what_is_due():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    meeting = meeting_for(proposal, staff=staff, days_ahead=10)
    far = Meeting.objects.create(
        programme=meeting.programme, cycle=meeting.cycle, title="Later meeting", starts_at=meeting.starts_at + 20 * DAY
    )
    far_proposal = ProposalFactory(track=proposal.track)
    AgendaItem.objects.create(meeting=far, proposal=far_proposal)
    now = meeting.starts_at - 2 * DAY
    sweep = lambda: review_reminders_send(now=now)  # noqa: E731

    def not_due(n):
        reminded = n // 2 or 1
        for _ in range(reminded):
            AssignmentFactory(member=CommitteeMemberFactory(), proposal=proposal)
        review_reminders_send(now=now)  # reminded for this meeting and occasion from now on
        for _ in range(n - reminded):  # their meeting is weeks away
            AssignmentFactory(member=CommitteeMemberFactory(), proposal=far_proposal)

    def due(k):
        for _ in range(k):
            AssignmentFactory(member=CommitteeMemberFactory(), proposal=proposal)

    costs = check_sweep(sweep=sweep, not_due=not_due, due=due, idle_queries=1)
    print("committee sweep, queries with 1, 2, 3 due:", costs)


# --- cooperation: milestones, deliverables and reports; action items; the weekly digest --------------------------

COOP_NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SEOUL)
COOP_TODAY = COOP_NOW.date()


def test_cooperation_work_sweep_scales_with_what_is_due():
    project = project_for_reports(milestones=0, indicators=0).project

    def milestones(count, due_date):
        return Milestone.objects.bulk_create(
            Milestone(
                project=project,
                title=f"Milestone {n}",
                owner_side=Side.CONTRACTOR,
                due_date=due_date,
                status=WorkStatus.PENDING,
            )
            for n in range(count)
        )

    def not_due(n):
        reminded = n // 2 or 1
        milestones(reminded, COOP_TODAY - 40 * DAY)
        coop_reminders.reminders_sweep(now=COOP_NOW)  # told they are overdue, once
        later = milestones(n - reminded, COOP_TODAY + 60 * DAY)
        Deliverable.objects.bulk_create(
            Deliverable(milestone=m, title="Later", owner_side=Side.PARTNER, due_date=COOP_TODAY + 50 * DAY)
            for m in later
        )

    costs = check_sweep(
        sweep=lambda: coop_reminders.reminders_sweep(now=COOP_NOW),
        not_due=not_due,
        due=lambda k: milestones(k, COOP_TODAY + 14 * DAY),
        idle_queries=3,
    )
    print("cooperation work sweep, queries with 1, 2, 3 due:", costs)


def test_cooperation_digest_asks_first_whether_this_week_went_out():
    project = project_for_reports(milestones=0, indicators=0).project
    year, week, _day = COOP_TODAY.isocalendar()
    SentReminder.objects.create(key=f"{coop_reminders.DIGEST_KEY_PREFIX}{year}-W{week:02d}")
    digest = lambda: coop_reminders.weekly_digest_send(now=COOP_NOW)  # noqa: E731

    Milestone.objects.create(project=project, title="Late", owner_side=Side.CONTRACTOR, due_date=COOP_TODAY - DAY)
    one = run(digest)
    Milestone.objects.bulk_create(
        Milestone(project=project, title=f"Late {n}", owner_side=Side.CONTRACTOR, due_date=COOP_TODAY - DAY)
        for n in range(49)
    )
    fifty = run(digest)

    assert (one.result, fifty.result) == (False, False)
    assert one.queries == fifty.queries == 1


def test_action_item_sweep_scales_with_what_is_due():
    cast = project_cast()
    meeting = meeting_held(cast, days=-40)
    today = timezone.localdate()
    counter = iter(range(1000))

    def not_due(n):
        reminded = n // 2 or 1
        for _ in range(reminded):  # overdue (not yet for escalation), reminded by this run
            action_for(cast, meeting, due_in=-5, title=f"Late {next(counter)}")
        reminders_meetings.action_reminders_send(today=today)
        for _ in range(n - reminded):
            action_for(cast, meeting, due_in=30, title=f"Later {next(counter)}")

    def due(k):
        for _ in range(k):
            action_for(cast, meeting, due_in=3, title=f"Soon {next(counter)}")

    costs = check_sweep(
        sweep=lambda: reminders_meetings.action_reminders_send(today=today), not_due=not_due, due=due, idle_queries=2
    )
    print("action item sweep, queries with 1, 2, 3 due:", costs)


# --- notifications: the outbox redrive ------------------------------------------------------------------------


def test_outbox_redrive_scales_with_what_is_due():
    user = UserFactory()

    def emails(count, *, state, age):
        made = OutboxEmail.objects.bulk_create(
            OutboxEmail(user=user, to_email=user.email, event="staff_notice", subject="Hello", body="Text", state=state)
            for _ in range(count)
        )
        OutboxEmail.objects.filter(pk__in=[e.pk for e in made]).update(created_at=timezone.now() - age)

    def not_due(n):
        emails(n // 2 or 1, state=OutboxEmail.State.SENT, age=DAY)  # sent long ago
        emails(n - (n // 2 or 1), state=OutboxEmail.State.PENDING, age=datetime.timedelta(0))  # its task runs now

    def due(k):
        emails(k, state=OutboxEmail.State.PENDING, age=HOUR)

    costs = check_sweep(sweep=lambda: outbox_redrive(older_than_seconds=60), not_due=not_due, due=due, idle_queries=1)
    assert OutboxEmail.objects.filter(state=OutboxEmail.State.SENT).count() == 25 + 6
    print("outbox redrive, queries with 1, 2, 3 due:", costs)


def test_cooperation_digest_lists_the_most_overdue_of_each_kind_at_most(monkeypatch):
    monkeypatch.setattr(coop_reminders, "DIGEST_LIST_LIMIT", 5)
    staff = StaffFactory(language="en")
    projects = [project_for_reports(milestones=0, indicators=0).project for _ in range(2)]
    for n in range(8):  # 8 overdue milestones over two projects, one day apart
        Milestone.objects.create(
            project=projects[n % 2], title=f"Late {n}", owner_side=Side.CONTRACTOR, due_date=COOP_TODAY - (20 - n) * DAY
        )

    first = run(lambda: coop_reminders.weekly_digest_send(now=COOP_NOW))
    body = Notice.objects.get(event="cooperation_overdue_digest", user=staff).body
    again = run(lambda: coop_reminders.weekly_digest_send(now=COOP_NOW + HOUR))

    assert (first.result, again.result) == (True, False)
    assert again.queries == 1
    assert [n for n in range(8) if f"“Late {n}”" in body] == [0, 1, 2, 3, 4]  # the five most overdue
    assert "Only the 5 most overdue of each kind are listed; the back office has them all." in body
