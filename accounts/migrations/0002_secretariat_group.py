"""The Secretariat group with exactly the secretariat's permissions (accounts.secretariat is the list)."""

from django.db import migrations

from accounts.secretariat import secretariat_group_sync


def forwards(apps, schema_editor):
    secretariat_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("audit", "0001_initial"),
        ("notifications", "0003_notice_link_check"),
        ("proposals", "0003_version_label"),
        ("consulting", "0004_date_override_note"),
        ("committee", "0002_reminder_schedule"),
        ("cooperation", "0001_initial"),
        ("django_celery_beat", "__latest__"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
