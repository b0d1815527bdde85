"""The notice list: only one's own notices, newest first, a fixed number of queries, mark all as read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notice(user, title):
    return Notice.objects.create(user=user, event="proposal_status_changed", title=title, body="Text", url="/x/")


def _queries_for_list(client, user, count):
    for n in range(count):
        _notice(user, f"Notice {n}")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notices/")
    assert response.status_code == 200
    return len(queries)


def test_notice_list_shows_only_own_notices_newest_first(client):
    siti, other = UserFactory(), UserFactory()
    _notice(siti, "KCN-2026-0001: Screening")
    _notice(siti, "KCN-2026-0001: Pre-consulting")
    _notice(other, "KCN-2026-0009: Approved")
    client.force_login(siti)

    response = client.get("/notices/")

    titles = [n.title for n in response.context["page"]]
    assert titles == ["KCN-2026-0001: Pre-consulting", "KCN-2026-0001: Screening"]
    assert "KCN-2026-0009" not in response.content.decode()


def test_notice_list_same_number_of_queries_for_1_and_20_notices(client):
    one = _queries_for_list(client, UserFactory(), 1)
    twenty = _queries_for_list(client, UserFactory(), 20)

    assert one == twenty


def test_notice_list_requires_sign_in(client):
    response = client.get("/notices/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_notice_read_all_marks_only_own_unread_notices(client):
    siti, other = UserFactory(), UserFactory()
    _notice(siti, "One"), _notice(siti, "Two")
    theirs = _notice(other, "Theirs")
    client.force_login(siti)

    response = client.post("/notices/read/")

    assert response.status_code == 302
    assert Notice.objects.filter(user=siti, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
