from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.models import Notice
from notifications.services import notice_mark_read


@login_required
def notice_list(request):
    page = Paginator(Notice.objects.filter(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notice_list.html", {"page": page})


@require_POST
@login_required
def notice_read_all(request):
    notice_mark_read(user=request.user)
    return redirect("notifications:list")
