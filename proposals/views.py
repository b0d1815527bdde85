from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from proposals import selectors
from proposals.models import Proposal


def _visible_or_404(request, pk):
    try:
        return selectors.proposal_detail(user=request.user, pk=pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def workspace(request):
    proposals = selectors.proposal_list(user=request.user)
    return render(request, "proposals/workspace.html", {"proposals": proposals})


@login_required
def detail(request, pk):
    proposal = _visible_or_404(request, pk)
    return render(request, "proposals/detail.html", {"proposal": proposal})


@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = _visible_or_404(request, pk)
    attachment = next((a for a in proposal.attachments.all() if a.pk == attachment_pk), None)
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
