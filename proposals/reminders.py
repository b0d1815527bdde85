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
from django.db.models import Case, CharField, F, Q, Value, When
from django.urls import reverse

from accounts.rules import is_staff_member
from notifications.models import SentReminder
from notifications.services import ReminderKeyTime, notify, reminder_claim, reminder_key_sql, reminder_rows
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
STAFF_SUFFIX = "-staff"
# Reminders sent per sweep and kind at most: a backlog (the first run, an outage) drains over a few runs.
SWEEP_BATCH = 200
# What the digest template shows of a proposal: its lists of thousands of rows need no more of the wide row.
DIGEST_PROPOSAL_FIELDS = ("reference", "title", "country", "status", "due_at", "submitted_at", "organisation__name")
# Rows the digest lists of each kind at most (the most overdue, the earliest submitted and replied); past that it
# says how many there are and links to the inbox's section, which pages the full list.
DIGEST_LIST_LIMIT = 20


def _admin_url(proposal: Proposal) -> str:
    return f"/admin/proposals/proposal/{proposal.pk}/change/"


def _send_once(*, key: str, event: str, recipients, context: dict, url: str) -> bool:
    with transaction.atomic():
        if not reminder_claim(key=key):
            return False
        notify(event=event, recipients=recipients, context=context, url=url)
    return True


def draft_reminders_send(*, now: datetime.datetime) -> int:
    """Drafts nobody touched for 14 days: remind the owner once per quiet spell (a save starts a new spell).

    Key: "draft-quiet:<pk>:<updated_at, ISO>". Drafts reminded for this spell are left out by the query itself, and
    at most SWEEP_BATCH go per run (the next run takes the rest), so abandoned drafts cost nothing hour after hour.
    """
    sent = 0
    cutoff = now - datetime.timedelta(days=DRAFT_QUIET_DAYS)
    drafts = reminder_rows(
        Proposal.objects.filter(status=Status.DRAFT, updated_at__lte=cutoff)
        .select_related("owner").order_by("updated_at", "pk"),
        key=reminder_key_sql("draft-quiet:", F("pk"), ":", ReminderKeyTime("updated_at")), limit=SWEEP_BATCH,
    )
    for proposal in drafts:
        sent += _send_once(
            key=proposal.reminder_key, event="draft_stale_reminder", recipients=[proposal.owner],
            context={"proposal": proposal, "days": (now - proposal.updated_at).days},
            url=proposal.get_absolute_url(),
        )
    return sent


def info_request_reminders_send(*, now: datetime.datetime) -> int:
    """Unanswered information requests: the team at 7 and 21 days, staff at 30 (once per request).

    Key: "info-request:<pk>:<status_changed_at, ISO>:<7d|21d|30d-staff>". Only the latest threshold passed counts:
    after an outage the team gets one reminder, not a burst; from 30 days on the team gets no more, staff are told.
    The query names each request's one occasion and leaves out those claimed, so requests reminded already (and
    waiting for months) are not reloaded every hour.
    """
    sent = 0
    earliest = min(*INFO_REQUEST_REMINDER_DAYS, INFO_REQUEST_STAFF_DAYS)
    team_first, team_last = INFO_REQUEST_REMINDER_DAYS
    occasion = Case(
        When(status_changed_at__lte=now - datetime.timedelta(days=INFO_REQUEST_STAFF_DAYS),
             then=Value(f"{INFO_REQUEST_STAFF_DAYS}d{STAFF_SUFFIX}")),
        When(status_changed_at__lte=now - datetime.timedelta(days=team_last), then=Value(f"{team_last}d")),
        default=Value(f"{team_first}d"),
        output_field=CharField(),
    )
    waiting = reminder_rows(
        Proposal.objects.filter(
            status=Status.INFO_REQUESTED, status_changed_at__lte=now - datetime.timedelta(days=earliest)
        )
        .select_related("owner", "organisation", "assigned_to")
        .prefetch_related("collaborators")
        .order_by("status_changed_at", "pk"),
        key=reminder_key_sql("info-request:", F("pk"), ":", ReminderKeyTime("status_changed_at"), ":", occasion),
        limit=SWEEP_BATCH,
    )
    staff = None
    for proposal in waiting:
        age = now - proposal.status_changed_at
        if not proposal.reminder_key.endswith(STAFF_SUFFIX):
            event, recipients, url = "info_request_reminder", applicant_team(proposal), proposal.get_absolute_url()
        elif proposal.assigned_to_id and is_staff_member(proposal.assigned_to):
            event, recipients, url = "info_request_overdue_staff", [proposal.assigned_to], _admin_url(proposal)
        else:
            staff = staff if staff is not None else list(triage.staff_members())
            event, recipients, url = "info_request_overdue_staff", staff, _admin_url(proposal)
        sent += _send_once(key=proposal.reminder_key, event=event, recipients=recipients,
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


def _first_and_count(queryset) -> tuple[list, int]:
    """The first DIGEST_LIST_LIMIT rows of `queryset` and how many there are: one query, and a count only when
    there are more than that."""
    rows = list(queryset[: DIGEST_LIST_LIMIT + 1])
    if len(rows) <= DIGEST_LIST_LIMIT:
        return rows, len(rows)
    return rows[:DIGEST_LIST_LIMIT], queryset.count()


def staff_digest_send(*, now: datetime.datetime) -> bool:
    """Once a day (Seoul calendar): new submissions, overdue items and applicant replies since the last digest.

    Nothing to report, nothing sent (and the day stays unclaimed, so a later run that day can still send).
    Whether today's went out is asked first, in one query: a second run that day builds nothing. Each list is
    bounded (DIGEST_LIST_LIMIT rows, oldest first, with the total and a link to the inbox's full section), so the
    digest costs the same whatever the backlog.
    """
    today = now.astimezone(SEOUL).date()
    key = f"{DIGEST_KEY_PREFIX}{today.isoformat()}"
    if SentReminder.objects.filter(key=key).exists():
        return False
    since = _last_digest_at(now)
    new_submissions, new_count = _first_and_count(
        Proposal.objects.filter(submitted_at__gt=since, submitted_at__lte=now)
        .select_related("organisation")
        .only(*DIGEST_PROPOSAL_FIELDS)
        .order_by("submitted_at", "pk")
    )
    overdue, overdue_count = _first_and_count(
        Proposal.objects.filter(triage.overdue_q(now))
        .select_related("organisation")
        .only(*DIGEST_PROPOSAL_FIELDS)
        .order_by("due_at", "pk")
    )
    replies, replies_count = _first_and_count(
        Message.objects.filter(created_at__gt=since, created_at__lte=now, internal=False)
        .exclude(Q(author__role="staff") | Q(author__is_superuser=True))
        .select_related("proposal", "author")
        .order_by("created_at", "pk")
    )
    if not (new_submissions or overdue or replies):
        return False
    inbox = reverse("proposals_staff:inbox")
    return _send_once(
        key=key, event="staff_digest", recipients=triage.staff_members(),
        context={"today": today, "since": since, "new_submissions": new_submissions, "new_count": new_count,
                 "overdue": overdue, "overdue_count": overdue_count, "replies": replies,
                 "replies_count": replies_count, "inbox_new_url": f"{inbox}?section=new&scope=all",
                 "inbox_overdue_url": f"{inbox}?section=overdue&scope=all",
                 "inbox_answered_url": f"{inbox}?section=answered&scope=all"},
        url="/admin/proposals/proposal/",
    )
