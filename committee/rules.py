"""Who may do what in the committee, and the reason given when they may not.

Views, admin and the API ask `user.has_perm("committee.<name>", obj)` with the names registered at the end; the
services ask the same predicates (or `require`) and refuse with the reasons written here, once.

- Members see only proposals assigned to them or on a meeting agenda, and only after declaring no conflict.
- A member with a declared conflict cannot read, score or vote on that proposal.
- A member sees the (anonymised) spread of scores only after submitting their own review.
- Staff see and manage everything; applicants never see scores or who scored.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_committee_member, is_staff_member
from committee.models import Attendance, Decision, MeetingStatus, MinutesStatus, Review, VotingMode
from committee.selectors import declaration_for, is_candidate, meeting_day, member_for
from proposals.workflow import Status

# --- the reasons of refusals (lazy: each is read in the language of the request that is refused) -------------

NOT_COMMITTEE = _("Only MOLIT staff and committee members can use the committee API.")
NOT_STAFF = _("Only MOLIT staff and the secretariat can do this.")
NOT_MEMBER = _("Only committee members can do this.")
NOT_BEFORE_YOU = _("This proposal is not before you.")
CONFLICT_STAYS = _("You declared a conflict of interest on this proposal; it stays recorded.")
CONFLICT_NO_READING = _("You declared a conflict of interest on this proposal.")
CONFLICT_NO_SCORING = _("You declared a conflict of interest on this proposal and cannot score it.")
CONFLICT_NO_VOTING = _("You declared a conflict of interest on this proposal and cannot vote on it.")
DECLARE_BEFORE_READING = _("Declare whether you have a conflict of interest before reading this proposal.")
DECLARE_BEFORE_REVIEWING = _("Declare whether you have a conflict of interest before reviewing this proposal.")
SCORES_ONLY_IN_REVIEW = _("Scores can only be given while the proposal is in committee review.")
SPREAD_AFTER_OWN_REVIEW = _("Other members' scores are shown once you have submitted your own review.")
VOTE_NOT_ALLOWED = _("You can vote only when recorded present at an open meeting, after declaring no conflict.")
MINUTES_WHEN_FINAL = _("The minutes are shown to members once they are final.")


def _member(user):
    member = member_for(user)
    return member if member is not None and member.is_active else None


def _declaration(user, proposal):
    member = _member(user)
    return declaration_for(member=member, proposal=proposal) if member else None


@rules.predicate
def is_active_member(user):
    return bool(is_committee_member(user) and _member(user) is not None)


@rules.predicate
def has_proposal_before_them(user, proposal):
    member = _member(user)
    return bool(member and proposal is not None and is_candidate(member=member, proposal=proposal))


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
    member = _member(user)
    return bool(member and Review.objects.filter(member=member, proposal=proposal, submitted_at__isnull=False).exists())


# A member may declare on a proposal before them; a "no conflict" may later become a conflict, never the reverse.
can_declare = is_active_member & has_proposal_before_them & ~declared_conflict
can_read_as_member = is_active_member & has_proposal_before_them & declared_no_conflict
can_read_committee_file = is_staff_member | can_read_as_member
can_score = can_read_as_member & in_committee_review
can_see_spread = is_staff_member | (can_read_as_member & has_submitted_review)
can_manage_committee = is_staff_member
can_use_committee = is_staff_member | is_active_member


@rules.predicate
def can_vote_on(user, agenda_item):
    """Present at the item's open meeting that votes online, declared no conflict, and the item not decided yet."""
    member = _member(user)
    if member is None or agenda_item is None:
        return False
    meeting = agenda_item.meeting
    if meeting.status != MeetingStatus.OPEN or meeting.voting_mode != VotingMode.ONLINE:
        return False
    if not declared_no_conflict(user, agenda_item.proposal):
        return False
    if Decision.objects.filter(meeting=meeting, proposal_id=agenda_item.proposal_id).exists():
        return False
    return Attendance.objects.filter(meeting=meeting, member=member, present=True).exists()


@rules.predicate
def serves_at_meeting(user, meeting):
    """A member invited to the meeting: serving on its date, or recorded in its attendance."""
    member = _member(user)
    if member is None or meeting is None:
        return False
    return member.serves_on(meeting_day(meeting)) or Attendance.objects.filter(meeting=meeting, member=member).exists()


@rules.predicate
def meeting_under_way(user, meeting):
    """The meeting has been opened (it is open or closed): members see the ranking of its agenda from then on, so
    nobody's own scoring is led by the others' before the meeting."""
    return meeting is not None and meeting.status in (MeetingStatus.OPEN, MeetingStatus.CLOSED)


@rules.predicate
def minutes_final(user, meeting):
    minutes = getattr(meeting, "minutes", None) if meeting is not None else None
    return bool(minutes is not None and minutes.status == MinutesStatus.FINAL)


can_see_meeting = is_staff_member | serves_at_meeting
can_see_ranking = is_staff_member | (serves_at_meeting & meeting_under_way)
can_read_minutes = is_staff_member | (serves_at_meeting & minutes_final)


rules.add_perm("committee.access", can_use_committee)  # the committee's pages and API at all
rules.add_perm("committee.manage", can_manage_committee)  # meetings, agenda, reviewers, decisions, minutes, letters
rules.add_perm("committee.serve", is_active_member)  # a member's own writes: declarations, reviews, votes
rules.add_perm("committee.declare", can_declare)  # obj: proposal
rules.add_perm("committee.read_proposal", can_read_committee_file)  # obj: proposal
rules.add_perm("committee.score", can_score)  # obj: proposal
rules.add_perm("committee.see_spread", can_see_spread)  # obj: proposal
rules.add_perm("committee.vote", can_vote_on)  # obj: agenda item
rules.add_perm("committee.see_meeting", can_see_meeting)  # obj: meeting (the member's meeting page)
rules.add_perm("committee.see_ranking", can_see_ranking)  # obj: meeting (rows: only proposals without conflict)
rules.add_perm("committee.read_minutes", can_read_minutes)  # obj: meeting (members: once the minutes are final)

# The reason a refused permission gives (the API's 403 body, a service's PermissionDenied), for the permissions
# that have one reason. The others are refused for one of several reasons (not before you, a declared conflict,
# no declaration yet, not in review...): the caller that refuses them names which, with the constants above.
REFUSALS = {
    "committee.access": NOT_COMMITTEE,
    "committee.manage": NOT_STAFF,
    "committee.serve": NOT_MEMBER,
    "committee.see_spread": SPREAD_AFTER_OWN_REVIEW,
}


def require(user, name: str, obj=None) -> None:
    """Refuse with the permission's reason unless `user.has_perm(name, obj)`: how services ask a permission."""
    if user is None or not user.has_perm(name, obj):
        raise PermissionDenied(REFUSALS[name])
