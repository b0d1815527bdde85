"""The consultants' side of pre-consulting: the queue of waiting proposals, taking one, scheduling a session for a
proposal's team, and the team's answer to the invitation. Thin callers of consulting.selectors and services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consulting import rules as consulting_rules
from consulting import selectors, services
from consulting.forms import QueueFilterForm, ScheduleForm
from consulting.models import Consultant
from consulting.views import SLOT_DAYS, _booking_or_404, _session_type_from, beside_for, slot_week
from core.errors import DomainError
from core.paging import page_of


def _require_page(request, name):
    if not consulting_rules.permits(request.user, name):
        raise Http404


@login_required
def queue(request):
    """Proposals waiting for pre-consulting, the longest waiting first; a consultant takes one from here."""
    _require_page(request, "consulting.view_queue")
    now = timezone.now()
    form = QueueFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"track": data["track"], "country": data["country"], "centre": data["centre"],
                   "language": data["language"], "waited_days": int(data["waited"]) if data["waited"] else None}
    proposals = page_of(request, selectors.pre_consulting_queue(user=request.user, now=now, **filters))
    own = Consultant.objects.filter(user=request.user).first()
    return render(request, "consulting/queue.html", {
        "form": form, "proposals": proposals, "now": now,
        "can_take": consulting_rules.permits(request.user, "consulting.take_proposal"),
        "taken": list(selectors.claims_of(own)) if own is not None else [],
    })


@login_required
@require_POST
def queue_take(request, pk):
    _require_page(request, "consulting.view_queue")
    proposal = get_object_or_404(selectors.pre_consulting_stage(user=request.user), pk=pk)
    try:
        services.proposal_take(proposal=proposal, by=request.user)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("consulting:queue")
    messages.success(request, _("You took “%(title)s”. Choose a time for its team.") % {"title": proposal.title})
    return redirect("consulting:schedule", pk=proposal.pk)


@login_required
@require_POST
def queue_give_back(request, pk):
    claim = get_object_or_404(selectors.live_claims().select_related("proposal"), pk=pk)
    try:
        services.proposal_give_back(claim=claim, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("“%(title)s” is back in the queue.") % {"title": claim.proposal.title})
    return redirect("consulting:queue")


def _consultant_from(request, consultants):
    wanted = request.GET.get("consultant") or request.POST.get("consultant") or ""
    chosen = next((c for c in consultants if str(c.pk) == wanted), None)
    if chosen is None:
        chosen = next((c for c in consultants if c.user_id == request.user.pk), None)
    return chosen or (consultants[0] if consultants else None)


@login_required
def schedule(request, pk):
    """Hold a free time of a consultant (oneself or another) for a proposal's team; they accept or pick another."""
    proposal = get_object_or_404(selectors.proposals_schedulable_by(request.user), pk=pk)
    consultants = [c for c in selectors.consultant_list() if c.user_id != proposal.owner_id]
    consultant = _consultant_from(request, consultants)
    session_type, session_types = _session_type_from(request)
    form = ScheduleForm(request.POST or None)
    nearest = []
    if request.method == "POST" and consultant is not None and session_type is not None and form.is_valid():
        try:
            booking = services.booking_schedule(
                proposal=proposal, consultant=consultant, session_type=session_type,
                start=form.cleaned_data["start"], by=request.user, meeting_url=form.cleaned_data["meeting_url"],
                note=form.cleaned_data["note"],
            )
        except services.SlotUnavailable as exc:
            form.add_error(None, exc.message)
            nearest = exc.nearest
        except (DomainError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session is held and the applicant's team is invited. They accept "
                                        "it or pick another free time."))
            return redirect("consulting:booking-detail", pk=booking.pk)
    week = None
    if consultant is not None and session_type is not None:
        now = timezone.now()
        slots = selectors.consultant_free_slots(
            consultant=consultant, session_type=session_type, range_start=now,
            range_end=now + datetime.timedelta(days=SLOT_DAYS), now=now,
        )
        week = slot_week(request, slots, query={"consultant": consultant.pk, "session_type": session_type.pk})
    applicant_zone = proposal.owner.time_zone
    return render(request, "consulting/schedule.html", {
        "proposal": proposal, "consultant": consultant, "consultants": consultants, "session_type": session_type,
        "session_types": session_types, "week": week, "form": form, "nearest": nearest,
        "beside": beside_for(consultant=consultant, applicant_zone=applicant_zone) if consultant else [],
        "applicant_zone": applicant_zone,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def booking_accept(request, pk):
    booking = _booking_or_404(request, pk)
    try:
        services.booking_accept(booking=booking, by=request.user)
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("You accepted the time. The session is confirmed; everyone was told."))
    return redirect("consulting:booking-detail", pk=booking.pk)

