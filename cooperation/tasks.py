"""Celery beat entry points of the cooperation platform (schedules are PeriodicTask rows, editable in the admin).
Thin: the work and the exactly-once rule live in the reminders modules."""

from celery import shared_task
from django.utils import timezone

# --- reports ---
from cooperation import reminders_reports


@shared_task
def cooperation_reminders_sweep() -> dict[str, int]:
    """Hourly: milestones and deliverables due in 14 and 3 days and overdue, reports due in 7 days and overdue."""
    return reminders_reports.reminders_sweep(now=timezone.now())


@shared_task
def cooperation_overdue_digest() -> bool:
    """Weekly (Monday morning, Seoul): staff's digest of everything overdue, by project."""
    return reminders_reports.weekly_digest_send(now=timezone.now())

# --- meetings --- (its tasks live in tasks_meetings.py; imported here for the worker's autodiscovery)
from cooperation.tasks_meetings import action_item_reminders  # noqa: E402, F401
