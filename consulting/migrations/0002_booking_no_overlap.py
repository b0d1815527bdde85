"""PostgreSQL refuses two live bookings of one consultant whose blocked intervals (session plus buffers) overlap.

Exclusion constraints are PostgreSQL-only; on SQLite the booking service's lock on the consultant row (SQLite
serialises writers anyway) is what keeps bookings apart, so this migration does nothing there.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE consulting_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (consultant_id WITH =, tstzrange(blocked_start, blocked_end, '[)') WITH &&)
    WHERE (status <> 'cancelled');
"""
DROP = "ALTER TABLE consulting_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("consulting", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
