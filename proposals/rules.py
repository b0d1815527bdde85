"""Who may do what with a proposal, state included, and why not.

The permissions registered here are asked by name everywhere: `user.has_perm("proposals.<name>", proposal)` in
views, admin and the API (core.api.RulePermission), and by proposals.workflow.moves_for for the moves. Services
ask the same rules and raise the same reasons: `refusal()` is where each refusal's reason is written, once.
"""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_applicant, is_staff_member
from core.errors import TransitionRefused
from proposals.selectors import proposals_visible_to
from proposals.workflow import EDITABLE_STATES, Status, move_for, move_refused_reason


@rules.predicate
def is_proposal_owner(user, proposal):
    return bool(user and user.is_authenticated and proposal is not None and proposal.owner_id == user.pk)


@rules.predicate
def is_proposal_collaborator(user, proposal):
    if not (user and user.is_authenticated) or proposal is None:
        return False
    if "collaborators" in getattr(proposal, "_prefetched_objects_cache", {}):
        # Loaded with them (the proposal page, selectors.proposal_detail): asked of the rows, not again.
        return any(c.pk == user.pk for c in proposal.collaborators.all())
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


# --- where the proposal stands -------------------------------------------------------------------------


@rules.predicate
def is_editable(user, proposal):
    return proposal is not None and proposal.status in EDITABLE_STATES


@rules.predicate
def is_draft(user, proposal):
    return proposal is not None and proposal.status == Status.DRAFT


@rules.predicate
def is_waiting_for_information(user, proposal):
    return proposal is not None and proposal.status == Status.INFO_REQUESTED


@rules.predicate
def is_undecided(user, proposal):
    """Not yet decided, withdrawn or rejected: the table still has a withdrawal from where it stands."""
    return proposal is not None and move_for(proposal.status, Status.WITHDRAWN) is not None


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
can_submit_proposal = is_proposal_owner & is_draft
can_withdraw_proposal = is_proposal_owner & is_undecided
can_resubmit_proposal = is_proposal_owner & is_waiting_for_information
can_invite_collaborator = is_proposal_owner & is_editable
can_post_message = is_staff_member | is_applicant_team
# Staff moves (the workflow table says from which states) and the assignment.
can_triage_proposal = is_staff_member
can_manage_setup = is_staff_member  # programmes, tracks, cycles, centres, service levels, holidays

rules.add_perm("proposals.create_proposal", is_applicant)
rules.add_perm("proposals.view_proposal", can_view_proposal)
rules.add_perm("proposals.change_proposal", can_edit_proposal)
rules.add_perm("proposals.submit_proposal", can_submit_proposal)
rules.add_perm("proposals.withdraw_proposal", can_withdraw_proposal)
rules.add_perm("proposals.resubmit_proposal", can_resubmit_proposal)
rules.add_perm("proposals.invite_collaborator", can_invite_collaborator)
rules.add_perm("proposals.post_message", can_post_message)
rules.add_perm("proposals.triage_proposal", can_triage_proposal)
rules.add_perm("proposals.manage_setup", can_manage_setup)


# --- why not -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a permission is refused. `state`: because of where the proposal stands, not who asks (pages then
    explain it on the proposal page instead of a 403 page). `error` is what to raise: PermissionDenied (403 in
    the API) or TransitionRefused (a workflow refusal, 400)."""

    reason: str
    state: bool = False
    error: type[Exception] = PermissionDenied

    def exception(self) -> Exception:
        return self.error(self.reason)


def _edit_refusal(user, proposal) -> Refusal:
    if not is_editable(user, proposal):
        return Refusal(
            _("This proposal is %(status)s and can no longer be edited.")
            % {"status": proposal.get_status_display().lower()},
            state=True,
        )
    return Refusal(
        _("Only the proposal's owner and the colleagues they invited can edit it. Ask %(owner)s to invite you.")
        % {"owner": proposal.owner.get_full_name()}
    )


def _submit_refusal(user, proposal) -> Refusal:
    if not is_proposal_owner(user, proposal):
        return Refusal(_("Only the proposal's owner can submit it."))
    return Refusal(_("This proposal was already submitted (%(reference)s).") % {"reference": proposal.reference or "-"},
                   state=True, error=TransitionRefused)


def _withdraw_refusal(user, proposal) -> Refusal:
    if not is_proposal_owner(user, proposal):
        return Refusal(_("Only the proposal's owner can withdraw it."))
    return Refusal(move_refused_reason(proposal, Status.WITHDRAWN, user), state=True, error=TransitionRefused)


def _resubmit_refusal(user, proposal) -> Refusal:
    if not is_proposal_owner(user, proposal):
        return Refusal(_("Only the proposal's owner can resubmit it."))
    return Refusal(_("Only a proposal waiting for the information the secretariat asked for can be resubmitted."),
                   state=True, error=TransitionRefused)


def _invite_refusal(user, proposal) -> Refusal:
    return Refusal(_("Only the proposal's owner can invite colleagues while it is being drafted."))


_REFUSALS = {
    "proposals.create_proposal": lambda user, proposal: Refusal(_("Only applicants can start a proposal.")),
    "proposals.change_proposal": _edit_refusal,
    "proposals.submit_proposal": _submit_refusal,
    "proposals.withdraw_proposal": _withdraw_refusal,
    "proposals.resubmit_proposal": _resubmit_refusal,
    "proposals.invite_collaborator": _invite_refusal,
    "proposals.post_message": lambda user, proposal: Refusal(_("You cannot write on this proposal.")),
    "proposals.triage_proposal": lambda user, proposal: Refusal(
        _("Only MOLIT staff can triage and assign proposals.")
    ),
    "proposals.manage_setup": lambda user, proposal: Refusal(
        _("Only MOLIT staff can change the programmes, tracks, cycles and service levels.")
    ),
}


def refusal(name: str, user, proposal=None) -> Refusal | None:
    """None when the rules allow `name` to this person on this proposal; otherwise why not. Asks django-rules
    itself (not Django's has_perm, which lets a superuser do anything), so it refuses exactly what the services
    refuse."""
    if rules.has_perm(name, user, proposal):
        return None
    if name not in _REFUSALS:  # seeing a proposal: callers answer 404 before they get here
        return Refusal(_("You are not allowed to do this."))
    return _REFUSALS[name](user, proposal)


def check(name: str, user, proposal=None) -> None:
    """Raise the refusal's exception unless the rules allow `name` (what services call before a write)."""
    refused = refusal(name, user, proposal)
    if refused is not None:
        raise refused.exception()


# A change to the documents is refused in the words of that action, whatever the reason (services and API).
DOCUMENT_ADD_REFUSED = gettext_lazy("You cannot add documents to this proposal now.")
DOCUMENT_REMOVE_REFUSED = gettext_lazy("You cannot remove documents from this proposal now.")
