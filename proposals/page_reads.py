"""The proposal page's reads of the proposal's own rows (proposals.views.page): its contacts, documents, team,
pending invitations, history and thread.

Each is SQL the ORM writes once per process and language (core.compiled), sent again with the proposal's id: on a
page of a dozen small reads, building and compiling each queryset cost several times what the database takes to
answer it from the proposal's index. The querysets below are still the one statement of each read, as the related
managers would write it (the same filter and the models' own order).
"""

from accounts.models import User
from core.compiled import CompiledInstances, CompiledQuery
from proposals.models import Attachment, ContactPerson, Invitation, Message, StatusChange
from proposals.selectors import HISTORY_COLUMNS, PERSON_COLUMNS

_CONTACTS = CompiledInstances(ContactPerson, lambda pk: ContactPerson.objects.filter(proposal_id=pk))
_ATTACHMENTS = CompiledInstances(Attachment, lambda pk: Attachment.objects.filter(proposal_id=pk))
_PENDING = CompiledInstances(Invitation, lambda pk: Invitation.objects.filter(proposal_id=pk, accepted_at__isnull=True))
_HISTORY = CompiledInstances(StatusChange, lambda pk: StatusChange.objects.filter(proposal_id=pk).select_related(
    "by").only(*HISTORY_COLUMNS, *(f"by__{name}" for name in PERSON_COLUMNS)))

_TEAM = CompiledInstances(User, lambda pk: User.objects.filter(shared_proposals=pk).only(*PERSON_COLUMNS))

THREAD_COLUMNS = ("body", "internal", "created_at", "author_id", "author__full_name", "author__email")
_THREAD = CompiledQuery(Message, lambda pk, everything: (
    Message.objects.filter(proposal_id=pk) if everything else Message.objects.filter(proposal_id=pk, internal=False)
).values(*THREAD_COLUMNS), names=THREAD_COLUMNS)


def _own(rows: list, proposal) -> list:
    """Each row given its proposal, as its related manager gives it (a row's proposal is not read again)."""
    for row in rows:
        row._meta.get_field("proposal").set_cached_value(row, proposal)
    return rows


def contacts(proposal) -> list[ContactPerson]:
    return _own(_CONTACTS(proposal.pk), proposal)


def attachments(proposal) -> list[Attachment]:
    return _own(_ATTACHMENTS(proposal.pk), proposal)


def pending_invitations(proposal) -> list[Invitation]:
    """The invitations not accepted yet; none asked for when the page's row says there are none
    (selectors.proposal_page's `page_has_pending_invitations`)."""
    if not getattr(proposal, "page_has_pending_invitations", True):
        return []
    return _own(_PENDING(proposal.pk), proposal)


def collaborators(proposal) -> list:
    """The proposal's collaborators, their names' columns only; none asked for when the page's row says there
    are none (`page_has_collaborators`)."""
    if not getattr(proposal, "page_has_collaborators", True):
        return []
    return _TEAM(proposal.pk)


def history(proposal) -> list[StatusChange]:
    """The proposal's status changes, oldest first, each with its author's name (selectors.timeline_labelled
    labels them for a reader)."""
    return _own(_HISTORY(proposal.pk), proposal)


def thread(proposal, *, everything: bool) -> list[tuple]:
    """The proposal's messages, oldest first, as THREAD_COLUMNS; internal notes only with `everything`."""
    return _THREAD.rows(proposal.pk, everything)
