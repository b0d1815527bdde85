import io

import pytest

from committee import demo as committee_demo
from committee.models import CommitteeMember, Meeting, MemberKind, Rubric
from proposals import demo as proposals_demo

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
    assert Meeting.objects.count() == 1
