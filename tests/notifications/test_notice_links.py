"""Links in notices are site paths or https:// addresses, checked in one place for every way a notice is made."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEntry
from notifications.models import Notice, OutboxEmail, validate_notice_link
from notifications.services import notify
from tests.factories import StaffFactory, UserFactory

REFUSED = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "http://example.org/plain",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "https:evil.example",
    "ftp://example.org/file",
    "proposals/1/",
]
ALLOWED = ["", "/proposals/12/", "/proposals/12/#messages", "/notices/?page=2", "https://www.molit.go.kr/news"]


@pytest.mark.parametrize("link", REFUSED)
def test_notice_link_check_refuses(link):
    with pytest.raises(ValidationError) as error:
        validate_notice_link(link)
    assert error.value.code == "invalid_link"


@pytest.mark.parametrize("link", ALLOWED)
def test_notice_link_check_allows(link):
    validate_notice_link(link)


@pytest.mark.django_db
def test_notify_with_a_javascript_link_writes_nothing():
    user = UserFactory()

    with pytest.raises(ValidationError):
        notify(event="proposal_message", recipients=[user], context={}, url="javascript:alert(1)")

    assert not Notice.objects.exists()
    assert not OutboxEmail.objects.exists()


@pytest.fixture
def notice_writer():
    staff = StaffFactory()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_notice", "view_notice", "view_user"]))
    client = Client()
    client.force_login(staff)
    return staff, client


@pytest.mark.django_db
def test_admin_refuses_a_javascript_link_with_a_message(notice_writer):
    _staff, client = notice_writer
    reader = UserFactory()

    response = client.post("/admin/notifications/notice/add/", {
        "user": reader.pk, "event": "staff_notice", "title": "Please read", "body": "", "url": "javascript:alert(1)",
    })

    assert response.status_code == 200
    assert "A link must be a path on this site (starting with /) or an https:// address." in response.content.decode()
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_admin_writes_a_notice_with_a_site_link_through_the_service(notice_writer):
    staff, client = notice_writer
    reader = UserFactory()

    response = client.post("/admin/notifications/notice/add/", {
        "user": reader.pk, "event": "staff_notice", "title": "Please read", "body": "Details.", "url": "/proposals/",
    })

    assert response.status_code == 302
    notice = Notice.objects.get()
    assert (notice.user, notice.title, notice.url) == (reader, "Please read", "/proposals/")
    entry = AuditEntry.objects.get(action="notice.create")
    assert (entry.actor, entry.target_id) == (staff, str(notice.pk))
