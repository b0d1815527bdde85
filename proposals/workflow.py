"""The proposal workflow: states and the one table of allowed moves.

`proposals.services.proposal_transition` is the only code that applies a move; everything else (views, admin
actions, API, committee decisions) calls it. Each move names who may make it:

- ``owner``: the organisation's authorised submitter (submit, resubmit, withdraw);
- ``staff``: MOLIT staff / secretariat (triage moves);
- ``committee``: a committee decision recorded in a meeting (approve, reject).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


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


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    actor: str
    label: str
    note_required: bool = False


_DECIDED = {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}

MOVES: tuple[Move, ...] = (
    *(
        Move(source, Status.WITHDRAWN, OWNER, _("Withdraw"), note_required=True)
        for source in Status
        if source not in _DECIDED
    ),
    Move(Status.DRAFT, Status.SUBMITTED, OWNER, _("Submit")),
    Move(Status.SUBMITTED, Status.SCREENING, STAFF, _("Start screening")),
    Move(Status.SCREENING, Status.INFO_REQUESTED, STAFF, _("Request information"), note_required=True),
    Move(Status.SCREENING, Status.PRE_CONSULTING, STAFF, _("Send to pre-consulting")),
    Move(Status.SCREENING, Status.COMMITTEE_REVIEW, STAFF, _("Send to committee review")),
    # A resubmission goes back to the stage that asked (see proposal_resubmit).
    Move(Status.INFO_REQUESTED, Status.SCREENING, OWNER, _("Resubmit")),
    Move(Status.INFO_REQUESTED, Status.PRE_CONSULTING, OWNER, _("Resubmit")),
    Move(Status.PRE_CONSULTING, Status.INFO_REQUESTED, STAFF, _("Request information"), note_required=True),
    Move(Status.PRE_CONSULTING, Status.COMMITTEE_REVIEW, STAFF, _("Send to committee review")),
    Move(Status.PRE_CONSULTING, Status.SCREENING, STAFF, _("Return to screening")),
    Move(Status.COMMITTEE_REVIEW, Status.SCREENING, STAFF, _("Return to screening")),
    Move(Status.COMMITTEE_REVIEW, Status.APPROVED, COMMITTEE, _("Approve")),
    Move(Status.COMMITTEE_REVIEW, Status.REJECTED, COMMITTEE, _("Reject")),
)

class NoteVisibility(models.TextChoices):
    """Who reads the note of a staff move: chosen by staff each time they make one."""

    APPLICANT = "applicant", _("Note to the applicant (shown in their history and e-mail)")
    INTERNAL = "internal", _("Internal note (staff only)")


def staff_moves_from(source: str) -> list[Move]:
    return [m for m in MOVES if m.source == source and m.actor == STAFF]


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


def move_for(source: str, target: str) -> Move | None:
    return TRANSITIONS.get((source, target))
