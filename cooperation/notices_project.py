"""The notice kinds of the project concept (notifications.registry); e-mail templates in
cooperation/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.registry import NoticeKind, register_kinds

APP = "cooperation"

register_kinds(
    NoticeKind("project_contractor_invited", _("Invitation to work on a cooperation project"), app_label=APP,
               roles=frozenset({Role.CONTRACTOR})),
    NoticeKind("project_message", _("New message on a cooperation project"), app_label=APP),
)
