"""The message thread between the applicant's team and the secretariat."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import is_staff_member
from audit.services import audit_record
from notifications.services import notify
from proposals import rules
from proposals.models import Message, Proposal
from proposals.selectors import applicant_team
from proposals.triage import secretariat_to_tell


def message_post(*, proposal: Proposal, by, body: str, internal: bool = False) -> Message:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")})
    rules.check("proposals.post_message", by, proposal)
    if internal and not is_staff_member(by):
        raise PermissionDenied(_("Only staff can write internal notes."))
    with transaction.atomic():
        message = Message.objects.create(proposal=proposal, author=by, body=body, internal=internal)
        audit_record(
            actor=by, action="message.post", target=proposal, data={"message": message.pk, "internal": internal}
        )
        if internal:
            return message
        # A reply to the applicant picks the proposal up; the applicant's message hands it back (the inbox's
        # "answered").
        if is_staff_member(by):
            Proposal.objects.filter(pk=proposal.pk).update(staff_activity_at=message.created_at)
            notify(
                event="proposal_message",
                recipients=[r for r in applicant_team(proposal) if r.pk != by.pk],
                context={"proposal": proposal, "message": message},
                url=proposal.get_absolute_url() + "#messages",
            )
        else:
            Proposal.objects.filter(pk=proposal.pk).update(applicant_activity_at=message.created_at)
            notify(
                event="applicant_message_staff",
                recipients=[r for r in secretariat_to_tell(proposal) if r.pk != by.pk],
                context={"proposal": proposal, "message": message, "by": by},
                url=proposal.get_staff_url(),
            )
    return message
