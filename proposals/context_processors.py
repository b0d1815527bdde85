"""The staff inbox's count in the navigation: one aggregate query, only for staff, only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from accounts.rules import is_staff_member
from proposals.inbox import inbox_counts


def staff_inbox(request):
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return {}
    return {"is_secretariat": True, "staff_inbox_counts": SimpleLazyObject(lambda: inbox_counts(user))}
