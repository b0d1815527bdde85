"""/api/v1/cooperation/reports/: the same services and rules as the pages, machine-readable."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from cooperation.models import IndicatorPeriod, ProgressReport, ReportingPeriod, ReportStatus
from cooperation.services import reports as services
from tests.cooperation.reports_helpers import periods, report_in
from tests.factories.cooperation_reports import project_for_reports

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cooperation/reports/"


@pytest.fixture
def parties():
    return project_for_reports()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_implementing_side_drafts_and_submits_through_the_api(parties):
    period = periods(parties)[0]
    milestone = parties.project.milestones.first()
    (indicator_period,) = services.indicator_periods_for(period)
    api = _api(parties.contractor)

    created = api.post(BASE, {"period": period.pk, "summary": "Started"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    patched = api.patch(f"{BASE}{pk}/", {
        "summary": "Survey done", "rating_objectives": 5, "rating_implementation": 4, "rating_risk": 2,
        "milestones": [{"milestone": milestone.pk, "percent_complete": 35, "note": "Survey"}],
        "indicators": [{"indicator_period": indicator_period.pk, "actual_value": "9.5", "comment": "Workshops"}],
        "risks": [{"description": "Data late", "state": "mitigated", "mitigation": "MoU signed"}],
    }, format="json")
    assert patched.status_code == 200, patched.json()
    submitted = api.post(f"{BASE}{pk}/submit/")

    body = submitted.json()
    assert submitted.status_code == 200
    assert (body["status"], body["version"], body["summary"]) == ("submitted", 1, "Survey done")
    assert body["ratings"] == {"progress_towards_objectives": 5, "implementation_progress": 4, "overall_risk": 2}
    assert body["previous_ratings"] is None
    assert body["milestone_progress"] == [{"milestone": milestone.pk, "milestone_title": milestone.title,
                                           "due_date": milestone.due_date.isoformat(), "percent_complete": 35,
                                           "note": "Survey"}]
    assert body["indicator_progress"][0]["actual_value"] == "9.50"
    assert body["indicator_progress"][0]["target_value"] == "10.00"
    assert body["risks"] == [{"description": "Data late", "state": "mitigated", "mitigation": "MoU signed"}]
    assert body["period"]["due_date"] == "2026-04-15"


def test_partner_acknowledges_and_staff_accept_through_the_api(parties):
    report = report_in(ReportStatus.SUBMITTED, parties)

    ack = _api(parties.partner).post(f"{BASE}{report.pk}/acknowledge/", {"comment": "Agreed"}, format="json")
    accepted = _api(parties.staff).post(f"{BASE}{report.pk}/accept/", {}, format="json")

    assert (ack.status_code, ack.json()["partner_comment"]) == (200, "Agreed")
    assert accepted.json()["status"] == "accepted"
    (period,) = services.indicator_periods_for(report.period)
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value == Decimal("8.00")


def test_request_changes_and_revise_through_the_api(parties):
    report = report_in(ReportStatus.SUBMITTED, parties)

    without_note = _api(parties.staff).post(f"{BASE}{report.pk}/request-changes/", {}, format="json")
    asked = _api(parties.staff).post(f"{BASE}{report.pk}/request-changes/", {"note": "Numbers"}, format="json")
    revised = _api(parties.contractor).post(f"{BASE}{report.pk}/revise/")

    assert without_note.status_code == 400
    assert asked.json()["status"] == "changes_requested"
    assert (revised.status_code, revised.json()["version"], revised.json()["previous_version"]) == (201, 2, report.pk)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUPERSEDED


@pytest.mark.parametrize(("action", "who", "state"), [
    ("submit", "partner", ReportStatus.DRAFT),
    ("acknowledge", "contractor", ReportStatus.SUBMITTED),
    ("accept", "contractor", ReportStatus.SUBMITTED),
    ("accept", "partner", ReportStatus.SUBMITTED),
    ("request-changes", "centre", ReportStatus.SUBMITTED),
    ("revise", "partner", ReportStatus.CHANGES_REQUESTED),
])
def test_the_wrong_side_is_refused_403_before_the_body(parties, action, who, state):
    report = report_in(state, parties)

    answer = _api(getattr(parties, who)).post(f"{BASE}{report.pk}/{action}/", {"note": 7}, format="json")

    assert answer.status_code in (403, 404) if state == ReportStatus.DRAFT else answer.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).status == state


@pytest.mark.parametrize(("action", "who", "state"), [
    ("submit", "contractor", ReportStatus.SUBMITTED),
    ("acknowledge", "partner", ReportStatus.ACCEPTED),
    ("accept", "staff", ReportStatus.DRAFT),
    ("revise", "contractor", ReportStatus.ACCEPTED),
])
def test_the_wrong_state_is_a_400_transition_refused(parties, action, who, state):
    report = report_in(state, parties)

    answer = _api(getattr(parties, who)).post(f"{BASE}{report.pk}/{action}/", {}, format="json")

    assert (answer.status_code, answer.json()["code"]) == (400, "transition_refused")


def test_a_submitted_report_is_not_patched(parties):
    report = report_in(ReportStatus.SUBMITTED, parties)

    answer = _api(parties.contractor).patch(f"{BASE}{report.pk}/", {"summary": "Changed"}, format="json")

    assert (answer.status_code, answer.json()["code"]) == (400, "transition_refused")
    assert ProgressReport.objects.get(pk=report.pk).summary == "Surveys done; two workshops held."


@pytest.mark.parametrize("outsider", ["other organisation", "contractor elsewhere", "centre of another region"])
def test_non_parties_get_404_on_every_report_object(parties, outsider):
    report = report_in(ReportStatus.SUBMITTED, parties)
    api = _api(parties.outsiders[outsider])

    answers = [api.get(f"{BASE}{report.pk}/").status_code, api.patch(f"{BASE}{report.pk}/", {}).status_code]
    answers += [api.post(f"{BASE}{report.pk}/{action}/", {}).status_code
                for action in ("submit", "acknowledge", "accept", "request-changes", "revise")]
    created = api.post(BASE, {"period": periods(parties)[1].pk}, format="json")

    assert set(answers) == {404}
    assert api.get(BASE).json()["count"] == 0
    assert created.status_code == 404
    assert not ProgressReport.objects.filter(period=periods(parties)[1]).exists()


def test_the_partner_does_not_see_drafts_in_the_api(parties):
    q1, q2 = periods(parties)[:2]
    submitted = report_in(ReportStatus.SUBMITTED, parties, period=q1)
    draft = report_in(ReportStatus.DRAFT, parties, period=q2)

    listed = [row["id"] for row in _api(parties.partner).get(BASE).json()["results"]]

    assert listed == [submitted.pk]
    assert _api(parties.partner).get(f"{BASE}{draft.pk}/").status_code == 404
    assert [row["id"] for row in _api(parties.contractor).get(BASE).json()["results"]] == [draft.pk, submitted.pk]


def test_previous_ratings_come_from_the_last_accepted_report(parties):
    q1, q2 = periods(parties)[:2]
    first = report_in(ReportStatus.ACCEPTED, parties, period=q1, ratings=(3, 4, 5))
    second = report_in(ReportStatus.SUBMITTED, parties, period=q2)

    body = _api(parties.staff).get(f"{BASE}{second.pk}/").json()

    assert body["previous_ratings"] == {"report": first.pk, "progress_towards_objectives": 3,
                                        "implementation_progress": 4, "overall_risk": 5}


@pytest.mark.parametrize("n", [2, 4])
def test_the_list_costs_the_same_for_n_and_2n_reports(n, django_assert_num_queries):
    parties = project_for_reports()
    ReportingPeriod.objects.filter(project=parties.project).delete()
    services.reporting_periods_rebuild(project=parties.project, by=parties.staff)
    more = project_for_reports(months=24)
    for party, count in ((parties, min(n, 4)), (more, n)):
        for period in periods(party)[:count]:
            report_in(ReportStatus.ACCEPTED, party, period=period)
    api = _api(parties.staff)

    # The same for n and 2n: page, its rows' parts, previous ratings (no count: the first page is not full).
    with django_assert_num_queries(7):
        answer = api.get(BASE)

    assert answer.json()["count"] == min(n, 4) + n
