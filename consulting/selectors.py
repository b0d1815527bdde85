"""Reads shared by pages, the API and services, with related rows fetched up front."""

import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from accounts.models import Role
from accounts.rules import is_staff_member
from consulting import slots as slot_engine
from consulting.models import (
    LIVE_STATUSES,
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    DateOverride,
    PreConsultingReport,
    ProposalClaim,
    ReportTemplate,
    SessionType,
)
from core.compiled import CompiledInstances
from core.translated import translation_columns
from proposals.models import CooperationCentre, Proposal
from proposals.selectors import proposal_list, team_proposal_ids
from proposals.workflow import FINAL_STATES, Status

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


def proposal_page_reports(*, proposal) -> list[PreConsultingReport]:
    """proposal_reports with only what the proposal page shows of each (consulting/_proposal_reports.html), the
    consultant's name as `consultant_name`: one column of the join, not three related rows to build. Its SQL is
    compiled once (core.compiled), as the page's other reads of the proposal's rows (proposals.page_reads)."""
    return _PAGE_REPORTS(proposal.pk)


_PAGE_REPORTS = CompiledInstances(PreConsultingReport, lambda pk: PreConsultingReport.objects.filter(
    proposal_id=pk).annotate(consultant_name=F("booking__consultant__user__full_name"))
    .only("summary", "recommendation", "suggested_changes", "filed_at"))


def proposal_page_upcoming(*, proposal, now) -> list[Booking]:
    """The proposal's sessions not yet over at `now` (invited or confirmed), soonest first, as the proposal page
    lists them, the consultant's name as `consultant_name`, each given the proposal (as its related manager gives
    it). The live ones are read by SQL compiled once (a proposal has a few) and those over are left out here: the
    compiled SQL takes no time."""
    upcoming = [booking for booking in _PAGE_LIVE(proposal.pk) if booking.end >= now]
    for booking in upcoming:
        Booking.proposal.field.set_cached_value(booking, proposal)
    return upcoming


_PAGE_LIVE = CompiledInstances(Booking, lambda pk: Booking.objects.filter(proposal_id=pk, status__in=LIVE_STATUSES)
                               .annotate(consultant_name=F("consultant__user__full_name"))
                               .only("start", "end", "status", "proposal").order_by("start", "pk"))


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
        Booking.objects.filter(Q(booked_by=user) | Q(consultant__user=user) | invited_team_q(user))
        .select_related(*BOOKING_RELATED)
        .order_by("start", "id")
    )


def invited_team_q(user) -> Q:
    """Sessions someone scheduled for a proposal's team that this person is on (owner or collaborator)."""
    shared = Proposal.collaborators.through.objects.filter(user_id=user.pk).values("proposal_id")
    return Q(scheduled_for_team=True) & (Q(proposal__owner_id=user.pk) | Q(proposal_id__in=shared))


# What a row of a list of bookings shows (consulting/_booking_table.html): a booking, its people and its proposal
# carry long texts (questions, the whole proposal) that a list has no use for.
BOOKING_ROW_RELATED = ("consultant__user", "session_type", "proposal", "booked_by", "report")
BOOKING_ROW_COLUMNS = (
    "start", "status", "consultant__user__full_name", *translation_columns("session_type__title"),
    "proposal__reference", "proposal__title", "booked_by__full_name", "report__recommendation",
)


def sessions_split(bookings: QuerySet[Booking], *, now) -> tuple[QuerySet[Booking], QuerySet[Booking]]:
    """(upcoming, past) of these bookings as list rows: confirmed sessions not yet over, soonest first; then the
    rest (held, no-show, cancelled, or over), latest first. Both ordered to the id, so the past pages (index
    booking_consultant_start serves a consultant's)."""
    ahead = Q(status__in=LIVE_STATUSES, end__gte=now)
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


def proposals_bookable_by_team(user):
    """The open proposals on this person's own side (owned, shared, their organisation's): where the proposal
    page offers "Book a pre-consulting session"."""
    if not (user and user.is_authenticated):
        return Proposal.objects.none()
    return proposals_bookable_by(user).filter(pk__in=team_proposal_ids(user))


def on_proposal_team(*, user, proposal) -> bool:
    """proposals_bookable_by_team for a proposal this person already may see (the proposal page's): it is still
    open and on their own side. The owner is answered without a query."""
    if not (user and user.is_authenticated) or proposal.status in FINAL_STATES:
        return False
    if proposal.owner_id == user.pk:
        return True
    return Proposal.objects.filter(pk=proposal.pk, pk__in=team_proposal_ids(user)).exists()


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
        Booking.objects.filter(status__in=LIVE_STATUSES, start__gt=now, start__lte=now + lead)
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


# --- the pre-consulting queue and scheduling for a proposal ---------------------------------------------------


def live_claims() -> QuerySet[ProposalClaim]:
    return ProposalClaim.objects.filter(released_at__isnull=True)


def claims_of(consultant: Consultant) -> QuerySet[ProposalClaim]:
    """The proposals this consultant has taken and not given back, oldest first."""
    return (
        live_claims().filter(consultant=consultant)
        .select_related("proposal", "proposal__track", "proposal__organisation", "proposal__owner")
        .order_by("taken_at", "id")
    )


def _centre_ids(user) -> QuerySet:
    return CooperationCentre.staff.through.objects.filter(user_id=user.pk).values("cooperationcentre_id")


QUEUE_COLUMNS = (
    "reference", "title", "track", "organisation", "cooperation_centre", "owner", "country", "status_changed_at",
    "submitted_at", *translation_columns("track__name"), "organisation__name",
    *translation_columns("cooperation_centre__name"), "owner__language", "owner__time_zone",
)


def pre_consulting_stage(*, user) -> QuerySet[Proposal]:
    """Proposals in the pre-consulting stage that this person's queue draws from (a centre: its region's)."""
    qs = Proposal.objects.filter(status=Status.PRE_CONSULTING)
    if not is_staff_member(user) and user.role == Role.CENTRE_STAFF:
        qs = qs.filter(cooperation_centre_id__in=_centre_ids(user))
    return qs


def pre_consulting_queue(
    *, user, now, track=None, country: str = "", centre=None, language: str = "", waited_days: int | None = None,
) -> QuerySet[Proposal]:
    """Proposals waiting for pre-consulting that nobody holds yet, the longest waiting first.

    Waiting: in the pre-consulting stage, no consultant has taken it, no session is ahead (invited or confirmed)
    and no report is filed. Cooperation-centre staff see their centres' proposals; consultants and staff all.
    `language` is the applicant's own (the owner's preferred language); waiting time counts from the day the
    proposal entered the stage.
    """
    ahead = Booking.objects.filter(proposal_id=OuterRef("pk"), status__in=LIVE_STATUSES, end__gte=now)
    filed = PreConsultingReport.objects.filter(proposal_id=OuterRef("pk"))
    taken = live_claims().filter(proposal_id=OuterRef("pk"))
    qs = pre_consulting_stage(user=user).exclude(Exists(ahead)).exclude(Exists(filed)).exclude(Exists(taken))
    if track is not None:
        qs = qs.filter(track=track)
    if country:
        qs = qs.filter(country=country)
    if centre is not None:
        qs = qs.filter(cooperation_centre=centre)
    if language:
        qs = qs.filter(owner__language=language)
    if waited_days:
        qs = qs.filter(status_changed_at__lte=now - datetime.timedelta(days=waited_days))
    return (
        qs.select_related("track", "organisation", "cooperation_centre", "owner")
        .only(*QUEUE_COLUMNS)
        .order_by(F("status_changed_at").asc(nulls_first=True), "id")
    )


def proposals_schedulable_by(user) -> QuerySet[Proposal]:
    """The open proposals a consultant, cooperation-centre officer or the secretariat may schedule a session for:
    the ones they may see (a consultant: taken from the queue or booked with them; a centre: its region's; staff:
    every submitted one). Anyone else: none, so the page is a 404."""
    if not (user and user.is_authenticated and user.is_active):
        return Proposal.objects.none()
    if not (is_staff_member(user) or user.role in (Role.CONSULTANT, Role.CENTRE_STAFF)):
        return Proposal.objects.none()
    return proposal_list(user=user).exclude(status__in=FINAL_STATES).select_related("owner")


def report_template_for(track) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(track=track).first()
