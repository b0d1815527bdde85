"""Celery beat runs the cooperation reminders every hour and the weekly overdue digest on Monday mornings."""

from django.db import migrations

from cooperation.schedules_reports import schedules_ensure, schedules_remove


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0004_backfill_projects"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedules_ensure, schedules_remove)]
