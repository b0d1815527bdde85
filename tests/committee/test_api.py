import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from committee.models import Decision, Review, VotingMode
from committee.services import assignment_create, attendance_record, conflict_declare, letter_approve, review_submit
from cooperation.models import Project
from proposals.workflow import Status
from tests.committee.helpers import committee, meeting_for, member, proposal_in_review, rubric
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/committee"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _assigned(**kwargs):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    reviewer = member(**kwargs)
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    return staff, proposal, reviewer


def _scores(proposal, value=4):
    return [{"criterion": c.pk, "value": value, "comment": ""} for c in rubric(proposal.track.programme).criteria.all()]


def test_member_without_declaration_gets_403_on_content():
    _staff, proposal, reviewer = _assigned()

    response = _api(reviewer.user).get(f"{BASE}/proposals/{proposal.pk}/")

    assert response.status_code == 403
    assert response.json()["detail"] == "Declare whether you have a conflict of interest before reading this proposal."


def test_member_declares_no_conflict_then_reads_content():
    _staff, proposal, reviewer = _assigned()
    api = _api(reviewer.user)

    declared = api.post(f"{BASE}/declarations/", {"proposal": proposal.pk, "has_conflict": False}, format="json")
    response = api.get(f"{BASE}/proposals/{proposal.pk}/")

    assert declared.status_code == 201
    assert declared.json()["member"] == reviewer.pk
    assert response.status_code == 200
    assert response.json()["problem_statement"] == proposal.problem_statement
    assert response.json()["attachments"][0]["url"] == proposal.attachments.first().get_absolute_url()


def test_proposal_not_before_member_is_404():
    staff, _proposal, reviewer = _assigned()
    other = proposal_in_review(staff=staff)

    assert _api(reviewer.user).get(f"{BASE}/proposals/{other.pk}/").status_code == 404


def test_conflicted_member_cannot_read_score_or_vote_via_api():
    staff, proposal, reviewer = _assigned(co_chair=True)
    meeting = meeting_for(proposal, staff=staff, opened=True, voting_mode=VotingMode.ONLINE)
    attendance_record(meeting=meeting, present=[reviewer, *committee(3)], by=staff)
    api = _api(reviewer.user)
    api.post(f"{BASE}/declarations/", {"proposal": proposal.pk, "has_conflict": True, "reason": "Adviser"},
             format="json")

    read = api.get(f"{BASE}/proposals/{proposal.pk}/")
    score = api.post(f"{BASE}/reviews/", {"proposal": proposal.pk, "scores": _scores(proposal)}, format="json")
    vote = api.post(f"{BASE}/votes/", {"agenda_item": meeting.agenda_items.get().pk, "choice": "for"},
                    format="json")

    assert (read.status_code, score.status_code, vote.status_code) == (403, 403, 403)
    assert "conflict of interest" in read.json()["detail"]
    assert not Review.objects.exists()


def test_review_via_api_and_spread_only_after_own_review():
    staff, proposal, reviewer = _assigned()
    other = member()
    assignment_create(proposal=proposal, member=other, by=staff)
    conflict_declare(member=other, proposal=proposal, has_conflict=False)
    review_submit(member=other, proposal=proposal, scores={s["criterion"]: s for s in _scores(proposal, 2)})
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    api = _api(reviewer.user)

    hidden = api.get(f"{BASE}/proposals/{proposal.pk}/spread/")
    created = api.post(f"{BASE}/reviews/", {"proposal": proposal.pk, "scores": _scores(proposal, 4)}, format="json")
    shown = api.get(f"{BASE}/proposals/{proposal.pk}/spread/")
    mine = api.get(f"{BASE}/reviews/")

    assert hidden.status_code == 403
    assert created.status_code == 201
    assert created.json()["weighted_total"] == "4.00"
    assert shown.json()["total_min"] == "2.00" and shown.json()["total_median"] == "3.00"
    assert shown.json()["criteria"][0] == {"criterion": "Feasibility and site readiness", "minimum": 2,
                                           "median": "3.00", "maximum": 4, "count": 2}
    assert [r["id"] for r in mine.json()["results"]] == [created.json()["id"]]


def test_invalid_score_via_api_is_400_with_field():
    _staff, proposal, reviewer = _assigned()
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    scores = _scores(proposal)
    scores[0]["value"] = 9

    response = _api(reviewer.user).post(f"{BASE}/reviews/", {"proposal": proposal.pk, "scores": scores},
                                        format="json")

    assert response.status_code == 400


def test_applicant_gets_403_everywhere():
    _staff, proposal, _reviewer = _assigned()
    api = _api(proposal.owner)

    for path in ("meetings/", "assignments/", "reviews/", "decisions/", f"proposals/{proposal.pk}/"):
        assert api.get(f"{BASE}/{path}").status_code == 403


def test_member_cannot_create_meetings_or_decisions():
    staff, proposal, reviewer = _assigned()
    meeting = meeting_for(proposal, staff=staff)

    response = _api(reviewer.user).post(f"{BASE}/decisions/", {
        "meeting": meeting.pk, "proposal": proposal.pk, "outcome": "approve", "support_amount_krw": 1,
        "votes_for": 9, "votes_against": 0}, format="json")

    assert response.status_code == 403


def test_staff_api_flow_agenda_attendance_quorum_and_decision():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(5)
    api = _api(staff)
    created = api.post(f"{BASE}/meetings/", {
        "programme": proposal.track.programme_id, "cycle": proposal.cycle_id, "title": "Second meeting",
        "starts_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(), "place": "Sejong"}, format="json")
    meeting_id = created.json()["id"]
    api.post(f"{BASE}/agenda-items/", {"meeting": meeting_id, "proposal": proposal.pk}, format="json")
    decision = {"meeting": meeting_id, "proposal": proposal.pk, "outcome": "approve",
                "support_amount_krw": 500_000_000, "conditions": "Share data", "votes_for": 3, "votes_against": 0}
    not_open = api.post(f"{BASE}/decisions/", decision, format="json")
    opened = api.post(f"{BASE}/meetings/{meeting_id}/open/", format="json")
    api.post(f"{BASE}/meetings/{meeting_id}/attendance/", {"present": [m.pk for m in members[:2]]}, format="json")

    no_quorum = api.post(f"{BASE}/decisions/", decision, format="json")
    api.post(f"{BASE}/meetings/{meeting_id}/attendance/", {"present": [m.pk for m in members[:3]]}, format="json")
    over_cap = api.post(f"{BASE}/decisions/", {**decision, "support_amount_krw": 700_000_001}, format="json")
    done = api.post(f"{BASE}/decisions/", decision, format="json")

    assert created.status_code == 201
    assert (not_open.status_code, not_open.json()["detail"]) == (
        400, "The meeting has not been opened; open it on its date first.")
    assert (opened.status_code, opened.json()["status"]) == (200, "open")
    assert (no_quorum.status_code, no_quorum.json()["code"]) == (400, "quorum_not_met")
    assert over_cap.status_code == 400 and "support_amount_krw" in over_cap.json()
    assert done.status_code == 201
    assert (done.json()["members_present"], done.json()["quorum_required"]) == (3, 3)
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert Decision.objects.count() == 1
    # The project opens when the decision is released (its letter sent), not when it is recorded.
    assert not Project.objects.filter(proposal=proposal).exists()
    letter_approve(letter=Decision.objects.get().letter, by=staff)
    assert Project.objects.get(proposal=proposal).support_amount_krw == 500_000_000


def test_staff_gets_assignment_suggestions_and_assigns():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(4)
    api = _api(staff)

    suggested = api.get(f"{BASE}/assignments/suggestions/{proposal.pk}/")
    created = api.post(f"{BASE}/assignments/", {"proposal": proposal.pk, "member": members[0].pk}, format="json")

    assert len(suggested.json()) == 3
    assert created.status_code == 201


def test_token_caller_is_answered_in_their_own_language():
    # The token is read inside DRF's view, after the language middleware: the committee viewsets derive from
    # core.api.PortalViewSet, which applies the caller's language once it knows who is calling.
    _staff, proposal, reviewer = _assigned(language="ko")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer.user).key}")

    response = client.get(f"{BASE}/proposals/{proposal.pk}/")

    assert response.status_code == 403
    assert response.json()["detail"] == "이 제안서를 열람하기 전에 이해충돌 여부를 신고하십시오."
