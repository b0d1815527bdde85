from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from committee import selectors
from committee.models import Decision, DecisionLetter, LetterStatus, Outcome, VotingMode
from committee.services import (
    QuorumNotMet,
    RuleNotMet,
    assignment_create,
    conflict_declare,
    decision_record,
    letter_approve,
    review_submit,
    vote_cast,
    weighted_total,
)
from cooperation.models import Project
from notifications.models import Notice, OutboxEmail
from proposals.models import HistoryKind, StatusChange
from proposals.workflow import Status
from tests.committee.helpers import decided_setup, meeting_for, member, proposal_in_review, rubric
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _scores(criteria, values):
    return {c.pk: {"value": v, "comment": f"c{c.pk}"} for c, v in zip(criteria, values, strict=True)}


# --- weighted totals ---------------------------------------------------------------------------------------


def test_weighted_total_kcity_weights_exact():
    pairs = list(zip([5, 4, 3, 4, 2, 5], [Decimal(w) for w in (20, 20, 15, 15, 15, 15)], strict=True))

    assert weighted_total(pairs) == Decimal("3.90")


def test_weighted_total_rounds_half_up_to_two_places():
    assert weighted_total([(4, Decimal("1")), (5, Decimal("2"))]) == Decimal("4.67")  # 14/3 = 4.666…
    assert weighted_total([(5, Decimal("1")), (4, Decimal("2"))]) == Decimal("4.33")  # 13/3 = 4.333…
    assert weighted_total([(1, Decimal("1")), (2, Decimal("7"))]) == Decimal("1.88")  # 15/8 = 1.875 → up


def test_weighted_total_weights_are_normalised():
    values = [5, 4, 3, 4, 2, 5]
    big = zip(values, [Decimal(w) for w in (20, 20, 15, 15, 15, 15)], strict=True)
    small = zip(values, [Decimal(w) for w in (4, 4, 3, 3, 3, 3)], strict=True)

    assert weighted_total(big) == weighted_total(small) == Decimal("3.90")


def test_review_submit_stores_exact_weighted_total():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)

    review = review_submit(member=reviewer, proposal=proposal, scores=_scores(criteria, [4, 4, 5, 3, 2, 4]))

    # (80 + 80 + 75 + 45 + 30 + 60) / 100 = 3.70
    assert review.weighted_total == Decimal("3.70")
    assert [s.value for s in review.scores.order_by("criterion__order")] == [4, 4, 5, 3, 2, 4]


def test_review_submit_refuses_missing_or_out_of_range_scores():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)
    scores = _scores(criteria, [4, 4, 6, 3, 2, 4])
    del scores[criteria[0].pk]

    with pytest.raises(ValidationError) as error:
        review_submit(member=reviewer, proposal=proposal, scores=scores)

    assert set(error.value.message_dict) == {f"criterion_{criteria[0].pk}", f"criterion_{criteria[2].pk}"}


# --- conflicts ---------------------------------------------------------------------------------------------


def test_review_submit_refused_before_declaration():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)

    with pytest.raises(PermissionDenied):
        review_submit(member=reviewer, proposal=proposal, scores=_scores(criteria, [3] * 6))


def test_conflicted_member_cannot_score_and_the_record_shows_it():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=True, reason="My firm advised the city")

    with pytest.raises(PermissionDenied, match="conflict of interest"):
        review_submit(member=reviewer, proposal=proposal, scores=_scores(criteria, [3] * 6))

    declaration = selectors.declaration_for(member=reviewer, proposal=proposal)
    assert (declaration.has_conflict, declaration.reason) == (True, "My firm advised the city")


def test_conflict_declaration_needs_reason_and_cannot_be_withdrawn():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    reviewer = member()
    assignment_create(proposal=proposal, member=reviewer, by=staff)

    with pytest.raises(ValidationError):
        conflict_declare(member=reviewer, proposal=proposal, has_conflict=True, reason=" ")
    conflict_declare(member=reviewer, proposal=proposal, has_conflict=True, reason="Relative at the city hall")

    from core.errors import TransitionRefused

    with pytest.raises(TransitionRefused):
        conflict_declare(member=reviewer, proposal=proposal, has_conflict=False)


def test_conflict_declare_refused_for_a_proposal_not_before_the_member():
    proposal = proposal_in_review()
    outsider = member()

    with pytest.raises(PermissionDenied):
        conflict_declare(member=outsider, proposal=proposal, has_conflict=False)


def test_conflicted_member_cannot_vote():
    _staff, _proposal, members, meeting = decided_setup(size=5, conflicted=1)
    item = meeting.agenda_items.get()

    with pytest.raises(PermissionDenied, match="conflict of interest"):
        vote_cast(member=members[-1], agenda_item=item, choice="for")


def test_online_meeting_decides_by_the_members_own_votes_and_refuses_a_typed_count():
    staff, proposal, members, meeting = decided_setup(size=5, voting_mode=VotingMode.ONLINE)
    item = meeting.agenda_items.get()
    for m in members[:3]:
        conflict_declare(member=m, proposal=proposal, has_conflict=False)
        vote_cast(member=m, agenda_item=item, choice="for")

    with pytest.raises(ValidationError, match="votes online: the decision takes the members' own votes"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                         votes_against=0, support_amount_krw=300_000_000)
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff,
                               support_amount_krw=300_000_000)

    assert (decision.votes_for, decision.votes_against, decision.votes_needed, decision.voting_mode) == (
        3, 0, 3, VotingMode.ONLINE)


# --- scores hidden until one's own is in ----------------------------------------------------------------------


def test_spread_hidden_until_own_review_submitted():
    from committee import rules

    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    criteria = list(rubric(proposal.track.programme).criteria.all())
    first, second = member(), member()
    for m in (first, second):
        assignment_create(proposal=proposal, member=m, by=staff)
        conflict_declare(member=m, proposal=proposal, has_conflict=False)
    review_submit(member=first, proposal=proposal, scores=_scores(criteria, [5, 5, 5, 5, 5, 5]))

    assert rules.can_see_spread(second.user, proposal) is False
    assert rules.can_see_spread(first.user, proposal) is True

    review_submit(member=second, proposal=proposal, scores=_scores(criteria, [2, 3, 4, 4, 4, 4]))
    spread = selectors.score_spread(proposal=proposal)

    assert rules.can_see_spread(second.user, proposal) is True
    assert [(r.minimum, r.median, r.maximum, r.count) for r in spread.criteria][:3] == [
        (2, Decimal("3.50"), 5, 2), (3, Decimal("4.00"), 5, 2), (4, Decimal("4.50"), 5, 2)
    ]
    # (40 + 60 + 60 + 60 + 60 + 60) / 100 = 3.40; the other is 5.00
    assert (spread.total_min, spread.total_median, spread.total_max) == (
        Decimal("3.40"), Decimal("4.20"), Decimal("5.00")
    )


# --- quorum ------------------------------------------------------------------------------------------------------


def test_decision_refused_without_quorum():
    staff, proposal, _members, meeting = decided_setup(size=5, present=2)  # 5 serving: 3 needed

    with pytest.raises(QuorumNotMet, match="2 eligible members present, 3 needed"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=2, reasons="Not ready")

    assert Decision.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_REVIEW


def test_decision_refused_without_a_co_chair():
    staff = StaffFactory(language="en")
    proposal = proposal_in_review(staff=staff)
    members = [member(co_chair=i == 0) for i in range(5)]
    meeting = meeting_for(proposal, staff=staff, opened=True)
    from committee.services import attendance_record

    attendance_record(meeting=meeting, present=members[1:], by=staff)

    with pytest.raises(QuorumNotMet, match="co-chair"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=4, reasons="Not ready")


def test_conflicted_members_do_not_count_towards_quorum():
    staff, proposal, members, meeting = decided_setup(size=5, present=3, conflicted=0)
    conflict_declare(member=members[2], proposal=proposal, has_conflict=True, reason="Shareholder")

    with pytest.raises(QuorumNotMet, match="2 eligible members present, 3 needed"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=2, reasons="Not ready")


def test_decision_with_quorum_met_records_quorum_and_recusals():
    staff, proposal, members, meeting = decided_setup(size=5, present=5)
    conflict_declare(member=members[4], proposal=proposal, has_conflict=True, reason="Shareholder")

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=1,
                               votes_against=3, votes_abstain=0, reasons="Site not secured")

    assert (decision.members_present, decision.quorum_required, decision.co_chair_present) == (4, 3, True)
    assert list(decision.recused.all()) == [members[4]]


def test_decision_refused_when_votes_exceed_eligible_members():
    staff, proposal, _members, meeting = decided_setup(size=5, present=5, conflicted=1)

    with pytest.raises(ValidationError, match="5 votes recorded but only 4"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=5, reasons="No")


# --- decisions through the workflow ----------------------------------------------------------------------------


def test_approval_above_track_cap_refused():
    staff, proposal, _members, meeting = decided_setup()

    with pytest.raises(ValidationError) as error:
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                        votes_against=0, support_amount_krw=700_000_001)

    assert "700,000,000" in error.value.message_dict["support_amount_krw"][0]
    assert Project.objects.count() == 0


def test_approval_at_track_cap_moves_proposal_and_its_release_opens_the_project():
    staff, proposal, _members, meeting = decided_setup()

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=4,
                               votes_against=1, support_amount_krw=700_000_000, conditions="Train 20 officials")

    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    last = StatusChange.objects.filter(proposal=proposal).last()
    assert (last.from_status, last.to_status, last.by, last.note) == (
        Status.COMMITTEE_REVIEW, Status.APPROVED, staff,
        "Decided by the committee at “First committee meeting”; the decision letter follows.",
    )
    assert decision.letter.status == LetterStatus.DRAFT
    # The project opens when the decision is released (its letter sent), not when it is recorded.
    assert Project.objects.count() == 0

    letter_approve(letter=decision.letter, by=staff)

    project = Project.objects.get(proposal=proposal)
    assert (project.partner_organisation_id, project.support_amount_krw, project.conditions, project.opened_by) == (
        proposal.organisation_id, 700_000_000, "Train 20 officials", staff
    )
    assert Project.objects.count() == 1


def test_rejection_moves_proposal_and_opens_no_project():
    staff, proposal, _members, meeting = decided_setup()

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=1,
                               votes_against=4, reasons="The site is not available")
    letter_approve(letter=decision.letter, by=staff)  # released: still no project

    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED
    assert Project.objects.count() == 0


def test_rejection_without_reasons_refused():
    staff, proposal, _members, meeting = decided_setup()

    with pytest.raises(ValidationError):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                        votes_against=5, reasons="")


def test_deferral_keeps_committee_review_and_moves_to_next_cycle_when_the_letter_is_sent():
    staff, proposal, _members, meeting = decided_setup()
    year = proposal.cycle.year
    changes_before = StatusChange.objects.filter(proposal=proposal).count()

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.DEFER, by=staff, votes_for=0,
                               votes_against=0, votes_abstain=5, reasons="Await the city's budget law")
    proposal.refresh_from_db()
    pending = (proposal.status, proposal.cycle.year, StatusChange.objects.filter(proposal=proposal).count())
    letter_approve(letter=decision.letter, by=staff)

    assert pending == (Status.COMMITTEE_REVIEW, year, changes_before)
    proposal.refresh_from_db()
    assert proposal.decision_released_at is None  # nothing decided for good: the next decision waits its letter
    assert (proposal.status, proposal.cycle.year) == (Status.COMMITTEE_REVIEW, year + 1)
    last = StatusChange.objects.filter(proposal=proposal).last()
    # A history row of its own kind, not a status change: the status stays, the row names the new cycle.
    assert (last.kind, last.from_status, last.to_status, last.cycle_year, last.note) == (
        HistoryKind.DEFERRAL, Status.COMMITTEE_REVIEW, Status.COMMITTEE_REVIEW, year + 1, ""
    )
    assert last.deferral_label == f"Deferred to the {year + 1} cycle."


def test_no_second_decision_while_a_deferral_letter_is_unsent():
    from core.errors import TransitionRefused

    staff, proposal, _members, meeting = decided_setup()
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.DEFER, by=staff, votes_for=0,
                    votes_against=0, votes_abstain=5, reasons="Await the city's budget law")
    later = meeting_for(proposal, staff=staff, opened=True)

    with pytest.raises(TransitionRefused, match="waiting for its letter"):
        decision_record(meeting=later, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                        votes_against=0, support_amount_krw=100_000_000)


def test_approval_below_the_rule_is_refused_with_the_numbers():
    staff, proposal, _members, meeting = decided_setup()

    with pytest.raises(RuleNotMet, match=r"^The decision does not meet the rule: 2 for of 5 present; needs 3\.$"):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=2,
                        votes_against=2, support_amount_krw=100_000_000)


def test_second_decision_on_same_proposal_refused():
    from core.errors import TransitionRefused

    staff, proposal, _members, meeting = decided_setup()
    decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                    votes_against=5, reasons="No")

    with pytest.raises(TransitionRefused):
        decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.APPROVE, by=staff, votes_for=5,
                        votes_against=0, support_amount_krw=1)


# --- decision letters ----------------------------------------------------------------------------------------


def test_reasons_reach_the_applicant_only_with_the_approved_letter():
    staff, proposal, _members, meeting = decided_setup()

    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                               votes_against=5, reasons="Confidential: the site is contested")
    before = "".join(OutboxEmail.objects.filter(user=proposal.owner).values_list("body", flat=True))
    letter_approve(letter=decision.letter, by=staff)
    after = OutboxEmail.objects.get(user=proposal.owner, event="committee_decision").body

    assert "Confidential: the site is contested" not in before
    assert "Confidential: the site is contested" in after


def test_letter_approval_notifies_the_applicant_once():
    staff, proposal, _members, meeting = decided_setup()
    proposal.owner.language = "ko"
    proposal.owner.save(update_fields=["language"])
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                               votes_against=5, reasons="The site is not available")
    letter = DecisionLetter.objects.get(decision=decision)
    assert not Notice.objects.filter(user=proposal.owner, event="committee_decision").exists()

    letter_approve(letter=letter, by=staff)

    letter.refresh_from_db()
    assert (letter.status, letter.approved_by) == (LetterStatus.SENT, staff)
    email = OutboxEmail.objects.get(user=proposal.owner, event="committee_decision")
    assert "The site is not available" in email.body
    assert Notice.objects.filter(user=proposal.owner, event="committee_decision").count() == 1


def test_letter_cannot_be_sent_twice():
    from core.errors import TransitionRefused

    staff, proposal, _members, meeting = decided_setup()
    decision = decision_record(meeting=meeting, proposal=proposal, outcome=Outcome.REJECT, by=staff, votes_for=0,
                               votes_against=5, reasons="No")
    letter_approve(letter=decision.letter, by=staff)

    with pytest.raises(TransitionRefused):
        letter_approve(letter=decision.letter, by=staff)


@pytest.mark.parametrize(
    ("serving", "fraction", "required"),
    [(24, Decimal("0.50"), 13), (23, Decimal("0.50"), 12), (5, Decimal("0.50"), 3), (4, Decimal("0.50"), 3),
     (24, Decimal("0.66"), 16), (24, Decimal("0.67"), 17)],
)
def test_quorum_required_is_more_than_the_fraction(serving, fraction, required):
    assert selectors.quorum_required(serving=serving, fraction=fraction) == required


def test_members_outside_their_term_do_not_count_as_serving():
    import datetime

    _staff, proposal, members, meeting = decided_setup(size=5, present=3)
    members[1].term_end = datetime.date(2025, 12, 31)
    members[1].save(update_fields=["term_end"])

    quorum = selectors.quorum_for(meeting=meeting, proposal=proposal)

    assert (quorum.serving, quorum.required, quorum.present) == (4, 3, 2)
