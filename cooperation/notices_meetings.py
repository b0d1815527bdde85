"""The notice kinds of cooperation meetings, action items and minutes (notifications.registry); their e-mail
templates are in cooperation/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import NoticeKind, register_kinds

APP = "cooperation"

register_kinds(
    NoticeKind("cooperation_meeting_scheduled", _("A joint committee or other project meeting is scheduled"),
               app_label=APP),
    NoticeKind("cooperation_meeting_cancelled", _("A project meeting is cancelled"), app_label=APP),
    NoticeKind("cooperation_action_assigned", _("An action item from a project meeting is mine"), app_label=APP),
    NoticeKind("cooperation_action_reminder", _("An action item is due soon or overdue"), app_label=APP),
    NoticeKind("cooperation_action_escalated", _("An action item is overdue by 14 days (escalation)"),
               app_label=APP),
    NoticeKind("cooperation_minutes_to_acknowledge", _("Minutes of a project meeting wait for acknowledgment"),
               app_label=APP),
    NoticeKind("cooperation_minutes_final", _("Minutes of a project meeting are final"), app_label=APP),
)
