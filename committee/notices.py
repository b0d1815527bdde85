"""The notice kinds committee sends (notifications.registry); their e-mail templates are in
committee/templates/notifications/email/."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from notifications.registry import NoticeKind, register_kinds

APP = "committee"

register_kinds(
    NoticeKind("committee_assigned", _("Proposal assigned for review (committee)"), app_label=APP,
               roles=frozenset({Role.COMMITTEE_MEMBER})),
    NoticeKind("committee_review_reminder", _("Review due before a meeting (committee)"), app_label=APP,
               roles=frozenset({Role.COMMITTEE_MEMBER})),
    NoticeKind("committee_decision", _("Committee decision"), app_label=APP),
)
