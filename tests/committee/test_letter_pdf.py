"""The released decision letter as a PDF: for people who may see the proposal, only once the letter is sent."""

import pytest
from django.urls import reverse

from committee.models import Outcome
from committee.services import decision_record, letter_approve
from tests.factories import applicant
from tests.factories.committee import decided_setup
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    staff, proposal, _members, meeting = decided_setup(size=3, present=3)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=3,
                               votes_against=0, support_amount_krw=300_000_000, conditions="Share the data.")
    proposal.refresh_from_db()
    return staff, proposal, decision


def test_decision_letter_is_not_there_before_release(client, approved):
    _staff, proposal, _decision = approved
    client.force_login(proposal.owner)

    page = client.get(proposal.get_absolute_url()).content.decode()
    response = client.get(reverse("committee:decision-letter-pdf", args=[proposal.pk]))

    assert response.status_code == 404
    assert 'id="download-decision-letter"' not in page


def test_decision_letter_pdf_after_release(client, approved):
    staff, proposal, decision = approved
    letter_approve(letter=decision.letter, by=staff)
    client.force_login(proposal.owner)

    page = client.get(proposal.get_absolute_url()).content.decode()
    response = client.get(reverse("committee:decision-letter-pdf", args=[proposal.pk]))

    url = reverse("committee:decision-letter-pdf", args=[proposal.pk])
    assert f'id="download-decision-letter" href="{url}"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    lines = pdf_text(response.content).split("\n")
    assert lines[lines.index("Reference") + 1] == proposal.reference
    assert lines[lines.index("Outcome") + 1] == "Approve"
    assert any("The committee approved it, with support of KRW 300,000,000." in line for line in lines)
    assert any(line.startswith(f"Dear {proposal.owner.full_name}") for line in lines)


def test_decision_letter_of_another_organisation_is_404(client, approved):
    staff, proposal, decision = approved
    letter_approve(letter=decision.letter, by=staff)
    client.force_login(applicant())

    assert client.get(reverse("committee:decision-letter-pdf", args=[proposal.pk])).status_code == 404
