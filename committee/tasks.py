from celery import shared_task

from committee import reminders


@shared_task
def committee_review_reminders() -> int:
    """Hourly sweep: reviews pending 3 days and 1 day before a meeting (each reminder goes out once)."""
    return reminders.review_reminders_send()
