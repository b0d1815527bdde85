from celery import shared_task

from committee import services


@shared_task
def committee_review_reminders() -> int:
    """Hourly sweep: reviews pending 3 days and 1 day before a meeting (each reminder goes out once)."""
    return services.review_reminders_send()
