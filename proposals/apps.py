from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from proposals import notices  # noqa: F401, PLC0415  (declares this app's notice kinds; needs loaded models)
