"""A project opens when the committee's approval is released (committee.decision_released), never before."""

import pytest

from committee.models import Outcome
from committee.services import decision_record, letter_approve
from cooperation.models import Project
from tests.committee.helpers import decided_setup

pytestmark = pytest.mark.django_db


def test_project_opens_with_the_released_approval():
    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                               votes_against=0, support_amount_krw=300_000_000, conditions="Train officials")
    assert not Project.objects.exists()

    letter_approve(letter=decision.letter, by=staff)

    project = Project.objects.get()
    assert (project.proposal, project.partner_organisation, project.support_amount_krw, project.conditions,
            project.opened_by) == (proposal, proposal.organisation, 300_000_000, "Train officials", staff)


@pytest.mark.parametrize("outcome", [Outcome.REJECT, Outcome.DEFER])
def test_no_project_for_a_released_rejection_or_deferral(outcome):
    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=outcome, by=staff, votes_for=0,
                               votes_against=5 if outcome == Outcome.REJECT else 0, reasons="Not yet")

    letter_approve(letter=decision.letter, by=staff)

    assert not Project.objects.exists()
