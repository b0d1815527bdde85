"""Where a `next` parameter may send someone: the one check every redirect taken from a request goes through.

Only this site, and only https when the request came over https; anything else (another host, `//host`,
`/\\host`, `javascript:`, control characters) is refused and the caller's fallback is used. The portal serves
one host, so the request's own host is the only one allowed (not every ALLOWED_HOSTS pattern).
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_redirect(request: HttpRequest, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """The request's `next` (POST first, then the query string) if it is safe, else `fallback`."""
    url = request.POST.get(field) or request.GET.get(field)
    return url if is_safe_redirect(request, url) else fallback
