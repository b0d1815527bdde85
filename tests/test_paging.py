"""core.paging: the page of a list with a count found another way (or read with its page), and row URLs reversed
once per page."""

import pytest
from django.core.paginator import Paginator
from django.test import RequestFactory
from django.urls import reverse

from core.paging import page_of, page_read, row_url
from proposals.models import Proposal


@pytest.mark.parametrize("pk", [1, 7, 42, 2147483646])
def test_row_url_is_what_reverse_answers(pk):
    assert row_url("proposals:detail")(pk) == reverse("proposals:detail", args=[pk])
    assert row_url("proposals:edit", "basics")(pk) == reverse("proposals:edit", args=[pk, "basics"])
    assert row_url("committee:declare")(pk) == reverse("committee:declare", args=[pk])
    # A document's URL: its proposal's key before its own, whatever digits the two share.
    for proposal in (12, pk, 2147483647):
        assert row_url("proposals:attachment-download", before=(proposal,))(pk) == reverse(
            "proposals:attachment-download", args=[proposal, pk])


@pytest.mark.django_db
def test_page_of_takes_the_given_count_instead_of_counting(django_assert_num_queries):
    request = RequestFactory().get("/", {"page": "3"})

    with django_assert_num_queries(0):  # no COUNT(*); the page's rows are not read until asked for
        page = page_of(request, Proposal.objects.order_by("id"), count=60)

    assert (page.paginator.count, page.paginator.num_pages, page.number) == (60, 3, 3)
    assert page.has_previous() and not page.has_next()


def _reader(rows: list):
    """A read(offset=, limit=) over `rows`, as one query would answer it, keeping a note of each slice asked."""
    asked = []

    def read(*, offset, limit):
        asked.append((offset, limit))
        found = rows[offset:offset + limit]
        return found, len(rows) if found else 0

    return read, asked


@pytest.mark.parametrize("length", [0, 1, 25, 26, 60])
@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "4", "0", "-1", "abc", "2.0", " 2 ", "9" * 30])
def test_page_read_gives_the_page_get_page_gives(length, number):
    rows = list(range(length))
    request = RequestFactory().get("/", {} if number is None else {"page": number})
    read, _asked = _reader(rows)

    page = page_read(request, read)
    expected = Paginator(rows, 25).get_page(number)

    assert (page.number, list(page), page.paginator.count) == (expected.number, list(expected), length)
    assert (page.has_previous(), page.has_next()) == (expected.has_previous(), expected.has_next())


def test_page_read_reads_once_a_page_that_exists_and_three_times_past_the_last():
    read, asked = _reader(list(range(60)))

    page_read(RequestFactory().get("/", {"page": "2"}), read)
    assert asked == [(25, 25)]

    asked.clear()
    page_read(RequestFactory().get("/", {"page": "7"}), read)
    assert asked == [(150, 25), (0, 1), (50, 25)]  # nothing there; the count; the last page
