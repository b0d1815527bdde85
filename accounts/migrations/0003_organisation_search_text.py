# The organisation's folded name and place for accent-insensitive search (core.search, issue 12).

from django.db import migrations, models

from core.search import search_text


def backfill(apps, schema_editor):
    for organisation in apps.get_model("accounts", "Organisation").objects.all().iterator():
        organisation.search_text = search_text(organisation.name, organisation.region_city)[:400]
        organisation.save(update_fields=["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_secretariat_group'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='search_text',
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
