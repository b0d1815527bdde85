import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Show a signed-in person times in their own time zone and pages in their chosen language.

    An explicit choice in the language switcher (the session/cookie) still wins for that browser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tz = user.time_zone
            if isinstance(tz, str):
                tz = zoneinfo.ZoneInfo(tz)
            timezone.activate(tz)
            from django.conf import settings

            if not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        return response
