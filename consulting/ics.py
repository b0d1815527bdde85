"""Calendar files (RFC 5545) for bookings, built with the icalendar package.

One booking is one calendar event for its whole life: the UID never changes, SEQUENCE goes up on every
reschedule or cancellation, so the recipient's calendar updates (METHOD:REQUEST) or removes (METHOD:CANCEL)
the same event. Times are written in UTC; each recipient's calendar shows them in its own zone.
"""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from consulting.models import Booking, BookingStatus
from notifications.services import EmailAttachment

PRODID = "-//MOLIT//K-City Network Proposal Portal//EN"
UID_DOMAIN = "kcity-network"


def booking_uid(booking: Booking) -> str:
    return f"{booking.ics_uid}@{UID_DOMAIN}"


def _summary(booking: Booking) -> str:
    return _("Pre-consulting: %(title)s with %(consultant)s") % {
        "title": booking.session_type.title, "consultant": booking.consultant.user.get_full_name(),
    }


def _location(booking: Booking) -> str:
    session_type = booking.session_type
    details = booking.meeting_link or session_type.location_details
    kind = session_type.get_location_kind_display()
    return f"{kind}: {details}" if details else kind


def _event(booking: Booking, *, cancelled: bool, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.ics_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.start.astimezone(datetime.UTC))
    event.add("dtend", booking.end.astimezone(datetime.UTC))
    event.add("summary", _summary(booking))
    link = booking.meeting_link
    description = [
        _("Proposal: %(title)s") % {"title": booking.proposal.title} if booking.proposal_id else "",
        _("Online meeting: %(link)s") % {"link": link} if link else "",
        booking.questions,
        f"{settings.SITE_URL}{booking.get_manage_url()}",
    ]
    event.add("description", "\n\n".join(part for part in description if part))
    event.add("location", vText(_location(booking)))
    if link:
        event.add("url", link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{booking.consultant.user.email}")
    organizer.params["cn"] = vText(booking.consultant.user.get_full_name())
    event.add("organizer", organizer)
    for person in _attendees(booking):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.get_full_name())
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        if booking.status == BookingStatus.INVITED:
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee)
    return event


def _attendees(booking: Booking) -> list:
    """The applicant's side: the booker, or the proposal's team for a session scheduled for it."""
    if booking.scheduled_for_team and booking.proposal_id:
        return [booking.proposal.owner, *booking.proposal.collaborators.all()]
    return [booking.booked_by]


def booking_calendar(booking: Booking, *, language: str | None = None, stamp: datetime.datetime | None = None) -> str:
    """The invitation (METHOD:REQUEST) or, for a cancelled booking, the cancellation (METHOD:CANCEL)."""
    cancelled = booking.status == BookingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    with translation.override(language or settings.LANGUAGE_CODE):
        cal.add_component(_event(booking, cancelled=cancelled, stamp=stamp or datetime.datetime.now(datetime.UTC)))
    return cal.to_ical().decode("utf-8")


def booking_attachment_for(booking: Booking):
    """A callback for notify(attachments_for=...): the calendar file in each recipient's language."""

    def build(user) -> list[EmailAttachment]:
        content = booking_calendar(booking, language=getattr(user, "language", None))
        return [EmailAttachment(filename="invite.ics", mimetype="text/calendar", content=content)]

    return build


def consultant_feed(*, consultant, bookings, language: str | None = None) -> str:
    """A subscribable feed of a consultant's sessions (cancelled ones stay in it, marked cancelled)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("K-City Network sessions: %(name)s") % {"name": consultant.user.get_full_name()})
    stamp = datetime.datetime.now(datetime.UTC)
    with translation.override(language or settings.LANGUAGE_CODE):
        for booking in bookings:
            cal.add_component(_event(booking, cancelled=booking.status == BookingStatus.CANCELLED, stamp=stamp))
    return cal.to_ical().decode("utf-8")
