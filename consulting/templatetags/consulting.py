from django import template
from django.utils import timezone

from accounts.rules import is_committee_member, is_staff_member
from consulting import rules as consulting_rules
from consulting import selectors
from consulting.models import LIVE_STATUSES

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_pre_consulting(context, proposal):
    """Reports and upcoming sessions of a proposal, and which button to offer, for the include on the proposal page.

    Applicants see the recommendation and suggested changes; staff, committee members and the consultant see the
    summary as well. No booking or scheduling button once the proposal is decided or withdrawn: the team books
    for it (the button preselects it), and consultants, centres and staff schedule for it.
    """
    user = context.get("user") or getattr(context.get("request"), "user", None)
    reports = list(selectors.proposal_reports(proposal=proposal))
    upcoming = list(
        proposal.bookings.filter(status__in=LIVE_STATUSES, end__gte=timezone.now())
        .select_related("consultant__user", "session_type")
        .order_by("start")
    )
    sees_summary = bool(user) and (is_staff_member(user) or is_committee_member(user))
    can_schedule = bool(user) and consulting_rules.permits(user, "consulting.schedule_session") and (
        selectors.proposals_schedulable_by(user).filter(pk=proposal.pk).exists())
    can_book = bool(user) and not can_schedule and selectors.proposals_bookable_by_team(user).filter(
        pk=proposal.pk).exists()
    return {"reports": reports, "upcoming": upcoming, "sees_summary": sees_summary,
            "can_schedule": can_schedule, "can_book": can_book}


@register.filter
def days_since(moment, now):
    """Whole days from `moment` to `now` (the queue's waiting time)."""
    if not moment or not now:
        return 0
    return max((now - moment).days, 0)
