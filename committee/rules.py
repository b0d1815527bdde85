"""Who may do what in the committee. Views, the API and the services ask these same predicates.

- Members see only proposals assigned to them or on a meeting agenda, and only after declaring no conflict.
- A member with a declared conflict cannot read, score or vote on that proposal.
- A member sees the (anonymised) spread of scores only after submitting their own review.
- Staff see and manage everything; applicants never see scores or who scored.
"""

import rules

from accounts.rules import is_committee_member, is_staff_member
from proposals.workflow import Status


def _member(user):
    from committee.selectors import member_for

    member = member_for(user)
    return member if member is not None and member.is_active else None


def _declaration(user, proposal):
    from committee.selectors import declaration_for

    member = _member(user)
    return declaration_for(member=member, proposal=proposal) if member else None


@rules.predicate
def is_active_member(user):
    return bool(is_committee_member(user) and _member(user) is not None)


@rules.predicate
def has_proposal_before_them(user, proposal):
    from committee.selectors import is_candidate

    member = _member(user)
    return bool(member and proposal is not None and is_candidate(member=member, proposal=proposal))


@rules.predicate
def has_declared(user, proposal):
    return _declaration(user, proposal) is not None


@rules.predicate
def declared_no_conflict(user, proposal):
    declaration = _declaration(user, proposal)
    return bool(declaration and not declaration.has_conflict)


@rules.predicate
def declared_conflict(user, proposal):
    declaration = _declaration(user, proposal)
    return bool(declaration and declaration.has_conflict)


@rules.predicate
def in_committee_review(user, proposal):
    return proposal is not None and proposal.status == Status.COMMITTEE_REVIEW


@rules.predicate
def has_submitted_review(user, proposal):
    from committee.models import Review

    member = _member(user)
    return bool(member and Review.objects.filter(member=member, proposal=proposal, submitted_at__isnull=False).exists())


# A member may declare on a proposal before them; a "no conflict" may later become a conflict, never the reverse.
can_declare = is_active_member & has_proposal_before_them & ~declared_conflict
can_read_as_member = is_active_member & has_proposal_before_them & declared_no_conflict
can_read_committee_file = is_staff_member | can_read_as_member
can_score = can_read_as_member & in_committee_review
can_see_spread = is_staff_member | (can_read_as_member & has_submitted_review)
can_manage_committee = is_staff_member


@rules.predicate
def can_vote_on(user, agenda_item):
    """Present at the item's (open) meeting, declared no conflict, and the item not decided yet."""
    from committee.models import Attendance, Decision, MeetingStatus

    member = _member(user)
    if member is None or agenda_item is None:
        return False
    meeting = agenda_item.meeting
    if meeting.status == MeetingStatus.CLOSED:
        return False
    if not declared_no_conflict(user, agenda_item.proposal):
        return False
    if Decision.objects.filter(meeting=meeting, proposal_id=agenda_item.proposal_id).exists():
        return False
    return Attendance.objects.filter(meeting=meeting, member=member, present=True).exists()


rules.add_perm("committee.declare", can_declare)
rules.add_perm("committee.read_proposal", can_read_committee_file)
rules.add_perm("committee.score", can_score)
rules.add_perm("committee.see_spread", can_see_spread)
rules.add_perm("committee.vote", can_vote_on)
rules.add_perm("committee.manage", can_manage_committee)
