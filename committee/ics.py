"""The meeting invitation as a calendar file (RFC 5545), built with the icalendar package like consulting's.

One meeting is one event: its UID never changes, so a second download updates the same calendar entry. Times are
written in UTC; each member's calendar shows them in its own zone.
"""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from committee.models import Meeting

PRODID = "-//MOLIT//K-City Network Proposal Portal//EN"
# The meeting has no end time of its own; calendars get a block of this length.
MEETING_LENGTH = datetime.timedelta(hours=3)


def meeting_calendar(meeting: Meeting, *, attendee=None, language: str | None = None,
                     stamp: datetime.datetime | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    with translation.override(language or settings.LANGUAGE_CODE):
        event = Event()
        event.add("uid", f"committee-meeting-{meeting.pk}@kcity-network")
        event.add("dtstamp", stamp or datetime.datetime.now(datetime.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", (meeting.starts_at + MEETING_LENGTH).astimezone(datetime.UTC))
        event.add("summary", meeting.title)
        location = ", ".join(part for part in (meeting.place, meeting.video_link) if part)
        if location:
            event.add("location", vText(location))
        event.add("description", "\n\n".join([
            _("National Smart City Committee"), f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        ]))
        if meeting.video_link:
            event.add("url", meeting.video_link)
        event.add("status", "CONFIRMED")
        if attendee is not None:
            address = vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = vText(attendee.get_full_name())
            address.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", address)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
