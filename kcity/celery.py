import os

from celery import Celery

import kcity.broker  # noqa: F401  registers the `kcityfs` transport (the embedded broker) before any connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")

app = Celery("kcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
