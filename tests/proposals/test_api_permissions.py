"""The proposals API decides who may act before it reads the body: the same 403 for valid and invalid input."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import applicant, complete_proposal, pdf_upload

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def draft_and_colleague():
    draft = complete_proposal(title="Smart mobility master plan for Surabaya")
    return draft, api_for(applicant(organisation=draft.organisation))


@pytest.mark.parametrize("body", [
    {"title": "A better title", "version": 1},
    {"title": ["not", "a", "string"]},
    {"duration_months": "many", "version": "x"},
])
def test_colleague_editing_gets_the_same_403_for_any_body(draft_and_colleague, body):
    draft, colleague = draft_and_colleague

    response = colleague.patch(f"/api/v1/proposals/{draft.pk}/", body, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only the proposal's owner and the colleagues they invited can edit it. "
                  f"Ask {draft.owner.get_full_name()} to invite you."
    }


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "Budget moved to 2027."}])
def test_colleague_withdrawing_gets_the_same_403_for_any_body(draft_and_colleague, body):
    draft, colleague = draft_and_colleague

    response = colleague.post(f"/api/v1/proposals/{draft.pk}/withdraw/", body, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only the proposal's owner can withdraw it."}


@pytest.mark.parametrize("valid", [True, False])
def test_colleague_uploading_gets_the_same_403_for_any_body(draft_and_colleague, valid):
    draft, colleague = draft_and_colleague
    body = {"kind": "official_letter", "file": pdf_upload()} if valid else {"kind": "nonsense"}

    response = colleague.post(f"/api/v1/proposals/{draft.pk}/attachments/", body, format="multipart")

    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot add documents to this proposal now."}
