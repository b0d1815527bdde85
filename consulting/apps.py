from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultingConfig(AppConfig):
    name = "consulting"
    verbose_name = _("Consulting")

    def ready(self):
        from consulting import demo, notices  # noqa: F401, PLC0415  (notices declares its kinds; both need models)
        from core.demo import demo_builder_register  # noqa: PLC0415  (uses models: only once the registry is ready)

        demo_builder_register(demo.seed, order=30)  # consultants and sessions on the proposals demo's proposals
