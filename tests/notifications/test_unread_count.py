"""The navigation bar's unread count: counted once where the bell is shown, not at all where it is not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import Notice
from tests.factories import StaffFactory, UserFactory
from tests.sql import sent

pytestmark = pytest.mark.django_db


def _notice(user, title="A notice"):
    return Notice.objects.create(user=user, event="proposal_status_changed", title=title, body="Text", url="/x/")


def _notice_counts(queries) -> list[str]:
    return [sql for sql in sent(queries) if "COUNT(*)" in sql and "notifications_notice" in sql and "read_at" in sql]


@pytest.mark.parametrize(("unread", "language"), [(0, "en"), (1, "en"), (3, "en"), (3, "ar"), (2, "ko")])
def test_bell_shows_the_unread_count_counted_once(client, unread, language):
    reader = UserFactory(language=language)
    for n in range(unread):
        _notice(reader, f"Notice {n}")
    Notice.objects.filter(pk=_notice(reader, "Read").pk).update(read_at=timezone.now())
    _notice(UserFactory())
    client.force_login(reader)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("notifications:list")).content.decode()

    with translation.override(language):
        if unread:
            name = translation.ngettext("Notices, %(counter)s unread", "Notices, %(counter)s unread", unread) % {
                "counter": unread}
        else:
            name = translation.gettext("Notices")
    assert f'<span class="visually-hidden">{name}</span>' in html
    badge = f'<span class="badge bg-warning text-dark" id="notice-bell-count" aria-hidden="true">{unread}</span>'
    assert (badge in html) is bool(unread)
    assert len(_notice_counts(queries)) == 1


def test_back_office_page_does_not_count_notices(client):
    staff = StaffFactory()
    _notice(staff)
    client.force_login(staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:proposals_proposal_changelist"))

    assert response.status_code == 200
    assert _notice_counts(queries) == []
