# The secretariat's inbox (issue 12): who acted last on each proposal, assignment rules, information request
# templates, and the folded search column (core.search) with its trigram index on PostgreSQL.

import core.textfields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

from core.search import search_text

STAFF = Q(by__role="staff") | Q(by__is_superuser=True)


def backfill(apps, schema_editor):
    proposal_model = apps.get_model("proposals", "Proposal")
    change_model = apps.get_model("proposals", "StatusChange")
    message_model = apps.get_model("proposals", "Message")
    for proposal in proposal_model.objects.all().iterator():
        fields = ("reference", "title", "region_city", "lead_organisation")
        proposal.search_text = search_text(*(getattr(proposal, f) for f in fields))[:1200]
        proposal.save(update_fields=["search_text"])
    moves = change_model.objects.filter(proposal=OuterRef("pk")).order_by("-at").values("at")
    staff_said = message_model.objects.filter(proposal=OuterRef("pk"), internal=False, author__role="staff")
    applicant_said = message_model.objects.filter(proposal=OuterRef("pk")).exclude(author__role="staff")
    proposal_model.objects.update(
        staff_activity_at=Subquery(moves.filter(STAFF)[:1]),
        applicant_activity_at=Subquery(moves.exclude(STAFF)[:1]),
    )
    # A message later than the last move counts too.
    for name, said in (("staff_activity_at", staff_said), ("applicant_activity_at", applicant_said)):
        latest = said.order_by("-created_at").values("created_at")[:1]
        for proposal in proposal_model.objects.annotate(said=Subquery(latest)).filter(said__isnull=False):
            current = getattr(proposal, name)
            if current is None or proposal.said > current:
                proposal_model.objects.filter(pk=proposal.pk).update(**{name: proposal.said})


OLD_TRIGRAM_INDEXES = [
    ("proposal_reference_trgm", "proposals_proposal", "reference"),
    ("proposal_title_trgm", "proposals_proposal", "title"),
    ("organisation_name_trgm", "accounts_organisation", "name"),
]


class PostgreSQLOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# triage.search_q asks `search_text__contains` (LIKE '%term%' on the folded text): a trigram index answers it.
TRIGRAM_INDEXES = [
    ("proposal_search_text_trgm", "proposals_proposal"),
    ("organisation_search_text_trgm", "accounts_organisation"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_organisation_search_text'),
        ('proposals', '0007_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='InfoRequestTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                ('body', core.textfields.BoundedTextField(max_length=10000, verbose_name='text')),
                ('is_active', models.BooleanField(default=True, verbose_name='offered')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
            ],
            options={
                'verbose_name': 'information request template',
                'verbose_name_plural': 'information request templates',
                'ordering': ['order', 'name'],
            },
        ),
        migrations.AddField(
            model_name='proposal',
            name='applicant_activity_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='applicant last acted'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='search_text',
            field=models.CharField(blank=True, editable=False, max_length=1200),
        ),
        migrations.AddField(
            model_name='proposal',
            name='staff_activity_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='staff last acted'),
        ),
        migrations.CreateModel(
            name='AssignmentRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('cooperation_centre', models.ForeignKey(blank=True, help_text='Empty: any centre, or none.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='proposals.cooperationcentre', verbose_name='cooperation centre')),
                ('staff', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assign to')),
                ('track', models.ForeignKey(blank=True, help_text='Empty: any track.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='proposals.track', verbose_name='track')),
            ],
            options={
                'verbose_name': 'assignment rule',
                'verbose_name_plural': 'assignment rules',
                'ordering': ['track', 'cooperation_centre', 'id'],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        *(PostgreSQLOnly(f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)',
                         f'DROP INDEX IF EXISTS {name}')
          for name, table in TRIGRAM_INDEXES),
        # The search no longer reads the raw columns (0007's trigram indexes on them): no need to keep them up.
        *(PostgreSQLOnly(f'DROP INDEX IF EXISTS "{name}"',
                         f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)')
          for name, table, column in OLD_TRIGRAM_INDEXES),
    ]
