from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from proposals import hooks as proposal_hooks


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee")

    def ready(self):
        # Local imports: these modules use models, which are loaded only once ready() runs.
        from committee import demo, notices, receivers  # noqa: F401, PLC0415  (notices declares its kinds)
        from core.demo import demo_builder_register  # noqa: PLC0415

        demo_builder_register(demo.seed, order=40)  # after consulting: its report moves a proposal to review
        proposal_hooks.visibility.register(receivers.cleared_member_sees_proposal)
        proposal_hooks.help_sections.register(receivers.rubric_help_sections)
        proposal_hooks.proposal_downloads.register(receivers.released_letter_download)
        proposal_hooks.page_columns.register(receivers.letter_sent_column)
