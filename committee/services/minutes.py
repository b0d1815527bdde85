"""The minutes of a meeting: generated from the record, edited while draft, then final (and the meeting closed)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from committee import rules, selectors
from committee.models import MINUTES_ARE_FINAL, Meeting, MeetingStatus, Minutes, MinutesFinal, MinutesStatus
from core.errors import TransitionRefused


def minutes_text(*, meeting: Meeting) -> str:
    """The generated minutes, in the portal's default language (the official record)."""
    attendance = list(
        meeting.attendances.select_related("member__user").order_by("-present", "member__user__full_name")
    )
    decisions = list(meeting.decisions.select_related("proposal").prefetch_related("recused__user"))
    with translation.override(settings.LANGUAGE_CODE), timezone.override("Asia/Seoul"):
        return render_to_string("committee/minutes.txt", using="text", context={
            "meeting": meeting, "present": [a.member for a in attendance if a.present],
            "absent": [a.member for a in attendance if not a.present], "decisions": decisions,
            "quorum": selectors.quorum_for(meeting=meeting), "rule": selectors.rule_for(meeting).describe(),
        }).strip() + "\n"


def minutes_generate(*, meeting: Meeting, by) -> Minutes:
    """Create the draft minutes, or regenerate a draft from the current record."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(MINUTES_ARE_FINAL)
        body = minutes_text(meeting=meeting)
        if minutes is None:
            minutes = Minutes.objects.create(meeting=meeting, body=body)
        else:
            minutes.body = body
            minutes.save(update_fields=["body", "updated_at"])
        audit_record(actor=by, action="minutes.generate", target=minutes)
    return minutes


def minutes_update(*, minutes: Minutes, body: str, by) -> Minutes:
    rules.require(by, "committee.manage")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(MINUTES_ARE_FINAL)
        if not (body or "").strip():
            raise ValidationError({"body": _("The minutes cannot be empty.")})
        minutes.body = body.strip() + "\n"
        minutes.save(update_fields=["body", "updated_at"])
        audit_record(actor=by, action="minutes.update", target=minutes)
    return minutes


def minutes_finalise(*, minutes: Minutes, by) -> Minutes:
    """Final minutes are immutable; the meeting is closed with them."""
    rules.require(by, "committee.manage")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if minutes.status == MinutesStatus.FINAL:
            raise MinutesFinal(_("These minutes are already final."))
        if minutes.meeting.status == MeetingStatus.SCHEDULED:
            raise TransitionRefused(_("The meeting has not been opened; its minutes cannot be final yet."))
        minutes.status = MinutesStatus.FINAL
        minutes.finalised_at = timezone.now()
        minutes.finalised_by = by
        minutes.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
        Meeting.objects.filter(pk=minutes.meeting_id, closed_at__isnull=True).update(closed_at=minutes.finalised_at)
        Meeting.objects.filter(pk=minutes.meeting_id).update(status=MeetingStatus.CLOSED)
        audit_record(actor=by, action="minutes.finalise", target=minutes)
    return minutes
