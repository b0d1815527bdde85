"""The action items' beat sweep (task cooperation.tasks_meetings.action_item_reminders, schedule
cooperation.schedules_meetings): a reminder 3 days before the due date, one when it is overdue, and an escalation
to staff (and the head of the owner side's delegation, when they have an account) once it is 14 days overdue.

Each occasion is claimed once in notifications' SentReminder ledger, in the transaction that notifies, so two
sweeps racing send it once; the escalation also sets `escalated_at` (once: it is never overwritten). Two narrow
queries name what is due (ids and keys only): a run with nothing due costs those two, however many items exist.
Days are counted in the site's zone (Asia/Seoul)."""

import datetime

from django.db import transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from audit.services import audit_record
from cooperation import selectors_meetings as sel
from cooperation.models import ActionItem, ActionStatus, Delegate
from cooperation.services.meetings_actions import action_link, action_recipients
from cooperation.timeline import event_record
from notifications.services import notify, reminder_claim, reminder_key_sql, reminders_unclaimed

DUE_SOON = datetime.timedelta(days=3)
ESCALATE_AFTER = datetime.timedelta(days=14)


def _reminders_unclaimed(today: datetime.date):
    due = ActionItem.objects.filter(status=ActionStatus.OPEN, due_date__lte=today + DUE_SOON).annotate(
        occasion=Case(When(due_date__lt=today, then=Value("overdue")), default=Value("due"),
                      output_field=CharField()))
    return reminders_unclaimed(due, key=reminder_key_sql("cooperation-action:", F("pk"), ":", F("occasion")))


def _escalations_unclaimed(today: datetime.date):
    late = ActionItem.objects.filter(status=ActionStatus.OPEN, escalated_at__isnull=True,
                                     due_date__lte=today - ESCALATE_AFTER)
    return reminders_unclaimed(late, key=reminder_key_sql("cooperation-action:", F("pk"), ":escalated"))


def _loaded(ids) -> dict[int, ActionItem]:
    return ActionItem.objects.select_related("project", "meeting", "owner").in_bulk(ids)


def head_of_side(action: ActionItem):
    """The head of the owner side's delegation at the project's latest meeting that named one with an account."""
    head = (Delegate.objects.filter(meeting__project_id=action.project_id, side=action.owner_side, is_head=True,
                                    user__isnull=False, user__is_active=True)
            .select_related("user").order_by("-meeting__starts_at", "-id").first())
    return head.user if head else None


def action_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    sent = {"due": 0, "overdue": 0, "escalated": 0}
    reminders = list(_reminders_unclaimed(today).values_list("reminder_key", "pk", "occasion"))
    escalations = list(_escalations_unclaimed(today).values_list("reminder_key", "pk"))
    if not reminders and not escalations:
        return sent
    actions = _loaded({pk for _k, pk, *_r in reminders} | {pk for _k, pk in escalations})
    for key, pk, occasion in reminders:
        action = actions[pk]
        with transaction.atomic():
            if not reminder_claim(key=key):
                continue
            notify(event="cooperation_action_reminder", recipients=action_recipients(action),
                   context={"action": action, "project": action.project, "occasion": occasion,
                            "days": (today - action.due_date).days},
                   url=action_link(action))
            sent[occasion] += 1
    for key, pk in escalations:
        with transaction.atomic():
            if not reminder_claim(key=key):
                continue
            action = ActionItem.objects.select_for_update().get(pk=pk)
            if action.escalated_at is not None or action.status != ActionStatus.OPEN:
                continue
            action.project, action.meeting = actions[pk].project, actions[pk].meeting
            action.escalated_at = timezone.now()
            action.save(update_fields=["escalated_at"])
            days = (today - action.due_date).days
            head = head_of_side(action)
            audit_record(actor=None, action="cooperation_action.escalate", target=action,
                         data={"days_overdue": days, "head": head.pk if head else None})
            event_record(project=action.project, by=None, kind="action.escalated", link=action_link(action),
                         params={"title": action.title, "days": days})
            notify(event="cooperation_action_escalated", recipients=[*sel.staff_people(), head],
                   context={"action": action, "project": action.project, "days": days, "head": head},
                   url=action_link(action))
            sent["escalated"] += 1
    return sent
