import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from notifications.delivery import outbox_send
from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)
# E-mails re-driven per run at most (oldest first): a backlog after a broker outage drains over the next minutes.
REDRIVE_BATCH = 500


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def outbox_deliver(self, outbox_id: int) -> bool:
    try:
        return outbox_send(outbox_id=outbox_id)
    except Exception as exc:  # SMTP hiccups and the like: try again with back-off
        raise self.retry(exc=exc, countdown=30 * (2**self.request.retries)) from exc


@shared_task
def outbox_redrive(older_than_seconds: int = 60) -> int:
    """Re-send what is still pending (the broker was down, or a worker died mid-way), oldest first, at most
    REDRIVE_BATCH a run. One query (on the partial index outbox_pending) when nothing waits, however many sent."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    sent = 0
    pending = OutboxEmail.objects.filter(state=OutboxEmail.State.PENDING, created_at__lte=cutoff).order_by(
        "created_at", "id"
    )
    for outbox_id in list(pending.values_list("pk", flat=True)[:REDRIVE_BATCH]):
        try:
            sent += bool(outbox_send(outbox_id=outbox_id))
        except Exception:
            logger.warning("Outbox e-mail %s could not be sent; will retry", outbox_id, exc_info=True)
    return sent
