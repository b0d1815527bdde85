"""Per-person choice of which kinds of notice also come by e-mail. In-app notices always go out.

The choice is stored as the kinds a person opted *out* of (`User.email_opt_out`), so a kind added later is
e-mailed by default until the person turns it off.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record

# Kinds of notice a person can choose about, with the label shown in their account settings.
NOTICE_KINDS: dict[str, str] = {
    "proposal_acknowledged": _("Submission received"),
    "proposal_status_changed": _("A proposal moves to a new stage"),
    "proposal_message": _("New message on a proposal"),
    "collaborator_invited": _("Invitation to work on a proposal"),
    "draft_stale_reminder": _("Reminder about an untouched draft"),
    "info_request_reminder": _("Reminder about an unanswered information request"),
    "booking_confirmed": _("Pre-consulting session booked"),
    "booking_rescheduled": _("Pre-consulting session moved"),
    "booking_cancelled": _("Pre-consulting session cancelled"),
    "booking_reminder": _("Reminder before a pre-consulting session"),
    "booking_report_filed": _("Pre-consulting report filed"),
    "booking_report_due": _("Pre-consulting report still to write (consultants)"),
    "committee_assigned": _("Proposal assigned for review (committee)"),
    "committee_review_reminder": _("Review due before a meeting (committee)"),
    "committee_decision": _("Committee decision"),
    "info_request_overdue_staff": _("Information request unanswered for 30 days (staff)"),
    "staff_digest": _("Daily staff digest (staff)"),
    "proposal_assigned": _("A proposal is assigned to me (staff)"),
}

# Kinds only some roles ever receive; the settings page offers everyone else the rest.
KIND_ROLES: dict[str, set[str]] = {
    "booking_report_due": {"consultant"},
    "committee_assigned": {"committee_member"},
    "committee_review_reminder": {"committee_member"},
    "info_request_overdue_staff": {"staff"},
    "staff_digest": {"staff"},
    "proposal_assigned": {"staff"},
}


def notice_kinds_for(user) -> list[tuple[str, str]]:
    """The kinds this person can receive, for their settings page (superusers see every kind)."""
    role = getattr(user, "role", None)
    superuser = getattr(user, "is_superuser", False)
    return [
        (kind, label) for kind, label in NOTICE_KINDS.items()
        if superuser or kind not in KIND_ROLES or role in KIND_ROLES[kind]
    ]


def email_enabled(*, user, event: str) -> bool:
    opted_out = getattr(user, "email_opt_out", None) or []
    return event not in opted_out


def email_preferences_set(*, user, by, email_events: list[str]) -> list[str]:
    """Store which kinds come by e-mail. Kinds outside NOTICE_KINDS that were turned off stay off."""
    if by.pk != user.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    wanted = set(email_events)
    offered = {kind for kind, _label in notice_kinds_for(user)}
    kept = [e for e in (user.email_opt_out or []) if e not in offered]
    opt_out = sorted({*kept, *(kind for kind in offered if kind not in wanted)})
    with transaction.atomic():
        user.email_opt_out = opt_out
        user.save(update_fields=["email_opt_out"])
        audit_record(actor=by, action="user.email_preferences", target=user, data={"email_opt_out": opt_out})
    return opt_out
