"""Booking pages: thin callers of consulting.selectors and consulting.services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import is_staff_member
from consulting import ics, selectors, services
from consulting import rules as consulting_rules
from consulting.forms import (
    BookingForm,
    CancelForm,
    ConsultantFilterForm,
    MarkForm,
    ReportForm,
    RescheduleForm,
    WeekForm,
    parse_start,
)
from consulting.models import LIVE_STATUSES, Booking, BookingStatus, Consultant
from consulting.picker import Beside, week_of
from core.errors import DomainError
from core.paging import page_of

SLOT_DAYS = 21


def slot_week(request, slots, *, query: dict):
    """The week of free times to show (consulting.picker), in the viewer's zone."""
    return week_of(slots=slots, zone=timezone.get_current_timezone(), wanted=request.GET.get("week", ""),
                   query=query)


def beside_for(*, consultant, applicant_zone=None) -> list[Beside]:
    """The parties' local times shown beside each slot: the consultant's, and the applicant's when known; a zone
    that is the viewer's own is left out when scheduling (the slot's own time already says it)."""
    beside = [Beside("consultant", _("consultant"), consultant.zone)]
    if applicant_zone is None:
        return beside
    beside.append(Beside("applicant", _("applicant"), applicant_zone))
    viewer = str(timezone.get_current_timezone())
    return [b for b in beside if str(b.zone) != viewer]


def _preselected(request):
    """The proposal a booking button on a proposal's page chose (`?proposal=`), if this person may book for it."""
    wanted = request.GET.get("proposal") or ""
    if not wanted.isdigit():
        return None
    return selectors.proposals_bookable_by(request.user).filter(pk=int(wanted)).first()


def _session_type_from(request, *, key="session_type"):
    types = list(selectors.session_types_active())
    if not types:
        return None, types
    wanted = request.GET.get(key) or request.POST.get(key)
    chosen = next((t for t in types if str(t.pk) == str(wanted)), types[0])
    return chosen, types


@login_required
def consultant_list(request):
    form = ConsultantFilterForm(request.GET or None)
    expertise = language = ""
    if form.is_valid():
        expertise, language = form.cleaned_data["expertise"], form.cleaned_data["language"]
    # A page at a time: the roster grows with the programme's years; (full name, id) is a stable order.
    consultants = page_of(request, selectors.consultant_list(expertise=expertise, language=language))
    return render(request, "consulting/consultant_list.html", {
        "form": form, "consultants": consultants, "preselected": _preselected(request),
    })


@login_required
def consultant_detail(request, pk):
    consultant = get_object_or_404(selectors.consultant_list(), pk=pk)
    session_type, session_types = _session_type_from(request)
    preselected = _preselected(request)
    week = None
    if session_type is not None:
        now = timezone.now()
        slots = selectors.consultant_free_slots(
            consultant=consultant, session_type=session_type, range_start=now,
            range_end=now + datetime.timedelta(days=SLOT_DAYS), now=now,
        )
        week = slot_week(request, slots, query={"session_type": session_type.pk,
                                                "proposal": preselected.pk if preselected else None})
    return render(request, "consulting/consultant_detail.html", {
        "consultant": consultant, "session_type": session_type, "session_types": session_types, "week": week,
        "beside": beside_for(consultant=consultant), "preselected": preselected,
    })


@login_required
def booking_new(request, pk):
    """Second click: confirm the chosen time, link a proposal and say what to discuss."""
    consultant = get_object_or_404(selectors.consultant_list(), pk=pk)
    session_type, _types = _session_type_from(request)
    if session_type is None:
        raise Http404
    nearest = []
    if request.method == "POST":
        data = request.POST.copy()
        if data.get("choose_start"):  # one of the nearest free times offered after a lost race
            data["start"] = data["choose_start"]
        form = BookingForm(data, user=request.user)
        if form.is_valid():
            try:
                booking = services.booking_create(
                    consultant=consultant, session_type=session_type, start=form.cleaned_data["start"],
                    by=request.user, proposal=form.cleaned_data["proposal"],
                    questions=form.cleaned_data["questions"],
                )
            except services.SlotUnavailable as exc:
                form.add_error(None, exc.message)
                nearest = exc.nearest
            except (DomainError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your session is booked. A confirmation e-mail is on its way."))
                return redirect("consulting:booking-detail", pk=booking.pk)
    else:
        preselected = _preselected(request)
        form = BookingForm(initial={"start": request.GET.get("start", ""), "proposal": preselected},
                           user=request.user)
    start = parse_start(form.data.get("start", "")) if form.is_bound else parse_start(request.GET.get("start", ""))
    return render(request, "consulting/booking_new.html", {
        "consultant": consultant, "session_type": session_type, "form": form, "start": start,
        "nearest": nearest, "end": start + datetime.timedelta(minutes=session_type.length_minutes) if start else None,
    })


def _detail_context(request, booking):
    user = request.user
    report = getattr(booking, "report", None)
    # The service refuses changes inside the cancellation notice (except for staff): don't offer them there.
    in_time = booking.start - timezone.now() >= datetime.timedelta(hours=booking.session_type.cancellation_notice_hours)
    party = booking.status in LIVE_STATUSES and user.has_perm("consulting.change_booking", booking)
    return {
        "booking": booking,
        "report": report,
        "is_consultant": booking.consultant.user_id == user.pk,
        "can_change": party and (in_time or is_staff_member(user)),
        "too_late_to_change": party and not in_time and not is_staff_member(user) and booking.start > timezone.now(),
        "can_mark": booking.status != BookingStatus.CANCELLED and user.has_perm("consulting.mark_booking", booking)
        and booking.start <= timezone.now(),
        "can_report": booking.status == BookingStatus.HELD
        and consulting_rules.permits(user, "consulting.file_report", booking),
        "sees_summary": report is not None and (booking.consultant.user_id == user.pk or is_staff_member(user)),
        "show_location": booking.is_active or not booking.session_type.link_after_booking_only,
        "can_accept": booking.start > timezone.now()
        and consulting_rules.permits(user, "consulting.answer_invitation", booking),
        "applicant_zone": _applicant_zone(booking),
        "cancel_form": CancelForm(),
        "consultant_zone": booking.consultant.zone,
    }


def _applicant_zone(booking):
    """The applicant side's zone: the invited team's owner, else the person who booked."""
    person = booking.proposal.owner if booking.scheduled_for_team and booking.proposal_id else booking.booked_by
    return person.time_zone


def _booking_or_404(request, pk) -> Booking:
    try:
        return selectors.booking_visible_to(user=request.user, pk=pk)
    except Booking.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def booking_detail(request, pk):
    booking = _booking_or_404(request, pk)
    return render(request, "consulting/booking_detail.html", _detail_context(request, booking))


@login_required
def booking_manage(request, token):
    """The link in every e-mail: the same page, for either side, once signed in."""
    try:
        booking = selectors.booking_by_token(user=request.user, token=token)
    except Booking.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "consulting/booking_detail.html", _detail_context(request, booking))


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = _booking_or_404(request, pk)
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.booking_cancel(booking=booking, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("The session is cancelled. Both sides were told."))
    return redirect("consulting:booking-detail", pk=booking.pk)


@login_required
def booking_reschedule(request, pk):
    booking = _booking_or_404(request, pk)
    if not request.user.has_perm("consulting.change_booking", booking):
        raise Http404
    error = ""
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid():
            try:
                services.booking_reschedule(booking=booking, start=form.cleaned_data["start"], by=request.user)
            except (DomainError, PermissionDenied) as exc:
                error = getattr(exc, "message", str(exc))
            else:
                messages.success(request, _("The session is moved. Both sides received an updated calendar file."))
                return redirect("consulting:booking-detail", pk=booking.pk)
        else:
            error = _("Choose a time from the list of free times.")
    now = timezone.now()
    slots = selectors.consultant_free_slots(
        consultant=booking.consultant, session_type=booking.session_type, range_start=now,
        range_end=now + datetime.timedelta(days=SLOT_DAYS), now=now, exclude=booking,
    )
    applicant_zone = _applicant_zone(booking) if booking.scheduled_for_team else None
    return render(request, "consulting/booking_reschedule.html", {
        "booking": booking, "consultant": booking.consultant, "week": slot_week(request, slots, query={}),
        "beside": beside_for(consultant=booking.consultant, applicant_zone=applicant_zone), "error": error,
    })


@login_required
@require_POST
def booking_mark(request, pk):
    booking = _booking_or_404(request, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose held or no-show."))
    else:
        try:
            services.booking_mark(booking=booking, by=request.user, status=form.cleaned_data["status"])
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        else:
            messages.success(request, _("Session marked as %(status)s.") % {
                "status": BookingStatus(form.cleaned_data["status"]).label.lower()})
    return redirect("consulting:booking-detail", pk=booking.pk)


@login_required
def booking_report(request, pk):
    booking = _booking_or_404(request, pk)
    if not consulting_rules.permits(request.user, "consulting.file_report", booking):
        raise Http404
    report = getattr(booking, "report", None)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_file(booking=booking, by=request.user, **form.cleaned_data)
            except (DomainError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Report filed. The applicant sees your recommendation."))
                return redirect("consulting:booking-detail", pk=booking.pk)
    else:
        initial = {}
        template = selectors.report_template_for(booking.proposal.track) if booking.proposal_id else None
        if report is not None:
            initial = {"summary": report.summary, "recommendation": report.recommendation,
                       "suggested_changes": report.suggested_changes}
        elif template is not None:  # the track's template, kept by staff, is where a new report starts
            initial = {"summary": template.summary, "suggested_changes": template.suggested_changes}
        form = ReportForm(initial=initial)
    return render(request, "consulting/report_form.html", {"booking": booking, "form": form})


def _sessions(request, bookings) -> dict:
    """Upcoming sessions in full (a calendar's worth), past ones a page at a time (they grow with the years)."""
    upcoming, past = selectors.sessions_split(bookings, now=timezone.now())
    return {"upcoming": list(upcoming), "past": page_of(request, past)}


@login_required
def my_sessions(request):
    # Sessions on the person's own side: booked by them, or scheduled for their proposal's team.
    bookings = selectors.bookings_for(request.user).exclude(consultant__user=request.user)
    return render(request, "consulting/my_sessions.html", _sessions(request, bookings))


@login_required
def consultant_home(request):
    consultant = Consultant.objects.filter(user=request.user).first()
    if consultant is None:
        raise Http404
    bookings = selectors.bookings_for(request.user).filter(consultant=consultant)
    feed_url = request.build_absolute_uri(reverse("consulting:feed", args=[consultant.ics_token]))
    return render(request, "consulting/consultant_home.html", {
        "consultant": consultant, "feed_url": feed_url, **_sessions(request, bookings),
    })


def feed(request, token):
    """The consultant's calendar feed: the secret token in the URL is the only key (calendar apps cannot sign in)."""
    consultant = get_object_or_404(Consultant.objects.select_related("user"), ics_token=token)
    bookings = (
        Booking.objects.filter(consultant=consultant, start__gte=timezone.now() - datetime.timedelta(days=90))
        .select_related(*selectors.BOOKING_RELATED)
        .order_by("start")
    )
    body = ics.consultant_feed(consultant=consultant, bookings=bookings, language=consultant.user.language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def staff_week(request):
    if not is_staff_member(request.user):
        raise Http404
    form = WeekForm(request.GET or None)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    day = form.cleaned_data["start"] if form.is_valid() and form.cleaned_data["start"] else today
    monday = day - datetime.timedelta(days=day.weekday())
    start = datetime.datetime.combine(monday, datetime.time(0), tzinfo=zone)
    bookings = list(selectors.bookings_in_week(start=start))
    by_day = {monday + datetime.timedelta(days=i): [] for i in range(7)}
    for booking in bookings:
        local_day = timezone.localtime(booking.start).date()
        by_day.setdefault(local_day, []).append(booking)
    return render(request, "consulting/staff_week.html", {
        "days": sorted(by_day.items()), "monday": monday, "form": form,
        "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
        "count": len(bookings),
    })
