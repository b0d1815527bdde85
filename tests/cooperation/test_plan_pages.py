"""The work plan, results and budget tabs and their API: who sees what (another party gets 404 on every page and
object), the pages' writes through the services, the partner never a receiver, the chart's data table, and the
same number of queries for N and 2N rows on every list."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cooperation.models import (
    Deliverable,
    IndicatorPeriod,
    Milestone,
    OdaPartner,
    RelationKind,
    Side,
    TransactionKind,
    WorkStatus,
)
from cooperation.services import (
    actual_record,
    budget_revise,
    deliverable_create,
    deliverable_submit,
    disbursement_plan,
    indicator_create,
    milestone_create,
    objective_create,
    oda_add,
    oda_move,
    period_add,
    period_target_change,
    related_add,
    results_agree,
    transaction_record,
)
from core.errors import TransitionRefused
from tests.factories import pdf_upload
from tests.factories.cooperation_plan import outsiders, plan_project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    parties = plan_project()
    staff = parties.staff
    milestone = milestone_create(project=parties.project, title="Inception", due_date=TODAY + datetime.timedelta(30),
                                 owner_side=Side.CONTRACTOR, by=staff)
    deliverable = deliverable_create(milestone=milestone, title="Inception report", due_date=milestone.due_date,
                                     owner_side=Side.CONTRACTOR, by=staff)
    version = deliverable_submit(deliverable=deliverable, upload=pdf_upload(), by=parties.contractor)
    objective = objective_create(project=parties.project, title="Better buses", by=staff)
    indicator = indicator_create(objective=objective, title="Officials trained", unit="people",
                                 baseline_value=Decimal(0), baseline_date=TODAY - datetime.timedelta(100), by=staff)
    period = period_add(indicator=indicator, period_start=TODAY - datetime.timedelta(90),
                        period_end=TODAY - datetime.timedelta(1), target_value=Decimal(20), by=staff)
    results_agree(project=parties.project, by=staff)
    actual_record(period=period, value=Decimal(12), comment="Two workshops", by=parties.contractor)
    transaction_record(project=parties.project, kind=TransactionKind.OUTGOING_COMMITMENT, date=TODAY,
                       amount_krw=300_000_000, receiver=parties.implementing, by=staff)
    oda = oda_add(project=parties.project, title="BRT corridor", partner=OdaPartner.EDCF, stage_date=TODAY, by=staff)
    return parties, milestone, deliverable, version, indicator, period, oda


def _status(client, url) -> int:
    response = client.get(url)
    if getattr(response, "streaming", False):
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # read to the end, which closes the file
    return response.status_code


def _client(user):
    client = APIClient()
    client.force_login(user)
    return client


def _pages(parties, milestone, deliverable, version, indicator):
    pk = parties.project.pk
    return [
        reverse("cooperation:workplan", args=[pk]),
        reverse("cooperation:workplan-item", args=[pk, "milestone", milestone.pk]),
        reverse("cooperation:workplan-item", args=[pk, "deliverable", deliverable.pk]),
        reverse("cooperation:document-download", args=[pk, version.document_id]),
        reverse("cooperation:results", args=[pk]),
        reverse("cooperation:results-indicator", args=[pk, indicator.pk]),
        reverse("cooperation:finance", args=[pk]),
    ]


def _api(parties, milestone, deliverable, indicator, oda):
    transaction = parties.project.transactions.get()
    return [f"/api/v1/cooperation/milestones/{milestone.pk}/", f"/api/v1/cooperation/deliverables/{deliverable.pk}/",
            f"/api/v1/cooperation/indicators/{indicator.pk}/", f"/api/v1/cooperation/budgets/{parties.project.pk}/",
            f"/api/v1/cooperation/transactions/{transaction.pk}/", f"/api/v1/cooperation/oda/{oda.pk}/"]


def test_every_party_sees_every_page_and_object(world):
    parties, milestone, deliverable, version, indicator, _period, oda = world
    for person in (parties.staff, parties.partner, parties.contractor, parties.centre):
        client = _client(person)
        assert [_status(client, url) for url in _pages(parties, milestone, deliverable, version, indicator)] \
            == [200] * 7, person
        assert [_status(client, url) for url in _api(parties, milestone, deliverable, indicator, oda)] \
            == [200] * 6, person


def test_non_parties_get_404_on_every_page_and_api_object(world):
    parties, milestone, deliverable, version, indicator, period, oda = world
    for name, person in outsiders().items():
        client = _client(person)
        assert [_status(client, url) for url in _pages(parties, milestone, deliverable, version, indicator)] \
            == [404] * 7, name
        assert [_status(client, url) for url in _api(parties, milestone, deliverable, indicator, oda)] \
            == [404] * 6, name
        writes = [client.post(f"/api/v1/cooperation/deliverables/{deliverable.pk}/review/", {"decision": "accept"}),
                  client.post(f"/api/v1/cooperation/milestones/{milestone.pk}/submit/", {}),
                  client.post(f"/api/v1/cooperation/indicators/{indicator.pk}/actual/",
                              {"period": period.pk, "value": "1"})]
        # review is staff-only, refused before anything is looked up; the others do not find the object
        assert [w.status_code for w in writes] == [403, 404, 404], name
        listed = client.get("/api/v1/cooperation/milestones/").json()
        assert listed["count"] == 0, name  # the other project has no milestones; this one's are not theirs


def test_the_contractor_uploads_and_staff_accept_through_the_pages(world):
    parties, _milestone, deliverable, _version, *_rest = world
    url = reverse("cooperation:workplan-item", args=[parties.project.pk, "deliverable", deliverable.pk])
    staff = _client(parties.staff)
    response = staff.post(url, {"action": "review", "review-decision": "changes", "review-note": "Add maps"})
    assert response.status_code == 302
    contractor = _client(parties.contractor)
    response = contractor.post(url, {"action": "submit", "submit-file": pdf_upload("v2.pdf"), "submit-note": "maps"})
    assert response.status_code == 302
    staff.post(url, {"action": "review", "review-decision": "accept"})
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.versions.count()) == (WorkStatus.ACCEPTED, 2)


def test_a_late_submission_on_the_page_asks_for_the_reason_and_keeps_the_input(world):
    parties, milestone, *_rest = world
    Milestone.objects.filter(pk=milestone.pk).update(due_date=TODAY - datetime.timedelta(days=3))
    url = reverse("cooperation:workplan-item", args=[parties.project.pk, "milestone", milestone.pk])
    response = _client(parties.contractor).post(url, {"action": "submit", "submit-late_justification": ""})
    assert response.status_code == 400
    assert "Say why it is late before submitting it." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == WorkStatus.PENDING


def test_the_api_submits_reviews_and_records_actuals_through_the_services(world):
    parties, milestone, deliverable, _version, indicator, period, _oda = world
    contractor, staff = _client(parties.contractor), _client(parties.staff)
    assert contractor.post(f"/api/v1/cooperation/deliverables/{deliverable.pk}/review/",
                           {"decision": "accept"}).status_code == 403
    answer = staff.post(f"/api/v1/cooperation/deliverables/{deliverable.pk}/review/",
                        {"decision": "changes", "note": "Annex"}, format="json")
    assert (answer.status_code, answer.json()["status"]) == (200, "changes_requested")
    answer = contractor.post(f"/api/v1/cooperation/deliverables/{deliverable.pk}/submit/",
                             {"file": pdf_upload("v2.pdf"), "note": "annex added"}, format="multipart")
    assert (answer.status_code, [v["number"] for v in answer.json()["versions"]]) == (200, [2, 1])
    again = contractor.post(f"/api/v1/cooperation/deliverables/{deliverable.pk}/submit/",
                            {"file": pdf_upload("v3.pdf")}, format="multipart")
    assert (again.status_code, again.json()["code"]) == (400, "transition_refused")
    answer = contractor.post(f"/api/v1/cooperation/milestones/{milestone.pk}/submit/", {}, format="json")
    assert (answer.status_code, answer.json()["status"]) == (200, "submitted")
    answer = contractor.post(f"/api/v1/cooperation/indicators/{indicator.pk}/actual/",
                             {"period": period.pk, "value": "15.5", "comment": "Third workshop"}, format="json")
    assert answer.status_code == 200
    assert answer.json()["periods"][0]["actual_value"] == "15.50"
    partner = _client(parties.partner)
    refused = partner.post(f"/api/v1/cooperation/indicators/{indicator.pk}/actual/",
                           {"period": period.pk, "value": "99"}, format="json")
    assert refused.status_code == 403
    answer = contractor.post(f"/api/v1/cooperation/milestones/{milestone.pk}/due-date/",
                             {"new_date": (TODAY + datetime.timedelta(60)).isoformat(), "reason": "Rain"},
                             format="json")
    assert (answer.status_code, answer.json()["state"]) == (201, "requested")


# --- money -----------------------------------------------------------------------------------------------------

def test_support_is_never_paid_to_the_partner(world):
    parties, *_rest = world
    for call in (
        lambda: transaction_record(project=parties.project, kind=TransactionKind.DISBURSEMENT, date=TODAY,
                                   amount_krw=1_000, receiver=parties.accountable, by=parties.staff),
        lambda: disbursement_plan(project=parties.project, period_start=TODAY, period_end=TODAY, amount_krw=1_000,
                                  receiver=parties.accountable, by=parties.staff),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert refused.value.message_dict["receiver"][0].startswith(
            "Support is never paid to the partner government")
    assert parties.project.transactions.count() == 1


def test_the_page_refuses_the_partner_as_receiver_with_the_reason(world):
    parties, *_rest = world
    response = _client(parties.staff).post(reverse("cooperation:finance", args=[parties.project.pk]), {
        "action": "transaction", "transaction-kind": TransactionKind.DISBURSEMENT,
        "transaction-receiver": parties.accountable.pk, "transaction-date": TODAY.isoformat(),
        "transaction-amount_krw": 1000})
    assert response.status_code == 400
    assert "Support is never paid to the partner government" in response.content.decode()


def test_totals_and_limits(world):
    parties, *_rest = world
    staff = parties.staff
    transaction_record(project=parties.project, kind=TransactionKind.DISBURSEMENT, date=TODAY, amount_krw=100_000_000,
                       receiver=parties.implementing, by=staff)
    with pytest.raises(ValidationError, match="more than the KRW 300,000,000 committed"):
        transaction_record(project=parties.project, kind=TransactionKind.DISBURSEMENT, date=TODAY,
                           amount_krw=250_000_000, receiver=parties.implementing, by=staff)
    with pytest.raises(ValidationError, match="more than the budget"):
        transaction_record(project=parties.project, kind=TransactionKind.OUTGOING_COMMITMENT, date=TODAY,
                           amount_krw=250_000_000, receiver=parties.implementing, by=staff)
    revision = budget_revise(project=parties.project, amount_krw=450_000_000, reason="Scope cut", by=staff)
    assert (revision.previous_krw, revision.approved_by) == (500_000_000, staff)
    with pytest.raises(ValidationError):
        budget_revise(project=parties.project, amount_krw=1, reason="Below commitments", by=staff)
    response = _client(parties.partner).get(reverse("cooperation:finance", args=[parties.project.pk]))
    totals = dict(re.findall(r'data-total="(\w+)">KRW ([\d,]+)<', response.content.decode()))
    assert totals == {"approved": "500,000,000", "current": "450,000,000", "committed": "300,000,000",
                      "disbursed": "100,000,000", "remaining": "350,000,000", "uncommitted": "150,000,000"}
    budget = _client(parties.partner).get(f"/api/v1/cooperation/budgets/{parties.project.pk}/").json()
    assert (budget["current_krw"], budget["committed_krw"], budget["disbursed_krw"], budget["remaining_krw"]) == (
        450_000_000, 300_000_000, 100_000_000, 350_000_000)


def test_only_staff_revise_the_budget(world):
    parties, *_rest = world
    from django.core.exceptions import PermissionDenied

    for person in (parties.partner, parties.contractor, parties.centre):
        with pytest.raises(PermissionDenied):
            budget_revise(project=parties.project, amount_krw=1, reason="x", by=person)
        assert _client(person).post(reverse("cooperation:finance", args=[parties.project.pk]),
                                    {"action": "budget"}).status_code == 403


ODA_PATHS = [("idea", "concept_note", True), ("concept_note", "appraisal", True), ("appraisal", "funded", True),
             ("idea", "dropped", True), ("appraisal", "dropped", True), ("idea", "funded", False),
             ("funded", "dropped", False), ("dropped", "idea", False), ("concept_note", "idea", False)]


@pytest.mark.parametrize(("source", "target", "allowed"), ODA_PATHS)
def test_oda_follow_up_moves(world, source, target, allowed):
    parties, *_rest, oda = world
    type(oda).objects.filter(pk=oda.pk).update(stage=source)
    oda.refresh_from_db()
    if allowed:
        assert oda_move(follow_up=oda, stage=target, stage_date=TODAY, by=parties.staff).stage == target
    else:
        with pytest.raises(TransitionRefused):
            oda_move(follow_up=oda, stage=target, stage_date=TODAY, by=parties.staff)


def test_related_projects_by_portal_project_or_iati_identifier(world):
    parties, *_rest = world
    other = plan_project(staff=parties.staff)
    row = related_add(project=parties.project, kind=RelationKind.CHILD, to_project=other.project, by=parties.staff)
    assert row.iati_identifier == other.project.iati_identifier
    external = related_add(project=parties.project, kind=RelationKind.CHILD, iati_identifier="KR-GOV-021-2027-01",
                           by=parties.staff)
    assert external.to_project is None
    with pytest.raises(ValidationError):
        related_add(project=parties.project, kind=RelationKind.CHILD, to_project=parties.project, by=parties.staff)


# --- results -----------------------------------------------------------------------------------------------------

def test_after_agreement_a_target_changes_only_with_a_reason(world):
    parties, _m, _d, _v, indicator, period, _oda = world
    with pytest.raises(ValidationError, match="give the reason"):
        period_add(indicator=indicator, period_start=TODAY, period_end=TODAY + datetime.timedelta(90),
                   target_value=Decimal(40), by=parties.staff)
    with pytest.raises(ValidationError):
        period_target_change(period=period, target_value=Decimal(25), reason="", by=parties.staff)
    period_target_change(period=period, target_value=Decimal(25), reason="Joint committee 2", by=parties.staff)
    period.refresh_from_db()
    assert period.target_value == Decimal(25)
    event = parties.project.events.filter(kind="results.target_changed").get()
    assert (event.params["old"], event.params["new"], event.params["reason"]) == ("20.00", "25", "Joint committee 2")
    with pytest.raises(TransitionRefused):
        results_agree(project=parties.project, by=parties.staff)


def test_actuals_only_by_the_implementing_side_or_staff(world):
    parties, *_rest, period, _oda = world
    from django.core.exceptions import PermissionDenied

    for person in (parties.partner, parties.centre):
        with pytest.raises(PermissionDenied):
            actual_record(period=period, value=Decimal(1), by=person)
    future = IndicatorPeriod.objects.create(indicator=period.indicator, period_start=TODAY + datetime.timedelta(1),
                                            period_end=TODAY + datetime.timedelta(90), target_value=Decimal(30))
    with pytest.raises(ValidationError, match="record its actual once it has begun"):
        actual_record(period=future, value=Decimal(1), by=parties.contractor)
    evidence = actual_record(period=period, value=Decimal(14), comment="Attendance sheets",
                             evidence=pdf_upload("attendance.pdf"), by=parties.staff)
    assert (evidence.evidence.category, evidence.evidence.original_name) == ("evidence", "attendance.pdf")


def test_the_chart_data_table_has_the_values(world):
    parties, _m, _d, _v, indicator, period, _oda = world
    second = IndicatorPeriod.objects.create(indicator=indicator, period_start=TODAY,
                                            period_end=TODAY + datetime.timedelta(90), target_value=Decimal("1250.5"))
    html = _client(parties.partner).get(reverse("cooperation:results", args=[parties.project.pk])).content.decode()
    rows = re.findall(r'<tr data-period="(\d+)">.*?class="target">([^<]*)</td>\s*<td[^>]*class="actual">([^<]*)</td>',
                      html, re.S)
    assert rows == [(str(period.pk), "20", "12"), (str(second.pk), "1,250.50", "not yet recorded")]
    assert "<svg" in html and 'role="img"' in html
    assert ("Baseline 0 people on " in html and "Latest actual 12 people against a target of 20" in html
            and "target met in 0 of 1 measured periods." in html)
    assert html.count('<rect x=') == 3 + 2  # two targets and one actual, and the legend's two swatches


# --- query counts ---------------------------------------------------------------------------------------------

def _grow(parties, n):
    staff = parties.staff
    objective = parties.project.objectives.first()
    for i in range(n):
        m = Milestone.objects.create(project=parties.project, title=f"M{i}", due_date=TODAY, owner_side=Side.PARTNER,
                                     order=100 + i)
        d = Deliverable.objects.create(milestone=m, title=f"D{i}", due_date=TODAY, owner_side=Side.CONTRACTOR)
        deliverable_submit(deliverable=d, upload=pdf_upload(), by=parties.contractor)
        indicator = objective.indicators.create(title=f"I{i}", unit="km", baseline_value=1, baseline_date=TODAY)
        IndicatorPeriod.objects.create(indicator=indicator, period_start=TODAY - datetime.timedelta(10),
                                       period_end=TODAY, target_value=5, actual_value=3)
        transaction_record(project=parties.project, kind=TransactionKind.DISBURSEMENT, date=TODAY, amount_krw=10,
                           receiver=parties.implementing, by=staff)
        oda_add(project=parties.project, title=f"ODA {i}", partner=OdaPartner.KOICA, stage_date=TODAY, by=staff)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


N = 12


def test_lists_cost_the_same_queries_for_n_and_2n_rows(world):
    parties, *_rest = world
    pk = parties.project.pk
    urls = [reverse("cooperation:workplan", args=[pk]), reverse("cooperation:results", args=[pk]),
            reverse("cooperation:finance", args=[pk]), "/api/v1/cooperation/milestones/",
            "/api/v1/cooperation/deliverables/", "/api/v1/cooperation/indicators/", "/api/v1/cooperation/budgets/",
            "/api/v1/cooperation/transactions/", "/api/v1/cooperation/oda/"]
    counts = {}
    for who in ("staff", "contractor"):
        client = _client(getattr(parties, who))
        _grow(parties, N) if who == "staff" else None
        at_n = {url: _count(client, url) for url in urls}
        _grow(parties, N)
        at_2n = {url: _count(client, url) for url in urls}
        counts[who] = (at_n, at_2n)
        assert at_n == at_2n, who
