"""Submitting a proposal from its review page, and the receipt afterwards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Conflict, DomainError
from proposals import services
from proposals.forms import STEP_FORMS
from proposals.views.common import (
    error_messages,
    flash_errors,
    next_step_text,
    next_steps,
    permission_refusal,
    refusal_response,
    submit_refused_key,
    visible_or_404,
)


@login_required
@require_POST
def submit(request, pk):
    proposal = visible_or_404(request, pk)
    refused = permission_refusal(request, "proposals.submit_proposal", proposal)
    if refused is not None:
        return refusal_response(request, proposal, refused)
    form = STEP_FORMS["review"](request.POST, proposal=proposal)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; please try again."))
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    try:
        # Saving the consent with the version seen on the review page also proves nobody changed it since.
        services.proposal_update(
            proposal=proposal, by=request.user, data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
        services.proposal_submit(proposal=proposal, by=request.user)
    except Conflict:
        messages.error(
            request,
            _("Someone saved changes to this proposal after you opened the review page. Check the summary and "
              "submit again."),
        )
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    except ValidationError as exc:
        # One error summary on the review page, each missing thing a link to its step (not one alert per item).
        request.session[submit_refused_key(proposal.pk)] = error_messages(exc)
        return redirect("proposals:edit", pk=proposal.pk, step="review")
    except (PermissionDenied, DomainError) as exc:
        flash_errors(request, exc)
        return redirect(proposal)
    return redirect("proposals:receipt", pk=proposal.pk)


@login_required
def receipt(request, pk):
    proposal = visible_or_404(request, pk)
    if not proposal.reference:
        messages.info(request, _("This proposal has not been submitted yet."))
        return redirect(proposal)
    return render(request, "proposals/receipt.html", {
        "proposal": proposal, "next_step": next_step_text(proposal, next_steps()),
    })
