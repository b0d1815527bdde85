"""The staff inbox's count in the navigation: one aggregate query, only for staff, only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from accounts.rules import is_staff_member
from proposals.inbox import needs_me_count


def staff_inbox(request):
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return {"is_secretariat": False}  # named for everyone: base.html asks every page
    # The badge reads `needs_me` only; the inbox page hands over all its sections' counts under the same name.
    return {"is_secretariat": True, "staff_inbox_counts": SimpleLazyObject(lambda: {"needs_me": needs_me_count(user)})}
