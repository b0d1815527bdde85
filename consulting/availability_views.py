"""The consultant's own pages: weekly availability, date overrides and profile. Thin callers of consulting.services.

Everything here is shown and entered in the consultant's own time zone (the zone on their consultant profile), not
the zone of the browser or of the person's account, because that is the zone the slot engine reads the rules in.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from consulting import selectors, services
from consulting.availability_forms import ConsultantProfileForm, OverrideForm, weekly_formsets, weekly_ranges
from consulting.models import LIVE_STATUSES, AvailabilityRule, Booking, Consultant, DateOverride
from consulting.slots import _day_ranges, group_by_day

PREVIEW_DAYS = 7


def _own_consultant(request) -> Consultant:
    """The signed-in consultant's profile; anyone else (applicants, staff without a profile) gets a 404."""
    user = request.user
    if user.role != Role.CONSULTANT:
        raise Http404
    consultant = (
        Consultant.objects.filter(user=user)
        .select_related("user", "cooperation_centre")
        .prefetch_related(
            Prefetch("rules", queryset=AvailabilityRule.objects.order_by("weekday", "start_time")),
        )
        .first()
    )
    if consultant is None:
        raise Http404
    return consultant


def _today(consultant) -> datetime.date:
    return timezone.now().astimezone(consultant.zone).date()


def bookings_outside_availability(*, consultant, rules, overrides, bookings) -> list[Booking]:
    """Upcoming bookings whose session no longer lies inside an available range of its local date."""
    by_date: dict = {}
    for override in overrides:
        by_date.setdefault(override.date, []).append(override)
    outside = []
    for booking in bookings:
        day = booking.start.astimezone(consultant.zone).date()
        ranges = _day_ranges(day, rules, by_date, consultant.zone)
        if not any(lo <= booking.start and booking.end <= hi for lo, hi in ranges):
            outside.append(booking)
    return outside


def _page(request, consultant, *, formsets=None, override_form=None, status=200):
    now = timezone.now()
    rules = list(consultant.rules.all())
    today = _today(consultant)
    overrides = list(DateOverride.objects.filter(consultant=consultant, date__gte=today).order_by("date", "start_time"))
    session_type = selectors.session_types_active().first()
    preview = []
    if session_type is not None:
        slots = selectors.consultant_free_slots(
            consultant=consultant, session_type=session_type, range_start=now,
            range_end=now + datetime.timedelta(days=PREVIEW_DAYS), now=now,
        )
        preview = group_by_day(slots, consultant.zone)
    upcoming = list(
        Booking.objects.filter(consultant=consultant, status__in=LIVE_STATUSES, start__gte=now)
        .select_related("booked_by", "session_type", "proposal")
        .order_by("start", "id")
    )
    override_days: dict = {}
    for override in overrides:
        override_days.setdefault(override.date, []).append(override)
    return render(request, "consulting/availability.html", {
        "consultant": consultant,
        "consultant_zone": str(consultant.time_zone),
        "formsets": formsets or weekly_formsets(rules=rules),
        "override_form": override_form or OverrideForm(today=today, initial={"date": today}),
        "override_days": sorted(override_days.items()),
        "session_type": session_type,
        "preview": preview,
        "preview_days": PREVIEW_DAYS,
        "outside": bookings_outside_availability(
            consultant=consultant, rules=rules, overrides=overrides, bookings=upcoming
        ),
    }, status=status)


@login_required
def availability(request):
    consultant = _own_consultant(request)
    if request.method != "POST":
        return _page(request, consultant)
    action = request.POST.get("action")
    if action == "rules":
        formsets = weekly_formsets(rules=list(consultant.rules.all()), data=request.POST)
        if all(formset.is_valid() for _weekday, formset in formsets):
            try:
                services.availability_rules_set(consultant=consultant, by=request.user, rules=weekly_ranges(formsets))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return _page(request, consultant, formsets=formsets, status=400)
            messages.success(request, _("Your weekly hours are saved. Free times are computed from them now."))
            return redirect("consulting:availability")
        # The page's error summary lists the marked ranges (templates/includes/error_summary.html): no flash too.
        return _page(request, consultant, formsets=formsets, status=400)
    if action == "override":
        form = OverrideForm(request.POST, today=_today(consultant))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.date_override_set(
                    consultant=consultant, by=request.user, date=data["date"], unavailable=data["unavailable"],
                    ranges=data["ranges"], note=data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
                return _page(request, consultant, override_form=form, status=400)
            messages.success(request, _("The override for %(date)s is saved.") % {"date": data["date"].isoformat()})
            return redirect("consulting:availability")
        return _page(request, consultant, override_form=form, status=400)
    raise Http404


@login_required
@require_POST
def override_remove(request, pk):
    consultant = _own_consultant(request)
    override = get_object_or_404(DateOverride, pk=pk, consultant=consultant)
    services.date_override_remove(consultant=consultant, by=request.user, date=override.date)
    messages.success(request, _("The override for %(date)s is removed; your weekly hours apply that day again.")
                     % {"date": override.date.isoformat()})
    return redirect("consulting:availability")


@login_required
def profile(request):
    consultant = _own_consultant(request)
    form = ConsultantProfileForm(request.POST or None, initial=ConsultantProfileForm.initial_for(consultant))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultant_profile_update(
                consultant=consultant, by=request.user, expertise=data["expertise"], languages=data["languages"],
                time_zone=data["time_zone"], cooperation_centre=data["cooperation_centre"], bio=data["bio"],
                meeting_url=data["meeting_url"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your consultant profile is saved."))
            return redirect("consulting:availability")
    return render(request, "consulting/profile_form.html", {"form": form, "consultant": consultant},
                  status=400 if form.errors else 200)
