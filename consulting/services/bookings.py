"""Bookings: create, reschedule, cancel, and mark held or no-show.

Each service runs in one transaction with its audit row and its notices (written in the same transaction;
e-mail leaves on commit). Booking and rescheduling lock the consultant's row, re-compute the free slots and
only then write; on PostgreSQL the exclusion constraint on the blocked interval is the last word, and losing
to it is reported exactly like losing the lock race: "this time was just taken", with the nearest free times.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from consulting import rules, selectors
from consulting import slots as slot_engine
from consulting.ics import booking_attachment_for
from consulting.models import (
    LIVE_STATUSES,
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    DateOverride,
    SessionType,
)
from consulting.services.locks import consultant_lock
from consulting.services.secretariat import secretariat_notify
from consulting.slots import blocked_interval, nearest
from core.errors import Conflict, DomainError, TransitionRefused
from notifications.services import notify
from proposals.selectors import applicant_team

UTC = datetime.UTC
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
    """Everyone in a session: whoever booked it, the consultant and, for a session scheduled for a proposal's
    team, that team (owner and collaborators); each once."""
    people = [booking.booked_by, booking.consultant.user]
    if booking.scheduled_for_team and booking.proposal_id:
        people += applicant_team(booking.proposal)
    return list({person.pk: person for person in people}.values())


def booking_parties_notify(
    event: str, booking: Booking, context: dict | None = None, *, calendar: bool = True
) -> None:
    """Tell both parties of a session (in the caller's transaction), with the calendar file unless `calendar` is off."""
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
    """Book `session_type` with `consultant` at `start` (must be one of the computed free slots) for oneself.

    A consultant, a cooperation centre or the secretariat who holds a session *for* a proposal's team uses
    `booking_schedule`; booking one's own consultant profile for oneself makes no session.
    """
    now = now or timezone.now()
    start = _utc(start)
    rules.require(by, "consulting.create_booking")
    if consultant.user_id == by.pk:
        raise DomainError(_("You cannot book a session with yourself. To hold a session for a proposal's team, "
                            "schedule it from the proposal or the pre-consulting queue."))
    if not (consultant.is_active and session_type.is_active):
        raise DomainError(_("This consultant or session type is not taking bookings."))
    if proposal is not None and not selectors.proposals_bookable_by(by).filter(pk=proposal.pk).exists():
        raise DomainError(_("You can only link a session to an open proposal you work on."))
    with transaction.atomic():
        consultant = consultant_lock(consultant.pk)
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
        booking_parties_notify("booking_confirmed", booking)
        secretariat_notify(event="booking_made_staff", booking=booking, by=by)
    return booking


def booking_schedule(
    *,
    proposal,
    consultant: Consultant,
    session_type: SessionType,
    start: datetime.datetime,
    by,
    meeting_url: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """A consultant, cooperation-centre staff or the secretariat holds a free time of `consultant` (themselves or
    another) for `proposal`'s team. The time is held at once (the no-overlap guarantee counts it) and the team is
    invited, with the calendar file; they accept it or pick another free time (booking_accept, booking_reschedule).
    """
    now = now or timezone.now()
    start = _utc(start)
    rules.require(by, "consulting.schedule_session")
    if not selectors.proposals_schedulable_by(by).filter(pk=proposal.pk).exists():
        raise PermissionDenied(_("You can schedule sessions only for open proposals you follow."))
    if not (consultant.is_active and session_type.is_active):
        raise DomainError(_("This consultant or session type is not taking bookings."))
    if consultant.user_id == proposal.owner_id:
        raise DomainError(_("The consultant cannot be on the applicant's side of the session."))
    with transaction.atomic():
        consultant = consultant_lock(consultant.pk)
        _require_free(consultant=consultant, session_type=session_type, start=start, now=now)
        blocked_start, blocked_end = blocked_interval(start, session_type)
        booking = Booking(
            consultant=consultant, session_type=session_type, proposal=proposal, booked_by=by,
            scheduled_for_team=True, status=BookingStatus.INVITED, meeting_url=(meeting_url or "").strip(),
            questions=(note or "").strip(), start=start,
            end=start + datetime.timedelta(minutes=session_type.length_minutes),
            blocked_start=blocked_start, blocked_end=blocked_end, scheduled_at=now,
        )
        booking.full_clean(exclude=["consultant", "session_type", "proposal", "booked_by", "manage_token"])
        _save_guarded(booking, consultant=consultant, session_type=session_type, now=now)
        audit_record(actor=by, action="booking.schedule", target=booking,
                     data={"consultant": consultant.pk, "proposal": proposal.pk, "start": start.isoformat()})
        booking_parties_notify("booking_invited", booking)
    return booking


def booking_accept(*, booking: Booking, by, now: datetime.datetime | None = None) -> Booking:
    """Someone on the applicant's team accepts the time they were invited to: the session is confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Booking.objects.select_for_update(of=("self",)).select_related(*selectors.BOOKING_RELATED).get(
            pk=booking.pk)
        if current.scheduled_for_team and current.status != BookingStatus.INVITED:
            raise TransitionRefused(_("This invitation was already answered."))
        rules.require(by, "consulting.answer_invitation", current)
        if current.start <= now:
            raise TransitionRefused(_("This session has already started."))
        current.status = BookingStatus.CONFIRMED
        current.accepted_at, current.accepted_by = now, by
        current.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit_record(actor=by, action="booking.accept", target=current, data={"start": current.start.isoformat()})
        booking_parties_notify("booking_accepted", current, {"changed_by": by}, calendar=False)
    booking.refresh_from_db()
    return booking


def _lock_for_change(*, booking: Booking, by, now) -> tuple[Consultant, Booking]:
    consultant = consultant_lock(booking.consultant_id)
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    current.consultant = consultant
    rules.require(by, "consulting.change_booking", current)
    if current.status not in LIVE_STATUSES:
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
        fields = ["start", "end", "blocked_start", "blocked_end", "scheduled_at", "ics_sequence"]
        # The invited team picking another free time answers the invitation: the time they chose is confirmed.
        answered = current.status == BookingStatus.INVITED and rules.permits(by, "consulting.answer_invitation",
                                                                              current)
        if answered:
            current.status, current.accepted_at, current.accepted_by = BookingStatus.CONFIRMED, now, by
            fields += ["status", "accepted_at", "accepted_by"]
        _save_guarded(current, consultant=consultant, session_type=session_type, now=now, exclude=current,
                      update_fields=fields)
        audit_record(actor=by, action="booking.reschedule", target=current,
                     data={"from": previous_start.isoformat(), "to": start.isoformat(), "accepted": answered})
        booking_parties_notify("booking_rescheduled", current, {"previous_start": previous_start, "changed_by": by})
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
        booking_parties_notify("booking_cancelled", current, {"changed_by": by})
    booking.refresh_from_db()
    return booking


def booking_mark(*, booking: Booking, by, status: str, now: datetime.datetime | None = None) -> Booking:
    """The consultant records that a session was held or that the applicant did not come."""
    now = now or timezone.now()
    if status not in (BookingStatus.HELD, BookingStatus.NO_SHOW):
        raise DomainError(_("A session can only be marked held or no-show."))
    with transaction.atomic():
        current = Booking.objects.select_for_update(of=("self",)).select_related("consultant__user").get(pk=booking.pk)
        rules.require(by, "consulting.mark_booking", current)
        if current.status not in (*LIVE_STATUSES, BookingStatus.HELD, BookingStatus.NO_SHOW):
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
