"""Action items a meeting agreed: an owner side (and a person on it), a due date, open -> done (by the owner side,
with a note on how) | dropped (by staff, with the reason). An open item is carried into every later session of the
project (meeting_schedule carries them when the session is scheduled; an item agreed when later sessions already
exist is carried into those at once). Reminders and the escalation are the beat's (reminders_meetings.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation import selectors_meetings as sel
from cooperation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    CooperationMeeting,
    MeetingStatus,
    OutcomeKind,
    Side,
)
from cooperation.rules import require, side_of
from cooperation.services.meetings import meeting_check_open, meeting_locked
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import notify

declare({
    "action.agreed": gettext_lazy("Action item agreed at %(meeting)s: %(title)s (due %(due)s)."),
    "action.done": gettext_lazy("Action item done: %(title)s."),
    "action.dropped": gettext_lazy("Action item dropped: %(title)s (%(reason)s)."),
    "action.escalated": gettext_lazy("Action item escalated to staff: %(title)s, %(days)s days overdue."),
})

# The action item's moves: target -> (the permission that says who, the message when the note is missing).
ACTION_MOVES = {
    ActionStatus.DONE: ("cooperation.complete_action_item", gettext_lazy("Say how the action was done.")),
    ActionStatus.DROPPED: ("cooperation.drop_action_item", gettext_lazy("Say why the action is dropped.")),
}


def action_recipients(action: ActionItem, meeting: CooperationMeeting | None = None) -> list:
    """The owner if named, else the owner side's people."""
    if action.owner_id and action.owner.is_active:
        return [action.owner]
    return sel.side_people(action.project, action.owner_side, meeting=meeting or action.meeting)


def action_item_add(*, agenda_item: AgendaItem, title: str, owner_side: str, due_date, owner=None,
                    owner_name: str = "", by) -> ActionItem:
    """Record an action item under an agenda item of a held meeting (the item's outcome becomes "action item"
    when it had none)."""
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Say what is to be done.")
    if owner_side not in Side.values:
        errors["owner_side"] = _("Choose the side that owns the action.")
    if due_date is None:
        errors["due_date"] = _("Give the due date.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = meeting_locked(agenda_item.meeting)
        if meeting.status != MeetingStatus.HELD:
            raise TransitionRefused(_("Action items are recorded once the meeting is held."))
        meeting_check_open(meeting)
        require(by, "cooperation.record_outcome", meeting)
        project = meeting.project
        if owner is not None and side_of(owner, project) != owner_side:
            raise ValidationError({"owner": _("The owner must be a person of the owning side on this project.")})
        if due_date < timezone.localtime(meeting.starts_at).date():
            raise ValidationError({"due_date": _("The due date cannot be before the meeting.")})
        item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk, meeting=meeting)
        action = ActionItem.objects.create(
            project=project, meeting=meeting, agenda_item=item, title=title, owner_side=owner_side, owner=owner,
            owner_name=(owner_name or "").strip() or (owner.get_full_name() if owner else ""), due_date=due_date,
        )
        action.project = project
        later = CooperationMeeting.objects.filter(project=project, starts_at__gt=meeting.starts_at,
                                                  status=MeetingStatus.PLANNED)
        action.carried_into.add(*later)
        if not item.outcome_kind:
            item.outcome_kind = OutcomeKind.ACTION
            item.save(update_fields=["outcome_kind"])
        audit_record(actor=by, action="cooperation_action.add", target=action, data={
            "meeting": meeting.pk, "title": title, "owner_side": owner_side,
            "owner": owner.pk if owner else None, "due_date": due_date.isoformat()})
        event_record(project=project, by=by, kind="action.agreed", link=action_link(action),
                     params={"meeting": str(meeting), "title": title, "due": due_date.isoformat()})
        notify(event="cooperation_action_assigned",
               recipients=[p for p in action_recipients(action, meeting) if p != by],
               context={"action": action, "meeting": meeting, "project": project}, url=action_link(action))
    return action


def action_link(action: ActionItem) -> str:
    return reverse("cooperation:action-item", args=[action.project_id, action.pk])


def action_item_move(*, action: ActionItem, target: str, note: str, by) -> ActionItem:
    """Close an open action item: done by its owner side, or dropped by staff; the note is required."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
        locked.project = action.project
        move = ACTION_MOVES.get(target)
        if locked.status != ActionStatus.OPEN or move is None:
            raise TransitionRefused(_("This action item is %(status)s: it can no longer change.") % {
                "status": locked.get_status_display().lower()} if locked.status != ActionStatus.OPEN
                else _("An action item is marked done or dropped."))
        permission, missing_note = move
        require(by, permission, locked)
        if not note:
            raise ValidationError({"note": str(missing_note)})
        locked.status, locked.closing_note = target, note
        locked.closed_at, locked.closed_by = timezone.now(), by
        locked.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
        audit_record(actor=by, action=f"cooperation_action.{target}", target=locked,
                     data={"from": ActionStatus.OPEN, "to": target, "note": note})
        if target == ActionStatus.DONE:
            event_record(project=locked.project, by=by, kind="action.done", link=action_link(locked),
                         params={"title": locked.title})
        else:
            event_record(project=locked.project, by=by, kind="action.dropped", link=action_link(locked),
                         params={"title": locked.title, "reason": note})
    return locked
