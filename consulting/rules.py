"""Who may do what with consultants, bookings and reports. Views, admin, API and services ask these."""

import rules

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


rules.add_perm("consulting.view_booking", can_view_booking)
rules.add_perm("consulting.change_booking", can_change_booking)
rules.add_perm("consulting.mark_booking", can_mark_booking)
rules.add_perm("consulting.file_report", can_file_report)
