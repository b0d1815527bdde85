from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415  (with the receiver below)

        from core.demo import demo_builder_register  # noqa: PLC0415  (uses models: only once the registry is ready)
        from proposals import demo, notices  # noqa: F401, PLC0415  (notices declares its kinds; both need models)
        from proposals.dashboard import dashboard_numbers_forget  # noqa: PLC0415  (imports models)
        from proposals.models import Track  # noqa: PLC0415  (models: only once the registry is ready)

        # The staff dashboard is kept rendered with the tracks' names: a renamed track is counted again at once.
        post_save.connect(dashboard_numbers_forget, sender=Track, dispatch_uid="dashboard-track-saved")
        post_delete.connect(dashboard_numbers_forget, sender=Track, dispatch_uid="dashboard-track-deleted")

        # First the programme, people and proposals; last the steps other apps' demo data unblocked.
        demo_builder_register(demo.seed, order=10,
                              title="the demo data: programmes, tracks, cycles, centres, accounts, proposals")
        demo_builder_register(demo.proposals_unblocked_seed, order=90, title=None)
