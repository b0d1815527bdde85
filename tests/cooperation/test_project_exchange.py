"""Documents (checked by content; staff set the public flag) and the shared thread (the other parties told)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.models import ActivityStatus, ProjectDocument
from notifications.models import Notice
from tests.factories import PDF_BYTES, StaffFactory
from tests.factories.cooperation import ProjectFactory, contractor_user, partner_user

pytestmark = pytest.mark.django_db


def _pdf(name="plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_party_uploads_a_document_and_it_is_on_the_timeline(client):
    project = ProjectFactory()
    client.force_login(contractor_user(project=project))

    response = client.post(reverse("cooperation:documents", args=[project.pk]),
                           {"title": "Inception report", "category": "report", "file": _pdf()})

    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    assert (document.title, document.category, document.content_type, document.public) == (
        "Inception report", "report", "application/pdf", False)
    assert project.events.filter(kind="project.document_added").exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("plan.pdf", b"MZ\x90\x00 this is a program, not a PDF", "is not a PDF"),
    ("empty.pdf", b"", "is empty"),
    ("script.pdf", PDF_BYTES.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"),
     "JavaScript"),
])
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_kept(client, name, content, says):
    project = ProjectFactory()
    client.force_login(partner_user(project))

    response = client.post(reverse("cooperation:documents", args=[project.pk]),
                           {"title": "Plan", "category": "general",
                            "file": SimpleUploadedFile(name, content, content_type="application/pdf")})

    assert response.status_code == 400
    assert says.lower() in response.content.decode().lower()
    assert not ProjectDocument.objects.exists()


def test_only_staff_set_the_public_flag(client):
    project = ProjectFactory()
    partner = partner_user(project)
    client.force_login(partner)
    client.post(reverse("cooperation:documents", args=[project.pk]), {"category": "general", "file": _pdf()})
    document = ProjectDocument.objects.get()
    url = reverse("cooperation:document-public", args=[project.pk, document.pk])

    refused = client.post(url, {"public": "1"})
    client.force_login(StaffFactory())
    published = client.post(url, {"public": "1"})

    document.refresh_from_db()
    assert (refused.status_code, published.status_code, document.public) == (403, 302, True)
    assert document.title == "plan.pdf"  # no title given: the file's name


def test_a_closed_project_takes_no_uploads_or_messages(client):
    project = ProjectFactory(activity_status=ActivityStatus.CLOSED)
    client.force_login(partner_user(project))

    upload = client.post(reverse("cooperation:documents", args=[project.pk]), {"category": "general", "file": _pdf()})
    message = client.post(reverse("cooperation:messages", args=[project.pk]), {"body": "Hello"})

    assert (upload.status_code, message.status_code) == (403, 403)


def test_a_message_reaches_the_other_parties_in_their_language(client):
    project = ProjectFactory()
    partner = partner_user(project, language="en")
    contractor = contractor_user(project=project, language="ko")
    client.force_login(partner)

    response = client.post(reverse("cooperation:messages", args=[project.pk]), {"body": "The site survey is done."})

    assert response.status_code == 302
    told = {n.user_id: n.title for n in Notice.objects.filter(event="project_message")}
    assert partner.pk not in told
    assert contractor.pk in told and project.opened_by_id in told
    assert "새 메시지" in told[contractor.pk] or project.title in told[contractor.pk]
    page = client.get(reverse("cooperation:messages", args=[project.pk]))
    assert "The site survey is done." in page.content.decode()


def test_an_empty_message_is_refused_with_a_message(client):
    project = ProjectFactory()
    client.force_login(partner_user(project))

    response = client.post(reverse("cooperation:messages", args=[project.pk]), {"body": "   "})

    assert response.status_code == 400 and "This field is required" in response.content.decode()


def test_the_api_lists_and_writes_the_thread(client):
    project = ProjectFactory()
    contractor = contractor_user(project=project)
    client.force_login(contractor)
    url = f"/api/v1/cooperation/projects/{project.pk}/messages/"

    created = client.post(url, {"body": "Draft inception report uploaded."}, content_type="application/json")
    empty = client.post(url, {"body": ""}, content_type="application/json")
    listed = client.get(url).json()

    assert created.status_code == 201 and created.json()["body"] == "Draft inception report uploaded."
    assert empty.status_code == 400
    assert [m["body"] for m in listed["results"]] == ["Draft inception report uploaded."]
