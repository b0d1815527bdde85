"""The committee API decides who may act before it reads the body: the same refusal for valid and invalid input."""

import pytest
from rest_framework.test import APIClient

from committee.services import assignment_create
from tests.committee.helpers import member, proposal_in_review, rubric
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/committee"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def setup():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    rubric(proposal.track.programme)
    reviewer, outsider = member(), member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    return proposal, reviewer, outsider


def test_member_creating_an_assignment_gets_the_same_403_whether_or_not_it_exists(setup):
    proposal, reviewer, outsider = setup
    api = _api(outsider.user)

    existing = api.post(f"{BASE}/assignments/", {"member": reviewer.pk, "proposal": proposal.pk}, format="json")
    new = api.post(f"{BASE}/assignments/", {"member": outsider.pk, "proposal": proposal.pk}, format="json")
    invalid = api.post(f"{BASE}/assignments/", {"member": "x", "proposal": 999999}, format="json")

    assert [r.status_code for r in (existing, new, invalid)] == [403, 403, 403]
    assert existing.json() == new.json() == invalid.json() == {
        "detail": "Only MOLIT staff and the secretariat can do this."
    }


@pytest.mark.parametrize("body", [
    {"comment": "fine", "scores": "valid"},
    {"comment": "fine", "scores": "not a list"},
    {"scores": [{"criterion": "x", "value": 99}]},
])
def test_non_assigned_member_reviewing_gets_the_same_403_for_any_body(setup, body):
    proposal, _reviewer, outsider = setup
    if body.get("scores") == "valid":
        body = {**body, "scores": [{"criterion": c.pk, "value": 4, "comment": ""}
                                   for c in rubric(proposal.track.programme).criteria.all()]}

    response = _api(outsider.user).post(f"{BASE}/reviews/", {"proposal": proposal.pk, **body}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "This proposal is not before you."}


@pytest.mark.parametrize("proposal_id", ["existing", 999999, "abc"])
@pytest.mark.parametrize("has_conflict", [False, "maybe"])
def test_non_assigned_member_declaring_gets_the_same_403(setup, proposal_id, has_conflict):
    proposal, _reviewer, outsider = setup
    pk = proposal.pk if proposal_id == "existing" else proposal_id

    response = _api(outsider.user).post(f"{BASE}/declarations/", {"proposal": pk, "has_conflict": has_conflict},
                                        format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "This proposal is not before you."}


def test_staff_casting_a_vote_is_refused_before_the_body_is_read(setup):
    response = _api(StaffFactory()).post(f"{BASE}/votes/", {"agenda_item": "nonsense"}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "Only committee members can do this."}


def test_filtering_by_a_proposal_id_does_not_reveal_whether_it_exists(setup):
    proposal, _reviewer, outsider = setup
    api = _api(outsider.user)

    existing = api.get(f"{BASE}/assignments/", {"proposal": proposal.pk})
    missing = api.get(f"{BASE}/assignments/", {"proposal": 999999})

    assert (existing.status_code, missing.status_code) == (200, 200)
    assert existing.json()["results"] == missing.json()["results"] == []


@pytest.mark.parametrize("path", ["proposals/abc/", "proposals/abc/spread/", "proposals/1.5/", "meetings/x/"])
def test_non_numeric_ids_are_404_in_json(setup, path):
    _proposal, reviewer, _outsider = setup

    response = _api(reviewer.user).get(f"{BASE}/{path}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Not found."


def test_staff_adding_an_existing_assignment_gets_409(setup):
    proposal, reviewer, _outsider = setup

    response = _api(StaffFactory()).post(f"{BASE}/assignments/", {"member": reviewer.pk, "proposal": proposal.pk},
                                         format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "This member already reviews this proposal.", "code": "exists"}
