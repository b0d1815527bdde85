"""Service-level due dates: working days, Korean public holidays (from the `holidays` package, as data)."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from proposals.holiday_calendar import holidays_load
from proposals.models import Holiday, Proposal, ServiceLevel
from proposals.service_levels import add_working_days, due_at_for
from proposals.workflow import Status
from tests.factories import StaffFactory, aware, service_levels
from tests.proposals.staff_helpers import proposal_in

pytestmark = pytest.mark.django_db
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SEOUL)


def test_add_working_days_skips_weekend():
    friday = datetime.date(2026, 11, 27)

    assert add_working_days(friday, 1, set()) == datetime.date(2026, 11, 30)
    assert add_working_days(friday, 5, set()) == datetime.date(2026, 12, 4)


def test_due_at_submitted_over_a_weekend():
    service_levels()  # submitted: 10 working days

    due = due_at_for(status=Status.SUBMITTED, since=aware(2026, 11, 20, 15, 0))  # a Friday afternoon in Seoul

    assert due == end_of(datetime.date(2026, 12, 4))


def test_due_at_uses_seoul_calendar_day():
    service_levels()
    ServiceLevel.objects.filter(status=Status.SUBMITTED).update(days=1)
    friday_evening_utc = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=datetime.UTC)  # Saturday 01:00 in Seoul

    due = due_at_for(status=Status.SUBMITTED, since=friday_evening_utc)

    assert due == end_of(datetime.date(2026, 11, 30))


def test_due_at_skips_chuseok_and_october_holidays():
    service_levels()
    assert holidays_load(years=[2026]) == 22

    due = due_at_for(status=Status.SUBMITTED, since=aware(2026, 9, 23, 10, 0))

    # Sep 24-26 Chuseok, Oct 3 (Sat) with its alternative holiday Oct 5, Oct 9 Hangul Day.
    assert due == end_of(datetime.date(2026, 10, 13))


def test_due_at_without_holidays_is_earlier():
    service_levels()

    due = due_at_for(status=Status.SUBMITTED, since=aware(2026, 9, 23, 10, 0))

    assert due == end_of(datetime.date(2026, 10, 7))


def test_due_at_calendar_days_ignore_holidays():
    service_levels()
    holidays_load(years=[2026])
    ServiceLevel.objects.filter(status=Status.INFO_REQUESTED).update(working_days=False, days=30)

    due = due_at_for(status=Status.INFO_REQUESTED, since=aware(2026, 9, 23, 10, 0))

    assert due == end_of(datetime.date(2026, 10, 23))


def test_due_at_none_for_state_without_target():
    service_levels()

    assert due_at_for(status=Status.APPROVED, since=aware(2026, 9, 23, 10, 0)) is None


def test_holidays_load_is_idempotent_and_keeps_staff_edits():
    Holiday.objects.create(date=datetime.date(2026, 12, 31), name="Office closure")
    holidays_load(years=[2026])
    Holiday.objects.filter(date=datetime.date(2026, 5, 1)).delete()  # staff decided Labor Day is worked

    again = holidays_load(years=[2026])

    assert again == 1  # only Labor Day comes back; nothing duplicated
    assert Holiday.objects.filter(date__year=2026).count() == 23
    assert Holiday.objects.get(date=datetime.date(2026, 12, 31)).name == "Office closure"
    assert Holiday.objects.get(date=datetime.date(2026, 9, 25)).name == "Chuseok"
    assert AuditEntry.objects.filter(action="holiday.load").count() == 2


def test_transition_sets_due_at_from_service_level():
    service_levels()
    staff = StaffFactory()

    proposal = proposal_in(Status.SCREENING, staff=staff)

    expected = due_at_for(status=Status.SCREENING, since=proposal.status_changed_at)
    assert proposal.due_at == expected
    local_due = proposal.due_at.astimezone(SEOUL)
    assert local_due.time() == datetime.time(23, 59, 59)
    assert local_due.weekday() < 5
    # 20 working days after the day it moved (Seoul's), the first of them the next weekday, public holidays
    # skipped. (A calendar span of 28 days holds from a weekday only: from a Saturday the 20th working day is the
    # Friday 27 days on.)
    start, due = proposal.status_changed_at.astimezone(SEOUL).date(), local_due.date()
    holidays = set(Holiday.objects.filter(date__gt=start, date__lte=due).values_list("date", flat=True))
    days = [start + datetime.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(day.weekday() < 5 and day not in holidays for day in days) == 20


def test_holiday_added_in_admin_moves_next_due_date(client):
    service_levels()
    ServiceLevel.objects.filter(status=Status.SUBMITTED).update(days=1)
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post(reverse("admin:proposals_holiday_add"), {"date": "2026-11-30", "name": "Office move"})

    assert response.status_code == 302
    assert due_at_for(status=Status.SUBMITTED, since=aware(2026, 11, 27, 10, 0)) == end_of(datetime.date(2026, 12, 1))


def test_service_level_editable_in_admin(client):
    service_levels()
    staff = StaffFactory()
    client.force_login(staff)
    level = ServiceLevel.objects.get(status=Status.SCREENING)

    response = client.post(reverse("admin:proposals_servicelevel_change", args=[level.pk]), {
        "status": Status.SCREENING, "days": 15, "working_days": "on", "next_step_en": "Screening result",
    })

    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.days, level.next_step) == (15, "Screening result")
    assert Proposal.objects.count() == 0


def test_holidays_load_command():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("holidays_load", "2027", stdout=out)

    assert out.getvalue().strip() == f"{Holiday.objects.filter(date__year=2027).count()} holidays added for 2027."
    assert Holiday.objects.filter(date__year=2027).count() > 15
