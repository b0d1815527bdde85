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


def test_compiled_rows_answer_as_the_queryset_in_each_language_and_fall_back_to_english():
    from django.utils import translation

    from core.compiled import CompiledRows
    from core.translated import InReadersLanguage
    from proposals.models import ServiceLevel

    ServiceLevel.objects.all().delete()
    ServiceLevel.objects.create(status="submitted", days=5, next_step_en="First answer", next_step_ko="첫 답변")
    ServiceLevel.objects.create(status="screening", days=10, next_step_en="Screening result", next_step_ko="")
    built = []

    def steps():
        built.append(translation.get_language())
        return ServiceLevel.objects.order_by().annotate(shown=InReadersLanguage("next_step")).values("shown", "status")

    rows = CompiledRows(ServiceLevel, steps)
    answers = {}
    with CaptureQueriesContext(connection) as queries:
        for language in ("ko", "en", "ko"):
            with translation.override(language):
                answers[language] = sorted((row["status"], row["shown"]) for row in rows())
                assert answers[language] == sorted((row["status"], row["shown"]) for row in steps())

    assert answers["ko"] == [("screening", "Screening result"), ("submitted", "첫 답변")]
    assert answers["en"] == [("screening", "Screening result"), ("submitted", "First answer")]
    assert len(queries) == 6  # one each, and the three querysets the assertion built
    assert built.count("ko") == 1 + 2 and built.count("en") == 1 + 1  # compiled once per language
