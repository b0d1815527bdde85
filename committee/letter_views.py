"""The applicant's copy of a released decision letter (PDF). Only people who may see the proposal, and only once
the letter is sent: otherwise 404, the same answer as for a proposal that does not exist."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from committee.letter_pdf import letter_pdf
from committee.selectors import released_letter_for


@login_required
def decision_letter_pdf(request, proposal_pk):
    letter = released_letter_for(user=request.user, proposal_pk=proposal_pk)
    if letter is None:
        raise Http404
    response = HttpResponse(letter_pdf(letter, reader=request.user), content_type="application/pdf")
    reference = letter.decision.proposal.reference
    response["Content-Disposition"] = f'attachment; filename="{reference}-decision.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
