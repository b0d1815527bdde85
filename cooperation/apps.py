from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self):
        # AppConfig.ready: the apps and models are loaded now. The notices modules register each concept's kinds;
        # receivers_project connects the sign-in flag and the demo builder.
        from committee.hooks import decision_released  # noqa: PLC0415
        from cooperation import (  # noqa: F401, PLC0415
            notices_meetings,
            notices_plan,
            notices_project,
            notices_reports,
            receivers,
            receivers_project,
        )

        decision_released.register(receivers.project_open_on_approval)
