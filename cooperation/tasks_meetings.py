"""Celery beat entry point of the action-item sweep (schedule: cooperation.schedules_meetings). Thin: the work and
the exactly-once rule live in cooperation.reminders_meetings."""

from celery import shared_task

from cooperation import reminders_meetings


@shared_task
def action_item_reminders() -> dict[str, int]:
    """Hourly: action items due in 3 days, overdue, and 14 days overdue (escalated); each occasion once."""
    return reminders_meetings.action_reminders_send()
