"""The workflow's single door: applying a move of the table, and the named operations built on it (submit,
resubmit, withdraw, request information, release a decision, defer to the next cycle)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_entry, audit_record, audit_records
from core.errors import TransitionRefused
from notifications.services import notify
from proposals import rules
from proposals.cycles import cycle_locked_for_date, cycle_of_year, reference_next
from proposals.eligibility import ChecklistIncomplete, proposal_checklist
from proposals.hooks import moved, transition_guard
from proposals.models import Attachment, HistoryKind, Message, Proposal, StatusChange
from proposals.resubmission import EMPTY_RESUBMISSION, changes_since_info_request, last_info_request
from proposals.selectors import applicant_team
from proposals.service_levels import due_at_for
from proposals.services.assignment import assignment_rule_for, centre_for_country
from proposals.services.drafting import adopt_written
from proposals.triage import secretariat_to_tell
from proposals.workflow import (
    COMMITTEE,
    NOTE_ALWAYS_FOR_APPLICANT,
    OWNER,
    STAFF,
    CommitteeDecision,
    Status,
    decision_refused_reason,
    move_for,
    move_refused_reason,
)


def _guard(*, proposal: Proposal, target: str, by, decision: CommitteeDecision | None) -> None:
    """Conditions of a move beyond the table: the workflow's own, then the other apps' guards (a veto raises)."""
    # Submission needs the checklist, a reference and a cycle: proposal_submit sets them before this move.
    if target == Status.SUBMITTED and not proposal.reference:
        raise TransitionRefused(_("Submit the proposal from its checklist page so it gets a reference and a cycle."))
    # e.g. consulting: a filed pre-consulting report before committee review, on tracks that require one.
    transition_guard.send(proposal=proposal, target=target, by=by, decision=decision)


def proposal_transition(
    *, proposal: Proposal, to: str, by, note: str = "", note_internal: bool = False,
    decision: CommitteeDecision | None = None,
) -> Proposal:
    """Apply one move of the workflow table: lock, check, write the StatusChange and audit row, notify on commit.

    Who may make the move is the move's rules permission (state included); a committee move (approve, reject)
    is made only with `decision`, the committee's saved decision on this proposal for this outcome (see
    proposals.workflow.CommitteeDecision). `note_internal` keeps a staff move's note from the applicant
    (history, API, e-mail); staff choose it when they make the move. Only staff moves may have one: an
    applicant's note, and a note the table posts to the message thread (an information request), are written
    for the other side to read.
    """
    with transaction.atomic():
        current = (Proposal.objects.select_for_update(of=("self",)).select_related("track", "track__programme", "cycle")
                   .get(pk=proposal.pk))
        _move(current=current, to=to, by=by, note=note, note_internal=note_internal, decision=decision)
    proposal.refresh_from_db()
    return proposal


def _move(*, current: Proposal, to: str, by, note: str = "", note_internal: bool = False,
          decision: CommitteeDecision | None = None, also_save: tuple[str, ...] = ()) -> None:
    """proposal_transition's move, on `current`: the proposal's row as locked in the caller's transaction (with its
    track and cycle), changed in place. proposal_submit moves the row it locked itself, without reading it again,
    and has the fields it set before the move (`also_save`) written in the move's one UPDATE."""
    move = move_for(current.status, to)
    if move is None:
        raise TransitionRefused(move_refused_reason(current, to, by))
    if move.actor == COMMITTEE:
        refused = decision_refused_reason(decision, proposal=current, target=to)
        if refused:
            raise TransitionRefused(refused)
    else:
        if decision is not None:
            raise TransitionRefused(_("A committee decision only approves or rejects a proposal."))
        refused = rules.refusal(move.permission, by, current)
        if refused is not None:
            raise TransitionRefused(refused.reason)
    note = (note or "").strip()
    if move.note_required and not note:
        raise TransitionRefused(_("Please give a reason or message for this step."))
    note_internal = bool(note_internal and note)
    if note_internal and (move.actor != STAFF or move.note_to_thread):
        raise TransitionRefused(NOTE_ALWAYS_FOR_APPLICANT)
    _guard(proposal=current, target=to, by=by, decision=decision)

    now = timezone.now()
    source = current.status
    current.status = to
    current.status_changed_at = now
    current.due_at = due_at_for(status=to, since=now, cycle=current.cycle)
    fields = [*also_save, "status", "status_changed_at", "due_at", "updated_at"]
    # Who acted last (the staff inbox's "answered"): a staff move picks the proposal up, the applicant's
    # submission, resubmission or withdrawal hands it back.
    if move.actor == STAFF:
        current.staff_activity_at = now
        fields.append("staff_activity_at")
    elif move.actor == OWNER:
        current.applicant_activity_at = now
        fields.append("applicant_activity_at")
    current.save(update_fields=fields)
    change = StatusChange.objects.create(proposal=current, from_status=source, to_status=to, by=by, note=note,
                                         note_internal=note_internal)
    if move.note_to_thread and note:
        # The table says this move's note is also a message (an information request, a resubmission's answer).
        Message.objects.create(proposal=current, author=by, body=note)
    audit_record(actor=by, action="proposal.transition", target=current,
                 data={"from": source, "to": to, **({"note_internal": True} if note_internal else {})})
    moved.send(proposal=current, source=source, target=to, by=by, change=change)
    # A submission is announced by proposal_submit's acknowledgment (reference, cycle): one e-mail, not two.
    # A committee decision reaches the applicant only in the decision letter, after staff have reviewed it.
    if to != Status.SUBMITTED and move.actor != COMMITTEE:
        notify(
            event="proposal_status_changed",
            recipients=applicant_team(current),
            # An internal note stays out of the applicants' e-mail (the template prints change.note).
            context={"proposal": current, "change": None if change.note_internal else change,
                     "source_label": Status(source).label, "target_label": Status(to).label},
            url=current.get_absolute_url(),
        )
    if move.name == "resubmit":
        notify(
            event="proposal_resubmitted_staff",
            recipients=secretariat_to_tell(current),
            context={"proposal": current, "change": change, "by": by, "target_label": Status(to).label},
            url=current.get_staff_url(),
        )


def proposal_decision_release(*, proposal: Proposal, by) -> Proposal:
    """The reviewed decision letter went out: from now on the applicant, members and public figures see the
    committee's outcome (proposals.selectors). Called by committee.decisions.letter_approve."""
    if not is_staff_member(by):
        raise PermissionDenied(_("Only MOLIT staff can release a decision."))
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.decision_released_at is None:
            current.decision_released_at = timezone.now()
            current.save(update_fields=["decision_released_at", "updated_at"])
            audit_record(actor=by, action="proposal.decision_release", target=current,
                         data={"status": current.status})
    proposal.refresh_from_db()
    return proposal


def proposal_submit(*, proposal: Proposal, by) -> Proposal:
    """Submit on any day: checklist, cycle by the cut-off rule, a unique reference, acknowledgment e-mails.

    The checklist is judged here, once, under the locks: a ChecklistIncomplete (a ValidationError) carries its
    problems. Only the proposal's own row is locked (of "self"): its track, programme and organisation are read,
    not written, and locking them would make every submission of a programme wait for the others."""
    with transaction.atomic():
        current = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("track__programme", "organisation", "owner")
            .get(pk=proposal.pk)
        )
        refused = rules.refusal("proposals.submit_proposal", by, current)
        if refused is not None:
            raise TransitionRefused(refused.reason)
        now = timezone.now()
        programme = current.track.programme
        # Locked, so two proposals of one jurisdiction cannot both pass the one-per-cycle check.
        cycle = cycle_locked_for_date(programme=programme, when=now)
        # Its contacts and documents read once, under the lock: the checklist judges them (exists, kinds), and the
        # caller shows them as submitted (adopt_written hands them over).
        prefetch_related_objects(
            [current], "contacts", Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
        )
        problems = proposal_checklist(current, cycle=cycle)
        if problems:
            raise ChecklistIncomplete(problems)
        current.reference = reference_next(programme=programme, when=now)
        current.cycle = cycle
        current.submitted_at = now
        if current.cooperation_centre_id is None:
            current.cooperation_centre = centre_for_country(str(current.country))
        # Nobody follows it yet: the staff member of the most specific assignment rule does from now on (what
        # proposal_auto_assign does, here written in the move's one UPDATE).
        rule = None
        if current.assigned_to_id is None:
            rule = assignment_rule_for(track_id=current.track_id, centre_id=current.cooperation_centre_id)
            if rule is not None:
                current.assigned_to = rule.staff
        also_save = ("reference", "cycle", "submitted_at", "cooperation_centre", *(("assigned_to",) if rule else ()))
        _move(current=current, to=Status.SUBMITTED, by=by, also_save=also_save)
        entries = [audit_entry(actor=by, action="proposal.submit", target=current,
                               data={"reference": current.reference, "cycle": cycle.year})]
        if rule is not None:
            entries.append(audit_entry(actor=by, action="proposal.auto_assign", target=current,
                                       data={"assigned_to": rule.staff_id, "rule": rule.pk}))
        audit_records(entries)
        notify(
            event="proposal_acknowledged",
            recipients=applicant_team(current),
            context={"proposal": current, "cycle": cycle},
            url=current.get_absolute_url(),
        )
        # The secretariat hears of it: the staff member an assignment rule names, or all of them.
        notify(
            event="proposal_submitted_staff",
            recipients=secretariat_to_tell(current),
            context={"proposal": current, "cycle": cycle},
            url=current.get_staff_url(),
        )
    adopt_written(proposal, current)
    return proposal


def proposal_request_info(*, proposal: Proposal, by, message: str) -> Proposal:
    """Staff asks the applicant for more: the proposal reopens for editing, and the table posts the message to
    the thread (the move's note_to_thread)."""
    return proposal_transition(proposal=proposal, to=Status.INFO_REQUESTED, by=by, note=message)


def proposal_resubmit(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """The applicant answers an information request: back to the stage that asked (the note goes to the thread).

    An answer is needed: the note, or a field, contact or document changed since the request
    (proposals.resubmission); an empty resubmission is refused with the reason."""
    refused = rules.refusal("proposals.resubmit_proposal", by, proposal)
    if refused is not None:
        raise TransitionRefused(refused.reason)
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)  # no edit slips in between the check and the move
        if not (note or "").strip() and not changes_since_info_request(proposal):
            raise ValidationError(EMPTY_RESUBMISSION, code="empty_resubmission")
        last_request = last_info_request(proposal)
        back_to = last_request.from_status if last_request else Status.SCREENING
        return proposal_transition(proposal=proposal, to=back_to, by=by, note=note)


def proposal_withdraw(*, proposal: Proposal, by, reason: str) -> Proposal:
    return proposal_transition(proposal=proposal, to=Status.WITHDRAWN, by=by, note=reason)


def proposal_defer_to_next_cycle(*, proposal: Proposal, by, note: str = "") -> Proposal:
    """A committee deferral: the proposal stays in committee review and joins the next yearly cycle.

    Called by committee.decisions.letter_approve. Not a move of the table (the status does not change): the
    history gets a row of its own kind, shown as "Deferred to the <year> cycle." with the note, if any.
    """
    with transaction.atomic():
        current = Proposal.objects.select_for_update().select_related("track__programme").get(pk=proposal.pk)
        if current.status != Status.COMMITTEE_REVIEW or current.cycle is None:
            raise TransitionRefused(_("Only a proposal in committee review can be deferred to the next cycle."))
        programme = current.track.programme
        source_year = current.cycle.year
        year = source_year + 1
        current.cycle = cycle_of_year(programme=programme, year=year)
        # The decision now comes with the next cycle's: the date the applicant sees follows it.
        current.due_at = due_at_for(status=current.status, since=timezone.now(), cycle=current.cycle)
        current.save(update_fields=["cycle", "due_at", "updated_at"])
        StatusChange.objects.create(
            proposal=current, kind=HistoryKind.DEFERRAL, from_status=current.status, to_status=current.status,
            cycle_year=year, by=by, note=(note or "").strip(),
        )
        audit_record(
            actor=by, action="proposal.defer", target=current, data={"from_cycle": source_year, "to_cycle": year}
        )
    proposal.refresh_from_db()
    return proposal
