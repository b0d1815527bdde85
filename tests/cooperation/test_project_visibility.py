"""Another organisation, a contractor on another project and a centre of another region get 404 on every page and
API object of the project concept; each party gets the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.services import document_add
from tests.factories import PDF_BYTES, StaffFactory, applicant
from tests.factories.cooperation import ProjectFactory, centre_user, contractor_user, partner_user

pytestmark = pytest.mark.django_db

PAGES = ["cooperation:project", "cooperation:documents", "cooperation:messages", "cooperation:timeline",
         "cooperation:project-edit"]
POSTS = ["cooperation:project-status", "cooperation:participant-add", "cooperation:member-invite",
         "cooperation:documents", "cooperation:messages"]
API = ["/api/v1/cooperation/projects/{pk}/", "/api/v1/cooperation/projects/{pk}/participants/",
       "/api/v1/cooperation/projects/{pk}/documents/", "/api/v1/cooperation/projects/{pk}/messages/"]


@pytest.fixture
def project():
    project = ProjectFactory(country="ID")
    document_add(project=project, by=project.opened_by, title="Inception report",
                 upload=SimpleUploadedFile("inception.pdf", PDF_BYTES, content_type="application/pdf"))
    return project


def _outsider(kind, project):
    if kind == "other_organisation":
        return applicant()
    if kind == "contractor_elsewhere":
        return contractor_user(project=ProjectFactory())
    return centre_user(country="KE")  # a centre of another region


OUTSIDERS = ["other_organisation", "contractor_elsewhere", "centre_elsewhere"]


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_404_on_every_page_download_and_post(client, project, kind):
    client.force_login(_outsider(kind, project))
    document = project.documents.get()

    answers = [client.get(reverse(name, args=[project.pk])).status_code for name in PAGES]
    answers.append(client.get(reverse("cooperation:document-download", args=[project.pk, document.pk])).status_code)
    answers.append(client.post(reverse("cooperation:document-public", args=[project.pk, document.pk]),
                               {"public": "1"}).status_code)
    answers += [client.post(reverse(name, args=[project.pk]), {"body": "hello", "to": 2}).status_code
                for name in POSTS]

    assert answers == [404] * (len(PAGES) + 2 + len(POSTS))
    assert not project.messages.exists()


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_outsiders_get_404_on_every_api_object_and_an_empty_list(client, project, kind):
    client.force_login(_outsider(kind, project))

    answers = [client.get(url.format(pk=project.pk)).status_code for url in API]
    posted = client.post(f"/api/v1/cooperation/projects/{project.pk}/messages/", {"body": "hi"},
                         content_type="application/json")
    listed = client.get("/api/v1/cooperation/projects/").json()

    assert answers == [404] * len(API) and posted.status_code == 404
    assert project.pk not in [row["id"] for row in listed["results"]]


@pytest.mark.parametrize("kind", ["partner", "contractor", "centre", "staff"])
def test_each_party_sees_every_tab_and_the_api(client, project, kind):
    person = {"partner": lambda: partner_user(project), "contractor": lambda: contractor_user(project=project),
              "centre": lambda: centre_user(country="ID"), "staff": StaffFactory}[kind]()
    client.force_login(person)
    document = project.documents.get()

    pages = [client.get(reverse(name, args=[project.pk])).status_code for name in PAGES[:4]]
    download = client.get(reverse("cooperation:document-download", args=[project.pk, document.pk]))
    api = [client.get(url.format(pk=project.pk)).status_code for url in API]

    assert pages == [200] * 4 and api == [200] * 4
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Cache-Control"] == "private, no-store"


def test_a_signed_out_visitor_is_sent_to_sign_in(client, project):
    response = client.get(reverse("cooperation:project", args=[project.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/v1/cooperation/projects/{project.pk}/").status_code in (401, 403, 404)
