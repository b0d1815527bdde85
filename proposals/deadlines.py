"""Deadlines as dates: "by 15 Dec 2026", counted on the Seoul office's calendar.

Every due date the portal sets is the end of a working day in Seoul (proposals.service_levels), so it is shown as
that day, not as a time converted to the reader's zone (which would turn 23:59 in Seoul into the next morning
in Auckland). A reader outside Seoul is told the day is the Seoul office's."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext

SEOUL = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def deadline_text(value: datetime.datetime | datetime.date | None) -> str:
    if value is None:
        return ""
    day = value.astimezone(SEOUL).date() if isinstance(value, datetime.datetime) else value
    shown = formats.date_format(day, "DATE_FORMAT")
    if str(timezone.get_current_timezone()) == str(SEOUL):
        return gettext("by %(date)s") % {"date": shown}
    return gettext("by %(date)s (Seoul office day)") % {"date": shown}
