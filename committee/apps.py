from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee")

    def ready(self):
        from committee import demo, notices  # noqa: F401, PLC0415  (notices declares its kinds; both need models)
        from core.demo import demo_builder_register  # noqa: PLC0415  (uses models: only once the registry is ready)

        demo_builder_register(demo.seed, order=40)  # after consulting: its report moves a proposal to review
