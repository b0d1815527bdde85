"""Committee reads: the meeting page's batch answers are the per-item answers decision_record relies on."""

import datetime
import zoneinfo

import pytest
from django.db.models import Q
from django.utils import timezone

from committee import selectors
from committee.models import Attendance, Meeting, MeetingStatus, VoteChoice, VotingMode
from committee.services import agenda_item_add, attendance_record, conflict_declare, vote_cast
from tests.factories.accounts import StaffFactory
from tests.factories.committee import committee, meeting_for, member, proposal_in_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda():
    """A meeting needing a co-chair, with four items and six serving members (the co-chair first, the sixth
    absent) plus a present member whose term ended before the meeting. Item 0 has no conflicts; on item 1 the
    co-chair is recused; on item 2 two ordinary members are; on item 3 only the absent member declared one."""
    staff = StaffFactory(language="en")
    first = proposal_in_review(staff=staff)
    members = committee(5)
    absent, former = member(), member()
    meeting = meeting_for(first, staff=staff, opened=True, voting_mode=VotingMode.ONLINE)  # default rule: a co-chair
    for _ in range(3):
        agenda_item_add(meeting=meeting, proposal=proposal_in_review(staff=staff, track=first.track), by=staff)
    items = list(meeting.agenda_items.select_related("meeting", "proposal").order_by("order", "id"))
    attendance_record(meeting=meeting, present=[*members, former], by=staff)
    former.term_end = datetime.date(2024, 6, 30)  # recorded present, but no longer serving on the meeting's day
    former.save(update_fields=["term_end"])
    conflicts = {1: [members[0]], 2: [members[1], members[2]], 3: [absent]}
    for index, conflicted in conflicts.items():
        for m in conflicted:
            conflict_declare(member=m, proposal=items[index].proposal, has_conflict=True, reason="Former adviser")
    for index, voter, choice in [(0, members[0], VoteChoice.FOR), (0, members[1], VoteChoice.AGAINST),
                                 (2, members[3], VoteChoice.ABSTAIN)]:
        conflict_declare(member=voter, proposal=items[index].proposal, has_conflict=False)
        vote_cast(member=voter, agenda_item=items[index], choice=choice)
    return meeting, items, members


def test_quorums_for_meeting_equal_quorum_for_each_item(agenda):
    meeting, items, members = agenda

    batch = selectors.quorums_for_meeting(meeting=meeting)

    assert set(batch) == {item.proposal_id for item in items}
    for item in items:
        assert batch[item.proposal_id] == selectors.quorum_for(meeting=meeting, proposal=item.proposal)
    # The cases the equality covers, spelled out: the former member never counts, the recused do not (too few
    # left on item 2), and an item whose only co-chair is recused has no quorum however many are present.
    summary = [(q.serving, q.required, q.present, q.co_chair_present, q.met, [m.pk for m in q.recused])
               for q in (batch[item.proposal_id] for item in items)]
    assert summary == [
        (6, 4, 5, True, True, []),
        (6, 4, 4, False, False, [members[0].pk]),
        (6, 4, 3, True, False, [members[1].pk, members[2].pk]),
        (6, 4, 5, True, True, []),
    ]


def test_quorums_for_meeting_asks_the_same_queries_for_any_agenda(agenda, django_assert_num_queries):
    meeting, _items, _members = agenda

    with django_assert_num_queries(5):  # serving members, attendance, the agenda, its conflict declarations, the rule
        selectors.quorums_for_meeting(meeting=meeting)


def test_vote_tallies_equal_vote_tally_for_each_item(agenda, django_assert_num_queries):
    meeting, items, _members = agenda

    with django_assert_num_queries(1):
        batch = selectors.vote_tallies(meeting=meeting)

    assert batch == {item.pk: selectors.vote_tally(agenda_item=item) for item in items}
    assert [batch[item.pk] for item in items] == [
        {"for": 1, "against": 1, "abstain": 0},
        {"for": 0, "against": 0, "abstain": 0},
        {"for": 0, "against": 0, "abstain": 1},
        {"for": 0, "against": 0, "abstain": 0},
    ]


def test_member_meetings_lists_the_coming_ones_first_then_the_latest_closed_in_one_query(django_assert_num_queries):
    """Coming meetings soonest first, then closed ones latest first, `limit` in all, in one ordered query."""
    staff = StaffFactory(language="en")
    reader = member()
    reader.term_start = datetime.date(2000, 1, 1)
    reader.save(update_fields=["term_start"])
    now = timezone.now()
    made = {}
    for name, days, status in [("soon", 3, MeetingStatus.SCHEDULED), ("later", 9, MeetingStatus.SCHEDULED),
                               ("latest past", -2, MeetingStatus.CLOSED), ("older past", -20, MeetingStatus.CLOSED),
                               ("oldest past", -40, MeetingStatus.CLOSED)]:
        made[name] = meeting = meeting_for(proposal_in_review(staff=staff), staff=staff)
        Meeting.objects.filter(pk=meeting.pk).update(status=status, starts_at=now + datetime.timedelta(days=days))

    with django_assert_num_queries(1):
        shown = selectors.member_meetings(member=reader, limit=4)

    assert [m.pk for m in shown] == [made[n].pk for n in ("soon", "later", "latest past", "older past")]
    assert [m.pk for m in selectors.member_meetings(member=reader, limit=1)] == [made["soon"].pk]
    soon = Meeting.objects.get(pk=made["soon"].pk)  # each read as the ORM reads it (SQLite: the time from text)
    assert (shown[0].title, shown[0].starts_at, shown[0].status) == (soon.title, soon.starts_at, soon.status)
    assert shown[0].starts_at.tzinfo is not None and reader.term_end is None  # a term without an end


def test_member_for_reads_the_membership_once_and_keeps_it_as_the_accessor_does(django_assert_num_queries):
    from accounts.models import User
    from tests.factories import UserFactory

    reader = member()
    user, outsider = User.objects.get(pk=reader.user_id), UserFactory()

    with django_assert_num_queries(2):  # one each
        assert selectors.member_for(user) == reader and selectors.member_for(outsider) is None
        assert selectors.member_for(user) is user.committee_member and user.committee_member.user is user
        assert selectors.member_for(outsider) is None and not hasattr(outsider, "committee_member")


@pytest.mark.parametrize("zone", ["Asia/Seoul", "America/Bogota"])
def test_member_meetings_count_the_term_s_days_in_the_reader_s_time_zone(zone):
    """A meeting is in the term from the first instant of its first day to the last instant of its last day, where
    the reader is (as a `__date` lookup reads them); one they attended is listed whenever it was."""
    staff = StaffFactory(language="en")
    reader = member()
    reader.term_start, reader.term_end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    reader.save(update_fields=["term_start", "term_end"])
    local = zoneinfo.ZoneInfo(zone)
    made = {}
    for name, starts in [("before", datetime.datetime(2026, 2, 28, 23, 59, tzinfo=local)),
                         ("first", datetime.datetime(2026, 3, 1, 0, 0, tzinfo=local)),
                         ("last", datetime.datetime(2026, 3, 31, 23, 59, tzinfo=local)),
                         ("after", datetime.datetime(2026, 4, 1, 0, 0, tzinfo=local)),
                         ("attended after", datetime.datetime(2026, 5, 1, 9, 0, tzinfo=local))]:
        made[name] = meeting = meeting_for(proposal_in_review(staff=staff), staff=staff)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts)
    Attendance.objects.create(meeting=made["attended after"], member=reader, present=True)
    expected = [made[name].pk for name in ("first", "last", "attended after")]

    with timezone.override(local):
        shown = [m.pk for m in selectors.member_meetings(member=reader)]
        by_date = list(Meeting.objects.filter(
            Q(starts_at__date__gte=reader.term_start, starts_at__date__lte=reader.term_end)
            | Q(attendances__member=reader)).order_by("starts_at", "id").values_list("pk", flat=True))

    assert shown == expected == by_date
