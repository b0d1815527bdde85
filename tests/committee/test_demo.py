import io

import pytest
from django.utils import timezone

from committee import demo as committee_demo
from committee.models import (
    CommitteeMember,
    LetterStatus,
    Meeting,
    MeetingStatus,
    MemberKind,
    MinutesStatus,
    Outcome,
    Rubric,
)
from proposals import demo as proposals_demo
from proposals.cycles import SEOUL
from proposals.workflow import Status

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_full_committee_once():
    proposals_demo.seed(stdout=io.StringIO())

    committee_demo.seed(stdout=io.StringIO())
    committee_demo.seed(stdout=io.StringIO())

    members = CommitteeMember.objects.select_related("user")
    assert members.count() == 24
    assert members.filter(kind=MemberKind.GOVERNMENT).count() == 10
    assert members.filter(kind=MemberKind.PRIVATE).count() == 14
    co_chairs = {(m.kind, m.affiliation) for m in members.filter(is_co_chair=True)}
    assert co_chairs == {(MemberKind.GOVERNMENT, "Minister of Land, Infrastructure and Transport"),
                         (MemberKind.PRIVATE, "KAIST, Graduate School of Urban Studies")}
    assert members.filter(user__email="member@example.org").exists()
    assert all(m.user.check_password("kcity-demo-2026") for m in members.filter(user__email__startswith="committee."))
    rubric = Rubric.objects.get(programme__slug="kcity")
    assert [c.name for c in rubric.criteria.all()][:2] == ["Feasibility and site readiness",
                                                           "Expected impact for the city"]
    assert sum(c.weight for c in rubric.criteria.all()) == 100
    assert Meeting.objects.count() == 2


def test_demo_held_meeting_meets_the_rules():
    proposals_demo.seed(stdout=io.StringIO())
    committee_demo.seed(stdout=io.StringIO())

    held = Meeting.objects.get(programme__slug="sandbox")
    coming = Meeting.objects.get(programme__slug="kcity")
    decision = held.decisions.get()
    assert (held.status, coming.status) == (MeetingStatus.CLOSED, MeetingStatus.SCHEDULED)
    assert held.opened_at.astimezone(SEOUL).date() == held.starts_at.astimezone(SEOUL).date() < timezone.localdate()
    assert held.minutes.status == MinutesStatus.FINAL
    assert held.attendances.filter(present=True).count() == 19
    assert (decision.outcome, decision.votes_for, decision.members_present, decision.votes_needed) == (
        Outcome.APPROVE, 16, 19, 10)
    assert decision.votes_for >= decision.votes_needed and decision.members_present >= decision.quorum_required
    assert decision.proposal.status == Status.APPROVED
    assert decision.letter.status == LetterStatus.DRAFT
