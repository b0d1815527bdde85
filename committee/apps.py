from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee")

    def ready(self):
        from committee import notices  # noqa: F401, PLC0415  (declares this app's notice kinds; needs loaded models)
