"""The committee's permissions: one name each (committee/rules.py), asked by views, admin, API and services."""

import re
from pathlib import Path

import pytest
import rules
from django.conf import settings

from accounts.models import Role
from committee.models import Outcome, VotingMode
from committee.services import assignment_create, conflict_declare, decision_record, vote_cast
from tests.committee.helpers import decided_setup, member, proposal_in_review
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

COMMITTEE_CODE = Path(settings.BASE_DIR) / "committee"
REGISTERED = sorted(name for name in rules.permissions.permissions if name.startswith("committee."))


def test_the_registered_permissions_are_these():
    assert REGISTERED == [
        "committee.access", "committee.declare", "committee.manage", "committee.read_minutes",
        "committee.read_proposal", "committee.score", "committee.see_meeting", "committee.see_ranking",
        "committee.see_spread", "committee.serve", "committee.vote",
    ]


@pytest.mark.parametrize("name", REGISTERED)
def test_every_registered_permission_is_asked_outside_rules_py(name):
    asked = [
        path.name for path in COMMITTEE_CODE.rglob("*.py")
        if path.name != "rules.py" and re.search(rf'"{re.escape(name)}"', path.read_text())
    ]
    assert asked, f"{name} is registered but nothing asks it"


@pytest.mark.parametrize(("who", "expected"), [
    ("applicant", {"committee.access": False, "committee.manage": False, "committee.serve": False}),
    ("staff", {"committee.access": True, "committee.manage": True, "committee.serve": False}),
    ("member", {"committee.access": True, "committee.manage": False, "committee.serve": True}),
    ("inactive member", {"committee.access": False, "committee.manage": False, "committee.serve": False}),
])
def test_who_uses_the_committee_at_all(who, expected):
    if who == "applicant":
        user = UserFactory(role=Role.APPLICANT)
    elif who == "staff":
        user = StaffFactory()
    else:
        seat = member()
        if who == "inactive member":
            seat.is_active = False
            seat.save(update_fields=["is_active"])
        user = seat.user

    assert {name: user.has_perm(name) for name in expected} == expected


def test_a_members_proposal_permissions_follow_their_declaration():
    staff = StaffFactory()
    proposal = proposal_in_review(staff=staff)
    seat = member()
    assignment_create(proposal=proposal, member=seat, by=staff)
    user = seat.user
    names = ["committee.declare", "committee.read_proposal", "committee.score", "committee.see_spread"]

    before = {name: user.has_perm(name, proposal) for name in names}
    conflict_declare(member=seat, proposal=proposal, has_conflict=False)
    cleared = {name: user.has_perm(name, proposal) for name in names}
    conflict_declare(member=seat, proposal=proposal, has_conflict=True, reason="Adviser to the city")
    conflicted = {name: user.has_perm(name, proposal) for name in names}

    assert before == {"committee.declare": True, "committee.read_proposal": False, "committee.score": False,
                      "committee.see_spread": False}
    assert cleared == {"committee.declare": True, "committee.read_proposal": True, "committee.score": True,
                       "committee.see_spread": False}
    assert conflicted == {"committee.declare": False, "committee.read_proposal": False, "committee.score": False,
                          "committee.see_spread": False}
    assert {name: staff.has_perm(name, proposal) for name in names} == {
        "committee.declare": False, "committee.read_proposal": True, "committee.score": False,
        "committee.see_spread": True,
    }


def test_vote_permission_only_for_present_members_before_the_decision():
    staff, proposal, members, meeting = decided_setup(size=5, present=4, voting_mode=VotingMode.ONLINE)
    item = meeting.agenda_items.get()
    for seat in members:
        conflict_declare(member=seat, proposal=proposal, has_conflict=False)
    present, absent = members[0].user, members[4].user

    assert (present.has_perm("committee.vote", item), absent.has_perm("committee.vote", item)) == (True, False)

    for seat in members[:4]:
        vote_cast(member=seat, agenda_item=item, choice="against")
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, reasons="No")

    assert present.has_perm("committee.vote", item) is False
