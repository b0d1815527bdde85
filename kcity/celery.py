import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcity.settings")

app = Celery("kcity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
