from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from proposals import hooks as proposal_hooks


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee")

    def ready(self):
        from committee import receivers  # noqa: PLC0415  (AppConfig.ready: models are loaded only now)

        proposal_hooks.visibility.register(receivers.cleared_member_sees_proposal)
