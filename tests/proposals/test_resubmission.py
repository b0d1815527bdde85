"""Resubmitting after an information request needs an answer (a note, or a changed field, contact or document)
and a confirm step that shows what changed; the page and the API refuse an empty resubmission with the reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals import services
from proposals.resubmission import EMPTY_RESUBMISSION, changes_since_info_request
from proposals.workflow import Status
from tests.factories import StaffFactory, pdf_upload, proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked():
    """A proposal the secretariat asked about, after the applicant had already edited it once."""
    staff = StaffFactory()
    proposal = proposal_in(Status.SCREENING, staff=staff)
    services.proposal_request_info(proposal=proposal, by=staff, message="Please attach the budget sheet.")
    proposal.refresh_from_db()
    return proposal


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_nothing_changed_and_no_note_is_refused(asked):
    with pytest.raises(ValidationError) as refused:
        services.proposal_resubmit(proposal=asked, by=asked.owner, note="  ")

    assert refused.value.messages == [str(EMPTY_RESUBMISSION)]
    asked.refresh_from_db()
    assert asked.status == Status.INFO_REQUESTED


def test_a_note_alone_is_an_answer(asked):
    services.proposal_resubmit(proposal=asked, by=asked.owner, note="The budget is in the concept note, p. 4.")

    asked.refresh_from_db()
    assert asked.status == Status.SCREENING


def test_a_changed_field_is_an_answer(asked):
    services.proposal_update(proposal=asked, by=asked.owner, data={"objectives": "Cut commute times by 20%."},
                             expected_version=asked.version)

    services.proposal_resubmit(proposal=asked, by=asked.owner)

    asked.refresh_from_db()
    assert asked.status == Status.SCREENING


def test_an_added_document_is_an_answer(asked):
    services.attachment_add(proposal=asked, by=asked.owner, kind="budget", upload=pdf_upload("budget.pdf"))

    assert [(c.kind, c.label) for c in changes_since_info_request(asked)] == [
        ("document_added", "Document added: Budget sheet")]
    services.proposal_resubmit(proposal=asked, by=asked.owner)
    asked.refresh_from_db()
    assert asked.status == Status.SCREENING


def test_changes_are_those_since_the_request_each_once(asked):
    services.proposal_update(proposal=asked, by=asked.owner, data={"objectives": "A"}, expected_version=asked.version)
    asked.refresh_from_db()
    services.proposal_update(proposal=asked, by=asked.owner, data={"objectives": "B", "duration_months": 9},
                             expected_version=asked.version)
    attachment = asked.attachments.first()
    services.attachment_remove(attachment=attachment, by=asked.owner)

    changes = [(c.kind, c.label) for c in changes_since_info_request(asked)]

    # proposal_in's submission and moves before the request are not listed.
    assert changes == [("field", "Objectives"), ("field", "Duration (months)"),
                       ("document_removed", f"Document removed: {attachment.original_name}")]


def test_page_refuses_an_empty_resubmission_with_the_reason(client, asked):
    client.force_login(asked.owner)

    response = client.post(reverse("proposals:resubmit", args=[asked.pk]), {"note": ""})

    assert response.status_code == 400
    assert "Answer the information request before resubmitting" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.INFO_REQUESTED


def test_page_confirm_step_lists_the_changes_then_resubmits(client, asked):
    services.proposal_update(proposal=asked, by=asked.owner, data={"co_financing_krw": 50_000_000},
                             expected_version=asked.version)
    client.force_login(asked.owner)

    confirm = client.post(reverse("proposals:resubmit", args=[asked.pk]), {"note": "Co-financing added."})

    body = confirm.content.decode()
    asked.refresh_from_db()
    assert (confirm.status_code, asked.status) == (200, Status.INFO_REQUESTED)
    assert "Please attach the budget sheet." in body  # the request, to compare with
    assert '<li data-kind="field">Co-financing (KRW)</li>' in body
    assert 'name="note" value="Co-financing added."' in body

    done = client.post(reverse("proposals:resubmit", args=[asked.pk]), {"note": "Co-financing added.",
                                                                        "confirm": "yes"})

    asked.refresh_from_db()
    assert (done.status_code, asked.status) == (302, Status.SCREENING)
    assert asked.messages.filter(body="Co-financing added.").exists()


def test_api_refuses_an_empty_resubmission_and_lists_the_changes(asked):
    client = _api(asked.owner)

    empty = client.post(f"/api/v1/proposals/{asked.pk}/resubmit/", {}, format="json")
    services.proposal_update(proposal=asked, by=asked.owner, data={"objectives": "More."},
                             expected_version=asked.version)
    changes = client.get(f"/api/v1/proposals/{asked.pk}/changes/")
    done = client.post(f"/api/v1/proposals/{asked.pk}/resubmit/", {}, format="json")

    assert (empty.status_code, empty.json()) == (400, {"detail": [str(EMPTY_RESUBMISSION)]})
    assert changes.json() == {"request": "Please attach the budget sheet.",
                              "changes": [{"kind": "field", "label": "Objectives"}]}
    assert (done.status_code, done.json()["status"]) == (200, "screening")


def test_changes_of_another_organisations_proposal_is_404(asked):
    other = StaffFactory(role="applicant", is_staff=False)

    assert _api(other).get(f"/api/v1/proposals/{asked.pk}/changes/").status_code == 404
