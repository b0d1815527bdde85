from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from proposals import hooks as proposal_hooks


class ConsultingConfig(AppConfig):
    name = "consulting"
    verbose_name = _("Consulting")

    def ready(self):
        from consulting import receivers  # noqa: PLC0415  (AppConfig.ready: models are loaded only now)

        proposal_hooks.transition_guard.register(receivers.report_filed_before_committee_review)
        proposal_hooks.visibility.register(receivers.booked_consultant_sees_proposal)
        proposal_hooks.staff_list_facets.register(receivers.report_filed_facet)
