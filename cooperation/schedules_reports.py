"""The beat schedules of the cooperation reminders (cooperation.tasks), as django-celery-beat rows staff can edit.

Created by a data migration (0005_reports_schedules); idempotent (matched by task), never overwrites staff's
changes. Same shape as proposals.schedules."""

from django.utils import timezone

SCHEDULES = (
    # name, task, crontab (minute, hour, day of week), time zone
    ("Cooperation reminders (milestones, deliverables, reports)", "cooperation.tasks.cooperation_reminders_sweep",
     ("25", "*", "*"), "Asia/Seoul"),
    ("Weekly digest of overdue project work", "cooperation.tasks.cooperation_overdue_digest", ("45", "8", "1"),
     "Asia/Seoul"),
)


def schedules_ensure(apps, schema_editor=None) -> int:
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    created = 0
    for name, task, (minute, hour, weekday), zone in SCHEDULES:
        if task_model.objects.filter(task=task).exists():
            continue
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=weekday, day_of_month="*", month_of_year="*", timezone=zone
        )
        task_model.objects.create(name=name, task=task, crontab=crontab, enabled=True)
        created += 1
    if created:
        # Tell a running beat (DatabaseScheduler) that its schedule changed.
        apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()})
    return created


def schedules_remove(apps, schema_editor=None) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[task for _name, task, *_rest in SCHEDULES]).delete()
