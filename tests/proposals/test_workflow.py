"""Every move of the workflow table from every state: allowed moves by the right actor, everything else refused."""

import itertools

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from core.errors import TransitionRefused
from notifications.models import Notice, OutboxEmail
from proposals.models import StatusChange
from proposals.services import proposal_resubmit, proposal_submit, proposal_transition
from proposals.workflow import COMMITTEE, OWNER, STAFF, TRANSITIONS, Status
from tests.factories import (
    StaffFactory,
    TrackFactory,
    UserFactory,
    complete_proposal,
    service_levels,
)
from tests.proposals.staff_helpers import committee_decision

pytestmark = pytest.mark.django_db


# The reason of each owner move's refusal (proposals.rules.refusal), the same in the service, pages and API.
OWNER_REFUSALS = {
    "submit": "Only the proposal's owner can submit it.",
    "withdraw": "Only the proposal's owner can withdraw it.",
    "resubmit": "Only the proposal's owner can resubmit it.",
}
ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = [pair for pair in ALL_PAIRS if pair in TRANSITIONS]
REFUSED = [pair for pair in ALL_PAIRS if pair not in TRANSITIONS]


def _proposal_in(status, **kwargs):
    """A proposal of the applicant's team (owner + one collaborator) standing in `status`."""
    if status == Status.DRAFT:
        proposal = complete_proposal(**kwargs)
    else:
        proposal = complete_proposal(status=status, reference=None, **kwargs)
    proposal.collaborators.add(UserFactory(full_name="Budi Santoso"))
    return proposal


def _actor_for(move_actor, proposal):
    if move_actor == OWNER:
        return proposal.owner
    if move_actor == STAFF:
        return StaffFactory()
    return UserFactory(role=Role.COMMITTEE_MEMBER)


def _apply(proposal, source, target, by, note="Reason given"):
    if (source, target) == (Status.DRAFT, Status.SUBMITTED):
        return proposal_submit(proposal=proposal, by=by)
    move = TRANSITIONS[(source, target)]
    decision = committee_decision(proposal, target) if move.actor == COMMITTEE else None
    return proposal_transition(proposal=proposal, to=target, by=by, note=note, decision=decision)


def _nothing_written(proposal, source):
    proposal.refresh_from_db()
    return (
        proposal.status,
        StatusChange.objects.count(),
        AuditEntry.objects.count(),
        Notice.objects.count(),
        OutboxEmail.objects.count(),
    ) == (source, 0, 0, 0, 0)


def test_transition_table_is_the_architecture_diagram():
    expected = {
        ("draft", "submitted"): OWNER,
        ("submitted", "screening"): STAFF,
        ("screening", "info_requested"): STAFF,
        ("screening", "pre_consulting"): STAFF,
        ("screening", "committee_review"): STAFF,
        ("info_requested", "screening"): OWNER,
        ("info_requested", "pre_consulting"): OWNER,
        ("pre_consulting", "info_requested"): STAFF,
        ("pre_consulting", "committee_review"): STAFF,
        ("pre_consulting", "screening"): STAFF,
        ("committee_review", "screening"): STAFF,
        ("committee_review", "approved"): COMMITTEE,
        ("committee_review", "rejected"): COMMITTEE,
        **{
            (source, "withdrawn"): OWNER
            for source in ("draft", "submitted", "screening", "info_requested", "pre_consulting", "committee_review")
        },
    }

    assert {pair: move.actor for pair, move in TRANSITIONS.items()} == expected
    assert (len(ALL_PAIRS), len(ALLOWED), len(REFUSED)) == (81, 19, 62)


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_transition_allowed_writes_change_audit_and_notices(source, target):
    service_levels()
    proposal = _proposal_in(source)
    team = {proposal.owner.email, *proposal.collaborators.values_list("email", flat=True)}
    move = TRANSITIONS[(source, target)]
    by = _actor_for(move.actor, proposal)

    _apply(proposal, source, target, by)

    proposal.refresh_from_db()
    assert proposal.status == target
    change = StatusChange.objects.get(proposal=proposal)
    expected_note = "" if target == Status.SUBMITTED else "Reason given"
    assert (change.from_status, change.to_status, change.by, change.note) == (source, target, by, expected_note)
    transition_audit = AuditEntry.objects.get(action="proposal.transition")
    assert (transition_audit.actor, transition_audit.target_id, transition_audit.data) == (
        by, str(proposal.pk), {"from": source, "to": target}
    )
    # A submission is announced by its acknowledgment; a committee decision only by the reviewed decision
    # letter (committee app); every other move by a status-change notice.
    event = "proposal_acknowledged" if target == Status.SUBMITTED else "proposal_status_changed"
    notices = Notice.objects.all()
    if move.actor == COMMITTEE:
        assert (notices.count(), OutboxEmail.objects.count()) == (0, 0)
    else:
        assert sorted((n.event, n.user.email) for n in notices) == sorted((event, email) for email in team)
        assert {n.url for n in notices} == {f"/proposals/{proposal.pk}/"}
        assert sorted(OutboxEmail.objects.values_list("event", "to_email")) == sorted(
            (event, email) for email in team
        )
    has_target = target in {"submitted", "screening", "info_requested", "pre_consulting", "committee_review"}
    assert (proposal.status_changed_at is not None, proposal.due_at is not None) == (True, has_target)


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_transition_refused_outside_the_table(source, target):
    proposal = _proposal_in(source)
    staff = StaffFactory()

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=target, by=staff, note="Because",
                            decision=committee_decision(proposal, target))

    assert refused.value.message == (
        f"A proposal that is {Status(source).label.lower()} cannot be moved to {Status(target).label.lower()}."
    )
    assert _nothing_written(proposal, source)


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALLOWED if TRANSITIONS[pair].actor == OWNER]
)
@pytest.mark.parametrize("who", ["staff", "collaborator", "stranger"])
def test_transition_owner_move_refused_for_anyone_else(source, target, who):
    proposal = _proposal_in(source)
    by = {
        "staff": StaffFactory,
        "collaborator": lambda: proposal.collaborators.get(),
        "stranger": UserFactory,
    }[who]()

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=target, by=by, note="Reason given")

    assert refused.value.message == OWNER_REFUSALS[TRANSITIONS[(source, target)].name]
    assert _nothing_written(proposal, source)


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALLOWED if TRANSITIONS[pair].actor == STAFF]
)
@pytest.mark.parametrize("who", ["owner", "collaborator", "committee_member"])
def test_transition_staff_move_refused_for_anyone_else(source, target, who):
    proposal = _proposal_in(source)
    by = {
        "owner": lambda: proposal.owner,
        "collaborator": lambda: proposal.collaborators.get(),
        "committee_member": lambda: UserFactory(role=Role.COMMITTEE_MEMBER),
    }[who]()

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=target, by=by, note="Reason given")

    assert refused.value.message == "Only MOLIT staff can triage and assign proposals."
    assert _nothing_written(proposal, source)


@pytest.mark.parametrize("target", [Status.APPROVED, Status.REJECTED])
def test_transition_committee_move_refused_without_a_committee_decision(target):
    proposal = _proposal_in(Status.COMMITTEE_REVIEW)

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=target, by=StaffFactory(), note="Good")

    assert refused.value.message == "Only a committee decision recorded in a meeting can approve or reject."
    assert _nothing_written(proposal, Status.COMMITTEE_REVIEW)


@pytest.mark.parametrize(
    ("source", "target"), [pair for pair in ALLOWED if TRANSITIONS[pair].note_required]
)
@pytest.mark.parametrize("note", ["", "   \n "])
def test_transition_note_required_refused_without_note(source, target, note):
    proposal = _proposal_in(source)
    by = _actor_for(TRANSITIONS[(source, target)].actor, proposal)

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=target, by=by, note=note)

    assert refused.value.message == "Please give a reason or message for this step."
    assert _nothing_written(proposal, source)


def test_transition_to_submitted_only_through_proposal_submit():
    proposal = _proposal_in(Status.DRAFT)

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=Status.SUBMITTED, by=proposal.owner)

    assert refused.value.message == "Submit the proposal from its checklist page so it gets a reference and a cycle."
    assert _nothing_written(proposal, Status.DRAFT)


@pytest.mark.parametrize("source", [Status.SCREENING, Status.PRE_CONSULTING])
def test_transition_to_committee_review_refused_without_pre_consulting_report(source):
    track = TrackFactory(name="Smart Solution planning", pre_consulting_required=True)
    proposal = _proposal_in(source, track=track)

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=StaffFactory())

    assert refused.value.message == (
        "The Smart Solution planning track requires a filed pre-consulting report before committee review."
    )
    assert _nothing_written(proposal, source)


@pytest.mark.parametrize("source", [Status.SCREENING, Status.PRE_CONSULTING])
def test_transition_to_committee_review_allowed_when_track_needs_no_pre_consulting(source):
    track = TrackFactory(pre_consulting_required=False)
    proposal = _proposal_in(source, track=track)
    staff = StaffFactory()

    proposal_transition(proposal=proposal, to=Status.COMMITTEE_REVIEW, by=staff)

    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_REVIEW
    assert list(StatusChange.objects.values_list("from_status", "to_status", "by")) == [
        (source, Status.COMMITTEE_REVIEW, staff.pk)
    ]


@pytest.mark.parametrize("asked_from", [Status.SCREENING, Status.PRE_CONSULTING])
def test_resubmit_returns_to_the_stage_that_asked(asked_from):
    proposal = _proposal_in(asked_from)
    staff = StaffFactory()
    proposal_transition(proposal=proposal, to=Status.INFO_REQUESTED, by=staff, note="Send the budget sheet.")

    proposal_resubmit(proposal=proposal, by=proposal.owner, note="Budget attached.")

    proposal.refresh_from_db()
    assert proposal.status == asked_from
    assert list(StatusChange.objects.order_by("id").values_list("from_status", "to_status")) == [
        (asked_from, Status.INFO_REQUESTED),
        (Status.INFO_REQUESTED, asked_from),
    ]
