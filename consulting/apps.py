from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from proposals import hooks as proposal_hooks


class ConsultingConfig(AppConfig):
    name = "consulting"
    verbose_name = _("Consulting")

    def ready(self):
        # Local imports: these modules use models, which are loaded only once ready() runs.
        from consulting import demo, notices, receivers  # noqa: F401, PLC0415  (notices declares its kinds)
        from core.demo import demo_builder_register  # noqa: PLC0415

        demo_builder_register(demo.seed, order=30)  # consultants and sessions on the proposals demo's proposals
        proposal_hooks.transition_guard.register(receivers.report_filed_before_committee_review)
        proposal_hooks.visibility.register(receivers.booked_consultant_sees_proposal)
        proposal_hooks.staff_list_facets.register(receivers.report_filed_facet)
        proposal_hooks.page_columns.register(receivers.pre_consulting_page_columns)
