"""When is the next step due? Service-level targets per state, counted in working days where configured."""

import datetime
import zoneinfo

from django.conf import settings

from proposals.models import Cycle, Holiday, ServiceLevel
from proposals.workflow import Status

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def add_working_days(start: datetime.date, days: int, holidays: set[datetime.date]) -> datetime.date:
    """The date `days` working days after `start` (weekends and holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def end_of_seoul_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=SEOUL)


def due_at_for(*, status: str, since: datetime.datetime, cycle: Cycle | None = None) -> datetime.datetime | None:
    """End of the due day, in Seoul (where the secretariat works), or None when the state has no target.

    The committee decides a cycle's proposals together, after its cut-off: in committee review the date is the
    cycle's decision date when staff set one, otherwise the committee-review target counted from the later of
    `since` and the cut-off (never a number of days from whenever the proposal happened to arrive)."""
    if status == Status.COMMITTEE_REVIEW and cycle is not None and cycle.decision_date:
        return end_of_seoul_day(max(cycle.decision_date, since.astimezone(SEOUL).date()))
    level = ServiceLevel.objects.filter(status=status).first()
    if level is None:
        return None
    start = since.astimezone(SEOUL).date()
    if status == Status.COMMITTEE_REVIEW and cycle is not None:
        start = max(start, cycle.cutoff)
    if level.working_days:
        horizon = start + datetime.timedelta(days=level.days * 2 + 60)
        holidays = set(Holiday.objects.filter(date__gt=start, date__lte=horizon).values_list("date", flat=True))
        due_date = add_working_days(start, level.days, holidays)
    else:
        due_date = start + datetime.timedelta(days=level.days)
    return end_of_seoul_day(due_date)
