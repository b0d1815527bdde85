"""The proposals API's permission class: the rules permissions by name, refused with their reason."""

from core.api import RulePermission
from proposals import rules


class ProposalRulePermission(RulePermission):
    # The rules permissions by name (view.rule_permissions / rule_object_permissions), refused with the reason
    # proposals.rules gives: 403 when it is about who asks, 400 (`transition_refused`) when the proposal's state
    # refuses a workflow operation. Checked when the view loads its object (get_object), so before the body is
    # read: a colleague who may only read a proposal gets the same 403 for a bad body and a good one. The
    # services decide again, under the row lock.

    def refuse(self, request, name, obj=None):
        raise rules.refusal(name, request.user, obj).exception()
