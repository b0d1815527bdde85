"""core.pagination.RowsFirstPaginator answers every page as Django's Paginator does (rows, count, next and previous
page, the same refusals), and counts only when the page's rows cannot say how many there are."""

import pytest
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.pagination import RowsFirstPaginator
from tests.factories import UserFactory


class Counted(list):
    """A list that says when it was counted (Paginator calls count() when an object list has one)."""

    counted = 0

    def count(self):
        self.counted += 1
        return len(self)


def _answer(paginator_class, rows, per_page, number):
    paginator = paginator_class(rows, per_page)
    try:
        page = paginator.page(number)
    except InvalidPage as exc:
        return type(exc).__name__, str(exc)
    return list(page), paginator.count, paginator.num_pages, page.has_next(), page.has_previous()


@pytest.mark.parametrize("size", [0, 1, 4, 5, 6, 10, 11])
@pytest.mark.parametrize("number", [1, 2, 3, "1", "2", 1.0, 1.5, 0, -1, "x", None, "3"])
def test_every_page_and_refusal_is_djangos(size, number):
    rows = list(range(size))

    assert _answer(RowsFirstPaginator, Counted(rows), 5, number) == _answer(Paginator, Counted(rows), 5, number)


@pytest.mark.parametrize(("size", "number", "counted"), [
    (0, 1, 0), (3, 1, 0), (3, "1", 0),  # a first page not full (or empty) is the whole list: its rows say how many
    (5, 1, 1), (12, 1, 1),  # a full first page: the total needs the count
    (8, 2, 1), (5, 2, 1), (3, 2, 1),  # any other page is checked against the count first, as Django does
])
def test_counts_only_when_the_rows_cannot_say(size, number, counted):
    rows = Counted(range(size))

    _answer(RowsFirstPaginator, rows, 5, number)

    assert rows.counted == counted


@pytest.mark.django_db
def test_a_short_first_page_of_a_queryset_is_one_query():
    for _ in range(3):
        UserFactory()
    users = User.objects.order_by("pk")

    with CaptureQueriesContext(connection) as queries:
        page = RowsFirstPaginator(users, 5).page(1)

    assert (len(page), page.paginator.count, page.has_next()) == (3, 3, False)
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_page_past_the_end_however_large_is_refused_before_any_offset_is_sent():
    UserFactory()

    with pytest.raises(InvalidPage):
        RowsFirstPaginator(User.objects.order_by("pk"), 5).page(427075464390064778788168242074484736)
