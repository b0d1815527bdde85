"""Reads shared by pages, the API and services, with related rows fetched up front."""

import datetime

from django.db.models import Q, QuerySet

from accounts.rules import is_staff_member
from consulting import slots as slot_engine
from consulting.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    DateOverride,
    PreConsultingReport,
    SessionType,
)
from proposals.selectors import proposal_list
from proposals.workflow import FINAL_STATES

BOOKING_RELATED = (
    "consultant", "consultant__user", "session_type", "proposal", "booked_by", "cancelled_by", "report",
)


def proposal_has_filed_report(*, proposal) -> bool:
    """Whether a consultant has filed a pre-consulting report on this proposal."""
    return PreConsultingReport.objects.filter(proposal=proposal, filed_at__isnull=False).exists()


def proposal_ids_with_filed_report() -> QuerySet:
    """Ids of proposals with a filed report (the staff back office filter; same rule as proposal_has_filed_report)."""
    return PreConsultingReport.objects.filter(proposal__isnull=False, filed_at__isnull=False).values("proposal_id")


def proposal_reports(*, proposal) -> QuerySet[PreConsultingReport]:
    return PreConsultingReport.objects.filter(proposal=proposal).select_related(
        "booking", "booking__consultant__user", "filed_by"
    )


def consultant_list(*, expertise: str = "", language: str = "") -> QuerySet[Consultant]:
    """Active consultants, optionally with one expertise and one language (values are validated by callers)."""
    qs = Consultant.objects.filter(is_active=True, user__is_active=True).select_related("user", "cooperation_centre")
    # JSON lists of fixed codes: matching the quoted code in the stored text works on SQLite and PostgreSQL.
    if expertise:
        qs = qs.filter(expertise__icontains=f'"{expertise}"')
    if language:
        qs = qs.filter(languages__icontains=f'"{language}"')
    return qs.order_by("user__full_name", "id")


def session_types_active() -> QuerySet[SessionType]:
    return SessionType.objects.filter(is_active=True)


def bookings_for(user) -> QuerySet[Booking]:
    """Bookings this person is a party to (as booker or as consultant); staff see all through staff views."""
    if not (user and user.is_authenticated):
        return Booking.objects.none()
    return (
        Booking.objects.filter(Q(booked_by=user) | Q(consultant__user=user))
        .select_related(*BOOKING_RELATED)
        .order_by("start", "id")
    )


# What a row of a list of bookings shows (consulting/_booking_table.html): a booking, its people and its proposal
# carry long texts (questions, the whole proposal) that a list has no use for.
BOOKING_ROW_RELATED = ("consultant__user", "session_type", "proposal", "booked_by", "report")
BOOKING_ROW_COLUMNS = (
    "start", "status", "consultant__user__full_name", "session_type__title", "proposal__reference",
    "proposal__title", "booked_by__full_name", "report__recommendation",
)


def sessions_split(bookings: QuerySet[Booking], *, now) -> tuple[QuerySet[Booking], QuerySet[Booking]]:
    """(upcoming, past) of these bookings as list rows: confirmed sessions not yet over, soonest first; then the
    rest (held, no-show, cancelled, or over), latest first. Both ordered to the id, so the past pages (index
    booking_consultant_start serves a consultant's)."""
    ahead = Q(status=BookingStatus.CONFIRMED, end__gte=now)
    rows = bookings.select_related(None).select_related(*BOOKING_ROW_RELATED).only(*BOOKING_ROW_COLUMNS)
    return rows.filter(ahead).order_by("start", "id"), rows.exclude(ahead).order_by("-start", "-id")


def booking_visible_to(*, user, pk: int) -> Booking:
    """One booking the person may see; raises Booking.DoesNotExist (a 404) otherwise."""
    qs = Booking.objects.select_related(*BOOKING_RELATED) if is_staff_member(user) else bookings_for(user)
    return qs.get(pk=pk)


def booking_by_token(*, user, token: str) -> Booking:
    """The booking behind an e-mail link, for one of its parties (or staff)."""
    qs = Booking.objects.select_related(*BOOKING_RELATED) if is_staff_member(user) else bookings_for(user)
    return qs.get(manage_token=token)


def bookings_in_week(*, start: datetime.datetime) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(start__gte=start, start__lt=start + datetime.timedelta(days=7))
        .select_related(*BOOKING_RELATED)
        .order_by("start", "id")
    )


def proposals_bookable_by(user):
    """The proposals a person may link a session to: the ones they can see and that are still open (drafts too)."""
    return proposal_list(user=user).exclude(status__in=FINAL_STATES)


def busy_for(
    *, consultant: Consultant, range_start, range_end, exclude: Booking | None = None
) -> list[slot_engine.Busy]:
    """Blocked intervals of a consultant's live bookings around a range (whole days either side, for the limit)."""
    pad = datetime.timedelta(days=2)
    qs = Booking.objects.filter(
        consultant=consultant, blocked_end__gt=range_start - pad, blocked_start__lt=range_end + pad
    ).exclude(status=BookingStatus.CANCELLED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return [slot_engine.Busy(*row) for row in qs.values_list("start", "blocked_start", "blocked_end")]


def consultant_free_slots(
    *, consultant: Consultant, session_type: SessionType, range_start, range_end, now, exclude: Booking | None = None
) -> list[datetime.datetime]:
    """Free UTC start times of `session_type` with `consultant` in [range_start, range_end)."""
    rules = list(AvailabilityRule.objects.filter(consultant=consultant))
    overrides = list(
        DateOverride.objects.filter(
            consultant=consultant,
            date__gte=(range_start - datetime.timedelta(days=2)).date(),
            date__lte=(range_end + datetime.timedelta(days=2)).date(),
        )
    )
    busy = busy_for(consultant=consultant, range_start=range_start, range_end=range_end, exclude=exclude)
    return slot_engine.free_slots(
        zone=consultant.zone, rules=rules, overrides=overrides, busy=busy, session=session_type, now=now,
        range_start=range_start, range_end=range_end,
    )


def bookings_due_reminder(*, now, lead: datetime.timedelta) -> QuerySet[Booking]:
    """Confirmed sessions starting within `lead` from now (the sweep claims each occasion once)."""
    return (
        Booking.objects.filter(status=BookingStatus.CONFIRMED, start__gt=now, start__lte=now + lead)
        .select_related(*BOOKING_RELATED)
        .order_by("start", "id")
    )


def held_sessions_without_report(*, now, after: datetime.timedelta) -> QuerySet[Booking]:
    """Held sessions whose report is still missing `after` their end (looking back 60 days at most)."""
    return (
        Booking.objects.filter(
            status=BookingStatus.HELD, end__lte=now - after, end__gte=now - after - datetime.timedelta(days=60),
            report__isnull=True,
        )
        .select_related(*BOOKING_RELATED)
        .order_by("end", "id")
    )
