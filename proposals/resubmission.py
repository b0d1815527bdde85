"""What an applicant changed since the secretariat's last information request: the answer a resubmission needs
(a note, or changed fields, contacts or documents), shown on the confirm step and checked by the service.

Read from the audit log, which every drafting and document service writes in its transaction, so the list is
exactly the writes made since the request (not a guess from timestamps)."""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEntry
from proposals.models import AttachmentKind, Proposal, StatusChange
from proposals.workflow import Status

EMPTY_RESUBMISSION = gettext_lazy(
    "Answer the information request before resubmitting: write your answer below, or change the fields or "
    "documents the secretariat asked about."
)

_ACTIONS = ("proposal.update", "proposal.contacts", "attachment.add", "attachment.remove")


@dataclass(frozen=True)
class Change:
    kind: str  # field, contacts, document_added, document_removed
    label: str


def last_info_request(proposal: Proposal) -> StatusChange | None:
    return (StatusChange.objects.filter(proposal=proposal, to_status=Status.INFO_REQUESTED)
            .select_related("by").order_by("-at", "-id").first())


def changes_since_info_request(proposal: Proposal) -> list[Change]:
    """The fields, contacts and documents changed since the last information request, oldest first, each once."""
    request = last_info_request(proposal)
    if request is None:
        return []
    entries = AuditEntry.objects.filter(
        target_type=Proposal._meta.label_lower, target_id=str(proposal.pk), action__in=_ACTIONS, at__gte=request.at,
    ).order_by("at", "id")
    changes: list[Change] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, label: str) -> None:
        if (kind, label) not in seen:
            seen.add((kind, label))
            changes.append(Change(kind, label))

    for entry in entries:
        data = entry.data or {}
        if entry.action == "proposal.update":
            for name in data.get("fields", []):
                try:
                    label = capfirst(str(Proposal._meta.get_field(name).verbose_name))
                except FieldDoesNotExist:  # a field renamed since the entry was written
                    label = name
                add("field", label)
        elif entry.action == "proposal.contacts":
            add("contacts", _("Contact people"))
        elif entry.action == "attachment.add":
            kind = data.get("kind", "")
            label = str(AttachmentKind(kind).label) if kind in AttachmentKind.values else kind
            add("document_added", _("Document added: %(kind)s") % {"kind": label})
        elif entry.action == "attachment.remove":
            add("document_removed", _("Document removed: %(name)s") % {"name": data.get("name", "")})
    return changes
