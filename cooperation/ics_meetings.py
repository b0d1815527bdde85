"""A meeting's invitation as a calendar file (RFC 5545, the icalendar package).

One meeting is one event for its whole life: the UID never changes and SEQUENCE follows the status (a cancelled
meeting's file is METHOD:CANCEL for the same UID, so calendars remove it). Times are written in UTC; each calendar
shows them in its own zone, and the description names the venue's local time too. The online link is written only
for the meeting's parties (cooperation.see_meeting_link)."""

import datetime
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from consulting.ics import PRODID, UID_DOMAIN
from cooperation.models import CooperationMeeting, MeetingStatus


def meeting_uid(meeting: CooperationMeeting) -> str:
    return f"cooperation-meeting-{meeting.pk}@{UID_DOMAIN}"


def meeting_title(meeting: CooperationMeeting) -> str:
    return _("%(meeting)s: %(project)s") % {"meeting": str(meeting), "project": meeting.project.text("title")}


def local_start(meeting: CooperationMeeting) -> str:
    """The start in the venue's zone, e.g. "25 Nov 2026 14:30 (Asia/Jakarta)"."""
    zone = zoneinfo.ZoneInfo(str(meeting.time_zone))
    return f"{formats.date_format(meeting.starts_at.astimezone(zone), 'DATETIME_FORMAT')} ({meeting.time_zone})"


def meeting_calendar(meeting: CooperationMeeting, *, with_link: bool, language: str | None = None,
                     stamp: datetime.datetime | None = None) -> str:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    with translation.override(language or settings.LANGUAGE_CODE):
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("sequence", 1 if cancelled else 0)
        event.add("dtstamp", stamp or datetime.datetime.now(datetime.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", meeting_title(meeting))
        page = settings.SITE_URL + reverse("cooperation:meeting", args=[meeting.project_id, meeting.pk])
        lines = [_("Local time at the venue: %(when)s") % {"when": local_start(meeting)}]
        if with_link and meeting.online_link:
            lines.append(_("Online: %(link)s") % {"link": meeting.online_link})
        lines.append(page)
        event.add("description", "\n\n".join(lines))
        location = meeting.place or (meeting.online_link if with_link else "")
        if location:
            event.add("location", vText(location))
        if with_link and meeting.online_link:
            event.add("url", meeting.online_link)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
