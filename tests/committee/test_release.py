"""Writes that were several steps in a view are one service in one transaction; the release tells the higher apps."""

import pytest
from django.core.exceptions import ValidationError

import committee.services.assignments as assignments
from audit.models import AuditEntry
from committee.hooks import decision_released
from committee.models import Assignment, LetterStatus, Outcome
from committee.services import decision_record, letter_approve, suggested_reviewers_assign
from cooperation.models import Project
from core.hooks import HOOKS
from notifications.models import OutboxEmail
from proposals.models import Proposal
from tests.committee.helpers import committee, decided_setup, proposal_in_review
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def receiver(**kwargs):
        calls.append(kwargs)

    decision_released.register(receiver)
    yield calls
    decision_released.unregister(receiver)


def _approved():
    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                               votes_against=0, support_amount_krw=400_000_000, conditions="Share the data")
    return staff, proposal, decision


def test_decision_released_is_declared_and_cooperation_listens():
    assert HOOKS["committee.decision_released"] is decision_released
    assert [r.__qualname__ for r in decision_released.receivers] == ["project_open_on_approval"]


@pytest.mark.parametrize(("outcome", "extra"), [
    (Outcome.APPROVE, {"support_amount_krw": 400_000_000, "votes_for": 5, "votes_against": 0}),
    (Outcome.REJECT, {"reasons": "No site", "votes_for": 0, "votes_against": 5}),
    (Outcome.DEFER, {"reasons": "Next cycle", "votes_for": 0, "votes_against": 0}),
])
def test_decision_released_is_sent_once_when_the_letter_goes_out_not_when_recorded(heard, outcome, extra):
    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=outcome, by=staff, **extra)
    assert heard == []

    letter_approve(letter=decision.letter, by=staff)

    assert heard == [{"decision": decision, "proposal": proposal, "by": staff}]


def test_a_receiver_that_refuses_rolls_the_release_back(heard):
    staff, proposal, decision = _approved()

    def veto(**kwargs):
        raise ValidationError("Not now")

    decision_released.register(veto)
    try:
        with pytest.raises(ValidationError):
            letter_approve(letter=decision.letter, by=staff)
    finally:
        decision_released.unregister(veto)

    decision.letter.refresh_from_db()
    assert decision.letter.status == LetterStatus.DRAFT
    assert Proposal.objects.get(pk=proposal.pk).decision_released_at is None
    assert not Project.objects.exists()
    assert not OutboxEmail.objects.filter(event="committee_decision").exists()


def test_letter_saved_and_approved_in_one_step():
    staff, _proposal, decision = _approved()

    letter_approve(letter=decision.letter, message="  Congratulations: share the data.  ", by=staff)

    letter = decision.letter
    letter.refresh_from_db()
    assert (letter.status, letter.message) == (LetterStatus.SENT, "Congratulations: share the data.")
    actions = list(
        AuditEntry.objects.filter(action__startswith="letter.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["letter.update", "letter.approve"]
    assert "Congratulations: share the data." in OutboxEmail.objects.get(event="committee_decision").body


def test_letter_save_and_approve_keeps_nothing_when_the_release_fails():
    staff, proposal, decision = _approved()
    Project.objects.create(proposal=proposal, partner_organisation=proposal.organisation, support_amount_krw=1)

    with pytest.raises(ValidationError, match="already has a cooperation project"):
        letter_approve(letter=decision.letter, message="Changed wording", by=staff)

    letter = decision.letter
    letter.refresh_from_db()
    assert (letter.status, letter.message) == (LetterStatus.DRAFT, "")  # the draft starts with no message of its own
    assert not AuditEntry.objects.filter(action__startswith="letter.").exists()


def test_suggested_reviewers_are_assigned_all_or_none():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = committee(5)

    assigned = suggested_reviewers_assign(proposal=proposal, by=staff)

    assert len(assigned) == 3
    assert {a.member_id for a in assigned} <= {m.pk for m in members}
    assert AuditEntry.objects.filter(action="assignment.create").count() == 3


def test_suggested_reviewers_refused_midway_assigns_nobody(monkeypatch):
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    committee(5)
    # The third suggestion has gone inactive since the suggestions were worked out.
    suggested = assignments.assignment_suggest(proposal=proposal)
    suggested[2].is_active = False
    monkeypatch.setattr(assignments, "assignment_suggest", lambda **kwargs: suggested)

    with pytest.raises(ValidationError, match="is not an active committee member"):
        suggested_reviewers_assign(proposal=proposal, by=staff)

    assert not Assignment.objects.filter(proposal=proposal).exists()
    assert not OutboxEmail.objects.filter(event="committee_assigned").exists()
