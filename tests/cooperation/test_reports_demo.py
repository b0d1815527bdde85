"""The demo's reports: on the midway project an accepted report and one waiting for review; a second run changes
nothing."""

import pytest

from cooperation.demo_reports import seed_reports
from cooperation.models import ProgressReport, ReportingPeriod, ReportStatus
from cooperation.selectors_reports import previous_accepted
from tests.factories.cooperation_reports import project_for_reports

pytestmark = pytest.mark.django_db


def test_seed_reports_builds_a_report_waiting_for_review_and_is_idempotent():
    parties = project_for_reports()
    projects = {"midway": parties.project}

    seed_reports(projects, parties.staff, parties.contractor, parties.partner)
    first_run = (ReportingPeriod.objects.count(), list(ProgressReport.objects.values_list("pk", "status")))
    seed_reports(projects, parties.staff, parties.contractor, parties.partner)

    assert (ReportingPeriod.objects.count(), list(ProgressReport.objects.values_list("pk", "status"))) == first_run
    accepted, waiting = ProgressReport.objects.order_by("period__period_start")
    assert (accepted.status, waiting.status) == (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)
    assert (accepted.drafted_by, accepted.acknowledged_by) == (parties.contractor, parties.partner)
    assert previous_accepted(waiting) == accepted
    assert waiting.rating_objectives > accepted.rating_objectives


def test_seed_reports_makes_the_minimum_plan_when_there_is_none():
    parties = project_for_reports(milestones=0, indicators=0)

    seed_reports({"midway": parties.project}, parties.staff, parties.contractor, parties.partner)

    assert parties.project.milestones.count() == 3
    assert ProgressReport.objects.get(status=ReportStatus.SUBMITTED).indicator_progress.count() == 1


def test_seed_reports_without_a_midway_project_does_nothing():
    parties = project_for_reports()
    seed_reports({"opened": parties.project}, parties.staff, parties.contractor, parties.partner)
    assert not ProgressReport.objects.exists()
