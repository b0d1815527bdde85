"""Reminder keys built in SQL (for sweeps that leave claimed occasions out of their query) spell what the Python
f-strings spell, so occasions claimed before still count as claimed."""

import datetime
import zoneinfo

import pytest
from django.db.models import F

from notifications.models import SentReminder
from notifications.services import ReminderKeyTime, reminder_claim, reminder_key_sql, reminder_rows, reminders_unclaimed

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize("moment", [
    datetime.datetime(2026, 3, 3, 9, 0, tzinfo=SEOUL),  # no microseconds: isoformat() leaves them out
    datetime.datetime(2026, 3, 3, 9, 0, 5, 120, tzinfo=SEOUL),
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    datetime.datetime(2027, 1, 1, 0, 0, 0, 500000, tzinfo=datetime.UTC),
])
def test_key_time_spells_utc_isoformat(moment):
    row = SentReminder.objects.create(key="row")
    SentReminder.objects.filter(pk=row.pk).update(sent_at=moment)

    spelled = SentReminder.objects.annotate(spelled=ReminderKeyTime("sent_at")).get(pk=row.pk).spelled

    assert spelled == moment.astimezone(datetime.UTC).isoformat()


def test_key_sql_joins_text_numbers_and_times():
    row = SentReminder.objects.create(key="row")
    moment = datetime.datetime(2026, 3, 3, 0, 0, tzinfo=datetime.UTC)
    SentReminder.objects.filter(pk=row.pk).update(sent_at=moment)

    key = SentReminder.objects.annotate(
        built=reminder_key_sql("thing:", F("pk"), ":", ReminderKeyTime("sent_at"), ":24h")
    ).get(pk=row.pk).built

    assert key == f"thing:{row.pk}:{moment.isoformat()}:24h"


def test_unclaimed_leaves_out_rows_whose_key_is_claimed():
    rows = [SentReminder.objects.create(key=f"row-{n}") for n in range(3)]
    assert reminder_claim(key=f"other:{rows[1].pk}")

    left = reminders_unclaimed(
        SentReminder.objects.filter(key__startswith="row-"), key=reminder_key_sql("other:", F("pk"))
    ).order_by("pk")

    assert [(r.pk, r.reminder_key) for r in left] == [(rows[0].pk, f"other:{rows[0].pk}"),
                                                      (rows[2].pk, f"other:{rows[2].pk}")]


def test_rows_unclaimed_in_order_up_to_the_limit_loaded_in_a_second_query(django_assert_num_queries):
    rows = [SentReminder.objects.create(key=f"row-{n}") for n in range(4)]
    reminder_claim(key=f"other:{rows[0].pk}")
    queryset = SentReminder.objects.filter(key__startswith="row-").order_by("-pk")
    key = reminder_key_sql("other:", F("pk"))

    with django_assert_num_queries(2):
        picked = reminder_rows(queryset, key=key, limit=2)
    for row in rows[1:]:
        reminder_claim(key=f"other:{row.pk}")
    with django_assert_num_queries(1):
        none_left = reminder_rows(queryset, key=key, limit=2)

    assert [(r.pk, r.reminder_key) for r in picked] == [(rows[3].pk, f"other:{rows[3].pk}"),
                                                       (rows[2].pk, f"other:{rows[2].pk}")]
    assert none_left == []
