"""core.paging: the page of a list with a count found another way, and row URLs reversed once per page."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.paging import page_of, row_url
from proposals.models import Proposal


@pytest.mark.parametrize("pk", [1, 7, 42, 2147483646])
def test_row_url_is_what_reverse_answers(pk):
    assert row_url("proposals:detail")(pk) == reverse("proposals:detail", args=[pk])
    assert row_url("proposals:edit", "basics")(pk) == reverse("proposals:edit", args=[pk, "basics"])
    assert row_url("committee:declare")(pk) == reverse("committee:declare", args=[pk])


@pytest.mark.django_db
def test_page_of_takes_the_given_count_instead_of_counting(django_assert_num_queries):
    request = RequestFactory().get("/", {"page": "3"})

    with django_assert_num_queries(0):  # no COUNT(*); the page's rows are not read until asked for
        page = page_of(request, Proposal.objects.order_by("id"), count=60)

    assert (page.paginator.count, page.paginator.num_pages, page.number) == (60, 3, 3)
    assert page.has_previous() and not page.has_next()
