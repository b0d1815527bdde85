import functools

from notifications.models import Notice


def unread_notices(request):
    """The navigation bar's unread count, counted when a template first reads it and then kept for the request: a
    page without the bell (the back office) runs no query for it. Templates call a callable variable, so
    `{% if %}`, `{{ }}` and `{% blocktranslate count %}` all read the number."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": functools.cache(Notice.objects.filter(user=user, read_at__isnull=True).count)}
