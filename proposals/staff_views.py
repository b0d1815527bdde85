"""Staff pages outside the Django admin (the admin links to them)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from accounts.rules import is_staff_member
from proposals.dashboard import dashboard_figures


@login_required
def dashboard(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    return render(request, "proposals/staff/dashboard.html", {"figures": dashboard_figures()})
