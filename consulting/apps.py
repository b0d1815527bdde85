from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultingConfig(AppConfig):
    name = "consulting"
    verbose_name = _("Consulting")

    def ready(self):
        from consulting import notices  # noqa: F401, PLC0415  (declares this app's notice kinds; needs loaded models)
