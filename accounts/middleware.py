import zoneinfo

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
            browser_zone = _zone(request.COOKIES.get(BROWSER_TZ_COOKIE, "")[:64])
            if browser_zone is not None:
                timezone.activate(browser_zone)
            else:
                timezone.deactivate()
        return self.get_response(request)
