"""Staff pages outside the Django admin (the admin links to them)."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from accounts.rules import is_staff_member
from core.paging import page_of
from proposals import inbox as staff_inbox
from proposals.dashboard import CACHE_SECONDS, dashboard_figures_of, dashboard_numbers_cached


@login_required
def dashboard(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    numbers = dashboard_numbers_cached()
    language = translation.get_language()
    # The figures read the same for every staff member in one language and time zone: rendered once per copy of
    # the numbers (named by when they were counted) and kept as long as that copy.
    key = (f"proposals:dashboard-html:v1:{numbers['as_of'].isoformat()}:{language}:"
           f"{timezone.get_current_timezone_name()}:{get_script_prefix()}")
    html = cache.get(key)
    if html is None:
        figures = dashboard_figures_of(numbers)
        html = render_to_string("proposals/staff/dashboard_figures.html", {"figures": figures})
        cache.set(key, str(html), CACHE_SECONDS)
    else:
        # For whoever reads the context (tests): the same figures, worked out only if asked, in this language.
        def figures_in_language():
            with translation.override(language):
                return dashboard_figures_of(numbers)

        figures = SimpleLazyObject(figures_in_language)
    return render(request, "proposals/staff/dashboard.html", {"figures": figures, "figures_html": mark_safe(html)})


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
