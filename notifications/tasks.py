import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from notifications.delivery import outbox_send
from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def outbox_deliver(self, outbox_id: int) -> bool:
    try:
        return outbox_send(outbox_id=outbox_id)
    except Exception as exc:  # SMTP hiccups and the like: try again with back-off
        raise self.retry(exc=exc, countdown=30 * (2**self.request.retries)) from exc


@shared_task
def outbox_redrive(older_than_seconds: int = 60) -> int:
    """Re-send what is still pending (the broker was down, or a worker died mid-way)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    for outbox_id in OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING, created_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        try:
            sent += bool(outbox_send(outbox_id=outbox_id))
        except Exception:
            logger.warning("Outbox e-mail %s could not be sent; will retry", outbox_id, exc_info=True)
    return sent
