"""core.compiled: a count whose SQL the ORM writes once, sent again with each viewer's id."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.compiled import CompiledCount
from notifications.models import Notice
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_compiled_count_answers_as_the_queryset_counts_for_each_viewer():
    built = []

    def unread(viewer):
        built.append(viewer)
        return Notice.objects.filter(user_id=viewer, read_at__isnull=True)

    count = CompiledCount(Notice, unread)
    reader, other, nobody = UserFactory.create_batch(3)
    for n in range(3):
        Notice.objects.create(user=reader, event="x", title=f"Unread {n}")
    Notice.objects.create(user=reader, event="x", title="Read", read_at=timezone.now())
    Notice.objects.create(user=other, event="x", title="Theirs")

    with CaptureQueriesContext(connection) as queries:
        answers = [count(reader.pk), count(other.pk), count(nobody.pk), count(reader.pk)]

    assert answers == [3, 1, 0, 3]
    assert len(queries) == 4  # one query each, nothing kept but the SQL
    assert len(built) == 1  # the queryset was built and compiled once


def test_compiled_count_refuses_rows_that_do_not_depend_on_the_viewer():
    count = CompiledCount(Notice, lambda viewer: Notice.objects.filter(read_at__isnull=True))

    with pytest.raises(ValueError, match="viewer's id"):
        count(1)
