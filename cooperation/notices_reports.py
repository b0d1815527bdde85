"""The notice kinds progress reports and the cooperation reminders send (notifications.registry); their e-mail
templates are in cooperation/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.registry import NoticeKind, register_kinds

APP = "cooperation"
STAFF = frozenset({Role.STAFF})

register_kinds(
    NoticeKind("report_submitted", _("A progress report is submitted"), app_label=APP),
    NoticeKind("report_acknowledged", _("The partner government acknowledges a progress report"), app_label=APP),
    NoticeKind("report_accepted", _("A progress report is accepted"), app_label=APP),
    NoticeKind("report_changes_requested", _("Changes asked for in a progress report"), app_label=APP),
    NoticeKind("report_revision_started", _("A progress report is being revised (staff)"), app_label=APP,
               roles=STAFF),
    NoticeKind("report_due_soon", _("A progress report is due in a week"), app_label=APP),
    NoticeKind("report_overdue", _("A progress report is overdue"), app_label=APP),
    NoticeKind("work_item_due_soon", _("A milestone or deliverable is due soon"), app_label=APP),
    NoticeKind("work_item_overdue", _("A milestone or deliverable is overdue"), app_label=APP),
    NoticeKind("cooperation_overdue_digest", _("Weekly digest of overdue project work (staff)"), app_label=APP,
               roles=STAFF),
)
