"""Celery beat entry points (schedules are PeriodicTask rows). Thin: the work and the exactly-once rule live in
consulting.reminders. The task name `consulting.tasks.booking_reminders_sweep` is stored in the schedule."""

from celery import shared_task
from django.utils import timezone

from consulting import reminders


@shared_task
def booking_reminders_sweep() -> dict[str, int]:
    """Beat runs this every five minutes; each reminder is claimed once, so overlapping runs are harmless."""
    return reminders.reminders_send(now=timezone.now())
