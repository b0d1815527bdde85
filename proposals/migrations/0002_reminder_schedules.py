from django.db import migrations

from proposals.schedules import reminder_schedules_ensure


class Migration(migrations.Migration):

    dependencies = [
        ("proposals", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(reminder_schedules_ensure, migrations.RunPython.noop),
    ]
