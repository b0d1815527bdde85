"""The Secretariat group keeps the decision rules (accounts.secretariat is the list; its sync runs again here)."""

from django.db import migrations

from accounts.secretariat import secretariat_group_sync


def forwards(apps, schema_editor):
    secretariat_group_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_secretariat_group"),
        ("committee", "0006_meeting_states_and_rules"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
