"""The proposal workflow: states, the one table of allowed moves, and what a person may do now.

`proposals.services.proposal_transition` is the only code that applies a move; everything else (views, admin
actions, API, committee decisions) calls it, and every UI offers what `moves_for` answers. Each move names who
may make it, and the rules permission (proposals/rules.py, state included) that says so:

- ``owner``: the organisation's authorised submitter (submit, resubmit, withdraw);
- ``staff``: MOLIT staff / secretariat (triage moves);
- ``committee``: a committee decision recorded in a meeting (approve, reject), passed as the decision object.
"""

from dataclasses import dataclass
from typing import Protocol

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_staff_member
from core.errors import TransitionRefused
from proposals.hooks import transition_guard


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    INFO_REQUESTED = "info_requested", _("Information requested")
    PRE_CONSULTING = "pre_consulting", _("Pre-consulting")
    COMMITTEE_REVIEW = "committee_review", _("Committee review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OWNER = "owner"
STAFF = "staff"
COMMITTEE = "committee"

# The rules permission (proposals/rules.py) a person needs to make each kind of move. A committee move has
# none: it is made only with the committee's decision object (see CommitteeDecision).
SUBMIT = "proposals.submit_proposal"
WITHDRAW = "proposals.withdraw_proposal"
RESUBMIT = "proposals.resubmit_proposal"
TRIAGE = "proposals.triage_proposal"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    actor: str
    name: str  # the operation, the same from every source (admin actions and the API are named after it)
    label: str
    permission: str | None
    note_required: bool = False
    # The note is also posted to the message thread, where the applicant's side and staff talk: it is always
    # meant for the other side to read, so it can never be an internal note.
    note_to_thread: bool = False


_DECIDED = {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}

MOVES: tuple[Move, ...] = (
    *(
        Move(source, Status.WITHDRAWN, OWNER, "withdraw", _("Withdraw"), WITHDRAW, note_required=True)
        for source in Status
        if source not in _DECIDED
    ),
    Move(Status.DRAFT, Status.SUBMITTED, OWNER, "submit", _("Submit"), SUBMIT),
    Move(Status.SUBMITTED, Status.SCREENING, STAFF, "start_screening", _("Start screening"), TRIAGE),
    Move(Status.SCREENING, Status.INFO_REQUESTED, STAFF, "request_information", _("Request information"), TRIAGE,
         note_required=True, note_to_thread=True),
    Move(Status.SCREENING, Status.PRE_CONSULTING, STAFF, "send_to_pre_consulting", _("Send to pre-consulting"),
         TRIAGE),
    Move(Status.SCREENING, Status.COMMITTEE_REVIEW, STAFF, "send_to_committee_review",
         _("Send to committee review"), TRIAGE),
    # A resubmission goes back to the stage that asked (see proposal_resubmit).
    Move(Status.INFO_REQUESTED, Status.SCREENING, OWNER, "resubmit", _("Resubmit"), RESUBMIT, note_to_thread=True),
    Move(Status.INFO_REQUESTED, Status.PRE_CONSULTING, OWNER, "resubmit", _("Resubmit"), RESUBMIT,
         note_to_thread=True),
    Move(Status.PRE_CONSULTING, Status.INFO_REQUESTED, STAFF, "request_information", _("Request information"),
         TRIAGE, note_required=True, note_to_thread=True),
    Move(Status.PRE_CONSULTING, Status.COMMITTEE_REVIEW, STAFF, "send_to_committee_review",
         _("Send to committee review"), TRIAGE),
    Move(Status.PRE_CONSULTING, Status.SCREENING, STAFF, "return_to_screening", _("Return to screening"), TRIAGE),
    Move(Status.COMMITTEE_REVIEW, Status.SCREENING, STAFF, "return_to_screening", _("Return to screening"), TRIAGE),
    Move(Status.COMMITTEE_REVIEW, Status.APPROVED, COMMITTEE, "approve", _("Approve"), None),
    Move(Status.COMMITTEE_REVIEW, Status.REJECTED, COMMITTEE, "reject", _("Reject"), None),
)


class NoteVisibility(models.TextChoices):
    """Who reads the note of a staff move: chosen by staff each time they make one."""

    APPLICANT = "applicant", _("Note to the applicant (shown in their history and e-mail)")
    INTERNAL = "internal", _("Internal note (staff only)")


# The committee's outcomes: hidden from everyone but staff until the reviewed decision letter is released.
DECIDED_BY_COMMITTEE = frozenset({Status.APPROVED, Status.REJECTED})
DECISION_BEING_PREPARED = _("Decision being prepared")


def status_label_for(status: str, *, undisclosed: bool = False) -> str:
    """The label of a status as a viewer sees it (see proposals.selectors.with_viewer_status)."""
    if undisclosed and status == Status.COMMITTEE_REVIEW:
        return DECISION_BEING_PREPARED
    return Status(status).label


TRANSITIONS: dict[tuple[str, str], Move] = {(m.source, m.target): m for m in MOVES}

# States where the applicant's team may edit the proposal's content.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.INFO_REQUESTED})
# States that end the proposal's life in this workflow.
FINAL_STATES = frozenset(_DECIDED)
# States in which the secretariat or the applicant owes the next step (a service level can run).
OPEN_STATES = tuple(s for s in Status.values if s != Status.DRAFT and s not in FINAL_STATES)


def move_for(source: str, target: str) -> Move | None:
    return TRANSITIONS.get((source, target))


def moves_named(name: str) -> list[Move]:
    return [m for m in MOVES if m.name == name]


def move_refused_reason(proposal, target: str, user) -> str:
    """Why the table has no move from where this proposal stands to `target`: the one wording of that refusal
    (the workflow service, and the rules' refusals of submit, withdraw and resubmit in that state)."""
    if proposal.decision_undisclosed and not is_staff_member(user):
        # The refusal must not reveal an unreleased decision: say what the applicant sees.
        return _("The committee's decision on this proposal is being prepared; it cannot be moved to %(target)s.") % {
            "target": Status(target).label.lower()}
    return _("A proposal that is %(source)s cannot be moved to %(target)s.") % {
        "source": proposal.get_status_display().lower(), "target": Status(target).label.lower()}


# --- what this person may do now -----------------------------------------------------------------------


def moves_for(user, proposal) -> list[Move]:
    """The moves this person may make on this proposal now, in table order: what every UI offers (the proposal
    page's buttons, the admin's move choices and actions, the API's `can_*` fields).

    Checked: that the move leaves the proposal's current status; the move's rules permission, which holds who
    may make it and in which state (asked by name through django-rules itself, so a superuser is offered only
    what the service will accept); and the other apps' transition guards (proposals.hooks.transition_guard:
    reads without side effects, e.g. consulting's filed report before committee review).

    Not pre-checked, so the service may still refuse with its reason: a note the move requires, or a note's
    visibility (they come with the request); the submission checklist (proposal_submit checks it, the review
    page lists it); and anything that changed after `proposal` was loaded (the service decides again under
    the row lock). A committee move is never offered: only the meeting's decision makes it (CommitteeDecision).
    """
    offered = []
    for move in MOVES:
        if move.source != proposal.status or move.permission is None:
            continue
        if not rules.has_perm(move.permission, user, proposal):
            continue
        try:
            transition_guard.send(proposal=proposal, target=move.target, by=user, decision=None)
        except TransitionRefused:
            continue
        offered.append(move)
    return offered


def offers(moves: list[Move], name: str) -> bool:
    return any(m.name == name for m in moves)


# --- the note of a staff move --------------------------------------------------------------------------


def note_visibility_error(*, target: str, note: str, visibility: str) -> str | None:
    """The rule for the note staff give with a move, asked by the admin's move form and the staff API before
    the move: a note must say who reads it (the applicant, or staff only), except the note of a move that goes
    to the message thread (an information request), which is always the applicant's to read. None when fine."""
    to_thread = any(m.note_to_thread for m in MOVES if m.target == target and m.actor == STAFF)
    if to_thread:
        return str(NOTE_ALWAYS_FOR_APPLICANT) if visibility == NoteVisibility.INTERNAL else None
    if (note or "").strip() and not visibility:
        return str(_("Say who reads this note: the applicant, or staff only."))
    return None


NOTE_ALWAYS_FOR_APPLICANT = _("This step's note is always shown to the applicant; it cannot be an internal note.")


# --- the committee's decision --------------------------------------------------------------------------


class CommitteeDecision(Protocol):
    """What a committee move needs from the committee's decision (committee.models.Decision satisfies it; the
    proposals app never imports committee): a saved decision about this proposal deciding this very move."""

    pk: int | None
    proposal_id: int

    @property
    def target_status(self) -> str | None: ...


def decision_refused_reason(decision: CommitteeDecision | None, *, proposal, target: str) -> str | None:
    """Why `decision` cannot make the committee move of `proposal` to `target` (None: it can)."""
    if decision is None or getattr(decision, "pk", None) is None:
        return str(_("Only a committee decision recorded in a meeting can approve or reject."))
    if decision.proposal_id != proposal.pk or decision.target_status != target:
        return str(_("This committee decision is about another proposal or another outcome."))
    return None
