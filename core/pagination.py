"""The API's page numbers: `?page=` must be a page that exists.

DRF reads an empty `?page=` as page 1, so a client that built its query wrongly got the first page as if it had
asked for it. An empty or repeated page number is refused like an unknown one (404 "Invalid page.").

Most lists under a proposal (its messages, documents, history) fit on their first page: the paginator fetches the
first page before counting, and a first page shorter than a full one is the whole list, so its rows say how many
there are without a COUNT.
"""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class RowsFirstPaginator(Paginator):
    """Django's Paginator, answering the same pages, counting the first page's list only when the page is full.

    Any other page number is checked against the count first, as Django does: a number past the end (however
    large) never reaches the database as an offset."""

    def page(self, number):
        try:
            first = int(number) == 1 and not (isinstance(number, float) and not number.is_integer())
        except (TypeError, ValueError):
            first = False
        if not first or self.orphans or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[:self.per_page])
        if len(rows) < self.per_page:
            self.count = len(rows)  # a cached property: this stands in for its COUNT(*)
        else:
            self.validate_number(1)  # a full page: the total needs the COUNT
        return self._get_page(rows, 1, self)


class PortalPageNumberPagination(PageNumberPagination):
    django_paginator_class = RowsFirstPaginator

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or not values[0]):
            raise NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)
