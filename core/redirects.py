"""Where a `next` parameter may send someone: the one check every redirect taken from a request goes through.

Only this site, and only https when the request came over https; anything else (another host, `//host`,
`/\\host`, `javascript:`, control characters) is refused and the caller's fallback is used. The portal serves
one host, so the request's own host is the only one allowed (not every ALLOWED_HOSTS pattern).
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.i18n import set_language as django_set_language


def is_safe_redirect(request: HttpRequest, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next_url(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """The request's `next` (POST first, then the query string) if it is safe, else `fallback`."""
    url = request.POST.get(field) or request.GET.get(field)
    return url if is_safe_redirect(request, url) else fallback


def set_language(request):
    """Django's language switch, its `next` put through the portal's check first.

    Django's view makes the same check itself; routing it here keeps one rule for every `next` of the portal. An
    unsafe `next` is dropped, and Django then falls back to a safe Referer or the home page.
    """
    if request.method == "POST" and "next" in request.POST and not is_safe_redirect(request, request.POST["next"]):
        data = request.POST.copy()
        del data["next"]
        request.POST = data
    if "next" in request.GET and not is_safe_redirect(request, request.GET["next"]):
        query = request.GET.copy()
        del query["next"]
        request.GET = query
    return django_set_language(request)
