import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from committee.models import MemberKind
from committee.services import assignment_create, assignment_suggest, conflict_declare
from notifications.models import Notice
from tests.committee.helpers import member, proposal_in_review
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_assignment_notifies_member():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    reviewer = member()

    assignment_create(proposal=proposal, member=reviewer, by=staff)

    notice = Notice.objects.get(user=reviewer.user, event="committee_assigned")
    assert notice.title == f"Committee review assigned: {proposal.reference}"
    assert notice.url == f"/committee/proposals/{proposal.pk}/declare/"


def test_suggestions_avoid_same_country_and_organisation_and_spread_load():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)  # an Indonesian city
    busy_proposal = proposal_in_review(staff=staff)
    indonesian = member(country="ID")
    same_org = member(organisation=Organisation.objects.get(pk=proposal.organisation_id))
    busy = member(kind=MemberKind.PRIVATE)
    gov_a = member(kind=MemberKind.GOVERNMENT)
    gov_b = member(kind=MemberKind.GOVERNMENT)
    private = member(kind=MemberKind.PRIVATE)
    assignment_create(proposal=busy_proposal, member=busy, by=staff)

    suggested = assignment_suggest(proposal=proposal, count=3)

    assert indonesian not in suggested and same_org not in suggested and busy not in suggested
    # Equal load: alternate kinds, lowest id first within a kind.
    assert suggested == [gov_a, private, gov_b]


def test_suggestions_fill_up_to_track_count_and_skip_conflicted_and_assigned():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = [member() for _ in range(5)]
    assignment_create(proposal=proposal, member=members[0], by=staff)
    conflict_declare(member=members[0], proposal=proposal, has_conflict=True, reason="Adviser")

    suggested = assignment_suggest(proposal=proposal)

    assert proposal.track.default_reviewer_count == 3
    assert len(suggested) == 2  # one reviewer is already assigned
    assert members[0] not in suggested


def test_conflicted_member_cannot_be_assigned():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=True, reason="Adviser")
    other = proposal_in_review(staff=staff)

    with pytest.raises(ValidationError):
        assignment_create(proposal=proposal, member=reviewer, by=staff)
    assert assignment_create(proposal=other, member=reviewer, by=staff).member == reviewer
