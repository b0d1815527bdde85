from django import template
from django.utils import timezone

from accounts.rules import is_committee_member, is_staff_member
from consulting import selectors
from consulting.models import BookingStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_pre_consulting(context, proposal):
    """Reports and upcoming sessions of a proposal, for the include on the proposal page.

    Applicants see the recommendation and suggested changes; staff, committee members and the consultant see the
    summary as well.
    """
    user = context.get("user") or getattr(context.get("request"), "user", None)
    reports = list(selectors.proposal_reports(proposal=proposal))
    upcoming = list(
        proposal.bookings.filter(status=BookingStatus.CONFIRMED, end__gte=timezone.now())
        .select_related("consultant__user", "session_type")
        .order_by("start")
    )
    sees_summary = bool(user) and (is_staff_member(user) or is_committee_member(user))
    return {"reports": reports, "upcoming": upcoming, "sees_summary": sees_summary}
