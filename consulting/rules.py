"""Who may do what with consultants, bookings and reports. Views, admin, API and services ask the names registered
below through `user.has_perm("consulting.<name>", obj)` (the API through core.api.RulePermission, services through
`require`, which raises the permission's one written reason); nobody outside this module calls a predicate."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_staff_member


@rules.predicate
def is_booker(user, booking):
    return bool(user and user.is_authenticated and booking is not None and booking.booked_by_id == user.pk)


@rules.predicate
def is_booking_consultant(user, booking):
    return bool(
        user and user.is_authenticated and booking is not None and booking.consultant.user_id == user.pk
    )


is_booking_party = is_booker | is_booking_consultant

can_view_booking = is_booking_party | is_staff_member
can_change_booking = is_booking_party | is_staff_member  # cancel or reschedule
can_mark_booking = is_booking_consultant | is_staff_member  # held / no-show
can_file_report = is_booking_consultant


@rules.predicate
def can_book(user):
    """Anyone signed in may book, except a consultant booking a session with their own profile (checked later)."""
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_own_consultant_profile(user, consultant):
    return bool(user and user.is_authenticated and consultant is not None and consultant.user_id == user.pk)


can_edit_availability = is_own_consultant_profile | is_staff_member  # weekly hours, date overrides, profile
can_manage_consultants = is_staff_member  # add a consultant, stop or resume their bookings
can_manage_session_types = is_staff_member  # the kinds of session offered (back office)

rules.add_perm("consulting.create_booking", can_book)
rules.add_perm("consulting.view_booking", can_view_booking)
rules.add_perm("consulting.change_booking", can_change_booking)
rules.add_perm("consulting.mark_booking", can_mark_booking)
rules.add_perm("consulting.file_report", can_file_report)
rules.add_perm("consulting.edit_availability", can_edit_availability)
rules.add_perm("consulting.manage_consultants", can_manage_consultants)
rules.add_perm("consulting.manage_session_types", can_manage_session_types)

# Why each permission is refused, written once: the services raise it, the API's permission class answers with it.
REFUSALS = {
    "consulting.create_booking": _("Sign in to book a session."),
    "consulting.view_booking": _("Only the people in this session can see it."),
    "consulting.change_booking": _("Only the people in this session can change it."),
    "consulting.mark_booking": _("Only the consultant can mark this session."),
    "consulting.file_report": _("Only the consultant of this session can file its report."),
    "consulting.edit_availability": _("Only the consultant or staff may change this availability."),
    "consulting.manage_consultants": _("Only staff may add a consultant or stop their bookings."),
    "consulting.manage_session_types": _("Only staff may change the kinds of session offered."),
}


# A report is the consultant's own account of the session: nobody files it for them, a superuser included.
# (Django's User.has_perm lets an active superuser through every name; for these names the rule itself decides.)
OWN_ONLY = frozenset({"consulting.file_report"})


def permits(user, name: str, obj=None) -> bool:
    """`user.has_perm(name, obj)`, except that the names in OWN_ONLY ask the rule without the superuser pass."""
    if user is None or not user.is_active:
        return False
    if name in OWN_ONLY:
        return rules.has_perm(name, user, obj)
    return user.has_perm(name, obj)


def require(user, name: str, obj=None) -> None:
    """Raise PermissionDenied with the permission's own reason unless `user` has it (on `obj`)."""
    if not permits(user, name, obj):
        raise PermissionDenied(REFUSALS[name])
