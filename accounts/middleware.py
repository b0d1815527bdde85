import functools
import zoneinfo
from urllib.parse import unquote

from django.conf import settings
from django.utils import timezone, translation

# Set by a small script in base.html from the browser's own zone, so visitors who have not signed in
# (and the sign-up form) also see times in their zone.
BROWSER_TZ_COOKIE = "kcity_tz"


def _zone(name):
    if not name:
        return None
    if not isinstance(name, str):
        return name
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def browser_zone(raw: str):
    """The zone in the browser's cookie, or None. static/js/portal.js writes it with encodeURIComponent
    ("America%2FBogota"), so it is decoded first; only a name of the time-zone database is taken (no paths)."""
    name = unquote((raw or "")[:128]).strip()
    if not name or len(name) > 64 or name not in _known_zones():
        return None
    return _zone(name)


class UserPreferencesMiddleware:
    """Show a signed-in person times in their own time zone and pages in their chosen language.

    An explicit choice in the language switcher (the language cookie) still wins for that browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(_zone(user.time_zone) or zoneinfo.ZoneInfo("UTC"))
            if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            zone = browser_zone(request.COOKIES.get(BROWSER_TZ_COOKIE, ""))
            if zone is not None:
                timezone.activate(zone)
            else:
                timezone.deactivate()
        return self.get_response(request)
