"""Colleagues working on a proposal: the owner invites them by e-mail, they accept with the link."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from notifications.services import notify, notify_address
from proposals import rules
from proposals.models import Invitation, Proposal


def invitation_create(*, proposal: Proposal, by, email: str) -> Invitation:
    email = email.strip().lower()
    rules.check("proposals.invite_collaborator", by, proposal)
    if email == by.email:
        raise ValidationError({"email": _("You are already the owner of this proposal.")})
    if proposal.collaborators.filter(email=email).exists():
        raise ValidationError({"email": _("%(email)s already works on this proposal.") % {"email": email}})
    with transaction.atomic():
        invitation = Invitation.objects.create(proposal=proposal, email=email, invited_by=by)
        audit_record(actor=by, action="invitation.create", target=proposal, data={"email": email})
        invitee = User.objects.filter(email=email).first()
        context = {"proposal": proposal, "inviter": by, "invitation": invitation}
        url = f"/proposals/invitations/{invitation.token}/"
        if invitee is not None:
            notify(event="collaborator_invited", recipients=[invitee], context=context, url=url)
        else:
            notify_address(event="collaborator_invited", email=email, context=context, url=url)
    return invitation


def invitation_accept(*, token: str, by) -> Proposal:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("proposal").filter(token=token).first()
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid."))
        if invitation.email != by.email.lower():
            raise PermissionDenied(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        if invitation.accepted_at is None:
            invitation.accepted_at = timezone.now()
            invitation.accepted_by = by
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            invitation.proposal.collaborators.add(by)
            audit_record(actor=by, action="invitation.accept", target=invitation.proposal, data={"email": by.email})
    return invitation.proposal
