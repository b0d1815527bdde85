"""Every write that matters on a proposal. One transaction each, with its audit row and on-commit notices.

Split by concept; this package re-exports the public names so `from proposals.services import x` keeps working
(modules inside the package import from the concrete submodules instead).
"""

from proposals.cycles import SEOUL, cycle_for_date, cycle_year_for, reference_next
from proposals.services.assignment import (
    assignment_rule_for,
    centre_for_country,
    proposal_assign,
    proposal_auto_assign,
)
from proposals.services.attachments import attachment_add, attachment_remove
from proposals.services.collaborators import invitation_accept, invitation_create
from proposals.services.drafting import EDITABLE_FIELDS, proposal_contacts_set, proposal_create, proposal_update
from proposals.services.messages import message_post
from proposals.services.setup import (
    assignment_rule_delete,
    assignment_rule_save,
    cooperation_centre_delete,
    cooperation_centre_save,
    cycle_delete,
    cycle_save,
    help_page_delete,
    help_page_save,
    holiday_delete,
    holiday_save,
    info_request_template_delete,
    info_request_template_save,
    programme_delete,
    programme_save,
    service_level_delete,
    service_level_save,
    track_delete,
    track_save,
)
from proposals.services.workflow import (
    proposal_decision_release,
    proposal_defer_to_next_cycle,
    proposal_request_info,
    proposal_resubmit,
    proposal_submit,
    proposal_transition,
    proposal_withdraw,
)

__all__ = [
    "EDITABLE_FIELDS",
    "SEOUL",
    "assignment_rule_delete",
    "assignment_rule_for",
    "assignment_rule_save",
    "attachment_add",
    "attachment_remove",
    "centre_for_country",
    "cooperation_centre_delete",
    "cooperation_centre_save",
    "cycle_delete",
    "cycle_for_date",
    "cycle_save",
    "cycle_year_for",
    "help_page_delete",
    "help_page_save",
    "holiday_delete",
    "holiday_save",
    "info_request_template_delete",
    "info_request_template_save",
    "invitation_accept",
    "invitation_create",
    "message_post",
    "programme_delete",
    "programme_save",
    "proposal_assign",
    "proposal_auto_assign",
    "proposal_contacts_set",
    "proposal_create",
    "proposal_decision_release",
    "proposal_defer_to_next_cycle",
    "proposal_request_info",
    "proposal_resubmit",
    "proposal_submit",
    "proposal_transition",
    "proposal_update",
    "proposal_withdraw",
    "reference_next",
    "service_level_delete",
    "service_level_save",
    "track_delete",
    "track_save",
]
