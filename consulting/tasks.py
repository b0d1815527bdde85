from celery import shared_task
from django.utils import timezone

from consulting import services


@shared_task
def booking_reminders_sweep() -> dict[str, int]:
    """Beat runs this every five minutes; each reminder is claimed once, so overlapping runs are harmless."""
    return services.reminders_send(now=timezone.now())
