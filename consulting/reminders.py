"""Beat sweeps of pre-consulting (consulting.tasks calls them): session reminders and overdue-report reminders.

Each reminder has a key naming its occasion; `reminder_claim` turns the key into a unique row in the same
transaction as the notices, so a reminder goes out exactly once however often (or concurrently) the sweep runs.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from consulting import selectors
from consulting.services.bookings import booking_parties_notify
from notifications.services import notify, reminder_claim

UTC = datetime.UTC
REMINDER_LEADS = (("24h", datetime.timedelta(hours=24)), ("1h", datetime.timedelta(hours=1)))
REPORT_DUE_AFTER = datetime.timedelta(days=2)


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send what is due: 24 h and 1 h session reminders, and overdue-report reminders. Exactly once each.

    A reminder's key holds the session's start, so a rescheduled session gets its own reminders and the old
    ones are never sent. A session whose time was chosen inside a reminder's window gets no such reminder:
    the confirmation just told them.
    """
    now = now or timezone.now()
    sent = {"24h": 0, "1h": 0, "report_due": 0}
    for label, lead in REMINDER_LEADS:
        for booking in selectors.bookings_due_reminder(now=now, lead=lead):
            if booking.start - booking.scheduled_at <= lead:
                continue
            if label == "24h" and booking.start - now <= REMINDER_LEADS[1][1]:
                continue  # the sweep was down for a day: the 1 h reminder is the one that still makes sense
            key = f"booking:{booking.pk}:{booking.start.astimezone(UTC).isoformat()}:{label}"
            with transaction.atomic():
                if not reminder_claim(key=key):
                    continue
                booking_parties_notify("booking_reminder", booking, {"lead": label}, calendar=False)
                sent[label] += 1
    for booking in selectors.held_sessions_without_report(now=now, after=REPORT_DUE_AFTER):
        with transaction.atomic():
            if not reminder_claim(key=f"booking:{booking.pk}:report-due"):
                continue
            notify(
                event="booking_report_due",
                recipients=[booking.consultant.user],
                context={"booking": booking},
                url=booking.get_absolute_url(),
            )
            sent["report_due"] += 1
    return sent
