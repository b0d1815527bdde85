"""Who may do what with a proposal. Views, admin, API and services all ask these same predicates."""

import rules

from accounts.rules import is_applicant, is_staff_member
from proposals.selectors import proposals_visible_to
from proposals.workflow import EDITABLE_STATES, Status


@rules.predicate
def is_proposal_owner(user, proposal):
    return bool(user and user.is_authenticated and proposal is not None and proposal.owner_id == user.pk)


@rules.predicate
def is_proposal_collaborator(user, proposal):
    if not (user and user.is_authenticated) or proposal is None:
        return False
    return proposal.collaborators.filter(pk=user.pk).exists()


@rules.predicate
def is_proposal_organisation_member(user, proposal):
    if not (user and user.is_authenticated) or proposal is None:
        return False
    return proposal.organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_in_visible_set(user, proposal):
    if not (user and user.is_authenticated) or proposal is None:
        return False
    return proposals_visible_to(user).filter(pk=proposal.pk).exists()


@rules.predicate
def is_editable(user, proposal):
    return proposal is not None and proposal.status in EDITABLE_STATES


@rules.predicate
def is_never_submitted(user, proposal):
    """The same rule as selectors.never_submitted_q: a draft is the applicant's own, staff included."""
    return proposal is not None and (
        proposal.status == Status.DRAFT or (proposal.status == Status.WITHDRAWN and proposal.submitted_at is None)
    )


is_applicant_team = is_proposal_owner | is_proposal_collaborator | is_proposal_organisation_member

# Seeing a proposal is decided by one selector (proposals_visible_to), so lists and detail pages never disagree.
can_view_proposal = (is_staff_member & ~is_never_submitted) | is_in_visible_set
can_edit_proposal = (is_proposal_owner | is_proposal_collaborator) & is_editable
can_submit_proposal = is_proposal_owner
can_withdraw_proposal = is_proposal_owner
can_invite_collaborator = is_proposal_owner & is_editable
can_post_message = is_staff_member | is_applicant_team
can_triage_proposal = is_staff_member

rules.add_perm("proposals.create_proposal", is_applicant)
rules.add_perm("proposals.view_proposal", can_view_proposal)
rules.add_perm("proposals.change_proposal", can_edit_proposal)
rules.add_perm("proposals.submit_proposal", can_submit_proposal)
rules.add_perm("proposals.withdraw_proposal", can_withdraw_proposal)
rules.add_perm("proposals.invite_collaborator", can_invite_collaborator)
rules.add_perm("proposals.post_message", can_post_message)
rules.add_perm("proposals.triage_proposal", can_triage_proposal)
