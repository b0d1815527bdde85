"""Who may do what with consultants, bookings and reports. Views, admin, API and services ask the names registered
below through `user.has_perm("consulting.<name>", obj)` (the API through core.api.RulePermission, services through
`require`, which raises the permission's one written reason); nobody outside this module calls a predicate."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.rules import is_consultant, is_staff_member


@rules.predicate
def is_booker(user, booking):
    return bool(user and user.is_authenticated and booking is not None and booking.booked_by_id == user.pk)


@rules.predicate
def is_booking_consultant(user, booking):
    return bool(
        user and user.is_authenticated and booking is not None and booking.consultant.user_id == user.pk
    )


@rules.predicate
def is_invited_team_member(user, booking):
    """On the applicant's team (owner or collaborator) of a session someone else scheduled for that team."""
    if not (user and user.is_authenticated and booking is not None and booking.scheduled_for_team):
        return False
    proposal = booking.proposal
    if proposal is None:
        return False
    return proposal.owner_id == user.pk or proposal.collaborators.filter(pk=user.pk).exists()


@rules.predicate
def is_invitation_open(user, booking):
    return booking is not None and booking.status == "invited"


@rules.predicate
def is_centre_staff(user):
    return bool(user and user.is_authenticated and user.role == Role.CENTRE_STAFF)


@rules.predicate
def has_consultant_profile(user):
    return bool(user and user.is_authenticated and hasattr(user, "consultant_profile"))


is_booking_party = is_booker | is_booking_consultant | is_invited_team_member

can_view_booking = is_booking_party | is_staff_member
can_change_booking = is_booking_party | is_staff_member  # cancel or reschedule
can_mark_booking = is_booking_consultant | is_staff_member  # held / no-show
can_file_report = is_booking_consultant
can_answer_invitation = is_invited_team_member & is_invitation_open  # accept the time (or pick another)
# Who holds pre-consulting for others: the queue is theirs to read; which proposals each may schedule for is
# consulting.selectors.proposals_schedulable_by (another's proposal is a 404 there).
can_view_queue = is_consultant | is_centre_staff | is_staff_member
can_take_from_queue = is_consultant & has_consultant_profile
can_schedule_sessions = is_consultant | is_centre_staff | is_staff_member


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
rules.add_perm("consulting.answer_invitation", can_answer_invitation)
rules.add_perm("consulting.view_queue", can_view_queue)
rules.add_perm("consulting.take_proposal", can_take_from_queue)
rules.add_perm("consulting.schedule_session", can_schedule_sessions)
rules.add_perm("consulting.edit_availability", can_edit_availability)
rules.add_perm("consulting.manage_consultants", can_manage_consultants)
rules.add_perm("consulting.manage_session_types", can_manage_session_types)
rules.add_perm("consulting.manage_report_templates", is_staff_member)

# Why each permission is refused, written once: the services raise it, the API's permission class answers with it.
REFUSALS = {
    "consulting.create_booking": _("Sign in to book a session."),
    "consulting.view_booking": _("Only the people in this session can see it."),
    "consulting.change_booking": _("Only the people in this session can change it."),
    "consulting.mark_booking": _("Only the consultant can mark this session."),
    "consulting.file_report": _("Only the consultant of this session can file its report."),
    "consulting.answer_invitation": _("Only the applicant's team can answer this invitation, while it is open."),
    "consulting.view_queue": _("Only consultants, cooperation centres and the secretariat see the queue."),
    "consulting.take_proposal": _("Only a consultant with a consultant profile can take a proposal."),
    "consulting.schedule_session": _("Only consultants, cooperation centres and the secretariat schedule sessions."),
    "consulting.edit_availability": _("Only the consultant or staff may change this availability."),
    "consulting.manage_consultants": _("Only staff may add a consultant or stop their bookings."),
    "consulting.manage_session_types": _("Only staff may change the kinds of session offered."),
    "consulting.manage_report_templates": _("Only staff may change the report templates."),
}


# A report is the consultant's own account of the session: nobody files it for them, a superuser included.
# (Django's User.has_perm lets an active superuser through every name; for these names the rule itself decides.)
OWN_ONLY = frozenset({"consulting.file_report", "consulting.answer_invitation", "consulting.take_proposal"})


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
