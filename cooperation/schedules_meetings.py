"""The beat schedule of the action-item sweep (reminders 3 days before and when overdue, escalation after 14 days),
as a django-celery-beat row staff can edit in the admin.

Created by a data migration (and by the demo seed); idempotent, matched by task, never overwrites staff's changes.
"""

from django.apps import apps as installed_apps
from django.utils import timezone

ACTION_TASK = "cooperation.tasks_meetings.action_item_reminders"
ACTION_TASK_NAME = "cooperation: action items due, overdue and escalated"


def action_schedule_ensure(apps=None, schema_editor=None) -> bool:
    # A migration passes its historical app registry; the demo seed runs with the installed apps.
    if apps is None:
        apps = installed_apps
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(task=ACTION_TASK).exists():
        return False
    crontab, _ = crontab_model.objects.get_or_create(
        minute="20", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Seoul"
    )
    task_model.objects.create(name=ACTION_TASK_NAME, task=ACTION_TASK, crontab=crontab, enabled=True)
    # Tell a running beat (DatabaseScheduler) that its schedule changed.
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()})
    return True
