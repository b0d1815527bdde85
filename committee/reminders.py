"""The committee's beat sweeps: reminders of pending reviews before a meeting (task committee.tasks, schedule
committee.schedules). Each reminder is claimed once, so a sweep may run as often as it likes."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from committee import selectors
from committee.models import Meeting, MeetingStatus
from notifications.services import notify, reminder_claim


def review_reminders_send(*, now=None) -> int:
    """Remind members of unsubmitted reviews 3 days and 1 day before a meeting, each occasion exactly once."""
    now = now or timezone.now()
    sent = 0
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + timedelta(days=3)
    )
    for meeting in meetings:
        occasion = "1d" if meeting.starts_at - now <= timedelta(days=1) else "3d"
        for member, proposals in selectors.reviews_pending(meeting=meeting).items():
            with transaction.atomic():
                if not reminder_claim(key=f"committee-review:{meeting.pk}:{member.pk}:{occasion}"):
                    continue
                notify(
                    event="committee_review_reminder", recipients=[member.user],
                    context={"meeting": meeting, "proposals": proposals, "occasion": occasion},
                    url="/committee/",
                )
                sent += 1
    return sent
