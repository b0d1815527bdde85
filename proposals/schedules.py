"""The beat schedules of the proposal reminders, as django-celery-beat rows staff can edit in the admin.

Created by a data migration; `reminder_schedules_ensure` is idempotent (matched by task name) and never
overwrites a schedule staff have changed.
"""

from django.utils import timezone

SCHEDULES = (
    # name, task, crontab (minute, hour), time zone
    ("Proposal reminders (drafts, information requests)", "proposals.tasks.proposal_reminders_sweep", ("15", "*"),
     "Asia/Seoul"),
    ("Daily staff digest", "proposals.tasks.staff_digest_send", ("30", "8"), "Asia/Seoul"),
)


def reminder_schedules_ensure(apps, schema_editor=None) -> int:
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    created = 0
    for name, task, (minute, hour), zone in SCHEDULES:
        if task_model.objects.filter(task=task).exists():
            continue
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=zone
        )
        task_model.objects.create(name=name, task=task, crontab=crontab, enabled=True)
        created += 1
    if created:
        changed_model = apps.get_model("django_celery_beat", "PeriodicTasks")
        # Tell a running beat (DatabaseScheduler) that its schedule changed.
        changed_model.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return created
