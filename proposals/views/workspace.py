"""The applicant's workspace (their organisation's proposals) and starting a proposal."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.rules import is_applicant
from core.paging import page_of
from proposals import rules, selectors, services
from proposals.eligibility import track_refusals, track_rules
from proposals.forms import STEP_SLUGS, ProposalStartForm
from proposals.views.common import error_messages, forbidden, next_step_text, next_steps, permission_refusal


def _organisation_create_url(next_url: str) -> str:
    return f"{reverse('accounts:organisation-create')}?{urlencode({'next': next_url})}"


@login_required
def workspace(request):
    page = page_of(request, selectors.workspace_rows(user=request.user))
    has_organisation = request.user.memberships.exists()
    if is_applicant(request.user) and not has_organisation and not page.paginator.count:
        return redirect(_organisation_create_url(reverse("proposals:workspace")))
    levels = next_steps()
    proposals = list(page.object_list)
    page.object_list = proposals  # the rows the template shows are the ones annotated here
    for proposal in proposals:
        proposal.next_step_text = next_step_text(proposal, levels)
        # Same rule as rules.can_edit_proposal, without a query per row.
        proposal.is_editable = rules.is_editable(request.user, proposal) and (
            proposal.owner_id == request.user.pk or proposal.is_collaborator
        )
    return render(request, "proposals/workspace.html", {
        "proposals": proposals,
        "page": page,
        "can_start": is_applicant(request.user),
        "has_organisation": has_organisation,
    })


@login_required
def proposal_start(request):
    refused = permission_refusal(request, "proposals.create_proposal")
    if refused is not None:
        return forbidden(request, None, refused.reason)
    organisation = request.user.organisation
    if organisation is None:
        return redirect(_organisation_create_url(reverse("proposals:start")))
    initial = {}
    if request.GET.get("track", "").isdigit():
        initial["track"] = request.GET["track"]
    form = ProposalStartForm(request.POST or None, initial=initial)
    refused_track = None
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(
                by=request.user, track=form.cleaned_data["track"], title=form.cleaned_data["title"],
                organisation=organisation,
            )
        except (ValidationError, PermissionDenied) as exc:
            refused_track = form.cleaned_data["track"]
            for text in error_messages(exc):
                form.add_error("track", text)
        else:
            messages.success(request, _("Your draft is created. It is saved as you go; submit it when it is ready."))
            return redirect("proposals:edit", pk=proposal.pk, step=STEP_SLUGS[0])
    tracks = list(form.fields["track"].queryset)
    for track in tracks:
        track.refusals = [p.message for p in track_refusals(track, organisation=organisation)]
        track.is_eligible = not track.refusals  # the draft page then names any holder of the jurisdiction
        track.rules = track_rules(track)
    alternatives = [t for t in tracks if t.is_eligible]
    return render(request, "proposals/start.html", {
        "form": form, "tracks": tracks, "organisation": organisation, "refused_track": refused_track,
        "alternatives": alternatives,
    }, status=400 if form.errors else 200)
