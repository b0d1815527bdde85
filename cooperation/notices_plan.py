"""The notice kinds the work plan sends (notifications.registry); their e-mail templates are in
cooperation/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NoticeKind, register_kinds

APP = "cooperation"

register_kinds(
    NoticeKind("plan_work_submitted", _("A milestone or deliverable is submitted for acceptance"), app_label=APP),
    NoticeKind("plan_work_reviewed", _("A milestone or deliverable is accepted or needs changes"), app_label=APP),
    NoticeKind("plan_due_date_requested", _("A request to move a due date"), app_label=APP),
    NoticeKind("plan_due_date_decided", _("A request to move a due date is decided"), app_label=APP),
)
