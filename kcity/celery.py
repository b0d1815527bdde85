import os

from celery import Celery
from celery.signals import worker_ready

import kcity.broker  # noqa: F401  registers the `kcityfs` transport (the embedded broker) before any connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")

app = Celery("kcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_when_ready(sender, **kwargs):
    # A worker that just started proves itself at once (through the broker, like beat's heartbeats), so /healthz
    # says "ok" without waiting a whole WORKER_HEARTBEAT_SECONDS for beat's first one.
    sender.app.send_task("kcity.tasks.worker_heartbeat")
