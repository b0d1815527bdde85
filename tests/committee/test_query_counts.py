"""Query counts of the staff's committee pages, pinned: N rows and 2N rows cost the same queries."""

import pytest
from django.urls import reverse

from committee.models import DecisionLetter
from committee.services import assignment_create, conflict_declare
from tests.factories.committee import decided_meeting, meeting_for, meeting_with_agenda, proposal_in_review

pytestmark = pytest.mark.django_db
N = 3


@pytest.mark.parametrize("items", [N, 2 * N])
def test_meeting_page_queries_do_not_grow_with_the_agenda(client, django_assert_num_queries, items):
    staff, _members, meeting = meeting_with_agenda(items=items)
    client.force_login(staff)

    # The agenda's quorums (quorums_for_meeting: 4) and tallies (vote_tallies: 1) are asked for all items at once.
    with django_assert_num_queries(24):  # 19, the default rule (1), the ranking (4) and the navigation's inbox count
        response = client.get(meeting.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert all(item.proposal.reference in body for item in meeting.agenda_items.select_related("proposal"))


@pytest.mark.parametrize("letters", [N, 2 * N])
def test_decision_letters_list_queries_do_not_grow_with_the_letters(client, django_assert_num_queries, letters):
    staff, _meeting = decided_meeting(decisions=letters)
    client.force_login(staff)

    with django_assert_num_queries(6):  # the page's rows and its count, the navigation's inbox count
        response = client.get(reverse("committee:letters"))

    assert response.status_code == 200
    body = response.content.decode()
    pks = list(DecisionLetter.objects.values_list("pk", flat=True))
    assert len(pks) == letters
    assert all(reverse("committee:letter", args=[pk]) in body for pk in pks)


@pytest.mark.parametrize("meetings", [N, 2 * N])
def test_staff_committee_home_queries_do_not_grow_with_the_meetings(client, django_assert_num_queries, meetings):
    staff, _members, _meeting = meeting_with_agenda(items=1)
    for _ in range(meetings - 1):
        meeting_for(proposal_in_review(staff=staff), staff=staff)
    client.force_login(staff)

    with django_assert_num_queries(7):  # the page's rows and its count, the navigation's inbox count
        response = client.get(reverse("committee:workspace"))

    assert response.status_code == 200
    assert response.content.decode().count("<tr><td><a href=") == meetings


@pytest.mark.parametrize("proposals", [N, 2 * N])
def test_member_workspace_queries_do_not_grow_with_the_proposals(client, django_assert_num_queries, proposals):
    """On an agenda (declared no conflict), assigned and undeclared, assigned with a conflict: same queries."""
    staff, members, _meeting = meeting_with_agenda(items=proposals - 2)
    reviewer = members[0]
    undeclared, conflicted = proposal_in_review(staff=staff), proposal_in_review(staff=staff)
    for proposal in (undeclared, conflicted):
        assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=conflicted, has_conflict=True, reason="Former adviser")
    client.force_login(reviewer.user)

    # Session, user, the member, the page's rows with the list's count (one statement), the member's meetings (one
    # UNION) and the navigation's inbox count: "committee.manage" is asked of the rule alone, not of ModelBackend's
    # permission tables (2).
    with django_assert_num_queries(6):
        response = client.get(reverse("committee:workspace"))

    assert response.status_code == 200
    assert response.content.decode().count('data-proposal="') == proposals
