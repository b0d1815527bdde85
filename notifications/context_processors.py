from notifications.selectors import unread_count


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": unread_count(user=user)}
