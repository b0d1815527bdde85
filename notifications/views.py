from django.contrib.auth.decorators import login_required
from django.db.models.functions import Left
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.paging import page_of
from notifications.models import Notice
from notifications.services import notice_mark_read

# The list shows 160 characters of a notice's text (which may run to 20,000): fetch no more than that.
EXCERPT = 160


@login_required
def notice_list(request):
    notices = (
        Notice.objects.filter(user=request.user)
        .only("title", "url", "created_at", "read_at")
        .annotate(excerpt=Left("body", EXCERPT + 1))  # one more, so truncatechars still marks a cut text with "…"
        .order_by("-created_at", "-id")  # index notice_user_newest
    )
    return render(request, "notifications/notice_list.html", {"page": page_of(request, notices)})


@require_POST
@login_required
def notice_read_all(request):
    notice_mark_read(user=request.user)
    return redirect("notifications:list")
