"""The applicant downloads the submitted proposal as a PDF (reference, cycle, text, documents with SHA-256): only
people who may see the proposal (404 otherwise). The decision letter's PDF: tests/committee/test_letter_pdf.py."""

import pytest
from django.urls import reverse

from proposals import services
from tests.factories import (
    AttachmentFactory,
    OrganisationFactory,
    StaffFactory,
    applicant,
    complete_proposal,
    submitted_proposal,
)
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    owner = applicant(organisation=OrganisationFactory(name="Alcaldía de Bogotá", country="CO",
                                                       region_city="Bogotá"))
    proposal = complete_proposal(owner=owner, title="Movilidad inteligente para Bogotá")
    AttachmentFactory(proposal=proposal, kind="budget", original_name="presupuesto.xlsx", sha256="ab" * 32)
    services.proposal_submit(proposal=proposal, by=owner)
    proposal.refresh_from_db()
    return proposal


def test_owner_downloads_the_submitted_proposal_with_reference_cycle_and_checksums(client, submitted):
    client.force_login(submitted.owner)

    response = client.get(reverse("proposals:pdf", args=[submitted.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{submitted.reference}.pdf"'
    text = pdf_text(response.content)
    lines = text.split("\n")
    assert "Movilidad inteligente para Bogotá" in lines  # accents print (a Unicode font)
    assert lines[lines.index("Reference") + 1] == submitted.reference
    assert lines[lines.index("Programme") + 1] == "K-City Network"
    assert lines[lines.index("Selection cycle") + 1].startswith(f"{submitted.cycle.year} cycle (cut-off ")
    for attachment in submitted.attachments.all():
        assert attachment.original_name in lines
        assert f"SHA-256 {attachment.sha256}" in lines
    assert "SHA-256 " + "ab" * 32 in lines


def test_the_proposal_page_and_receipt_offer_the_pdf(client, submitted):
    client.force_login(submitted.owner)

    page = client.get(submitted.get_absolute_url()).content.decode()
    receipt = client.get(reverse("proposals:receipt", args=[submitted.pk])).content.decode()

    url = reverse("proposals:pdf", args=[submitted.pk])
    assert f'id="download-proposal-pdf" href="{url}"' in page
    assert f'href="{url}" id="receipt-pdf"' in receipt


def test_staff_may_download_it_too(client, submitted):
    client.force_login(StaffFactory())

    assert client.get(reverse("proposals:pdf", args=[submitted.pk])).status_code == 200


def test_another_organisation_gets_404(client, submitted):
    client.force_login(applicant())

    assert client.get(reverse("proposals:pdf", args=[submitted.pk])).status_code == 404


def test_a_draft_has_no_pdf(client):
    draft = complete_proposal()
    client.force_login(draft.owner)

    assert client.get(reverse("proposals:pdf", args=[draft.pk])).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, submitted):
    response = client.get(reverse("proposals:pdf", args=[submitted.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_korean_text_prints_with_the_cjk_font(client):
    proposal = submitted_proposal(title="스마트 모빌리티 마스터플랜")
    client.force_login(proposal.owner)

    text = pdf_text(client.get(reverse("proposals:pdf", args=[proposal.pk])).content)

    assert "스마트 모빌리티 마스터플랜" in text.split("\n")
