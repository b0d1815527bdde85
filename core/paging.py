"""One way to page a list on a portal page: a fixed page size, a stable order, and a page number that never fails.

Django's Paginator counts the rows once (an index-backed COUNT) and fetches one page; `get_page` turns a missing,
malformed or too-large number into the first or last page, so a bookmarked link never answers with an error.
The template `includes/pagination.html` shows "Page 2 of 40" with Previous / Next links that keep the other
query parameters (filters) of the request.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 25


def page_of(request, queryset: QuerySet, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The requested page of `queryset`, which must already be ordered (ending in a unique key, e.g. "-id")."""
    if not queryset.ordered:
        raise ValueError("page_of needs an ordered queryset, or pages could repeat or skip rows")
    return Paginator(queryset, per_page).get_page(request.GET.get(param))
