"""Every write of pre-consulting: bookings, reschedules, cancellations, held/no-show, reports and reminders.

Each service runs in one transaction with its audit row and its notices (written in the same transaction;
e-mail leaves on commit). Booking and rescheduling lock the consultant's row, re-compute the free slots and
only then write; on PostgreSQL the exclusion constraint on the blocked interval is the last word, and losing
to it is reported exactly like losing the lock race: "this time was just taken", with the nearest free times.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from consulting import rules, selectors
from consulting.ics import booking_attachment_for
from consulting.models import (
    Booking,
    BookingStatus,
    Consultant,
    PreConsultingReport,
    Recommendation,
    SessionType,
)
from consulting.slots import blocked_interval, nearest
from core.errors import Conflict, DomainError, TransitionRefused
from notifications.services import notify, reminder_claim

UTC = datetime.UTC
REMINDER_LEADS = (("24h", datetime.timedelta(hours=24)), ("1h", datetime.timedelta(hours=1)))
REPORT_DUE_AFTER = datetime.timedelta(days=2)
EXCLUSION_VIOLATION = "23P01"


class SlotUnavailable(Conflict):
    """The wanted time is not free. `nearest` holds the closest free UTC start times to offer instead."""

    def __init__(self, message, *, code: str, nearest_free: list[datetime.datetime]):
        super().__init__(message, code=code)
        self.nearest = nearest_free


def _utc(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        raise ValidationError(_("Give the start time with its time zone (for example 2026-03-30T07:00:00Z)."))
    return value.astimezone(UTC).replace(microsecond=0)


def _nearest_free(*, consultant, session_type, wanted, now, exclude=None) -> list[datetime.datetime]:
    around = selectors.consultant_free_slots(
        consultant=consultant, session_type=session_type, range_start=wanted - datetime.timedelta(days=7),
        range_end=wanted + datetime.timedelta(days=14), now=now, exclude=exclude,
    )
    return nearest(around, wanted)


def _require_free(*, consultant, session_type, start, now, exclude=None) -> None:
    """Refuse a start time that is not one of the computed free slots, saying whether someone else took it."""
    free = selectors.consultant_free_slots(
        consultant=consultant, session_type=session_type, range_start=start,
        range_end=start + datetime.timedelta(seconds=1), now=now, exclude=exclude,
    )
    if start in free:
        return
    raise _refusal(consultant=consultant, session_type=session_type, start=start, now=now, exclude=exclude)


def _refusal(*, consultant, session_type, start, now, exclude=None) -> SlotUnavailable:
    from consulting import slots as slot_engine
    from consulting.models import AvailabilityRule, DateOverride

    # Would the time be free if nobody had booked? Then someone else was quicker.
    without_bookings = slot_engine.free_slots(
        zone=consultant.zone, rules=AvailabilityRule.objects.filter(consultant=consultant),
        overrides=DateOverride.objects.filter(
            consultant=consultant, date__gte=start.date() - datetime.timedelta(days=1),
            date__lte=start.date() + datetime.timedelta(days=1),
        ),
        busy=[], session=session_type, now=now, range_start=start, range_end=start + datetime.timedelta(seconds=1),
    )
    near = _nearest_free(consultant=consultant, session_type=session_type, wanted=start, now=now, exclude=exclude)
    if start in without_bookings:
        return SlotUnavailable(_("This time was just taken."), code="slot_taken", nearest_free=near)
    return SlotUnavailable(_("This time is not available for booking."), code="slot_unavailable", nearest_free=near)


def _save_guarded(booking: Booking, *, consultant, session_type, now, exclude=None, **save_kwargs) -> None:
    """Save, turning the database's refusal of an overlap into the same answer as a lost race."""
    try:
        with transaction.atomic():
            booking.save(**save_kwargs)
    except IntegrityError as exc:
        if getattr(exc.__cause__, "pgcode", None) != EXCLUSION_VIOLATION:
            raise
        near = _nearest_free(consultant=consultant, session_type=session_type, wanted=booking.start, now=now,
                             exclude=exclude)
        raise SlotUnavailable(_("This time was just taken."), code="slot_taken", nearest_free=near) from exc


def _parties(booking: Booking) -> list:
    return [booking.booked_by, booking.consultant.user]


def _lock_consultant(pk: int) -> Consultant:
    """Lock the consultant's row for the rest of the transaction: bookings of one consultant are made one at a time.

    SQLite has no row locks; writing first takes its database write lock, so a second booking waits here instead of
    failing later when it tries to write after reading.
    """
    if connection.vendor == "sqlite":
        Consultant.objects.filter(pk=pk).update(is_active=F("is_active"))
    return Consultant.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)


def _tell_parties(event: str, booking: Booking, context: dict | None = None, *, calendar: bool = True) -> None:
    notify(
        event=event,
        recipients=_parties(booking),
        context={"booking": booking, "consultant_zone": booking.consultant.zone, **(context or {})},
        url=booking.get_manage_url(),
        attachments_for=booking_attachment_for(booking) if calendar else None,
    )


def booking_create(
    *,
    consultant: Consultant,
    session_type: SessionType,
    start: datetime.datetime,
    by,
    proposal=None,
    questions: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Book `session_type` with `consultant` at `start` (must be one of the computed free slots)."""
    now = now or timezone.now()
    start = _utc(start)
    if not rules.can_book(by):
        raise PermissionDenied(_("Sign in to book a session."))
    if consultant.user_id == by.pk:
        raise DomainError(_("You cannot book a session with yourself."))
    if not (consultant.is_active and session_type.is_active):
        raise DomainError(_("This consultant or session type is not taking bookings."))
    if proposal is not None and not selectors.proposals_bookable_by(by).filter(pk=proposal.pk).exists():
        raise DomainError(_("You can only link a session to an open proposal you work on."))
    with transaction.atomic():
        consultant = _lock_consultant(consultant.pk)
        _require_free(consultant=consultant, session_type=session_type, start=start, now=now)
        blocked_start, blocked_end = blocked_interval(start, session_type)
        booking = Booking(
            consultant=consultant, session_type=session_type, proposal=proposal, booked_by=by,
            questions=(questions or "").strip(), start=start,
            end=start + datetime.timedelta(minutes=session_type.length_minutes),
            blocked_start=blocked_start, blocked_end=blocked_end, scheduled_at=now,
        )
        _save_guarded(booking, consultant=consultant, session_type=session_type, now=now)
        audit_record(actor=by, action="booking.create", target=booking,
                     data={"consultant": consultant.pk, "start": start.isoformat()})
        _tell_parties("booking_confirmed", booking)
    return booking


def _lock_for_change(*, booking: Booking, by, now) -> tuple[Consultant, Booking]:
    consultant = _lock_consultant(booking.consultant_id)
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    current.consultant = consultant
    if not rules.can_change_booking(by, current):
        raise PermissionDenied(_("Only the people in this session can change it."))
    if current.status != BookingStatus.CONFIRMED:
        raise TransitionRefused(
            _("This session is %(status)s and can no longer be changed.")
            % {"status": current.get_status_display().lower()}
        )
    notice = datetime.timedelta(hours=current.session_type.cancellation_notice_hours)
    if current.start - now < notice and not is_staff_member(by):
        raise DomainError(
            _("Sessions can be changed up to %(hours)s hours before they start. Please contact the secretariat.")
            % {"hours": current.session_type.cancellation_notice_hours}
        )
    return consultant, current


def booking_reschedule(*, booking: Booking, start: datetime.datetime, by,
                       now: datetime.datetime | None = None) -> Booking:
    """Move a session: same calendar event (UID), higher SEQUENCE, fresh reminders for the new time."""
    now = now or timezone.now()
    start = _utc(start)
    with transaction.atomic():
        consultant, current = _lock_for_change(booking=booking, by=by, now=now)
        if start == current.start:
            raise DomainError(_("The session already starts at this time."))
        session_type = current.session_type
        _require_free(consultant=consultant, session_type=session_type, start=start, now=now, exclude=current)
        previous_start = current.start
        current.start = start
        current.end = start + datetime.timedelta(minutes=session_type.length_minutes)
        current.blocked_start, current.blocked_end = blocked_interval(start, session_type)
        current.scheduled_at = now
        current.ics_sequence += 1
        _save_guarded(current, consultant=consultant, session_type=session_type, now=now, exclude=current,
                      update_fields=["start", "end", "blocked_start", "blocked_end", "scheduled_at", "ics_sequence"])
        audit_record(actor=by, action="booking.reschedule", target=current,
                     data={"from": previous_start.isoformat(), "to": start.isoformat()})
        _tell_parties("booking_rescheduled", current, {"previous_start": previous_start, "changed_by": by})
    booking.refresh_from_db()
    return booking


def booking_cancel(*, booking: Booking, by, reason: str = "", now: datetime.datetime | None = None) -> Booking:
    """Cancel a session: the time is free again and both calendars drop the event (METHOD:CANCEL)."""
    now = now or timezone.now()
    with transaction.atomic():
        _consultant, current = _lock_for_change(booking=booking, by=by, now=now)
        current.status = BookingStatus.CANCELLED
        current.cancelled_by = by
        current.cancelled_at = now
        current.reason = (reason or "").strip()
        current.ics_sequence += 1
        current.save(update_fields=["status", "cancelled_by", "cancelled_at", "reason", "ics_sequence"])
        audit_record(actor=by, action="booking.cancel", target=current, data={"reason": current.reason})
        _tell_parties("booking_cancelled", current, {"changed_by": by})
    booking.refresh_from_db()
    return booking


def booking_mark(*, booking: Booking, by, status: str, now: datetime.datetime | None = None) -> Booking:
    """The consultant records that a session was held or that the applicant did not come."""
    now = now or timezone.now()
    if status not in (BookingStatus.HELD, BookingStatus.NO_SHOW):
        raise DomainError(_("A session can only be marked held or no-show."))
    with transaction.atomic():
        current = Booking.objects.select_for_update(of=("self",)).select_related("consultant__user").get(pk=booking.pk)
        if not rules.can_mark_booking(by, current):
            raise PermissionDenied(_("Only the consultant can mark this session."))
        if current.status not in (BookingStatus.CONFIRMED, BookingStatus.HELD, BookingStatus.NO_SHOW):
            raise TransitionRefused(_("A cancelled session cannot be marked."))
        if current.start > now:
            raise TransitionRefused(_("A session can be marked only once it has started."))
        if hasattr(current, "report") and status == BookingStatus.NO_SHOW:
            raise TransitionRefused(_("A report was filed for this session, so it was held."))
        previous = current.status
        current.status = status
        current.save(update_fields=["status"])
        audit_record(actor=by, action="booking.mark", target=current, data={"from": previous, "to": status})
    booking.refresh_from_db()
    return booking


def report_file(
    *, booking: Booking, by, summary: str, recommendation: str, suggested_changes: str = "",
    now: datetime.datetime | None = None,
) -> PreConsultingReport:
    """File (or correct) the pre-consulting report of a held session; the applicant is told the recommendation."""
    now = now or timezone.now()
    summary = (summary or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Please write a summary of the session.")
    if recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose one of the recommendations.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            Booking.objects.select_for_update(of=("self",)).select_related(*selectors.BOOKING_RELATED).get(pk=booking.pk)
        )
        if not rules.can_file_report(by, current):
            raise PermissionDenied(_("Only the consultant of this session can file its report."))
        if current.status != BookingStatus.HELD:
            raise TransitionRefused(_("Mark the session as held before filing its report."))
        report, created = PreConsultingReport.objects.update_or_create(
            booking=current,
            defaults={"proposal": current.proposal, "summary": summary, "recommendation": recommendation,
                      "suggested_changes": (suggested_changes or "").strip(), "filed_at": now, "filed_by": by},
        )
        audit_record(actor=by, action="report.file" if created else "report.update", target=report,
                     data={"booking": current.pk, "recommendation": recommendation})
        notify(
            event="booking_report_filed",
            recipients=[current.booked_by],
            context={"booking": current, "report": report},
            url=current.get_absolute_url(),
        )
    return report


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
                _tell_parties("booking_reminder", booking, {"lead": label}, calendar=False)
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


# --- Consultants' own profile and availability (edited by the consultant in the portal, or by staff) ---------------


def _may_edit_consultant(*, consultant: Consultant, by) -> None:
    if not (by and by.is_authenticated and (consultant.user_id == by.pk or is_staff_member(by))):
        raise PermissionDenied(_("Only the consultant or staff may change this availability."))


def _check_ranges(pairs, *, label: str = "") -> None:
    """Each (start, end) ends after it starts, and no two ranges of one day overlap (touching is fine)."""
    errors = []
    for start, end in pairs:
        if not end > start:
            errors.append(_("%(day)s: %(start)s–%(end)s ends before it starts.") % {
                "day": label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
    widest = None
    for start, end in sorted(p for p in pairs if p[1] > p[0]):
        if widest is not None and start < widest[1]:
            errors.append(_("%(day)s: %(a)s and %(b)s overlap.") % {
                "day": label, "a": f"{widest[0]:%H:%M}–{widest[1]:%H:%M}", "b": f"{start:%H:%M}–{end:%H:%M}"})
        if widest is None or end > widest[1]:
            widest = (start, end)
    if errors:
        raise ValidationError(errors)


def consultant_profile_update(
    *, consultant: Consultant, by, expertise: list[str], languages: list[str], time_zone: str,
    cooperation_centre=None, bio: str = "",
) -> Consultant:
    """Change the consultant's profile. A new time zone re-reads the same weekly hours as wall times in that zone."""
    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = _lock_consultant(consultant.pk)
        before = {"time_zone": str(current.time_zone), "expertise": current.expertise, "languages": current.languages}
        current.expertise, current.languages = list(expertise), list(languages)
        current.time_zone, current.cooperation_centre, current.bio = time_zone, cooperation_centre, bio
        current.full_clean(exclude=["user", "ics_token"])
        current.save(update_fields=["expertise", "languages", "time_zone", "cooperation_centre", "bio"])
        audit_record(actor=by, action="consultant.profile_update", target=current, data={
            "before": before,
            "after": {"time_zone": str(current.time_zone), "expertise": current.expertise,
                      "languages": current.languages},
            "cooperation_centre": current.cooperation_centre_id,
        })
    return current


def availability_rules_set(*, consultant: Consultant, by, rules) -> list:
    """Replace all weekly rules with `rules`, an iterable of (weekday, start_time, end_time) in the consultant's zone.

    All or nothing: one bad range (end not after start, overlap on the same weekday) refuses the whole set and the
    old rules stay. Existing bookings are never touched.
    """
    from consulting.models import AvailabilityRule, Weekday

    _may_edit_consultant(consultant=consultant, by=by)
    rows = [(int(weekday), start, end) for weekday, start, end in rules]
    errors = []
    for weekday in Weekday:
        try:
            _check_ranges([(s, e) for d, s, e in rows if d == weekday.value], label=str(weekday.label))
        except ValidationError as error:
            errors.extend(error.messages)
    if any(d not in Weekday.values for d, _s, _e in rows):
        errors.append(_("Unknown weekday."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = _lock_consultant(consultant.pk)
        before = [str(r) for r in AvailabilityRule.objects.filter(consultant=current)]
        AvailabilityRule.objects.filter(consultant=current).delete()
        created = AvailabilityRule.objects.bulk_create(
            AvailabilityRule(consultant=current, weekday=d, start_time=s, end_time=e) for d, s, e in sorted(rows)
        )
        audit_record(actor=by, action="consultant.availability_set", target=current,
                     data={"before": before, "after": [str(r) for r in created]})
    return created


def date_override_set(
    *, consultant: Consultant, by, date: datetime.date, unavailable: bool, ranges=(), note: str = "",
    today: datetime.date | None = None,
) -> list:
    """Replace the overrides of one local date with a day off or with other hours (ranges of (start, end)).

    The date is in the consultant's zone and may not be in the past there. The note is shown with the override.
    """
    from consulting.models import DateOverride

    _may_edit_consultant(consultant=consultant, by=by)
    today = today or timezone.now().astimezone(consultant.zone).date()
    if date < today:
        raise ValidationError({"date": _("Choose today or a later date.")})
    ranges = [] if unavailable else list(ranges)
    if not unavailable and not ranges:
        raise ValidationError(_("Mark the day off or give at least one range of hours."))
    _check_ranges(ranges, label=date.isoformat())
    with transaction.atomic():
        current = _lock_consultant(consultant.pk)
        DateOverride.objects.filter(consultant=current, date=date).delete()
        if unavailable:
            created = [DateOverride.objects.create(consultant=current, date=date, unavailable=True, note=note)]
        else:
            created = DateOverride.objects.bulk_create(
                DateOverride(consultant=current, date=date, start_time=s, end_time=e, note=note)
                for s, e in sorted(ranges)
            )
        audit_record(actor=by, action="consultant.override_set", target=current, data={
            "date": date.isoformat(), "unavailable": unavailable, "note": note,
            "ranges": [f"{s:%H:%M}-{e:%H:%M}" for s, e in sorted(ranges)],
        })
    return created


def date_override_remove(*, consultant: Consultant, by, date: datetime.date) -> int:
    """Drop every override of one date: the weekly rules apply to it again. Returns how many rows went."""
    from consulting.models import DateOverride

    _may_edit_consultant(consultant=consultant, by=by)
    with transaction.atomic():
        current = _lock_consultant(consultant.pk)
        removed, _detail = DateOverride.objects.filter(consultant=current, date=date).delete()
        if removed:
            audit_record(actor=by, action="consultant.override_remove", target=current,
                         data={"date": date.isoformat()})
    return removed
