"""The notice list a page at a time, newest first: N and 2N notices (two pages) cost the same queries, and a page
fetches no more of a long notice than the list shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notice
from notifications.selectors import unread_count
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
N = 15  # 2N = 30 notices: two pages of 25
PAGE = 25


def _notices(user, count, *, body="Text"):
    return [Notice.objects.create(user=user, event="proposal_status_changed", title=f"Notice {n}", body=body,
                                  url="/proposals/") for n in range(count)]


@pytest.mark.parametrize("count", [N, 2 * N])
def test_notice_list_queries_same_for_n_and_2n_notices(client, django_assert_num_queries, count):
    user = UserFactory()
    _notices(user, count)
    client.force_login(user)

    with django_assert_num_queries(5):  # session, user, unread count, the page's count and its rows
        response = client.get("/notices/")

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="list-group-item') == min(count, PAGE)
    assert ('rel="next"' in body) is (count > PAGE)


def test_notice_list_pages_newest_first_each_once(client):
    user = UserFactory()
    made = _notices(user, 2 * N)
    client.force_login(user)

    first = client.get("/notices/").context["page"]
    second = client.get("/notices/", {"page": "2"}).context["page"]

    assert [n.pk for n in [*first, *second]] == [n.pk for n in reversed(made)]


def test_notice_list_reads_only_the_start_of_a_long_notice(client):
    user = UserFactory()
    _notices(user, 1, body="x" * 20000)
    client.force_login(user)

    response = client.get("/notices/")

    notice = response.context["page"][0]
    assert "body" in notice.get_deferred_fields()
    assert len(notice.excerpt) == 161
    assert "x" * 159 + "…" in response.content.decode()
    assert "x" * 161 not in response.content.decode()


def _plan(queryset) -> str:
    """PostgreSQL's plan for the query with sequential scans priced out: which index it can walk (a test table is
    too small for the planner to prefer any index on its own)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # a bitmap scan would hide the walk order
        # With sorting priced out too, the plan shows whether an index can serve the order by itself.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
    return queryset.explain()


@pytest.mark.postgres
def test_notice_list_and_unread_count_walk_their_indexes(on_postgres):
    user = UserFactory()
    _notices(user, 200)
    Notice.objects.filter(user=user).update(read_at=timezone.now())  # most of a person's notices are read
    _notices(user, 2)
    for other in UserFactory.create_batch(4):  # and a person's are a few among everyone's
        Notice.objects.bulk_create(Notice(user=other, event="x", title=f"Theirs {n}") for n in range(200))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notice")

    page = _plan(Notice.objects.filter(user=user).order_by("-created_at", "-id")[:PAGE])
    # Both indexes serve the unread count, and which one the planner picks depends on the statistics the rest of
    # the suite left behind. Drop the list index inside this test's transaction (PostgreSQL rolls DDL back) to
    # prove the partial one is usable on its own.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX notice_user_newest")
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(user=user) == 2
    with connection.cursor() as cursor:  # what the bell sends on every page (_plan's settings hold till the end)
        cursor.execute(f"EXPLAIN {queries.captured_queries[-1]['sql']}")
        unread = "\n".join(row[0] for row in cursor.fetchall())

    assert "notice_user_newest" in page and "Sort" not in page
    assert "notice_user_unread" in unread
