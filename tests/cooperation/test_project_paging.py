"""Every list of the project concept a page at a time: N and 2N rows (more than a page) cost the same queries —
the project list (with each row's health counts), the documents, the thread, the timeline, the regional
dashboard and the API's project list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation.models import Milestone, ProjectDocument, ProjectEvent, ProjectMessage, Side
from tests.factories import StaffFactory
from tests.factories.cooperation import ProjectFactory, centre_user, partner_user

pytestmark = pytest.mark.django_db
N = 15  # 2N = 30 rows: two pages of 25


def _projects(count, **kwargs):
    staff = StaffFactory()
    projects = [ProjectFactory(by=staff, **kwargs) for _ in range(count)]
    past = timezone.localdate() - datetime.timedelta(days=5)
    Milestone.objects.bulk_create(Milestone(project=p, title="Inception", due_date=past, owner_side=Side.CONTRACTOR)
                                  for p in projects)
    return projects


@pytest.mark.parametrize("count", [N, 2 * N])
def test_project_list_costs_the_same_for_n_and_2n(client, django_assert_num_queries, count):
    _projects(count)
    client.force_login(StaffFactory())

    # session, user, the filter's countries, the page's count and its rows (health in sub-queries), unread notices,
    # the staff inbox badge in the navigation
    with django_assert_num_queries(7):
        response = client.get(reverse("cooperation:projects"))

    body = response.content.decode()
    assert body.count("data-project=") == min(count, 25)
    assert body.count("1 milestone overdue") == min(count, 25)
    assert ('rel="next"' in body) is (count > 25)


@pytest.mark.parametrize("count", [N, 2 * N])
def test_region_dashboard_costs_the_same_for_n_and_2n(client, django_assert_num_queries, count):
    _projects(count, country="ID")
    person = centre_user(country="ID")
    client.force_login(person)

    with django_assert_num_queries(EXPECTED["region"]):
        response = client.get(reverse("cooperation:region"))

    assert response.content.decode().count("data-project=") == min(count, 25)


@pytest.mark.parametrize("count", [N, 2 * N])
def test_api_project_list_costs_the_same_for_n_and_2n(client, django_assert_num_queries, count):
    _projects(count)
    client.force_login(StaffFactory())

    with django_assert_num_queries(EXPECTED["api"]):
        response = client.get("/api/v1/cooperation/projects/")

    assert response.json()["count"] == count
    assert response.json()["results"][0]["overdue"]["milestones"] == 1


def _rows(kind, project, count):
    author = project.opened_by
    if kind == "documents":
        ProjectDocument.objects.bulk_create(
            ProjectDocument(project=project, title=f"Doc {n}", file=f"projects/{project.pk}/x{n}",
                            original_name=f"d{n}.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
                            uploaded_by=author) for n in range(count))
    elif kind == "messages":
        ProjectMessage.objects.bulk_create(ProjectMessage(project=project, author=author, body=f"Message {n}")
                                           for n in range(count))
    else:
        ProjectEvent.objects.bulk_create(ProjectEvent(project=project, actor=author, kind="project.document_added",
                                                      params={"title": f"Doc {n}"}) for n in range(count))


MARKER = {"documents": "data-document=", "messages": "data-message=", "timeline": "data-kind="}


@pytest.mark.parametrize("kind", ["documents", "messages", "timeline"])
@pytest.mark.parametrize("count", [N, 2 * N])
def test_project_tabs_cost_the_same_for_n_and_2n(client, django_assert_num_queries, kind, count):
    project = ProjectFactory()
    _rows(kind, project, count)
    client.force_login(partner_user(project))

    with django_assert_num_queries(EXPECTED[kind]):
        response = client.get(reverse(f"cooperation:{kind}", args=[project.pk]))

    body = response.content.decode()
    # the timeline also holds the project's opening
    assert body.count(MARKER[kind]) == min(count + (1 if kind == "timeline" else 0), 25)


# documents / messages / timeline: session, user, the project, the partner's membership (seeing it, taking part),
# the page's count and rows, unread notices; documents also the viewer's side again (a draft report's files are
# left out for the partner and the centre). region: session, user, the centre's countries, the proposals' count
# and rows, the projects' count and rows. api: session, user and the rows (its pages hold 50: a first page that is
# not full is the whole list and needs no count, core.pagination).
EXPECTED = {"region": 7, "api": 3, "documents": 9, "messages": 8, "timeline": 8}
