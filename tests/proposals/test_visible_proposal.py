"""selectors.visible_proposal answers for one proposal what proposals_visible_to answers for all: the lists under a
proposal (its messages, documents, history) ask it, with the proposal's own row for most people and the whole rule
for those the apps above let see proposals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from proposals import selectors
from proposals.workflow import Status
from tests.factories import (
    CooperationCentreFactory,
    MembershipFactory,
    ProposalFactory,
    StaffFactory,
    UserFactory,
    applicant,
)
from tests.factories.cooperation import centre_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    owner = applicant()
    proposals = {
        "draft": ProposalFactory(owner=owner),
        "submitted": ProposalFactory(owner=owner, status=Status.SCREENING, submitted_at=timezone.now()),
        "withdrawn unsent": ProposalFactory(owner=owner, status=Status.WITHDRAWN),
        "withdrawn sent": ProposalFactory(owner=owner, status=Status.WITHDRAWN, submitted_at=timezone.now()),
        "elsewhere": ProposalFactory(status=Status.SCREENING, submitted_at=timezone.now()),
    }
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=owner.organisation)
    collaborator = applicant()
    proposals["draft"].collaborators.add(collaborator)
    inactive = applicant(is_active=False)
    ProposalFactory(owner=inactive)
    superuser = UserFactory(is_superuser=True)
    centre = CooperationCentreFactory(name="KOTRA ID", country="ID", covered_countries=["ID"])
    proposals["centre's"] = ProposalFactory(status=Status.SCREENING, submitted_at=timezone.now(),
                                            cooperation_centre=centre)
    people = {
        "owner": owner, "colleague": colleague, "collaborator": collaborator, "outsider": applicant(),
        "staff": StaffFactory(), "superuser": superuser, "inactive": inactive,
        "consultant": UserFactory(role=Role.CONSULTANT), "member": UserFactory(role=Role.COMMITTEE_MEMBER),
        "centre": centre_user(centre=centre),
    }
    return people, proposals


def test_visible_proposal_answers_as_proposals_visible_to_for_everyone(cast):
    people, proposals = cast
    pks = [p.pk for p in proposals.values()] + [max(p.pk for p in proposals.values()) + 1]

    answers = {(who, pk): selectors.visible_proposal(user=user, pk=pk) is not None
               for who, user in people.items() for pk in pks}

    expected = {(who, pk): selectors.proposals_visible_to(user).filter(pk=pk).exists()
                for who, user in people.items() for pk in pks}
    assert answers == expected
    assert answers[("colleague", proposals["draft"].pk)] and answers[("collaborator", proposals["draft"].pk)]
    assert not answers[("staff", proposals["draft"].pk)] and answers[("staff", proposals["withdrawn sent"].pk)]
    assert not answers[("outsider", proposals["submitted"].pk)]
    assert answers[("centre", proposals["centre's"].pk)] and not answers[("centre", proposals["submitted"].pk)]


def test_visible_proposal_reads_the_owners_proposal_in_one_query_with_the_fields_asked(cast):
    people, proposals = cast

    with CaptureQueriesContext(connection) as queries:
        proposal = selectors.visible_proposal(user=people["owner"], pk=proposals["submitted"].pk,
                                              fields=("decision_released_at",))

    assert proposal.pk == proposals["submitted"].pk
    assert len(queries) == 1
    assert proposal.get_deferred_fields() >= {"title", "problem_statement"}
    assert "decision_released_at" not in proposal.get_deferred_fields()
