# Indexes behind the lists (issue 10): the workspace's and the staff list's orders, the one-per-jurisdiction
# check, the dashboard's reading of the history, and trigram indexes for the admin search on PostgreSQL.

from django.conf import settings
from django.db import migrations, models


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in embedded mode and in quick test runs)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


# The admin search (proposals.triage.search_q) asks `field__icontains`, which Django writes on PostgreSQL as
# UPPER("field"::text) LIKE UPPER('%term%'): a trigram index on that same expression can answer it. The
# organisation's name lives in the accounts table; the index is made here because only this search needs it.
TRIGRAM_INDEXES = [
    ("proposal_reference_trgm", "proposals_proposal", "reference"),
    ("proposal_title_trgm", "proposals_proposal", "title"),
    ("organisation_name_trgm", "accounts_organisation", "name"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_secretariat_group'),
        ('proposals', '0006_history_kind_deferral'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='proposal',
            name='due_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='next step due'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['-updated_at', '-id'], name='proposal_updated_id_desc'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['due_at', '-id'], name='proposal_due_id'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['cycle', 'country', 'jurisdiction_level'], name='proposal_jurisdiction'),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=models.Index(fields=['country'], name='proposal_country'),
        ),
        migrations.AddIndex(
            model_name='statuschange',
            index=models.Index(fields=['to_status'], name='statuschange_to_status'),
        ),
        migrations.AddIndex(
            model_name='statuschange',
            index=models.Index(fields=['from_status'], name='statuschange_from_status'),
        ),
        # Trusted since PostgreSQL 13: the database owner may create it without being a superuser. Left in place
        # on the way back: other databases' objects may use it.
        PostgreSQLOnly("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        *(
            PostgreSQLOnly(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)',
                reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
            )
            for name, table, column in TRIGRAM_INDEXES
        ),
    ]
