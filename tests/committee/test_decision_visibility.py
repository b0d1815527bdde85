"""A committee decision stays with staff (and the members who took it) until the reviewed letter is released."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from committee.models import Outcome
from committee.services import decision_record, letter_approve
from proposals.models import Cycle
from proposals.workflow import Status
from tests.committee.helpers import decided_setup, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved():
    """Six members: five present and eligible, one present but recused (conflict); a seventh serving but absent."""
    staff, proposal, members, meeting = decided_setup(size=6, present=6, conflicted=1)
    absent = member()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=4,
                               votes_against=1, support_amount_krw=300_000_000, conditions="Share the data.")
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    return {"staff": staff, "proposal": proposal, "present": members[:5], "recused": members[5],
            "absent": absent, "decision": decision}


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_applicant_page_says_decision_being_prepared_until_the_letter_is_released(approved):
    proposal = approved["proposal"]
    browser = _browser(proposal.owner)

    html = browser.get(proposal.get_absolute_url()).content.decode()

    assert 'data-status="committee_review">Decision being prepared</span>' in html
    assert "Approved" not in html


def test_applicant_page_shows_approved_once_the_letter_is_released(approved):
    proposal = approved["proposal"]
    letter_approve(letter=approved["decision"].letter, by=approved["staff"])

    html = _browser(proposal.owner).get(proposal.get_absolute_url()).content.decode()

    assert 'data-status="approved">Approved</span>' in html
    assert "Decision being prepared" not in html


def test_applicant_page_in_korean_says_decision_being_prepared(approved):
    proposal = approved["proposal"]
    proposal.owner.language = "ko"
    proposal.owner.save(update_fields=["language"])

    html = _browser(proposal.owner).get(proposal.get_absolute_url()).content.decode()

    assert "결정 준비 중" in html


def test_workspace_shows_decision_being_prepared(approved):
    proposal = approved["proposal"]

    html = _browser(proposal.owner).get(reverse("proposals:workspace")).content.decode()

    assert 'data-status="committee_review">Decision being prepared</span>' in html
    assert 'data-status="approved"' not in html


def test_api_detail_list_filter_and_history_hide_the_outcome(approved):
    proposal = approved["proposal"]
    api = _api(proposal.owner)

    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    listed = api.get("/api/v1/proposals/").json()["results"]
    by_approved = api.get("/api/v1/proposals/?status=approved").json()["results"]
    by_review = api.get("/api/v1/proposals/?status=committee_review").json()["results"]
    history = api.get(f"/api/v1/proposals/{proposal.pk}/history/").json()["results"]

    assert (detail["status"], detail["status_display"]) == ("committee_review", "Decision being prepared")
    assert [(p["status"], p["status_display"]) for p in listed] == [("committee_review", "Decision being prepared")]
    assert by_approved == []
    assert [p["id"] for p in by_review] == [proposal.pk]
    assert [(h["to_status"], h["to_status_display"]) for h in history][-1] == (
        "committee_review", "Decision being prepared")
    assert "approved" not in str(history)


def test_api_shows_approved_after_release(approved):
    proposal = approved["proposal"]
    letter_approve(letter=approved["decision"].letter, by=approved["staff"])
    api = _api(proposal.owner)

    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    history = api.get(f"/api/v1/proposals/{proposal.pk}/history/").json()["results"]

    assert (detail["status"], detail["status_display"]) == ("approved", "Approved")
    assert (history[-1]["to_status"], history[-1]["to_status_display"]) == ("approved", "Approved")


def test_staff_see_the_decision_at_once(approved):
    proposal = approved["proposal"]

    detail = _api(approved["staff"]).get(f"/api/v1/proposals/{proposal.pk}/").json()

    assert (detail["status"], detail["status_display"]) == ("approved", "Approved")


def test_stats_leave_out_an_unreleased_approval_and_count_it_once_released(approved, client):
    proposal = approved["proposal"]
    Cycle.objects.filter(pk=proposal.cycle_id).update(year=2025, cutoff=datetime.date(2025, 4, 30))
    row = '<th scope="row">2025</th>'

    def tables():
        html = " ".join(client.get(reverse("stats")).content.decode().split())
        return {name: html[html.index(f'id="{name}"'):html.index("</table>", html.index(f'id="{name}"'))]
                for name in ("track-record", "pipeline")}

    before = tables()
    letter_approve(letter=approved["decision"].letter, by=approved["staff"])
    after = tables()

    assert row not in before["track-record"]
    # In the pipeline the proposal is one submitted, still under review, none approved.
    assert (f'{row}<td class="text-end">1</td><td class="text-end">1</td><td class="text-end">0</td>'
            in before["pipeline"].replace("> <", "><"))
    assert f'{row} <td class="text-end">1</td> <td class="text-end text-nowrap">KRW 300 million</td>' in after[
        "track-record"]
    assert (f'{row}<td class="text-end">1</td><td class="text-end">0</td><td class="text-end">1</td>'
            in after["pipeline"].replace("> <", "><"))


def test_decisions_api_shows_members_present_and_not_recused(approved):
    decision = approved["decision"]

    answers = {m.pk: _api(m.user).get("/api/v1/committee/decisions/").json()["results"] for m in approved["present"]}

    for results in answers.values():
        assert [(d["id"], d["outcome"], d["support_amount_krw"]) for d in results] == [
            (decision.pk, "approve", 300_000_000)]
        assert results[0]["recused"] == [approved["recused"].pk]


@pytest.mark.parametrize("who", ["recused", "absent"])
def test_decisions_api_hides_decisions_from_recused_and_absent_members(approved, who):
    user = approved[who].user
    api = _api(user)

    listed = api.get("/api/v1/committee/decisions/")
    one = api.get(f"/api/v1/committee/decisions/{approved['decision'].pk}/")

    assert listed.status_code == 200
    assert listed.json()["results"] == []
    assert one.status_code == 404


def test_decisions_api_staff_read_every_decision(approved):
    results = _api(approved["staff"]).get("/api/v1/committee/decisions/").json()["results"]

    assert [d["id"] for d in results] == [approved["decision"].pk]


def test_member_proposal_page_does_not_show_the_outcome_before_release(approved):
    proposal = approved["proposal"]
    absent_member_view = _browser(approved["present"][0].user).get(proposal.get_absolute_url())

    assert "Approved" not in absent_member_view.content.decode()


def test_refusal_message_does_not_name_the_hidden_outcome(approved):
    proposal = approved["proposal"]

    response = _browser(proposal.owner).post(reverse("proposals:withdraw", args=[proposal.pk]),
                                             {"reason": "We changed our plans."})

    assert "approved" not in response.content.decode().lower().replace('data-status="', "")


def test_released_at_is_set_by_the_letter(approved):
    proposal = approved["proposal"]
    assert proposal.decision_released_at is None

    before = timezone.now()
    letter_approve(letter=approved["decision"].letter, by=approved["staff"])

    proposal.refresh_from_db()
    assert proposal.decision_released_at >= before


def test_withdraw_refusal_from_the_service_does_not_name_the_hidden_outcome(approved):
    from core.errors import TransitionRefused
    from proposals.services import proposal_withdraw

    proposal = approved["proposal"]

    with pytest.raises(TransitionRefused) as refusal:
        proposal_withdraw(proposal=proposal, by=proposal.owner, reason="We changed our plans.")

    assert str(refusal.value.message) == (
        "The committee's decision on this proposal is being prepared; it cannot be moved to withdrawn.")


def test_a_deferral_shows_nothing_to_the_applicant_until_its_letter_is_sent():
    staff, proposal, _members, meeting = decided_setup(size=5)
    year = proposal.cycle.year
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.DEFER, by=staff, votes_for=0,
                               votes_against=0, votes_abstain=5, reasons="Await the city's budget law")
    api = _api(proposal.owner)

    before_api = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    before_history = api.get(f"/api/v1/proposals/{proposal.pk}/history/").json()["results"]
    before_page = _browser(proposal.owner).get(proposal.get_absolute_url()).content.decode()
    letter_approve(letter=decision.letter, by=staff)
    after_history = api.get(f"/api/v1/proposals/{proposal.pk}/history/").json()["results"]

    after_api = api.get(f"/api/v1/proposals/{proposal.pk}/").json()

    assert (before_api["cycle_year"], after_api["cycle_year"]) == (year, year + 1)
    assert "Deferred" not in str(before_history)
    assert "Deferred" not in before_page
    assert f"Deferred to the {year + 1} cycle." in str(after_history)
