"""Who may do what with a proposal (proposals/rules.py), as one table: role x state -> each registered permission.

The table states the rules, state included (submit only a draft, resubmit only when information was asked for,
withdraw until decided). A rule that changes changes one row here, on purpose.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import Role
from proposals.models import Proposal
from proposals.workflow import Status
from tests.factories import CooperationCentreFactory, MembershipFactory, ProposalFactory, StaffFactory, UserFactory
from tests.factories import applicant as applicant_user
from tests.factories.committee import AssignmentFactory, ConflictDeclarationFactory, member
from tests.factories.consulting import BookingFactory, ConsultantFactory

pytestmark = pytest.mark.django_db

# --- states: a proposal as the workflow leaves it (written straight to the row: these are the rules' inputs) ----

WITHDRAWN_DRAFT = "withdrawn_before_submission"
STATES = [
    Status.DRAFT, Status.SUBMITTED, Status.SCREENING, Status.INFO_REQUESTED, Status.PRE_CONSULTING,
    Status.COMMITTEE_REVIEW, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, WITHDRAWN_DRAFT,
]
ALL = frozenset(STATES)
EDITABLE = frozenset({Status.DRAFT, Status.INFO_REQUESTED})
EVER_SUBMITTED = ALL - {Status.DRAFT, WITHDRAWN_DRAFT}
UNDECIDED = ALL - {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN, WITHDRAWN_DRAFT}  # a withdrawal is left


def _proposal(state: str) -> Proposal:
    now = timezone.now()
    if state == WITHDRAWN_DRAFT:
        return ProposalFactory(status=Status.WITHDRAWN, submitted_at=None)
    if state == Status.DRAFT:
        return ProposalFactory(status=Status.DRAFT)
    released = now if state == Status.APPROVED else None  # one decision released, one still with staff
    return ProposalFactory(status=state, submitted_at=now, decision_released_at=released)


# --- roles: each person as they stand to the proposal ---------------------------------------------------------

OWNER = "applicant owner"
COLLABORATOR = "collaborator"
COLLEAGUE = "member of the applicant organisation"
OTHER_APPLICANT = "other applicant"
STAFF = "staff"
CONSULTANT = "consultant booked about it"
CONSULTANT_ELSEWHERE = "consultant not booked about it"
COMMITTEE_MEMBER = "committee member assigned, no conflict"
COMMITTEE_CONFLICTED = "committee member assigned, conflict declared"
CENTRE_STAFF = "staff of its cooperation centre"
ANONYMOUS = "anonymous"


def _collaborator(proposal):
    user = applicant_user()
    proposal.collaborators.add(user)
    return user


def _colleague(proposal):
    user = UserFactory()
    MembershipFactory(user=user, organisation=proposal.organisation)
    return user


def _consultant(proposal):
    consultant = ConsultantFactory()
    BookingFactory(consultant=consultant, proposal=proposal, booked_by=proposal.owner)
    return consultant.user


def _committee_member(proposal, *, has_conflict=False):
    seat = member()
    AssignmentFactory(member=seat, proposal=proposal)
    ConflictDeclarationFactory(member=seat, proposal=proposal, has_conflict=has_conflict)
    return seat.user


def _centre_staff(proposal):
    user = UserFactory(role=Role.CENTRE_STAFF)
    centre = CooperationCentreFactory()
    centre.staff.add(user)
    Proposal.objects.filter(pk=proposal.pk).update(cooperation_centre=centre)
    proposal.refresh_from_db()
    return user


ROLES = {
    OWNER: lambda proposal: proposal.owner,
    COLLABORATOR: _collaborator,
    COLLEAGUE: _colleague,
    OTHER_APPLICANT: lambda proposal: applicant_user(),
    STAFF: lambda proposal: StaffFactory(),
    CONSULTANT: _consultant,
    CONSULTANT_ELSEWHERE: lambda proposal: ConsultantFactory().user,
    COMMITTEE_MEMBER: _committee_member,
    COMMITTEE_CONFLICTED: lambda proposal: _committee_member(proposal, has_conflict=True),
    CENTRE_STAFF: _centre_staff,
    ANONYMOUS: lambda proposal: AnonymousUser(),
}

# --- the table: permission -> {role: states in which it is granted}; a role left out is refused everywhere -------

APPLICANTS = {OWNER: ALL, COLLABORATOR: ALL, COLLEAGUE: ALL, OTHER_APPLICANT: ALL}
GRANTED = {
    "proposals.create_proposal": APPLICANTS,  # a role, not a proposal, decides it
    "proposals.view_proposal": {
        OWNER: ALL, COLLABORATOR: ALL, COLLEAGUE: ALL, STAFF: EVER_SUBMITTED, CONSULTANT: ALL, COMMITTEE_MEMBER: ALL,
        CENTRE_STAFF: ALL,
    },
    "proposals.change_proposal": {OWNER: EDITABLE, COLLABORATOR: EDITABLE},
    "proposals.submit_proposal": {OWNER: {Status.DRAFT}},
    "proposals.withdraw_proposal": {OWNER: UNDECIDED},
    "proposals.resubmit_proposal": {OWNER: {Status.INFO_REQUESTED}},
    "proposals.invite_collaborator": {OWNER: EDITABLE},
    "proposals.post_message": {OWNER: ALL, COLLABORATOR: ALL, COLLEAGUE: ALL, STAFF: ALL},
    "proposals.triage_proposal": {STAFF: ALL},
    "proposals.manage_setup": {STAFF: ALL},  # the programme set-up (proposals.services.setup), not one proposal
}


def test_the_table_covers_every_registered_proposal_permission():
    registered = {name for name in rules.permissions.permissions if name.startswith("proposals.")}

    assert registered == set(GRANTED)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", list(ROLES))
def test_permissions_by_role_and_state(role, state):
    proposal = _proposal(state)
    user = ROLES[role](proposal)

    granted = {name: user.has_perm(name, proposal) for name in GRANTED}

    assert granted == {name: state in by_role.get(role, ()) for name, by_role in GRANTED.items()}
