"""Celery beat entry points (schedules are PeriodicTask rows, editable in the admin). Thin: the work and the
exactly-once rule live in proposals.reminders."""

from celery import shared_task
from django.utils import timezone

from proposals import reminders


@shared_task
def proposal_reminders_sweep() -> dict[str, int]:
    return reminders.reminders_sweep(now=timezone.now())


@shared_task
def staff_digest_send() -> bool:
    return reminders.staff_digest_send(now=timezone.now())
