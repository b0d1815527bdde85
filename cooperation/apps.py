from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self):
        from committee.hooks import decision_released  # noqa: PLC0415  (AppConfig.ready: apps are loaded now)
        from cooperation import receivers  # noqa: PLC0415  (AppConfig.ready: its services import models)

        decision_released.register(receivers.project_open_on_approval)
        from cooperation import notices_meetings  # noqa: F401, PLC0415  (AppConfig.ready: meetings' notice kinds)
