"""The create-and-submit flow through the API (bench.writes's): each write answers with the proposal as the service
wrote it, without reading it again, and that answer is the one a read right after gives; the queries each step
costs are pinned."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEntry
from notifications.models import Notice, OutboxEmail
from proposals import services
from proposals.models import AssignmentRule, Cycle, Proposal, ReferenceCounter
from tests.factories import PDF_BYTES, StaffFactory, TrackFactory, applicant, complete_proposal, service_levels

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def read_back(client, pk) -> dict:
    response = client.get(f"/api/v1/proposals/{pk}/")
    assert response.status_code == 200
    return response.json()


def queries_of(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return response, len(queries)


FILLED = {
    "country": "ID", "region_city": "Surabaya", "jurisdiction_level": "city", "lead_organisation": "City of Surabaya",
    "population": 250_000, "city_context": "A growing city.", "problem_statement": "Congestion.",
    "solution_categories": ["mobility"], "proposed_solutions": "Buses.", "objectives": "Fewer cars.",
    "expected_outcomes": "Faster trips.", "duration_months": 12, "requested_support_krw": 300_000_000,
    "national_plan_fit": "National plan.", "consent": True,
    "contacts": [{"name": "Ayu Lestari", "email": "ayu@example.org"}, {"name": "Budi", "email": "budi@example.org"}],
}


@pytest.fixture
def flow_setup():
    service_levels()
    track = TrackFactory(required_attachment_kinds=["official_letter", "concept_note"])
    year = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Seoul")).year  # submitted today: this year's cycle
    Cycle.objects.create(programme=track.programme, year=year, cutoff=datetime.date(year, 12, 31))
    ReferenceCounter.objects.create(prefix=track.programme.reference_prefix, year=year)
    owner = applicant(email="owner.flow@example.org")
    return track, owner, api_for(owner)


def upload(client, pk, kind):
    return client.post(f"/api/v1/proposals/{pk}/attachments/",
                       {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, "application/pdf")},
                       format="multipart")


def test_each_write_of_the_flow_answers_what_a_read_gives_in_pinned_queries(flow_setup):
    track, owner, client = flow_setup
    staff = StaffFactory()
    AssignmentRule.objects.create(track=track, staff=staff)

    # Start: no read of the new row, its contacts or documents (none yet).
    response, count = queries_of(lambda: client.post("/api/v1/proposals/", {"track": track.pk, "title": "Flow"},
                                                     format="json"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created == read_back(client, created["id"])
    assert count == 9  # token, track, membership (view, service), BEGIN, INSERT, audit, COMMIT, next steps
    pk = created["id"]

    # Fields and contacts in one PATCH: the contacts answered as written, the row not read again.
    response, count = queries_of(lambda: client.patch(f"/api/v1/proposals/{pk}/",
                                                      {"version": created["version"], **FILLED}, format="json"))
    assert response.status_code == 200, response.content
    patched = response.json()
    assert patched == read_back(client, pk)
    assert [c["name"] for c in patched["contacts"]] == ["Ayu Lestari", "Budi"]
    assert count == 11  # token, team, BEGIN, lock, UPDATE, DELETE + INSERT contacts, audit, COMMIT, docs, steps

    for kind in ("official_letter", "concept_note"):
        response, count = queries_of(lambda kind=kind: upload(client, pk, kind))
        assert response.status_code == 201, response.content
        assert count == 9  # token, team, BEGIN, lock, count, INSERT, updated_at, audit, COMMIT

    # Submit: contacts and documents read once under the lock, the assignment in the move's UPDATE, the submit
    # and assignment audit rows in one INSERT; the answer from the row as written.
    audit_before = AuditEntry.objects.count()
    response, count = queries_of(lambda: client.post(f"/api/v1/proposals/{pk}/submit/"))
    assert response.status_code == 200, response.content
    submitted = response.json()
    assert submitted == read_back(client, pk)
    assert submitted["status"] == "submitted" and submitted["reference"]
    assert [a["kind"] for a in submitted["attachments"]] == ["concept_note", "official_letter"]
    assert count == 26  # as on a live portal, where the year's reference counter exists
    proposal = Proposal.objects.get(pk=pk)
    assert proposal.assigned_to == staff
    assert list(AuditEntry.objects.filter(target_id=str(pk)).order_by("id").values_list("action", flat=True))[
        -3:] == ["proposal.transition", "proposal.submit", "proposal.auto_assign"]
    assert AuditEntry.objects.count() == audit_before + 3
    assert AuditEntry.objects.get(target_id=str(pk), action="proposal.auto_assign").data == {
        "assigned_to": staff.pk, "rule": AssignmentRule.objects.get().pk}
    # The acknowledgment to the applicant, the new proposal to the assigned staff member: a notice and an e-mail.
    assert set(Notice.objects.values_list("user_id", "event")) == {
        (owner.pk, "proposal_acknowledged"), (staff.pk, "proposal_submitted_staff")}
    assert OutboxEmail.objects.count() == 2


def test_submit_without_an_assignment_rule_tells_every_staff_member_and_assigns_nobody(flow_setup):
    track, owner, client = flow_setup
    first, second = StaffFactory(), StaffFactory()
    proposal = complete_proposal(track=track, owner=owner, organisation=owner.organisation)

    response = client.post(f"/api/v1/proposals/{proposal.pk}/submit/")

    assert response.status_code == 200, response.content
    assert response.json() == read_back(client, proposal.pk)
    proposal.refresh_from_db()
    assert proposal.assigned_to is None
    assert not AuditEntry.objects.filter(action="proposal.auto_assign").exists()
    assert set(Notice.objects.filter(event="proposal_submitted_staff").values_list("user_id", flat=True)) == {
        first.pk, second.pk}


def test_a_staff_member_already_assigned_stays(flow_setup):
    track, owner, client = flow_setup
    staff, other = StaffFactory(), StaffFactory()
    AssignmentRule.objects.create(track=track, staff=other)
    proposal = complete_proposal(track=track, owner=owner, organisation=owner.organisation, assigned_to=staff)

    response = client.post(f"/api/v1/proposals/{proposal.pk}/submit/")

    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert proposal.assigned_to == staff
    assert not AuditEntry.objects.filter(action="proposal.auto_assign").exists()


def test_the_service_leaves_the_callers_proposal_as_a_read_would(flow_setup):
    """proposal_update and proposal_submit hand the row they wrote to the caller's instance (no refresh_from_db):
    every stored value, and its related rows, are what reading it gives."""
    track, owner, _client = flow_setup
    proposal = complete_proposal(track=track, owner=owner, organisation=owner.organisation)
    services.proposal_update(proposal=proposal, by=owner, data={"title": "Renamed"},
                             expected_version=proposal.version, contacts=[{"name": "Dewi", "email": "d@example.org"}])
    fresh = Proposal.objects.get(pk=proposal.pk)
    assert [(f.attname, getattr(proposal, f.attname)) for f in Proposal._meta.concrete_fields] == [
        (f.attname, getattr(fresh, f.attname)) for f in Proposal._meta.concrete_fields]
    assert [c.name for c in proposal.contacts.all()] == ["Dewi"]

    services.proposal_submit(proposal=proposal, by=owner)
    fresh = Proposal.objects.get(pk=proposal.pk)
    assert [(f.attname, getattr(proposal, f.attname)) for f in Proposal._meta.concrete_fields] == [
        (f.attname, getattr(fresh, f.attname)) for f in Proposal._meta.concrete_fields]
    assert (proposal.cycle.year, proposal.track, proposal.organisation) == (
        fresh.cycle.year, fresh.track, fresh.organisation)
