"""The committee's beat schedule, as a django-celery-beat row staff can edit in the admin.

Created by a data migration (and by the demo seed); idempotent, matched by task, never overwrites staff's changes.
"""

from django.apps import apps as installed_apps

REMINDER_TASK = "committee.tasks.committee_review_reminders"
REMINDER_TASK_NAME = "committee: review reminders before meetings"


def schedules_ensure(apps=None, schema_editor=None) -> bool:
    # A migration passes its historical app registry; the demo seed runs with the installed apps.
    if apps is None:
        apps = installed_apps
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(task=REMINDER_TASK).exists():
        return False
    every_hour = (
        interval_model.objects.filter(every=1, period="hours").order_by("pk").first()
        or interval_model.objects.create(every=1, period="hours")
    )
    task_model.objects.create(name=REMINDER_TASK_NAME, task=REMINDER_TASK, interval=every_hour, enabled=True)
    return True
