"""API list filters refuse what would silently widen the list: a filter given twice or given empty, an unknown
choice (core.filters.StrictFilterSet, consulting's consultant filters); and the schema says a required text
needs a non-space character (core.schema)."""

import pytest
from rest_framework.test import APIClient

from proposals.workflow import Status
from tests.factories import ProposalFactory, StaffFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api():
    client = APIClient()
    client.force_authenticate(StaffFactory())
    return client


@pytest.mark.parametrize("query, field, message", [
    ("track=1&track=2", "track", "Give this filter once."),
    ("track=", "track", "Give a value, or leave this filter out."),
    ("status=screening&status=submitted", "status", "Give this filter once."),
])
def test_proposal_list_refuses_a_repeated_or_empty_filter(staff_api, query, field, message):
    ProposalFactory(status=Status.SCREENING, reference="KCN-2026-0001")

    response = staff_api.get(f"/api/v1/proposals/?{query}")

    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_proposal_list_filter_given_once_still_filters(staff_api):
    proposal = ProposalFactory(status=Status.SCREENING, reference="KCN-2026-0001")

    response = staff_api.get(f"/api/v1/proposals/?track={proposal.track_id}")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [proposal.pk]


def test_committee_id_filter_refuses_a_repeated_value(staff_api):
    response = staff_api.get("/api/v1/committee/decisions/?meeting=1&meeting=2")

    assert response.status_code == 400
    assert response.json() == {"meeting": ["Give this filter once."]}


@pytest.mark.parametrize("query, field", [("expertise=", "expertise"), ("language=", "language")])
def test_consultant_list_refuses_an_empty_filter(query, field):
    client = APIClient()
    client.force_authenticate(applicant())

    response = client.get(f"/api/v1/consultants/?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_schema_says_a_required_text_needs_a_non_space_character():
    schema = APIClient().get("/api/schema/?format=json").json()

    title = schema["components"]["schemas"]["ProposalCreateRequest"]["properties"]["title"]
    assert title["pattern"] == r"\S"
    message_body = schema["components"]["schemas"]["MessageCreateRequest"]["properties"]["body"]
    assert message_body["pattern"] == r"\S"


@pytest.mark.parametrize("query", ["page=", "page=1&page=2", "page=abc", "page=99"])
def test_list_refuses_an_empty_repeated_or_unknown_page(staff_api, query):
    response = staff_api.get(f"/api/v1/proposals/?{query}")

    assert response.status_code == 404
    assert response.json()["detail"] == "Invalid page."


def test_schema_decimal_input_needs_a_digit():
    schema = APIClient().get("/api/schema/?format=json").json()

    area = schema["components"]["schemas"]["ProposalUpdateRequest"]["properties"]["area_km2"]
    assert area["pattern"] == r"^\d{1,8}(?:\.\d{1,2})?$"


@pytest.mark.parametrize("value, message", [
    ("30500370735789568000", "Ensure this value is less than or equal to 9223372036854775807."),
    ("0", "Ensure this value is greater than or equal to 1."),
])
def test_an_id_filter_out_of_an_ids_range_is_refused_not_sent_to_the_database(staff_api, value, message):
    """SQLite cannot hold a number past 64 bits: sent, it answered 500 (found by the API fuzz test on SQLite)."""
    response = staff_api.get(f"/api/v1/staff/proposals/?cycle={value}")

    assert response.status_code == 400
    assert response.json() == {"cycle": [message]}
