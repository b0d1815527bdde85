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


def test_compiled_query_reads_as_the_queryset_for_each_viewer_and_shape():
    """Dates, booleans and annotations converted as the ORM converts them (SQLite returns dates as text), rows in
    the order of the names given, each shape (here a page's OFFSET and LIMIT) compiled once."""
    from django.db.models import Exists, OuterRef

    from core.compiled import CompiledQuery

    built = []

    def page(viewer, start, stop):
        built.append((start, stop))
        flagged = Notice.objects.filter(pk=OuterRef("pk"), user_id=viewer, read_at__isnull=False)
        return (Notice.objects.filter(user_id=viewer).annotate(read=Exists(flagged))
                .order_by("-created_at", "-id").values("created_at", "read", "title", "pk")[start:stop])

    query = CompiledQuery(Notice, page, names=("pk", "title", "read", "created_at"))
    reader, other = UserFactory.create_batch(2)
    for n in range(5):
        Notice.objects.create(user=reader, event="x", title=f"Notice {n}", read_at=timezone.now() if n % 2 else None)
    Notice.objects.create(user=other, event="x", title="Theirs")

    def expected(viewer, start, stop):
        return [(row["pk"], row["title"], row["read"], row["created_at"]) for row in page(viewer, start, stop)]

    answers = [query.rows(reader.pk, 0, 3), query.rows(reader.pk, 3, 6), query.rows(other.pk, 0, 3),
               query.rows(reader.pk, 0, 3)]
    compiled = len(built)

    assert answers[0] == expected(reader.pk, 0, 3) and len(answers[0]) == 3
    assert answers[1] == expected(reader.pk, 3, 6) and len(answers[1]) == 2
    assert answers[2] == expected(other.pk, 0, 3) and answers[2][0][1] == "Theirs"
    assert answers[3] == answers[0]
    assert isinstance(answers[0][0][3], type(timezone.now())) and answers[0][0][3].tzinfo is not None
    assert {row[2] for row in answers[0] + answers[1]} == {True, False}
    assert compiled == 2  # (0, 3) and (3, 6), for both viewers
    assert query.count(reader.pk, 0, 10) == 5 and query.count(reader.pk, 3, 10) == 2
    assert query.dicts(other.pk, 0, 3) == [{"pk": answers[2][0][0], "title": "Theirs", "read": False,
                                            "created_at": answers[2][0][3]}]


def test_compiled_query_of_an_empty_condition_reads_nothing_and_needs_a_viewer_where_it_uses_one():
    from core.compiled import CompiledQuery

    nothing = CompiledQuery(Notice, lambda viewer: Notice.objects.filter(pk__in=[]).values("pk"))
    mine = CompiledQuery(Notice, lambda viewer: Notice.objects.filter(user_id=viewer).values("pk"))
    Notice.objects.create(user=UserFactory(), event="x", title="Any")

    with CaptureQueriesContext(connection) as queries:
        assert nothing.rows(None) == [] and nothing.count(None) == 0
    assert len(queries) == 0  # the ORM knows it has no rows: nothing sent
    with pytest.raises(ValueError, match="no viewer"):
        mine.rows(None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # it closes the connection
def test_compiled_reads_are_prepared_once_per_connection_on_postgresql(settings):
    """On PostgreSQL each read is a statement prepared once per connection (planned by the server once, not on each
    request), outside the query log: a request's queries are one EXECUTE each, whether or not it was prepared."""
    from core.compiled import CompiledQuery

    settings.DATABASE_PREPARED_STATEMENTS = True
    mine = CompiledQuery(Notice, lambda viewer: Notice.objects.filter(user_id=viewer, title__contains="100%")
                         .order_by("pk").values("title"))
    reader, other = UserFactory.create_batch(2)
    Notice.objects.create(user=reader, event="x", title="100% 'quoted'")
    Notice.objects.create(user=other, event="x", title="Theirs: 100%")

    def statements():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'kcity_compiled_%%'")
            return {name for (name,) in cursor.fetchall()}

    before = statements()
    with CaptureQueriesContext(connection) as queries:
        answers = [mine.rows(reader.pk), mine.rows(other.pk), mine.count(reader.pk)]
    prepared = statements() - before

    assert answers == [[("100% 'quoted'",)], [("Theirs: 100%",)], 1]  # the constant's % and quote as written
    assert len(prepared) == 2  # the rows and their count
    assert [q["sql"].split(" (")[0].split()[0] for q in queries.captured_queries] == ["EXECUTE"] * 3
    connection.close()  # a new connection has none of them: prepared again on it
    assert mine.rows(reader.pk) == [("100% 'quoted'",)]
    assert len(statements() & prepared) == 1


def test_compiled_instances_read_as_the_queryset_for_each_set_of_integers():
    """Model instances as list(queryset) makes them: select_related's rows built with them (no query on access),
    annotations as attributes, converted values, a column left out by only() deferred (loaded on access), each
    shape compiled once."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from core.compiled import CompiledInstances

    built = []

    def rows(user, unread, tagged):
        built.append(tagged)
        rows = Notice.objects.filter(user_id=user, pk__gt=unread).order_by("pk").select_related("user").only(
            "title", "created_at", "user__email")
        return rows.annotate(tag=Concat(Value("#"), F("title"))) if tagged else rows

    read = CompiledInstances(Notice, rows, integers=2)
    reader, other = UserFactory.create_batch(2)
    first, second = (Notice.objects.create(user=reader, event="x", title=f"N{n}") for n in range(2))
    Notice.objects.create(user=other, event="x", title="Theirs")

    answers = [read(reader.pk, 0, True), read(reader.pk, first.pk, True), read(other.pk, 0, False)]
    assert built == [True, False]  # the two shapes, each once

    with CaptureQueriesContext(connection) as queries:
        assert [(n.pk, n.title, n.tag, n.user.email) for n in answers[0]] == [
            (n.pk, n.title, f"#{n.title}", reader.email) for n in (first, second)]
        assert isinstance(answers[0][0].created_at, type(timezone.now())) and answers[0][0].created_at.tzinfo
    assert len(queries) == 0  # the user came with the row
    assert [n.pk for n in answers[1]] == [second.pk]
    assert [n.title for n in answers[2]] == ["Theirs"] and not hasattr(answers[2][0], "tag")
    with CaptureQueriesContext(connection) as queries:
        assert answers[2][0].event == "x"  # deferred: read on access, as the ORM's instance reads it
    assert len(queries) == 1
    assert answers[0][0]._state.db == "default" and not answers[0][0]._state.adding


def test_compiled_instances_refuse_what_they_would_not_read_as_the_queryset():
    from core.compiled import CompiledInstances

    user = UserFactory()
    Notice.objects.create(user=user, event="x", title="Any")
    nothing = CompiledInstances(Notice, lambda pk: Notice.objects.filter(pk__in=[]).filter(user_id=pk))

    with CaptureQueriesContext(connection) as queries:
        assert nothing(user.pk) == []
    assert len(queries) == 0
    with pytest.raises(ValueError, match="prefetch_related"):
        CompiledInstances(Notice, lambda pk: Notice.objects.filter(user_id=pk).prefetch_related("user"))(user.pk)
    with pytest.raises(ValueError, match="as a parameter"):
        CompiledInstances(Notice, lambda pk: Notice.objects.all())(user.pk)
    with pytest.raises(ValueError, match="integers first"):
        CompiledInstances(Notice, lambda pk: Notice.objects.filter(user_id=pk))(str(user.pk))
