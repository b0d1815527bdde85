"""The project list, the project page and its tabs, and staff's edit of the details, as each party sees them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cooperation.models import (
    ActionItem,
    ActivityStatus,
    CooperationMeeting,
    Deliverable,
    MeetingKind,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Side,
    WorkStatus,
)
from cooperation.selectors_project import health_for
from tests.factories import StaffFactory
from tests.factories.cooperation import ProjectFactory, centre_user, contractor_user, partner_user

pytestmark = pytest.mark.django_db

TABS = ["cooperation:project", "cooperation:documents", "cooperation:messages", "cooperation:timeline"]


@pytest.mark.parametrize("name", TABS)
def test_every_tab_shows_the_header_and_the_tabs(client, name):
    project = ProjectFactory(country="KE")
    client.force_login(partner_user(project))

    response = client.get(reverse(name, args=[project.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert project.iati_identifier in body and project.title in body and "Kenya" in body
    assert 'aria-label="Project sections"' in body
    assert response.context["tab"] == name.split(":")[1].replace("project", "overview")


def test_the_list_shows_a_partner_only_their_organisations_projects(client):
    mine = ProjectFactory()
    ProjectFactory()
    client.force_login(partner_user(mine))

    response = client.get(reverse("cooperation:projects"))

    assert [p.pk for p in response.context["projects"]] == [mine.pk]


def test_the_list_filters_by_status_and_country(client):
    kenya = ProjectFactory(country="KE", activity_status=ActivityStatus.IMPLEMENTATION)
    ProjectFactory(country="KE")
    ProjectFactory(country="ID", activity_status=ActivityStatus.IMPLEMENTATION)
    client.force_login(StaffFactory())

    response = client.get(reverse("cooperation:projects"), {"status": "2", "country": "KE"})

    assert [p.pk for p in response.context["projects"]] == [kenya.pk]


def test_the_list_and_page_show_the_korean_title_to_a_korean_reader(client):
    project = ProjectFactory(translations={"ko": {"title": "수라바야 스마트 모빌리티 계획"}})
    staff = StaffFactory(language="ko")
    client.force_login(staff)

    listing = client.get(reverse("cooperation:projects")).content.decode()
    page = client.get(reverse("cooperation:project", args=[project.pk])).content.decode()

    assert "수라바야 스마트 모빌리티 계획" in listing and "수라바야 스마트 모빌리티 계획" in page


def test_the_health_summary_counts_what_is_overdue():
    project = ProjectFactory()
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=3), today + datetime.timedelta(days=3)
    late = Milestone.objects.create(project=project, title="Inception", due_date=past, owner_side=Side.CONTRACTOR)
    Milestone.objects.create(project=project, title="Accepted", due_date=past, owner_side=Side.CONTRACTOR,
                             status=WorkStatus.ACCEPTED)
    Milestone.objects.create(project=project, title="Later", due_date=future, owner_side=Side.CONTRACTOR)
    Deliverable.objects.create(milestone=late, title="Report", due_date=past, owner_side=Side.CONTRACTOR,
                               status=WorkStatus.SUBMITTED)
    period = ReportingPeriod.objects.create(project=project, period_start=past - datetime.timedelta(days=90),
                                            period_end=past, due_date=past)
    ReportingPeriod.objects.create(project=project, period_start=past, period_end=future, due_date=future)
    done = ReportingPeriod.objects.create(project=project, period_start=past - datetime.timedelta(days=200),
                                          period_end=past - datetime.timedelta(days=100), due_date=past)
    ProgressReport.objects.create(period=period, project=project, drafted_by=project.opened_by)  # a draft only
    ProgressReport.objects.create(period=done, project=project, drafted_by=project.opened_by,
                                  status=ReportStatus.SUBMITTED)
    meeting = CooperationMeeting.objects.create(project=project, kind=MeetingKind.JOINT_COMMITTEE, session_number=1,
                                                starts_at=timezone.now(), ends_at=timezone.now(),
                                                created_by=project.opened_by)
    ActionItem.objects.create(project=project, meeting=meeting, title="Send data", owner_side=Side.PARTNER,
                              due_date=past)
    ActionItem.objects.create(project=project, meeting=meeting, title="Done", owner_side=Side.PARTNER,
                              due_date=past, status="done")

    assert health_for(project) == {"overdue_milestones": 1, "overdue_deliverables": 1, "overdue_reports": 1,
                                   "overdue_actions": 1, "total": 4}


def test_staff_edit_the_details_with_a_korean_translation(client):
    project = ProjectFactory()
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("cooperation:project-edit", args=[project.pk])

    response = client.post(url, {
        "title": "Surabaya mobility plan", "description": "A plan.", "title_ko": "수라바야 계획",
        "description_ko": "", "sector_code": "21020", "recipient_city": "Surabaya", "planned_start": "2026-01-01",
        "planned_end": "2026-12-31", "report_frequency": "half_yearly", "cooperation_centre": "", "conditions": "",
    })

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.sector_code, project.report_frequency, project.translations) == (
        "Surabaya mobility plan", "21020", "half_yearly", {"ko": {"title": "수라바야 계획"}})
    assert project.events.filter(kind="project.updated").exists()
    assert AuditEntry.objects.filter(action="project.update", target_id=str(project.pk)).exists()


def test_a_bad_sector_code_is_refused_with_a_message(client):
    project = ProjectFactory()
    client.force_login(StaffFactory())

    response = client.post(reverse("cooperation:project-edit", args=[project.pk]), {
        "title": "T", "sector_code": "43", "report_frequency": "quarterly"})

    assert response.status_code == 400
    assert "five digits" in response.content.decode()


def test_a_partner_cannot_edit_the_project(client):
    project = ProjectFactory()
    client.force_login(partner_user(project))

    assert client.get(reverse("cooperation:project-edit", args=[project.pk])).status_code == 403


def test_the_contractor_sees_the_page_and_the_overview_lists_the_people(client):
    project = ProjectFactory()
    contractor = contractor_user(project=project, full_name="Choi Woo-sik")
    client.force_login(contractor)

    body = client.get(reverse("cooperation:project", args=[project.pk])).content.decode()

    assert "Choi Woo-sik" in body and "Korean contractors" in body


def test_the_navigation_links_the_projects_for_a_partner_with_one_only(client):
    project = ProjectFactory()
    partner, outsider = partner_user(project), partner_user(ProjectFactory())
    outsider.memberships.all().delete()
    link = f'href="{reverse("cooperation:projects")}"'

    client.force_login(partner)
    with_project = client.get(reverse("proposals:workspace")).content.decode()
    client.force_login(outsider)
    without = client.get(reverse("proposals:workspace")).content.decode()
    client.force_login(contractor_user(project=project))
    contractor = client.get(reverse("notifications:list")).content.decode()

    assert link in with_project and link not in without and link in contractor


def test_the_regional_dashboard_shows_the_centres_countries_only(client):
    jakarta = ProjectFactory(country="ID")
    ProjectFactory(country="KE")
    client.force_login(centre_user(country="ID"))

    response = client.get(reverse("cooperation:region"))

    assert [p.pk for p in response.context["projects"].object_list] == [jakarta.pk]
    client.force_login(partner_user(jakarta))
    assert client.get(reverse("cooperation:region")).status_code == 403
