from django.db import models


class WorkerHeartbeat(models.Model):
    """When a Celery worker last ran the heartbeat task (one row per worker node). Read by /healthz."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
