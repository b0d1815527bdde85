import functools

from notifications.selectors import unread_count


def unread_notices(request):
    """The navigation bar's unread count, counted when a template first reads it and then kept for the request: a
    page without the bell (the back office) runs no query for it. Templates call a callable variable, so
    `{% if %}`, `{{ }}` and `{% blocktranslate count %}` all read the number."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": functools.cache(functools.partial(unread_count, user=user))}
