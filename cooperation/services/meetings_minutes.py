"""A meeting's minutes: staff draft them (draft), put them to both sides (for acknowledgment; taking them back to
draft clears what was acknowledged), MOLIT's acknowledgment is given by staff and the partner's by a member of the
partner organisation; with both recorded they are final, and nothing changes them again (these services refuse,
the model refuses, the admin is read-only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from cooperation import selectors_meetings as sel
from cooperation.models import CooperationMeeting, CooperationMinutes, MeetingStatus, MinutesStatus, Side
from cooperation.rules import is_staff_member, minutes_of, require, side_of
from cooperation.services.meetings import meeting_locked, meeting_parties
from cooperation.timeline import declare, event_record
from core.errors import TransitionRefused
from notifications.services import notify

declare({
    "minutes.for_acknowledgment": gettext_lazy("Minutes of %(meeting)s were put to both sides for acknowledgment."),
    "minutes.acknowledged_molit": gettext_lazy("MOLIT acknowledged the minutes of %(meeting)s."),
    "minutes.acknowledged_partner": gettext_lazy("The partner government acknowledged the minutes of %(meeting)s."),
    "minutes.final": gettext_lazy("The minutes of %(meeting)s are final."),
})

FINAL_REFUSED = gettext_lazy("Final minutes cannot be changed.")


def minutes_link(meeting: CooperationMeeting) -> str:
    return reverse("cooperation:meeting-minutes", args=[meeting.project_id, meeting.pk])


def _locked_minutes(minutes: CooperationMinutes) -> CooperationMinutes:
    locked = CooperationMinutes.objects.select_for_update().get(pk=minutes.pk)
    locked.meeting = minutes.meeting
    return locked


def minutes_save(*, meeting: CooperationMeeting, body: str, by) -> CooperationMinutes:
    """Write or rewrite the draft of a held meeting's minutes."""
    body = (body or "").strip()
    with transaction.atomic():
        locked_meeting = meeting_locked(meeting)
        if locked_meeting.status != MeetingStatus.HELD:
            raise TransitionRefused(_("Minutes are written for a meeting that was held."))
        minutes = minutes_of(locked_meeting)
        if minutes is not None:
            minutes = _locked_minutes(minutes)
            if minutes.status == MinutesStatus.FINAL:
                raise TransitionRefused(FINAL_REFUSED)
            if minutes.status != MinutesStatus.DRAFT:
                raise TransitionRefused(_("The minutes are with both sides for acknowledgment: take them back to "
                                          "draft to change them."))
        require(by, "cooperation.draft_minutes", locked_meeting)
        if not body:
            raise ValidationError({"body": _("Write the minutes.")})
        if minutes is None:
            minutes = CooperationMinutes.objects.create(meeting=locked_meeting, body=body, drafted_by=by)
        else:
            minutes.body = body
            minutes.save(update_fields=["body", "updated_at"])
        minutes.meeting = locked_meeting
        audit_record(actor=by, action="cooperation_minutes.save", target=minutes, data={"length": len(body)})
    return minutes


# (from, to) of the staff moves; acknowledging is minutes_acknowledge.
MINUTES_MOVES = {
    (MinutesStatus.DRAFT, MinutesStatus.FOR_ACKNOWLEDGMENT),
    (MinutesStatus.FOR_ACKNOWLEDGMENT, MinutesStatus.DRAFT),
}


def minutes_move(*, minutes: CooperationMinutes, target: str, by) -> CooperationMinutes:
    """Put the draft to both sides, or take it back to draft (what was acknowledged is cleared)."""
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status == MinutesStatus.FINAL:
            raise TransitionRefused(FINAL_REFUSED)
        if (locked.status, target) not in MINUTES_MOVES:
            raise TransitionRefused(_("Minutes that are %(status)s cannot move there.") % {
                "status": locked.get_status_display().lower()})
        require(by, "cooperation.draft_minutes", locked.meeting)
        source = locked.status
        locked.status = target
        locked.korean_ack_by = locked.korean_ack_at = locked.partner_ack_by = locked.partner_ack_at = None
        locked.save(update_fields=["status", "korean_ack_by", "korean_ack_at", "partner_ack_by", "partner_ack_at",
                                   "updated_at"])
        audit_record(actor=by, action=f"cooperation_minutes.{target}", target=locked,
                     data={"from": source, "to": target})
        meeting = locked.meeting
        if target == MinutesStatus.FOR_ACKNOWLEDGMENT:
            event_record(project=meeting.project, by=by, kind="minutes.for_acknowledgment",
                         link=minutes_link(meeting), params={"meeting": str(meeting)})
            notify(event="cooperation_minutes_to_acknowledge",
                   recipients=sel.side_people(meeting.project, Side.PARTNER),
                   context={"meeting": meeting, "project": meeting.project}, url=minutes_link(meeting))
    return locked


def minutes_acknowledge(*, minutes: CooperationMinutes, by) -> CooperationMinutes:
    """Record one side's acknowledgment (the side is who acknowledges: staff for MOLIT, a partner-organisation
    member for the partner); the second one makes the minutes final."""
    with transaction.atomic():
        locked = _locked_minutes(minutes)
        if locked.status == MinutesStatus.FINAL:
            raise TransitionRefused(FINAL_REFUSED)
        if locked.status != MinutesStatus.FOR_ACKNOWLEDGMENT:
            raise TransitionRefused(_("The minutes are still a draft: they have not been put to the sides."))
        meeting = locked.meeting
        side = Side.MOLIT if is_staff_member(by) else side_of(by, meeting.project)
        already = {Side.MOLIT: locked.korean_ack_at, Side.PARTNER: locked.partner_ack_at}.get(side)
        if already is not None:
            raise TransitionRefused(_("Your side has already acknowledged these minutes."))
        require(by, "cooperation.acknowledge_minutes", locked)
        now = timezone.now()
        if side == Side.MOLIT:
            locked.korean_ack_by, locked.korean_ack_at = by, now
        else:
            locked.partner_ack_by, locked.partner_ack_at = by, now
        final = locked.korean_ack_at is not None and locked.partner_ack_at is not None
        if final:
            locked.status, locked.finalised_at = MinutesStatus.FINAL, now
        locked.save(update_fields=["korean_ack_by", "korean_ack_at", "partner_ack_by", "partner_ack_at", "status",
                                   "finalised_at", "updated_at"])
        audit_record(actor=by, action="cooperation_minutes.acknowledge", target=locked,
                     data={"side": side, "final": final})
        event_record(project=meeting.project, by=by, kind=f"minutes.acknowledged_{side}",
                     link=minutes_link(meeting), params={"meeting": str(meeting)})
        if final:
            event_record(project=meeting.project, by=by, kind="minutes.final", link=minutes_link(meeting),
                         params={"meeting": str(meeting)})
            notify(event="cooperation_minutes_final", recipients=meeting_parties(meeting),
                   context={"meeting": meeting, "project": meeting.project}, url=minutes_link(meeting))
    return locked
