"""Sending one outbox e-mail: what the Celery task and the redrive sweep both call.

Kept apart from `notifications.services` (which writes outbox rows and enqueues the task) so the services and the
tasks do not import each other: services -> tasks -> delivery.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboxEmail


def outbox_send(*, outbox_id: int) -> bool:
    """Send one outbox e-mail exactly once. Returns True when it was sent by this call.

    The row is locked while sending, so a redrive sweep and a worker never both send it.
    """
    with transaction.atomic():
        qs = OutboxEmail.objects.filter(pk=outbox_id, state=OutboxEmail.State.PENDING)
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        outbox = qs.first()
        if outbox is None:
            return False
        message = EmailMessage(
            subject=outbox.subject, body=outbox.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[outbox.to_email]
        )
        for item in outbox.attachments:
            message.attach(item["filename"], item["content"], item["mimetype"])
        outbox.attempts += 1
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            # Record the attempt, then raise outside the transaction so the record is not rolled back with it.
            failure = exc
            outbox.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if outbox.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                outbox.state = OutboxEmail.State.FAILED
            outbox.save(update_fields=["attempts", "last_error", "state"])
        else:
            failure = None
            outbox.state = OutboxEmail.State.SENT
            outbox.sent_at = timezone.now()
            outbox.last_error = ""
            outbox.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    if failure is not None:
        raise failure
    return True
