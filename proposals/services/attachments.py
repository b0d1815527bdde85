"""A proposal's documents: adding (after the upload is inspected) and removing them."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from proposals import rules
from proposals.attachments import check_room_for_another, inspect_upload
from proposals.models import Attachment, Proposal


def attachment_add(*, proposal: Proposal, by, kind: str, upload) -> Attachment:
    checked = inspect_upload(upload)  # raises ValidationError with the reason
    with transaction.atomic():
        # The lock, and what the rule asks (who may edit, where it stands): not the proposal's texts.
        current = Proposal.objects.select_for_update().only("owner_id", "status").get(pk=proposal.pk)
        if not rules.can_edit_proposal(by, current):
            raise PermissionDenied(rules.DOCUMENT_ADD_REFUSED)
        check_room_for_another(current)  # under the row lock, so two uploads at once cannot both take the last place
        attachment = Attachment(
            proposal=current, kind=kind, original_name=checked.name, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, uploaded_by=by,
        )
        # Not the two rows it points to: the proposal is locked above and the uploader is the person asking, so
        # asking the database whether they exist would only cost two queries.
        attachment.full_clean(exclude=["file", "proposal", "uploaded_by"])
        attachment.file.save(checked.name, upload, save=False)
        attachment.save()
        Proposal.objects.filter(pk=current.pk).update(updated_at=timezone.now())
        audit_record(
            actor=by, action="attachment.add", target=current,
            data={"attachment": attachment.pk, "kind": kind, "sha256": checked.sha256, "size": checked.size},
        )
    return attachment


def attachment_remove(*, attachment: Attachment, by) -> None:
    with transaction.atomic():
        current = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
        if not rules.can_edit_proposal(by, current):
            raise PermissionDenied(rules.DOCUMENT_REMOVE_REFUSED)
        audit_record(
            actor=by, action="attachment.remove", target=current,
            data={"attachment": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256},
        )
        stored = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: Attachment.file.field.storage.delete(stored))
