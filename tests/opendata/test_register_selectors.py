"""opendata.selectors: which projects and documents are public, and what the register counts."""

import pytest

from cooperation.models import ProgressReport, ReportStatus
from opendata.selectors import RegisterFilters, filtered, public_documents, public_projects
from proposals.workflow import Status
from tests.opendata.register_helpers import (
    document,
    draft_report_document,
    milestones,
    released_project,
    unreleased_project,
)

pytestmark = pytest.mark.django_db


def test_public_projects_are_the_released_approvals_only():
    public = released_project(year=2025)
    unreleased_project()

    assert [p.pk for p in public_projects()] == [public.pk]


def test_a_released_proposal_that_is_not_approved_is_not_public():
    project = released_project()
    project.proposal.status = Status.COMMITTEE_REVIEW
    project.proposal.save(update_fields=["status"])

    assert not public_projects().exists()


def test_public_projects_count_milestones_and_carry_track_and_year():
    project = released_project(year=2025)
    milestones(project, done=2, pending=3)

    row = public_projects().get()

    assert (row.milestones_done, row.milestones_total, row.year) == (2, 5, 2025)
    assert (row.track_name, row.track_slug) == (project.proposal.track.name, project.proposal.track.slug)
    assert row.reference == project.proposal.reference


def test_the_year_is_the_release_year_without_a_cycle():
    project = released_project()

    assert public_projects().get().year == project.proposal.decision_released_at.year


def test_filters_narrow_by_year_country_track_and_status():
    a = released_project(year=2025, country="KE")
    b = released_project(year=2026, country="ID", activity_status=2)

    assert [p.pk for p in filtered(public_projects(), RegisterFilters(year=2025))] == [a.pk]
    assert [p.pk for p in filtered(public_projects(), RegisterFilters(country="ID"))] == [b.pk]
    assert [p.pk for p in filtered(public_projects(), RegisterFilters(status=2))] == [b.pk]
    assert [p.pk for p in filtered(public_projects(), RegisterFilters(track=a.proposal.track.slug))] == [a.pk]


def test_public_documents_are_the_public_ones_and_never_a_draft_reports_file():
    project = released_project()
    shown = document(project, title="Master plan", public=True)
    document(project, title="Internal budget", public=False)
    draft_report_document(project, title="Draft report photo")

    assert [d.pk for d in public_documents(project)] == [shown.pk]


def test_a_draft_reports_public_file_is_shown_once_the_report_is_submitted():
    project = released_project()
    draft_file = draft_report_document(project, title="Report photo")

    ProgressReport.objects.filter(project=project).update(status=ReportStatus.SUBMITTED)

    assert [d.pk for d in public_documents(project)] == [draft_file.pk]
