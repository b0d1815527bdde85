"""Staff pages outside the Django admin (the admin links to them)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.rules import is_staff_member
from core.paging import page_of
from proposals import inbox as staff_inbox
from proposals.dashboard import dashboard_figures_cached


@login_required
def dashboard(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    return render(request, "proposals/staff/dashboard.html", {"figures": dashboard_figures_cached()})


@login_required
def inbox(request):
    """What needs this staff member: one section at a time (an unknown one shows the first), paged."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    section = request.GET.get("section")
    if section not in staff_inbox.SECTION_KEYS:
        section = staff_inbox.SECTION_KEYS[0]
    everyone = request.GET.get("scope") == "all"
    now = timezone.now()
    counts = staff_inbox.inbox_counts(request.user, everyone=everyone, now=now)
    page = page_of(request, staff_inbox.inbox_rows(request.user, section=section, everyone=everyone, now=now))
    return render(request, "proposals/staff/inbox.html", {
        "page": page,
        "proposals": list(page.object_list),
        "section": next(s for s in staff_inbox.SECTIONS if s.key == section),
        "tabs": [(s, counts[s.key]) for s in staff_inbox.SECTIONS],
        # The navigation's badge (proposals.context_processors) reads these instead of asking again.
        "staff_inbox_counts": counts if not everyone else staff_inbox.inbox_counts(request.user, now=now),
        "everyone": everyone,
        "now": now,
    })
