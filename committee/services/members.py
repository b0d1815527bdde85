"""Committee members, kept by staff in the back office: one audited write each."""

from django.db import transaction

from audit.services import audit_record
from committee import rules
from committee.models import CommitteeMember


def member_save(*, member: CommitteeMember, by, changed: list[str] | None = None) -> CommitteeMember:
    """Appoint a member or change their term, kind or affiliation (validated by the form or full_clean)."""
    rules.require(by, "committee.manage")
    created = member.pk is None
    with transaction.atomic():
        member.full_clean()
        member.save()
        audit_record(actor=by, action="member.create" if created else "member.update", target=member,
                     data={"user": member.user_id, "fields": sorted(changed or [])})
    return member
