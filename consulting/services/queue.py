"""The pre-consulting queue: a consultant takes a waiting proposal (one consultant at a time) or gives it back.

Taking locks the proposal's row, so two consultants who click at once are served one after the other: the second
is told who was quicker. The partial unique constraint on live claims (one per proposal) is the last word.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from consulting.models import Consultant, ProposalClaim
from consulting.rules import require
from consulting.selectors import live_claims, pre_consulting_queue
from core.errors import Conflict
from proposals.models import Proposal


class AlreadyTaken(Conflict):
    """Another consultant holds the proposal (or it no longer waits)."""


def proposal_take(*, proposal: Proposal, by, now: datetime.datetime | None = None) -> ProposalClaim:
    """`by` (a consultant) takes a proposal waiting in the queue; from then on it is theirs to schedule."""
    now = now or timezone.now()
    require(by, "consulting.take_proposal")
    consultant = Consultant.objects.get(user=by)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        holder = live_claims().filter(proposal=locked).select_related("consultant__user").first()
        if holder is not None:
            if holder.consultant_id == consultant.pk:
                return holder
            raise AlreadyTaken(
                _("%(name)s took this proposal a moment ago.") % {"name": holder.consultant.user.get_full_name()},
                code="already_taken",
            )
        if not pre_consulting_queue(user=by, now=now).filter(pk=locked.pk).exists():
            raise AlreadyTaken(_("This proposal no longer waits for pre-consulting."), code="not_waiting")
        try:
            with transaction.atomic():
                claim = ProposalClaim.objects.create(proposal=locked, consultant=consultant, taken_at=now)
        except IntegrityError as exc:  # a claim written past this lock (never by this service)
            raise AlreadyTaken(_("Another consultant took this proposal a moment ago."), code="already_taken") from exc
        audit_record(actor=by, action="proposal.take", target=locked, data={"consultant": consultant.pk})
    return claim


def proposal_give_back(*, claim: ProposalClaim, by, now: datetime.datetime | None = None) -> ProposalClaim:
    """The consultant (or staff) gives a taken proposal back to the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        current = ProposalClaim.objects.select_for_update().select_related("consultant").get(pk=claim.pk)
        if current.consultant.user_id != by.pk and not is_staff_member(by):
            raise PermissionDenied(_("Only the consultant who took it, or staff, can give it back."))
        if current.released_at is None:
            current.released_at = now
            current.save(update_fields=["released_at"])
            audit_record(actor=by, action="proposal.give_back", target=current.proposal,
                         data={"consultant": current.consultant_id})
    return current
