"""The member's meeting page (invitation, agenda, papers, reviews due, ranking, final minutes), the staff's meeting
page under the new rules (open, in-room count form) and the API's same refusals."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from rest_framework.test import APIClient

from committee import selectors
from committee.models import Decision, DecisionRule, MeetingStatus, Outcome, Review, VotingMode
from committee.services import (
    agenda_item_add,
    assignment_create,
    attendance_record,
    conflict_declare,
    decision_record,
    meeting_open,
    minutes_finalise,
    minutes_generate,
)
from tests.committee.helpers import committee, decided_setup, meeting_for, member, proposal_in_review, rubric
from tests.factories import StaffFactory, UserFactory
from tests.factories.proposals import AttachmentFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/committee"
N = 3
# Session, user, the meeting, the member, their permission checks, the agenda (items, documents), the rule, the
# minutes, their attendance, the navigation's counts: none of them per agenda item.
MEMBER_MEETING_QUERIES = 13
# The page, its agenda items, their proposals, the default rule (once); no count: a first page that is not full is
# the whole list (core.pagination).
API_MEETING_LIST_QUERIES = 4


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _agenda(items: int):
    """A meeting three weeks ahead with `items` proposals, each with a document; the member is assigned the
    first, declared no conflict on all but the last (a conflict) and submitted no review yet."""
    staff = StaffFactory(language="en")
    first = proposal_in_review(staff=staff)
    rubric(first.track.programme)
    seat = member(co_chair=True)
    meeting = meeting_for(first, staff=staff, days_ahead=21)
    proposals = [first]
    for _ in range(items - 1):
        proposals.append(proposal_in_review(staff=staff, track=first.track))
        agenda_item_add(meeting=meeting, proposal=proposals[-1], by=staff)
    for n, proposal in enumerate(proposals):
        AttachmentFactory(proposal=proposal, kind="budget", original_name=f"budget-{n}.pdf")
        assignment_create(proposal=proposal, member=seat, by=staff)
        last = n == len(proposals) - 1
        conflict_declare(member=seat, proposal=proposal, has_conflict=last, reason="Adviser" if last else "")
    return staff, seat, meeting, proposals


def test_member_sees_invitation_agenda_papers_and_reviews_due(client):
    _staff, seat, meeting, proposals = _agenda(3)
    client.force_login(seat.user)

    response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="invitation"' in body and reverse("committee:meeting-ics", args=[meeting.pk]) in body
    assert all(p.reference in body for p in proposals)
    assert "budget-0.pdf" in body and "budget-1.pdf" in body
    assert "budget-2.pdf" not in body and "Not shown: conflict of interest" in body  # the conflicted one
    reviews = body.split('id="reviews-due"')[1].split("</section>")[0]
    assert proposals[0].reference in reviews and proposals[2].reference not in reviews
    assert "due by" in reviews
    assert "The ranking of the agenda is shown to members once the meeting is opened." in body
    assert "The minutes are shown to members once they are final." in body


@pytest.mark.parametrize("items", [N, 2 * N])
def test_member_meeting_page_queries_do_not_grow_with_the_agenda(client, django_assert_num_queries, items):
    _staff, seat, meeting, proposals = _agenda(items)
    client.force_login(seat.user)

    with django_assert_num_queries(MEMBER_MEETING_QUERIES):
        response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    assert all(p.reference in response.content.decode() for p in proposals)


def test_member_not_serving_gets_404_and_an_applicant_403(client):
    _staff, _seat, meeting, proposals = _agenda(1)
    former = member()
    former.term_end = datetime.date(2024, 6, 30)
    former.save()

    client.force_login(former.user)
    not_serving = client.get(meeting.get_absolute_url())
    client.force_login(proposals[0].owner)
    applicant = client.get(meeting.get_absolute_url())

    assert (not_serving.status_code, applicant.status_code) == (404, 403)


def test_member_downloads_the_invitation_as_ics(client):
    _staff, seat, meeting, _proposals = _agenda(1)
    client.force_login(seat.user)

    response = client.get(reverse("committee:meeting-ics", args=[meeting.pk]))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title
    assert event.decoded("DTSTART") == meeting.starts_at.astimezone(datetime.UTC).replace(microsecond=0)
    assert str(event["ATTENDEE"]) == f"mailto:{seat.user.email}"


def test_ranking_side_by_side_after_opening_and_withheld_where_conflicted(client):
    staff, seat, meeting, proposals = _agenda(3)
    criteria = list(rubric(proposals[0].track.programme).criteria.all())
    for proposal, total in zip(proposals, ("3.50", "4.25", "2.00"), strict=True):
        review = Review.objects.create(member=member(), proposal=proposal, submitted_at=timezone.now(),
                                       weighted_total=Decimal(total))
        review.scores.create(criterion=criteria[0], value=4)
    meeting.starts_at = timezone.now() - datetime.timedelta(hours=1)
    meeting.save(update_fields=["starts_at"])
    meeting_open(meeting=meeting, by=staff)

    ranking = selectors.agenda_ranking(meeting=meeting, member=seat)
    client.force_login(seat.user)
    body = client.get(meeting.get_absolute_url()).content.decode()

    assert [(r.proposal.pk, r.rank, r.weighted, r.withheld) for r in ranking.rows] == [
        (proposals[1].pk, 1, Decimal("4.25"), False), (proposals[0].pk, 2, Decimal("3.50"), False),
        (proposals[2].pk, None, None, True),
    ]
    assert ranking.rows[0].criteria[0] == (criteria[0], Decimal("4.00"))
    assert 'id="ranking-table"' in body and "Not shown to you: you declared a conflict of interest" in body
    staff_rows = selectors.agenda_ranking(meeting=meeting).rows
    assert [r.rank for r in staff_rows] == [1, 2, 3]


def test_member_reads_the_minutes_only_once_final(client):
    staff, proposal, members, meeting = decided_setup(size=3)
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                    votes_against=3, reasons="No")
    minutes = minutes_generate(meeting=meeting, by=staff)
    client.force_login(members[1].user)
    pdf = reverse("committee:minutes-pdf", args=[meeting.pk])

    draft = client.get(pdf)
    minutes_finalise(minutes=minutes, by=staff)
    final = client.get(pdf)
    page = client.get(meeting.get_absolute_url()).content.decode()

    assert draft.status_code == 403
    assert final.status_code == 200 and final.content.startswith(b"%PDF-")
    assert 'id="minutes-pdf"' in page


# --- the staff's meeting page ---------------------------------------------------------------------------------


def test_staff_page_explains_a_future_meeting_and_opens_one_on_its_date(client):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    later = meeting_for(proposal, staff=staff, days_ahead=21)
    today = meeting_for(proposal_in_review(staff=staff), staff=staff, days_ahead=0)
    today.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    today.save(update_fields=["starts_at"])
    client.force_login(staff)

    future_page = client.get(later.get_absolute_url()).content.decode()
    opened = client.post(today.get_absolute_url(), {"action": "open"})
    refused = client.post(later.get_absolute_url(), {"action": "open"}, follow=True).content.decode()

    assert 'id="open-refusal"' in future_page and 'id="attendance-form"' not in future_page
    assert "Majority of members present: an outcome needs" in future_page
    assert opened.status_code == 302
    today.refresh_from_db()
    later.refresh_from_db()
    assert (today.status, later.status) == (MeetingStatus.OPEN, MeetingStatus.SCHEDULED)
    assert "it can be opened on that day, not before." in refused


def test_staff_in_room_count_refused_with_the_numbers_keeps_the_counts_then_passes(client):
    staff, proposal, _members, meeting = decided_setup(size=5)
    client.force_login(staff)
    item = meeting.agenda_items.get()
    form = {"action": "decide", "item": item.pk, "outcome": "approve", "support_amount_krw": 300_000_000,
            "conditions": "Train officials", "votes_abstain": 2, "votes_against": 1}

    refused = client.post(meeting.get_absolute_url(), {**form, "votes_for": 2})
    passed = client.post(meeting.get_absolute_url(), {**form, "votes_for": 3, "votes_abstain": 1})

    body = refused.content.decode()
    assert refused.status_code == 200
    assert "The decision does not meet the rule: 2 for of 5 present; needs 3." in body
    assert 'name="votes_for" value="2"' in body  # what staff typed stays in the form
    assert passed.status_code == 302
    assert Decision.objects.get(proposal=proposal).votes_for == 3


def test_online_meeting_has_no_count_fields_and_member_vote_refusal_is_a_message(client):
    staff, proposal, members, meeting = decided_setup(size=3)  # in the room
    conflict_declare(member=members[0], proposal=proposal, has_conflict=False)
    client.force_login(members[0].user)

    response = client.post(reverse("committee:vote", args=[meeting.agenda_items.get().pk]), {"choice": "for"},
                           follow=True)

    assert "This meeting counts votes in the room; members do not vote online." in response.content.decode()
    online = decided_setup(size=3, voting_mode=VotingMode.ONLINE)[3]
    client.force_login(staff)
    assert 'name="votes_for"' not in client.get(online.get_absolute_url()).content.decode()


# --- the API: the same rules ------------------------------------------------------------------------------------


def test_api_refuses_a_decision_below_the_rule_with_the_numbers():
    staff, proposal, _members, meeting = decided_setup(size=5)

    response = _api(staff).post(f"{API}/decisions/", {
        "meeting": meeting.pk, "proposal": proposal.pk, "outcome": "approve", "support_amount_krw": 100_000_000,
        "votes_for": 2, "votes_against": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The decision does not meet the rule: 2 for of 5 present; needs 3.",
                               "code": "rule_not_met"}


def test_api_refuses_a_typed_count_at_an_online_meeting_and_a_member_vote_in_the_room():
    staff, proposal, _members, meeting = decided_setup(size=3, voting_mode=VotingMode.ONLINE)
    counted = _api(staff).post(f"{API}/decisions/", {
        "meeting": meeting.pk, "proposal": proposal.pk, "outcome": "reject", "reasons": "No", "votes_for": 0,
        "votes_against": 3}, format="json")
    in_room = decided_setup(size=3)
    conflict_declare(member=in_room[2][0], proposal=in_room[1], has_conflict=False)
    voted = _api(in_room[2][0].user).post(f"{API}/votes/", {
        "agenda_item": in_room[3].agenda_items.get().pk, "choice": "for"}, format="json")

    assert counted.status_code == 400
    assert "the decision takes the members' own votes" in str(counted.json())
    assert (voted.status_code, voted.json()["detail"]) == (
        400, "This meeting counts votes in the room; members do not vote online.")


def test_api_open_refused_for_a_future_meeting_and_for_members():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    seat = committee(1)[0]
    meeting = meeting_for(proposal, staff=staff, days_ahead=21)

    refused = _api(staff).post(f"{API}/meetings/{meeting.pk}/open/")
    by_member = _api(seat.user).post(f"{API}/meetings/{meeting.pk}/open/")
    rules_list = _api(staff).get(f"{API}/decision-rules/")

    assert refused.status_code == 400 and "it can be opened on that day, not before." in refused.json()["detail"]
    assert by_member.status_code == 403
    assert rules_list.status_code == 200
    assert rules_list.json()["results"][0]["is_default"] is True


def test_api_attendance_refused_before_the_meeting_opens():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(3)
    meeting = meeting_for(proposal, staff=staff, days_ahead=21)

    response = _api(staff).post(f"{API}/meetings/{meeting.pk}/attendance/", {"present": [m.pk for m in members]},
                                format="json")

    assert (response.status_code, response.json()["detail"]) == (
        400, "Attendance is recorded during the meeting: open it first.")


def test_api_member_attendance_needs_staff():
    _staff, _proposal, members, meeting = decided_setup(size=3, present=0)
    other = UserFactory()

    assert _api(members[0].user).post(f"{API}/meetings/{meeting.pk}/attendance/", {"present": []},
                                      format="json").status_code == 403
    assert _api(other).get(f"{API}/decision-rules/").status_code == 403
    attendance_record(meeting=meeting, present=members, by=_staff)


@pytest.mark.parametrize("meetings", [N, 2 * N])
def test_api_meeting_list_costs_the_same_for_n_and_2n_meetings(django_assert_num_queries, meetings):
    staff = StaffFactory(language="en")
    for _ in range(meetings):
        meeting_for(proposal_in_review(staff=staff), staff=staff)
    api = _api(staff)

    with django_assert_num_queries(API_MEETING_LIST_QUERIES):
        response = api.get(f"{API}/meetings/")

    assert response.status_code == 200 and len(response.json()["results"]) == meetings
    assert {row["rule"] for row in response.json()["results"]} == {
        DecisionRule.objects.get(is_default=True).describe()}
