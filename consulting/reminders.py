"""Beat sweeps of pre-consulting (consulting.tasks calls them): session reminders and overdue-report reminders.

Each reminder has a key naming its occasion; `reminder_claim` turns the key into a unique row in the same
transaction as the notices, so a reminder goes out exactly once however often (or concurrently) the sweep runs.
The queries leave out occasions claimed already (and sessions that get no such reminder), so a run every five
minutes with nothing due costs three queries, however many sessions sit in the windows.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from consulting import selectors
from consulting.services.bookings import booking_parties_notify
from notifications.services import ReminderKeyTime, notify, reminder_claim, reminder_key_sql, reminder_rows

REMINDER_LEADS = (("24h", datetime.timedelta(hours=24)), ("1h", datetime.timedelta(hours=1)))
REPORT_DUE_AFTER = datetime.timedelta(days=2)
# Reminders sent per run and kind at most: a backlog after an outage drains over the next runs.
SWEEP_BATCH = 200


def _reminders_due(*, now: datetime.datetime, label: str, lead: datetime.timedelta):
    """Sessions whose `label` reminder is due and unclaimed. Key: "booking:<pk>:<start, UTC ISO>:<label>".

    A session whose time was chosen inside the reminder's window gets no such reminder (the confirmation just told
    them); after a day's outage the 24 h reminder gives way to the 1 h one, which still makes sense.
    """
    bookings = selectors.bookings_due_reminder(now=now, lead=lead).filter(scheduled_at__lt=F("start") - lead)
    if label == "24h":
        bookings = bookings.filter(start__gt=now + REMINDER_LEADS[1][1])
    return reminder_rows(
        bookings, key=reminder_key_sql("booking:", F("pk"), ":", ReminderKeyTime("start"), f":{label}"),
        limit=SWEEP_BATCH,
    )


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send what is due: 24 h and 1 h session reminders, and overdue-report reminders. Exactly once each.

    A reminder's key holds the session's start, so a rescheduled session gets its own reminders and the old
    ones are never sent.
    """
    now = now or timezone.now()
    sent = {"24h": 0, "1h": 0, "report_due": 0}
    for label, lead in REMINDER_LEADS:
        for booking in _reminders_due(now=now, label=label, lead=lead):
            with transaction.atomic():
                if not reminder_claim(key=booking.reminder_key):
                    continue
                booking_parties_notify("booking_reminder", booking, {"lead": label}, calendar=False)
                sent[label] += 1
    reports_due = reminder_rows(
        selectors.held_sessions_without_report(now=now, after=REPORT_DUE_AFTER),
        key=reminder_key_sql("booking:", F("pk"), ":report-due"), limit=SWEEP_BATCH,
    )
    for booking in reports_due:
        with transaction.atomic():
            if not reminder_claim(key=booking.reminder_key):
                continue
            notify(
                event="booking_report_due",
                recipients=[booking.consultant.user],
                context={"booking": booking},
                url=booking.get_absolute_url(),
            )
            sent["report_due"] += 1
    return sent
