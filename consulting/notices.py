"""The notice kinds consulting sends (notifications.registry); their e-mail templates are in
consulting/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.registry import NoticeKind, register_kinds

APP = "consulting"

register_kinds(
    NoticeKind("booking_confirmed", _("Pre-consulting session booked"), app_label=APP),
    NoticeKind("booking_invited", _("Invitation to a pre-consulting session"), app_label=APP),
    NoticeKind("booking_accepted", _("Pre-consulting invitation accepted"), app_label=APP),
    NoticeKind("booking_rescheduled", _("Pre-consulting session moved"), app_label=APP),
    NoticeKind("booking_cancelled", _("Pre-consulting session cancelled"), app_label=APP),
    NoticeKind("booking_reminder", _("Reminder before a pre-consulting session"), app_label=APP),
    NoticeKind("booking_report_filed", _("Pre-consulting report filed"), app_label=APP),
    NoticeKind("booking_report_due", _("Pre-consulting report still to write (consultants)"), app_label=APP,
               roles=frozenset({Role.CONSULTANT})),
    NoticeKind("booking_made_staff", _("A pre-consulting session is booked (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
    NoticeKind("report_filed_staff", _("A pre-consulting report is filed (staff)"), app_label=APP,
               roles=frozenset({Role.STAFF})),
)
