"""Joint committees, bilateral talks, centre consultations and site visits: scheduling (the session number is the
next of the project and kind; open action items of earlier sessions are carried into the new one), delegations,
the agenda and its outcomes, a decision's link to the change it approved, and the meeting's status
(planned -> held | cancelled). Action items and minutes are in services/meetings_actions.py and meetings_minutes.py.

Every write: one transaction, the rows it decides on locked, an audit row, a timeline event and the notices. A
refusal because of the state is TransitionRefused (400); one because of who asks is PermissionDenied (403) with
the reason in cooperation.rules.REFUSALS."""

import datetime
import zoneinfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation import selectors_meetings as sel
from cooperation.ics_meetings import meeting_calendar
from cooperation.models import (
    AgendaItem,
    CooperationMeeting,
    Delegate,
    MeetingKind,
    MeetingStatus,
    OutcomeKind,
    Project,
    Side,
)
from cooperation.rules import centre_ids, has_final_minutes, is_staff_member, require
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import EmailAttachment, notify

declare({
    "meeting.scheduled": gettext_lazy("Meeting scheduled: %(meeting)s, %(when)s."),
    "meeting.held": gettext_lazy("Meeting held: %(meeting)s."),
    "meeting.cancelled": gettext_lazy("Meeting cancelled: %(meeting)s (%(reason)s)."),
    "meeting.outcome": gettext_lazy("Outcome recorded at %(meeting)s: %(title)s."),
})

# The meeting's moves: (from, to) -> whether a note is required. Everything else is refused.
MEETING_MOVES = {
    (MeetingStatus.PLANNED, MeetingStatus.HELD): False,
    (MeetingStatus.PLANNED, MeetingStatus.CANCELLED): True,
}

MAX_DELEGATES = 60
MAX_AGENDA_ITEMS = 60


def meeting_link(meeting: CooperationMeeting) -> str:
    return reverse("cooperation:meeting", args=[meeting.project_id, meeting.pk])


def _when(meeting: CooperationMeeting) -> str:
    # Timeline params are stored once: the venue's own date and zone read the same for everyone.
    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(str(meeting.time_zone)))
    return f"{local:%Y-%m-%d %H:%M} ({meeting.time_zone})"


def meeting_parties(meeting: CooperationMeeting) -> list:
    """Who is told about the meeting: the partner's team, the project's contractors, the facilitating centre's
    staff and the organiser."""
    project = meeting.project
    people = sel.side_people(project, Side.PARTNER) + sel.side_people(project, Side.CONTRACTOR)
    if meeting.facilitating_centre_id:
        people += sel.side_people(project, Side.CENTRE, meeting=meeting)
    people += sel.side_people(project, Side.MOLIT, meeting=meeting)
    return people


def _ics_for(meeting: CooperationMeeting):
    def build(user) -> list[EmailAttachment]:
        content = meeting_calendar(meeting, with_link=True, language=getattr(user, "language", None))
        return [EmailAttachment(filename="meeting.ics", mimetype="text/calendar", content=content)]
    return build


def _check_details(*, starts_at, ends_at, place: str, online_link: str) -> None:
    errors = {}
    if starts_at is None or ends_at is None:
        errors["starts_at"] = _("Give the start and the end.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif ends_at - starts_at > datetime.timedelta(days=7):
        errors["ends_at"] = _("A meeting lasts at most seven days.")
    if not (place or "").strip() and not (online_link or "").strip():
        errors["place"] = _("Give the place, an online link, or both.")
    if online_link and not online_link.lower().startswith("https://"):
        errors["online_link"] = _("The online link must start with https://.")
    if errors:
        raise ValidationError(errors)


def _check_centre(by, *, kind: str, facilitating_centre) -> None:
    """A centre's staff schedule only consultations their own centre facilitates."""
    if is_staff_member(by):
        return
    if kind != MeetingKind.CENTRE_CONSULTATION:
        raise ValidationError({"kind": _("A cooperation centre schedules cooperation-centre consultations; MOLIT "
                                         "staff schedule the other meetings.")})
    if facilitating_centre is None or facilitating_centre.pk not in centre_ids(by):
        raise ValidationError({"facilitating_centre": _("Choose your own cooperation centre as the facilitator.")})


def meeting_schedule(*, project: Project, kind: str, starts_at, ends_at, time_zone, place: str = "",
                     online_link: str = "", facilitating_centre=None, by) -> CooperationMeeting:
    """Schedule the next session of its kind; the project's open action items of earlier sessions are carried in."""
    require(by, "cooperation.schedule_meeting", project)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    _check_centre(by, kind=kind, facilitating_centre=facilitating_centre)
    _check_details(starts_at=starts_at, ends_at=ends_at, place=place, online_link=online_link)
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)  # session numbers are handed out one at a time
        meeting = CooperationMeeting.objects.create(
            project=project, kind=kind, session_number=sel.next_session_number(project, kind), starts_at=starts_at,
            ends_at=ends_at, time_zone=time_zone, place=place.strip(), online_link=online_link.strip(),
            facilitating_centre=facilitating_centre, created_by=by,
        )
        meeting.project = project
        carried = list(sel.open_actions_before(meeting).values_list("pk", flat=True))
        meeting.carried_actions.add(*carried)
        audit_record(actor=by, action="cooperation_meeting.schedule", target=meeting,
                     data={"kind": kind, "session": meeting.session_number, "starts_at": starts_at.isoformat(),
                           "carried_over": carried})
        event_record(project=project, by=by, kind="meeting.scheduled", link=meeting_link(meeting),
                     params={"meeting": str(meeting), "when": _when(meeting)})
        notify(event="cooperation_meeting_scheduled", recipients=[p for p in meeting_parties(meeting) if p != by],
               context={"meeting": meeting, "project": project, "carried": len(carried)},
               url=meeting_link(meeting), attachments_for=_ics_for(meeting))
    return meeting


RESCHEDULE_FIELDS = ("starts_at", "ends_at", "time_zone", "place", "online_link")


def meeting_reschedule(*, meeting: CooperationMeeting, starts_at, ends_at, time_zone, place: str = "",
                       online_link: str = "", by) -> CooperationMeeting:
    """Move a planned meeting or change its venue."""
    with transaction.atomic():
        locked = meeting_locked(meeting)
        if locked.status != MeetingStatus.PLANNED:
            raise TransitionRefused(_("Only a planned meeting can be rescheduled."))
        require(by, "cooperation.manage_meeting", locked)
        _check_details(starts_at=starts_at, ends_at=ends_at, place=place, online_link=online_link)
        before = {name: str(getattr(locked, name)) for name in RESCHEDULE_FIELDS}
        locked.starts_at, locked.ends_at, locked.time_zone = starts_at, ends_at, time_zone
        locked.place, locked.online_link = place.strip(), online_link.strip()
        locked.save(update_fields=list(RESCHEDULE_FIELDS))
        audit_record(actor=by, action="cooperation_meeting.reschedule", target=locked,
                     data={"before": before, "after": {name: str(getattr(locked, name)) for name in RESCHEDULE_FIELDS}})
        event_record(project=locked.project, by=by, kind="meeting.scheduled", link=meeting_link(locked),
                     params={"meeting": str(locked), "when": _when(locked)})
        notify(event="cooperation_meeting_scheduled", recipients=[p for p in meeting_parties(locked) if p != by],
               context={"meeting": locked, "project": locked.project, "carried": 0, "rescheduled": True},
               url=meeting_link(locked), attachments_for=_ics_for(locked))
    return locked


def meeting_locked(meeting: CooperationMeeting) -> CooperationMeeting:
    locked = CooperationMeeting.objects.select_for_update().get(pk=meeting.pk)
    locked.project = meeting.project
    locked.facilitating_centre = meeting.facilitating_centre
    return locked


def meeting_move(*, meeting: CooperationMeeting, target: str, note: str = "", by) -> CooperationMeeting:
    """Mark a planned meeting held or cancelled (with the reason)."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = meeting_locked(meeting)
        needs_note = MEETING_MOVES.get((locked.status, target))
        if needs_note is None:
            raise TransitionRefused(_("A meeting that is %(status)s cannot become %(target)s.") % {
                "status": locked.get_status_display().lower(),
                "target": MeetingStatus(target).label.lower() if target in MeetingStatus.values else target})
        require(by, "cooperation.manage_meeting", locked)
        if needs_note and not note:
            raise ValidationError({"note": _("Say why the meeting is cancelled.")})
        source = locked.status
        locked.status, locked.status_note = target, note
        locked.status_changed_at, locked.status_changed_by = timezone.now(), by
        locked.save(update_fields=["status", "status_note", "status_changed_at", "status_changed_by"])
        audit_record(actor=by, action=f"cooperation_meeting.{target}", target=locked,
                     data={"from": source, "to": target, "note": note})
        if target == MeetingStatus.HELD:
            event_record(project=locked.project, by=by, kind="meeting.held", link=meeting_link(locked),
                         params={"meeting": str(locked)})
        else:
            event_record(project=locked.project, by=by, kind="meeting.cancelled", link=meeting_link(locked),
                         params={"meeting": str(locked), "reason": note})
            notify(event="cooperation_meeting_cancelled", recipients=[p for p in meeting_parties(locked) if p != by],
                   context={"meeting": locked, "project": locked.project, "reason": note},
                   url=meeting_link(locked), attachments_for=_ics_for(locked))
    return locked


def meeting_check_open(meeting: CooperationMeeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise TransitionRefused(_("The meeting is cancelled."))
    if has_final_minutes(None, meeting):
        raise TransitionRefused(_("The minutes of this meeting are final: its record no longer changes."))


# --- delegations ----------------------------------------------------------------------------------------------


def delegate_add(*, meeting: CooperationMeeting, side: str, name: str, position: str = "", organisation: str = "",
                 is_head: bool = False, user=None, by) -> Delegate:
    """Add a member of a side's delegation; a new head of delegation replaces the side's previous head."""
    if side not in Side.values:
        raise ValidationError({"side": _("Choose the side.")})
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the delegate's name.")})
    with transaction.atomic():
        locked = meeting_locked(meeting)
        meeting_check_open(locked)
        require(by, "cooperation.manage_meeting", locked)
        if locked.delegates.count() >= MAX_DELEGATES:
            raise ValidationError(_("A meeting has at most %(n)s delegates.") % {"n": MAX_DELEGATES})
        if is_head:
            locked.delegates.filter(side=side, is_head=True).update(is_head=False)
        delegate = Delegate.objects.create(meeting=locked, side=side, name=name.strip(), position=position.strip(),
                                           organisation=organisation.strip(), is_head=is_head, user=user)
        audit_record(actor=by, action="cooperation_meeting.delegate_add", target=locked,
                     data={"delegate": delegate.pk, "side": side, "name": delegate.name, "head": is_head})
    return delegate


def delegate_remove(*, delegate: Delegate, by) -> None:
    with transaction.atomic():
        locked = meeting_locked(delegate.meeting)
        meeting_check_open(locked)
        require(by, "cooperation.manage_meeting", locked)
        audit_record(actor=by, action="cooperation_meeting.delegate_remove", target=locked,
                     data={"delegate": delegate.pk, "side": delegate.side, "name": delegate.name})
        Delegate.objects.filter(pk=delegate.pk, meeting=locked).delete()


# --- the agenda and its outcomes -----------------------------------------------------------------------------


def agenda_item_add(*, meeting: CooperationMeeting, title: str, by) -> AgendaItem:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the agenda item a title.")})
    with transaction.atomic():
        locked = meeting_locked(meeting)
        meeting_check_open(locked)
        require(by, "cooperation.manage_meeting", locked)
        last = locked.agenda_items.aggregate(last=Max("order"))["last"] or 0
        if locked.agenda_items.count() >= MAX_AGENDA_ITEMS:
            raise ValidationError(_("An agenda has at most %(n)s items.") % {"n": MAX_AGENDA_ITEMS})
        item = AgendaItem.objects.create(meeting=locked, order=last + 1, title=title)
        audit_record(actor=by, action="cooperation_meeting.agenda_add", target=locked,
                     data={"item": item.pk, "title": title})
    return item


def agenda_outcome_record(*, item: AgendaItem, outcome_kind: str, outcome: str = "", approved_change=None,
                          by) -> AgendaItem:
    """Record what an agenda item ended in. A decision may link the change it approved (a due-date revision,
    an indicator period or a budget revision of the same project); approving the change itself is the work
    plan's, results' or budget's own service."""
    if outcome_kind not in OutcomeKind.values:
        raise ValidationError({"outcome_kind": _("Choose the outcome: information, decision or action item.")})
    if approved_change is not None and outcome_kind != OutcomeKind.DECISION:
        raise ValidationError({"approved_change": _("Only a decision links to the change it approved.")})
    if outcome_kind == OutcomeKind.DECISION and not (outcome or "").strip():
        raise ValidationError({"outcome": _("Write down what was decided.")})
    with transaction.atomic():
        meeting = meeting_locked(item.meeting)
        if meeting.status != MeetingStatus.HELD:
            raise TransitionRefused(_("Outcomes are recorded once the meeting is held."))
        meeting_check_open(meeting)
        require(by, "cooperation.record_outcome", meeting)
        if approved_change is not None and sel.change_from_key(meeting.project,
                                                               sel.change_key(approved_change)) is None:
            raise ValidationError({"approved_change": _("Choose a change of this project.")})
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
        locked.meeting = meeting
        locked.outcome_kind, locked.outcome = outcome_kind, (outcome or "").strip()
        locked.approved_type = ContentType.objects.get_for_model(type(approved_change)) if approved_change else None
        locked.approved_id = approved_change.pk if approved_change else None
        locked.save(update_fields=["outcome_kind", "outcome", "approved_type", "approved_id"])
        audit_record(actor=by, action="cooperation_meeting.outcome", target=meeting, data={
            "item": locked.pk, "kind": outcome_kind, "outcome": locked.outcome,
            "approved_change": sel.change_key(approved_change) if approved_change else None})
        event_record(project=meeting.project, by=by, kind="meeting.outcome", link=meeting_link(meeting),
                     params={"meeting": str(meeting), "title": locked.title})
    return locked
