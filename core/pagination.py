"""The API's page numbers: `?page=` must be a page that exists.

DRF reads an empty `?page=` as page 1, so a client that built its query wrongly got the first page as if it had
asked for it. An empty or repeated page number is refused like an unknown one (404 "Invalid page.").

Most lists under a proposal (its messages, documents, history) fit on their first page: the paginator fetches the
page first, and a page shorter than a full one is the last, so its rows say how many there are without a COUNT.
"""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class RowsFirstPaginator(Paginator):
    """Django's Paginator, answering the same pages, counting only when the page's rows cannot tell."""

    def page(self, number):
        if self.orphans or "count" in self.__dict__:
            return super().page(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0
        if wanted < 1:
            return super().page(number)  # refused with Django's own reason
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom:bottom + self.per_page])
        if len(rows) < self.per_page and (rows or wanted == 1):
            self.count = bottom + len(rows)  # a cached property: this stands in for its COUNT(*)
            return self._get_page(rows, wanted, self)
        if not rows:  # past the last page: refused as Django refuses it (after its COUNT)
            return super().page(number)
        self.validate_number(wanted)  # a full page: the total needs the COUNT
        return self._get_page(rows, wanted, self)


class PortalPageNumberPagination(PageNumberPagination):
    django_paginator_class = RowsFirstPaginator

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or not values[0]):
            raise NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)
