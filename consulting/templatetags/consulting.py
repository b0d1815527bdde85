from django import template
from django.utils import timezone

from accounts.rules import is_committee_member, is_staff_member
from consulting import rules as consulting_rules
from consulting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_pre_consulting(context, proposal):
    """Reports and upcoming sessions of a proposal, and which button to offer, for the include on the proposal page.

    Applicants see the recommendation and suggested changes; staff, committee members and the consultant see the
    summary as well. No booking or scheduling button once the proposal is decided or withdrawn: the team books
    for it (the button preselects it), and consultants, centres and staff schedule for it. `proposal` is the
    page's, which this person may see: what is left to ask is whether they hold sessions or are on its team.
    """
    user = context.get("user") or getattr(context.get("request"), "user", None)
    now = timezone.now()
    # The page's proposal says whether there is anything to read (receivers.pre_consulting_page_columns); one read
    # without those columns asks anyway.
    reports, upcoming = [], []
    if getattr(proposal, "consulting_has_reports", True):
        reports = list(selectors.proposal_page_reports(proposal=proposal))
    last_end = getattr(proposal, "consulting_last_live_end", now)
    if last_end is not None and last_end >= now:
        upcoming = list(selectors.proposal_page_upcoming(proposal=proposal, now=now))
    sees_summary = bool(user) and (is_staff_member(user) or is_committee_member(user))
    # The schedulable set is empty (no query) for anyone who holds no sessions: asked first, so an applicant's page
    # never reaches the permission backends' queries behind `permits`.
    can_schedule = bool(user) and selectors.proposals_schedulable_by(user).filter(pk=proposal.pk).exists() and (
        consulting_rules.permits(user, "consulting.schedule_session"))
    can_book = bool(user) and not can_schedule and selectors.on_proposal_team(user=user, proposal=proposal)
    return {"reports": reports, "upcoming": upcoming, "sees_summary": sees_summary,
            "can_schedule": can_schedule, "can_book": can_book}


@register.filter
def days_since(moment, now):
    """Whole days from `moment` to `now` (the queue's waiting time)."""
    if not moment or not now:
        return 0
    return max((now - moment).days, 0)
