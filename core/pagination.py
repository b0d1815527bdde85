"""The API's page numbers: `?page=` must be a page that exists.

DRF reads an empty `?page=` as page 1, so a client that built its query wrongly got the first page as if it had
asked for it. An empty or repeated page number is refused like an unknown one (404 "Invalid page.").
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class PortalPageNumberPagination(PageNumberPagination):
    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if values and (len(values) > 1 or not values[0]):
            raise NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)
