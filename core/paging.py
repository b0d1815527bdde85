"""One way to page a list on a portal page: a fixed page size, a stable order, and a page number that never fails.

Django's Paginator counts the rows once (an index-backed COUNT) and fetches one page; `get_page` turns a missing,
malformed or too-large number into the first or last page, so a bookmarked link never answers with an error.
The template `includes/pagination.html` shows "Page 2 of 40" with Previous / Next links that keep the other
query parameters (filters) of the request.
"""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse

PAGE_SIZE = 25


def page_of(request, queryset: QuerySet, *, per_page: int = PAGE_SIZE, param: str = "page",
            count: int | None = None) -> Page:
    """The requested page of `queryset`, which must already be ordered (ending in a unique key, e.g. "-id").

    `count`, when given, is how many rows `queryset` has, found by a cheaper query with the same answer."""
    if not queryset.ordered:
        raise ValueError("page_of needs an ordered queryset, or pages could repeat or skip rows")
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this stands in for its COUNT(*)
    return paginator.get_page(request.GET.get(param))


# More rows than any list holds: a page number past it is past every list's last page without asking the database
# (whose OFFSET takes no larger number).
_ROWS_AT_MOST = 2**31


def page_read(request, read: Callable[..., tuple[list, int]], *, per_page: int = PAGE_SIZE,
              param: str = "page") -> Page:
    """page_of for a list read a page at a time by one query that counts the whole list too: `read(offset=,
    limit=)` returns that slice's rows, in the list's stable order, and the list's length (0 for an empty slice).

    The page numbers mean what they mean to page_of (Paginator.get_page): not a number, the first page; below the
    first or past the last, the last page, which then costs two more reads, one row for the count and the last
    page (a stale link, not a visit of the usual kind)."""
    paginator = Paginator((), per_page)
    try:
        number = int(request.GET.get(param))
    except (TypeError, ValueError):
        number = 1
    if 1 <= number <= _ROWS_AT_MOST // per_page:
        rows, total = read(offset=(number - 1) * per_page, limit=per_page)
        if rows or number == 1:
            paginator.count = total  # Paginator.count is a cached property: this stands in for its COUNT(*)
            return Page(rows, number, paginator)
    paginator.count = read(offset=0, limit=1)[1]
    number = paginator.num_pages
    rows, _total = read(offset=(number - 1) * per_page, limit=per_page)
    return Page(rows, number, paginator)


def page_positions(request, count: int, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The requested page of a list of `count` rows, before any row is read: `page.object_list` is the range of
    the page's positions in the list (`.start`, `.stop`), for a selector that reads that page alone; put the rows
    it returns in `page.object_list`. The page number is chosen as page_of chooses it."""
    return Paginator(range(count), per_page).get_page(request.GET.get(param))


# A key no row has; only its digits are replaced (reverse() checks it against the URL's converter, like a real pk).
_ANY_KEY = 2147483647


def row_url(viewname: str, *after, before: tuple = ()) -> Callable[[int], str]:
    """`row_url("proposals:detail")(pk)`: the URL of each row of a page, reversed once per page, not per row.

    For an `<int:pk>` argument, optionally after fixed arguments (`before`: a document's proposal) and followed by
    others (`after`); reverse() walks the resolver and the language prefix each time, which on a page of 25 rows
    with two links each is a visible share of the page's cost."""
    head, tail = reverse(viewname, args=[*before, _ANY_KEY, *after]).rsplit(str(_ANY_KEY), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
