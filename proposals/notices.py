"""The notice kinds proposals sends (notifications.registry); their e-mail templates are in
proposals/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.registry import NoticeKind, register_kinds

APP = "proposals"

register_kinds(
    NoticeKind("proposal_acknowledged", _("Submission received"), app_label=APP),
    NoticeKind("proposal_status_changed", _("A proposal moves to a new stage"), app_label=APP),
    NoticeKind("proposal_message", _("New message on a proposal"), app_label=APP),
    NoticeKind("collaborator_invited", _("Invitation to work on a proposal"), app_label=APP),
    NoticeKind("draft_stale_reminder", _("Reminder about an untouched draft"), app_label=APP),
    NoticeKind("info_request_reminder", _("Reminder about an unanswered information request"), app_label=APP),
    NoticeKind("info_request_overdue_staff", _("Information request unanswered for 30 days (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
    NoticeKind("staff_digest", _("Daily staff digest (staff)"), app_label=APP, roles=frozenset({Role.STAFF})),
    NoticeKind("proposal_assigned", _("A proposal is assigned to me (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
    NoticeKind("proposal_submitted_staff", _("A new proposal is submitted (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
    NoticeKind("proposal_resubmitted_staff", _("An applicant answers an information request (staff)"),
               app_label=APP, roles=frozenset({Role.STAFF})),
    NoticeKind("applicant_message_staff", _("An applicant writes about a proposal (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
)
