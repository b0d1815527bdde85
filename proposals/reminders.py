"""Reminder sweeps run by Celery beat. Each takes `now` so tests can set the clock.

Every reminder has a key naming its occasion; `reminder_claim` turns the key into a unique row in the same
transaction as the notices, so a reminder goes out exactly once however often (or concurrently) a sweep runs:
a second sweep waits on the first one's row and then finds the key taken; if the first one fails, nothing is
claimed and the next sweep sends it.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from accounts.rules import is_staff_member
from notifications.models import SentReminder
from notifications.services import notify, reminder_claim
from proposals import triage
from proposals.models import Message, Proposal
from proposals.selectors import applicant_team
from proposals.workflow import Status

logger = logging.getLogger(__name__)
SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)

DRAFT_QUIET_DAYS = 14
INFO_REQUEST_REMINDER_DAYS = (7, 21)
INFO_REQUEST_STAFF_DAYS = 30
DIGEST_KEY_PREFIX = "staff-digest:"


def _admin_url(proposal: Proposal) -> str:
    return f"/admin/proposals/proposal/{proposal.pk}/change/"


def _send_once(*, key: str, event: str, recipients, context: dict, url: str) -> bool:
    with transaction.atomic():
        if not reminder_claim(key=key):
            return False
        notify(event=event, recipients=recipients, context=context, url=url)
    return True


def _already_sent(keys: list[str]) -> set[str]:
    """Keys claimed before: skipped up front so old occasions don't hit the unique index on every sweep."""
    return set(SentReminder.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()


def _draft_key(proposal: Proposal) -> str:
    return f"draft-quiet:{proposal.pk}:{proposal.updated_at.isoformat()}"


def draft_reminders_send(*, now: datetime.datetime) -> int:
    """Drafts nobody touched for 14 days: remind the owner once per quiet spell (a save starts a new spell)."""
    sent = 0
    cutoff = now - datetime.timedelta(days=DRAFT_QUIET_DAYS)
    drafts = list(Proposal.objects.filter(status=Status.DRAFT, updated_at__lte=cutoff).select_related("owner"))
    done = _already_sent([_draft_key(p) for p in drafts])
    for proposal in drafts:
        key = _draft_key(proposal)
        if key in done:
            continue
        sent += _send_once(
            key=key, event="draft_stale_reminder", recipients=[proposal.owner],
            context={"proposal": proposal, "days": (now - proposal.updated_at).days},
            url=proposal.get_absolute_url(),
        )
    return sent


def info_request_reminders_send(*, now: datetime.datetime) -> int:
    """Unanswered information requests: the team at 7 and 21 days, staff at 30 (once per request)."""
    sent = 0
    earliest = min(*INFO_REQUEST_REMINDER_DAYS, INFO_REQUEST_STAFF_DAYS)
    waiting = (
        Proposal.objects.filter(
            status=Status.INFO_REQUESTED, status_changed_at__lte=now - datetime.timedelta(days=earliest)
        )
        .select_related("owner", "organisation", "assigned_to")
        .prefetch_related("collaborators")
    )
    occasions = []  # (key, event, proposal, age, to_staff)
    for proposal in waiting:
        age = now - proposal.status_changed_at
        occasion = f"info-request:{proposal.pk}:{proposal.status_changed_at.isoformat()}"
        # Only the latest threshold passed: after an outage the team gets one reminder, not a burst.
        due = [d for d in INFO_REQUEST_REMINDER_DAYS if age >= datetime.timedelta(days=d)]
        if due and age < datetime.timedelta(days=INFO_REQUEST_STAFF_DAYS):
            occasions.append((f"{occasion}:{due[-1]}d", "info_request_reminder", proposal, age, False))
        if age >= datetime.timedelta(days=INFO_REQUEST_STAFF_DAYS):
            occasions.append((f"{occasion}:{INFO_REQUEST_STAFF_DAYS}d-staff", "info_request_overdue_staff", proposal,
                              age, True))
    done = _already_sent([key for key, *_rest in occasions])
    staff = None
    for key, event, proposal, age, to_staff in occasions:
        if key in done:
            continue
        if not to_staff:
            recipients, url = applicant_team(proposal), proposal.get_absolute_url()
        elif proposal.assigned_to_id and is_staff_member(proposal.assigned_to):
            recipients, url = [proposal.assigned_to], _admin_url(proposal)
        else:
            staff = staff if staff is not None else list(triage.staff_members())
            recipients, url = staff, _admin_url(proposal)
        sent += _send_once(key=key, event=event, recipients=recipients,
                           context={"proposal": proposal, "days": age.days}, url=url)
    return sent


def reminders_sweep(*, now: datetime.datetime) -> dict[str, int]:
    return {
        "drafts": draft_reminders_send(now=now),
        "info_requests": info_request_reminders_send(now=now),
    }


def _last_digest_at(now: datetime.datetime) -> datetime.datetime:
    last = (
        SentReminder.objects.filter(key__startswith=DIGEST_KEY_PREFIX).order_by("-sent_at").values_list(
            "sent_at", flat=True
        ).first()
    )
    return last or now - datetime.timedelta(days=1)


def staff_digest_send(*, now: datetime.datetime) -> bool:
    """Once a day (Seoul calendar): new submissions, overdue items and applicant replies since the last digest.

    Nothing to report, nothing sent (and the day stays unclaimed, so a later run that day can still send).
    """
    since = _last_digest_at(now)
    new_submissions = list(
        Proposal.objects.filter(submitted_at__gt=since, submitted_at__lte=now)
        .select_related("organisation")
        .order_by("submitted_at")
    )
    overdue = list(
        Proposal.objects.filter(triage.overdue_q(now)).select_related("organisation").order_by("due_at")
    )
    replies = list(
        Message.objects.filter(created_at__gt=since, created_at__lte=now, internal=False)
        .exclude(Q(author__role="staff") | Q(author__is_superuser=True))
        .select_related("proposal", "author")
        .order_by("created_at")
    )
    if not (new_submissions or overdue or replies):
        return False
    today = now.astimezone(SEOUL).date()
    return _send_once(
        key=f"{DIGEST_KEY_PREFIX}{today.isoformat()}", event="staff_digest", recipients=triage.staff_members(),
        context={"today": today, "since": since, "new_submissions": new_submissions, "overdue": overdue,
                 "replies": replies},
        url="/admin/proposals/proposal/",
    )
