from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.paging import page_of
from notifications.selectors import notices_shown
from notifications.services import notice_mark_read

# The list shows 160 characters of a notice's text (which may run to 20,000): fetch no more than that.
EXCERPT = 160


@login_required
def notice_list(request):
    # In the language the reader has now, not the one they had when the notice was written.
    notices = notices_shown(user=request.user, excerpt=EXCERPT)
    return render(request, "notifications/notice_list.html", {"page": page_of(request, notices)})


@require_POST
@login_required
def notice_read_all(request):
    notice_mark_read(user=request.user)
    return redirect("notifications:list")
