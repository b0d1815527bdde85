"""The worker heartbeat: a row a worker writes whenever it runs the scheduled heartbeat task, and its age."""

import socket
from datetime import timedelta

from celery import current_task
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kcity.models import WorkerHeartbeat


def record(*, hostname: str = "") -> None:
    # Not audited: a liveness mark the machine writes every half-minute, not a decision anyone made.
    node = hostname or (current_task.request.hostname if current_task and current_task.request.hostname else "")
    now = timezone.now()
    with transaction.atomic():
        WorkerHeartbeat.objects.update_or_create(
            hostname=(node or socket.gethostname())[:255], defaults={"seen_at": now}
        )
        # Containers get a new host name each time they are recreated: forget nodes silent for a day.
        WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def age_seconds() -> float | None:
    """Seconds since any worker last ran the heartbeat, or None if none ever did."""
    latest = WorkerHeartbeat.objects.aggregate(latest=Max("seen_at"))["latest"]
    return None if latest is None else max(0.0, (timezone.now() - latest).total_seconds())
