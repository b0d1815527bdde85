"""What the review-reminder sweep costs: one query whatever the number of members and agendas in its window that
are not due (reminded already, reviewed, conflicted, inactive, meeting not planned), and each due reminder once.
Occasions claimed before are written with the keys' Python spelling, as earlier code claimed them."""

import datetime

import pytest
from django.utils import timezone

from committee.models import AgendaItem, Meeting, MeetingStatus, Review
from committee.reminders import review_reminders_send
from notifications.models import Notice, SentReminder
from tests.factories import ProposalFactory, StaffFactory
from tests.factories.committee import (
    AssignmentFactory,
    CommitteeMemberFactory,
    ConflictDeclarationFactory,
    meeting_for,
    proposal_in_review,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def meetings():
    """Two planned meetings 12 hours apart, the first with two proposals on its agenda, the second with one."""
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    first = meeting_for(proposal, staff=staff, days_ahead=10)
    other = ProposalFactory(track=proposal.track)
    AgendaItem.objects.create(meeting=first, proposal=other, order=2)
    second = Meeting.objects.create(programme=first.programme, cycle=first.cycle, title="Second meeting",
                                    starts_at=first.starts_at + DAY / 2)
    AgendaItem.objects.create(meeting=second, proposal=proposal)
    return first, second, proposal, other


def not_due(first, second, proposal, other, occasions=("3d",)) -> None:
    """Five members the sweep looks at and must leave alone."""
    reminded = CommitteeMemberFactory()
    for p in (proposal, other):
        AssignmentFactory(member=reminded, proposal=p)
    for meeting in (first, second):
        for occasion in occasions:
            SentReminder.objects.create(key=f"committee-review:{meeting.pk}:{reminded.pk}:{occasion}")
    reviewed = CommitteeMemberFactory()
    AssignmentFactory(member=reviewed, proposal=proposal)
    Review.objects.create(member=reviewed, proposal=proposal, submitted_at=timezone.now())
    conflicted = CommitteeMemberFactory()
    AssignmentFactory(member=conflicted, proposal=proposal)
    ConflictDeclarationFactory(member=conflicted, proposal=proposal, has_conflict=True)
    AssignmentFactory(member=CommitteeMemberFactory(is_active=False), proposal=proposal)
    held = Meeting.objects.create(programme=first.programme, cycle=first.cycle, title="Held early",
                                  starts_at=first.starts_at, status=MeetingStatus.OPEN)
    AgendaItem.objects.create(meeting=held, proposal=ProposalFactory(track=proposal.track))
    AssignmentFactory(member=CommitteeMemberFactory(), proposal=held.agenda_items.get().proposal)


def test_sweep_one_query_whatever_the_number_of_members_not_due(meetings, django_assert_num_queries):
    first = meetings[0]
    for _round in range(2):
        not_due(*meetings)
        not_due(*meetings)

        with django_assert_num_queries(1):
            assert review_reminders_send(now=first.starts_at - 2 * DAY) == 0


def test_sweep_sends_each_due_reminder_once_per_meeting_and_occasion(meetings, django_assert_num_queries):
    first, second, proposal, other = meetings
    not_due(*meetings, occasions=("3d", "1d"))
    late = CommitteeMemberFactory()
    for p in (proposal, other):
        AssignmentFactory(member=late, proposal=p)
    # The same proposal on a open meeting in the window and on a scheduled one beyond it: no reminders for those.
    for title, starts_at, status in (("Held", first.starts_at, MeetingStatus.OPEN),
                                     ("Later", first.starts_at + 5 * DAY, MeetingStatus.SCHEDULED)):
        elsewhere = Meeting.objects.create(programme=first.programme, cycle=first.cycle, title=title,
                                           starts_at=starts_at, status=status)
        AgendaItem.objects.create(meeting=elsewhere, proposal=proposal)

    three_days = review_reminders_send(now=first.starts_at - 2 * DAY)
    with django_assert_num_queries(1):
        again = review_reminders_send(now=first.starts_at - 2 * DAY + datetime.timedelta(hours=1))
    one_day = review_reminders_send(now=first.starts_at - DAY / 4)
    with django_assert_num_queries(1):
        one_day_again = review_reminders_send(now=first.starts_at - DAY / 4 + datetime.timedelta(hours=1))

    assert (three_days, again, one_day, one_day_again) == (2, 0, 2, 0)
    notices = Notice.objects.filter(event="committee_review_reminder").order_by("pk")
    assert {n.user_id for n in notices} == {late.user_id}
    bodies = [n.body for n in notices]
    assert sum(proposal.reference in b and other.title in b for b in bodies) == 2  # the first meeting's, twice
    assert sorted(n.title for n in notices) == [
        "Reviews due in 3 days: First committee meeting", "Reviews due in 3 days: Second meeting",
        "Reviews due tomorrow: First committee meeting", "Reviews due tomorrow: Second meeting",
    ]
    assert SentReminder.objects.filter(key=f"committee-review:{second.pk}:{late.pk}:1d").exists()
