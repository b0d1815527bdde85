"""`/api/v1/staff/proposals/`: the same services and rules as the admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEntry
from proposals.models import Message, Proposal, StatusChange
from proposals.workflow import Status
from tests.factories import (
    CooperationCentreFactory,
    ProposalFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    service_levels,
)
from tests.proposals.staff_helpers import filed_report, proposal_in, submitted_proposal

pytestmark = pytest.mark.django_db
LIST = "/api/v1/staff/proposals/"


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


def detail(proposal, action=""):
    return f"{LIST}{proposal.pk}/{action + '/' if action else ''}"


# --- access ---------------------------------------------------------------------------------------------------


def test_list_non_staff_forbidden():
    client = APIClient()
    client.force_authenticate(applicant())

    response = client.get(LIST)

    assert response.status_code == 403


def test_list_anonymous_unauthorised():
    response = APIClient().get(LIST)

    assert response.status_code == 401


@pytest.mark.parametrize("action", ["", "messages"])
def test_object_non_staff_not_found_even_own_proposal(action):
    proposal = submitted_proposal()
    client = APIClient()
    client.force_authenticate(proposal.owner)

    response = client.get(detail(proposal, action))

    assert response.status_code == 404


def test_transition_non_staff_not_found():
    proposal = submitted_proposal()
    client = APIClient()
    client.force_authenticate(proposal.owner)

    response = client.post(detail(proposal, "transition"), {"to": Status.SCREENING}, format="json")

    assert response.status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == Status.SUBMITTED


# --- list and filters ------------------------------------------------------------------------------------------


def test_list_excludes_drafts_and_shows_triage_fields(api):
    service_levels()
    proposal = submitted_proposal()
    ProposalFactory()  # a draft: not the secretariat's business yet

    response = api.get(LIST)

    assert response.status_code == 200
    assert response.data["count"] == 1
    row = response.data["results"][0]
    assert row["reference"] == proposal.reference
    assert (row["status"], row["status_label"], row["country_name"]) == ("submitted", "Submitted", "Indonesia")
    assert row["overdue"] is False
    assert row["cooperation_centre_name"] == ""


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "screening"}, ["screening"]),
        ({"overdue": "true"}, ["late"]),
        ({"overdue": "false"}, ["fresh", "screening"]),
        ({"mine": "true"}, ["screening"]),
        ({"country": "th"}, ["late"]),
        ({"search": "thailand"}, ["late"]),
        ({"search": "Lagoon"}, ["fresh"]),
        ({"has_report": "true"}, ["screening"]),
        ({"has_report": "false"}, ["fresh", "late"]),
    ],
)
def test_list_filters(api, staff, params, expected):
    service_levels()
    named = {
        "fresh": submitted_proposal(title="Lagoon flood sensors"),
        "screening": proposal_in(Status.SCREENING, staff=staff),
        "late": submitted_proposal(),
    }
    Proposal.objects.filter(pk=named["late"].pk).update(country="TH", due_at=timezone.now() - datetime.timedelta(1))
    Proposal.objects.filter(pk=named["screening"].pk).update(assigned_to=staff)
    filed_report(named["screening"])
    by_pk = {p.pk: name for name, p in named.items()}

    response = api.get(LIST, params)

    assert response.status_code == 200
    assert sorted(by_pk[row["id"]] for row in response.data["results"]) == expected


def test_list_bad_filter_is_400(api):
    response = api.get(LIST, {"status": "nonsense", "track": "x"})

    assert response.status_code == 400
    assert set(response.data) == {"status", "track"}


def _list_queries(api, count, staff):
    track = TrackFactory()
    owner = applicant()
    centre = CooperationCentreFactory()
    for i in range(count):
        ProposalFactory(track=track, owner=owner, status=Status.SCREENING, reference=f"KCN-2026-{i + 1:04d}",
                        cooperation_centre=centre, assigned_to=staff, status_changed_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST)
    assert response.data["count"] == count
    return len(queries)


def test_list_query_count_same_for_1_and_49_and_one_more_for_a_full_page(api, staff):
    one = _list_queries(api, 1, staff)
    Proposal.objects.all().delete()
    forty_nine = _list_queries(api, 49, staff)
    Proposal.objects.all().delete()

    fifty = _list_queries(api, 50, staff)

    # A first page that is not full is the whole list: its rows say how many (core.pagination); a full one counts.
    assert (forty_nine, fifty) == (one, one + 1)


# --- transitions ---------------------------------------------------------------------------------------------


def test_transition_through_workflow_service(api, staff):
    proposal = submitted_proposal()

    response = api.post(detail(proposal, "transition"),
                        {"to": "screening", "note": "Looks complete.", "note_visibility": "applicant"}, format="json")

    assert response.status_code == 200
    assert response.data["status"] == "screening"
    change = StatusChange.objects.filter(proposal=proposal).latest("id")
    assert (change.from_status, change.to_status, change.by, change.note, change.note_internal) == (
        "submitted", "screening", staff, "Looks complete.", False
    )


def test_transition_refused_is_400_with_reason(api):
    proposal = submitted_proposal()

    response = api.post(detail(proposal, "transition"), {"to": "approved"}, format="json")

    assert response.status_code == 400
    assert response.data == {
        "detail": "A proposal that is submitted cannot be moved to approved.", "code": "transition_refused"
    }


def test_transition_request_info_puts_message_in_thread(api, staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)

    response = api.post(detail(proposal, "transition"), {"to": "info_requested", "note": "Send the budget."},
                        format="json")

    assert response.status_code == 200
    assert list(Message.objects.filter(proposal=proposal).values_list("body", flat=True)) == ["Send the budget."]


def test_transition_request_info_without_note_refused(api, staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)

    response = api.post(detail(proposal, "transition"), {"to": "info_requested"}, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == "Please give a reason or message for this step."


# --- assignment and messages ---------------------------------------------------------------------------------


def test_assign_staff_and_centre(api, staff):
    proposal = submitted_proposal()
    colleague = StaffFactory()
    centre = CooperationCentreFactory(name="KOTRA Bogota", city="Bogota", country="CO", covered_countries=["CO"])

    response = api.post(detail(proposal, "assign"), {"assigned_to": colleague.pk, "cooperation_centre": centre.pk},
                        format="json")

    assert response.status_code == 200
    assert (response.data["assigned_to"], response.data["cooperation_centre"]) == (colleague.pk, centre.pk)
    assert AuditEntry.objects.filter(action="proposal.assign", target_id=str(proposal.pk)).count() == 1


def test_assign_keeps_centre_when_only_staff_given(api, staff):
    proposal = submitted_proposal()
    centre_before = proposal.cooperation_centre_id

    response = api.post(detail(proposal, "assign"), {"assigned_to": staff.pk}, format="json")

    assert response.status_code == 200
    assert (response.data["assigned_to"], response.data["cooperation_centre"]) == (staff.pk, centre_before)


def test_assign_applicant_refused(api):
    proposal = submitted_proposal()

    response = api.post(detail(proposal, "assign"), {"assigned_to": proposal.owner.pk}, format="json")

    assert response.status_code == 400
    assert "assigned_to" in response.data
    assert Proposal.objects.get(pk=proposal.pk).assigned_to is None


def test_messages_post_reply_and_internal_note_and_list(api, staff):
    proposal = submitted_proposal()

    reply = api.post(detail(proposal, "messages"), {"body": "We will call you."}, format="json")
    note = api.post(detail(proposal, "messages"), {"body": "Check budget.", "internal": True}, format="json")
    listing = api.get(detail(proposal, "messages"))

    assert (reply.status_code, note.status_code) == (201, 201)
    assert [(m["body"], m["internal"]) for m in listing.data["results"]] == [
        ("We will call you.", False), ("Check budget.", True)]
    assert proposal.owner.notices.filter(event="proposal_message").count() == 1


def test_messages_empty_body_400(api):
    proposal = submitted_proposal()

    response = api.post(detail(proposal, "messages"), {"body": ""}, format="json")

    assert response.status_code == 400
    assert not Message.objects.exists()


def test_assign_service_refuses_non_staff_actor():
    from django.core.exceptions import PermissionDenied

    from proposals import services

    proposal = submitted_proposal()

    with pytest.raises(PermissionDenied):
        services.proposal_assign(proposal=proposal, by=proposal.owner, staff=None, centre=None)
    assert not AuditEntry.objects.filter(action="proposal.assign").exists()


def test_openapi_schema_lists_staff_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert {"/api/v1/staff/proposals/", "/api/v1/staff/proposals/{id}/transition/",
            "/api/v1/staff/proposals/{id}/assign/", "/api/v1/staff/proposals/{id}/messages/"} <= set(paths)
    names = {p["name"] for p in paths["/api/v1/staff/proposals/"]["get"]["parameters"]}
    assert {"status", "overdue", "has_report", "mine", "search"} <= names


# --- what the caller may do now (moves) ----------------------------------------------------------------------


def test_detail_lists_the_moves_the_caller_may_make_now(api, staff):
    proposal = proposal_in(Status.SCREENING, staff=staff)
    waiting_for_report = proposal_in(Status.SCREENING, staff=staff, track=TrackFactory(pre_consulting_required=True))

    moves = api.get(detail(proposal)).data["moves"]
    guarded = api.get(detail(waiting_for_report)).data["moves"]

    assert moves == [
        {"target": "info_requested", "label": "Request information", "note_required": True, "note_to_thread": True},
        {"target": "pre_consulting", "label": "Send to pre-consulting", "note_required": False,
         "note_to_thread": False},
        {"target": "committee_review", "label": "Send to committee review", "note_required": False,
         "note_to_thread": False},
    ]
    # consulting's guard: this track goes to the committee only with a filed pre-consulting report
    assert [m["target"] for m in guarded] == ["info_requested", "pre_consulting"]


def test_transition_answer_carries_the_moves_from_the_new_state_and_the_list_none(api, staff):
    proposal = submitted_proposal()

    answer = api.post(detail(proposal, "transition"), {"to": "screening"}, format="json")
    listed = api.get(LIST).data["results"][0]

    assert answer.status_code == 200
    assert [m["target"] for m in answer.data["moves"]] == ["info_requested", "pre_consulting", "committee_review"]
    assert "moves" not in listed  # asked per proposal (other apps' guards): on one proposal, not on a page of them


def test_moves_are_labelled_in_the_callers_language():
    korean = StaffFactory(language="ko")
    client = APIClient()
    client.force_authenticate(korean)
    proposal = submitted_proposal()

    (move,) = client.get(detail(proposal)).data["moves"]

    assert (move["target"], move["label"]) == ("screening", "접수 검토 시작")  # "Start screening"


def test_openapi_schema_documents_the_moves(api):
    schemas = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    moves = schemas["StaffProposalDetail"]["properties"]["moves"]
    assert moves["type"] == "array" and moves["items"]["$ref"] == "#/components/schemas/Move"
    assert set(schemas["Move"]["properties"]) == {"target", "label", "note_required", "note_to_thread"}
    assert "moves" not in schemas["StaffProposal"]["properties"]
