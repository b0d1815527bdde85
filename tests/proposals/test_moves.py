"""What a person may do now (proposals.workflow.moves_for), the hooks around a move, the committee's decision
object and the deferral's history row."""

import pytest

from accounts.models import Role
from committee.models import Decision, Outcome
from core.errors import TransitionRefused
from proposals import hooks
from proposals.models import HistoryKind, Message, StatusChange
from proposals.selectors import timeline_for
from proposals.services import proposal_defer_to_next_cycle, proposal_transition
from proposals.workflow import MOVES, NoteVisibility, Status, moves_for, note_visibility_error
from tests.factories import StaffFactory, TrackFactory, UserFactory, complete_proposal
from tests.proposals.staff_helpers import committee_decision, filed_report, proposal_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _in(status, **kwargs):
    if status == Status.DRAFT:
        return complete_proposal(**kwargs)
    return complete_proposal(status=status, reference="KCN-2026-0001", **kwargs)


# What each role is offered in each state: the table's moves the role's permission allows (no guard refuses
# here: the track needs no pre-consulting). A committee move is never offered, not even to staff.
OFFERED = {
    "owner": {
        Status.DRAFT: {"withdraw", "submit"},
        Status.SUBMITTED: {"withdraw"},
        Status.SCREENING: {"withdraw"},
        Status.INFO_REQUESTED: {"withdraw", "resubmit"},
        Status.PRE_CONSULTING: {"withdraw"},
        Status.COMMITTEE_REVIEW: {"withdraw"},
        Status.APPROVED: set(), Status.REJECTED: set(), Status.WITHDRAWN: set(),
    },
    "staff": {
        Status.DRAFT: set(),
        Status.SUBMITTED: {"start_screening"},
        Status.SCREENING: {"request_information", "send_to_pre_consulting", "send_to_committee_review"},
        Status.INFO_REQUESTED: set(),
        Status.PRE_CONSULTING: {"request_information", "send_to_committee_review", "return_to_screening"},
        Status.COMMITTEE_REVIEW: {"return_to_screening"},
        Status.APPROVED: set(), Status.REJECTED: set(), Status.WITHDRAWN: set(),
    },
    **{role: {status: set() for status in Status} for role in ("collaborator", "committee_member", "superuser")},
}


def _person(role, proposal):
    if role == "owner":
        return proposal.owner
    if role == "staff":
        return StaffFactory()
    if role == "collaborator":
        colleague = UserFactory()
        proposal.collaborators.add(colleague)
        return colleague
    if role == "superuser":
        # Django's has_perm lets a superuser do anything; moves_for offers only what the service accepts.
        return UserFactory(is_superuser=True, role=Role.APPLICANT)
    return UserFactory(role=Role.COMMITTEE_MEMBER)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("role", ["owner", "staff", "collaborator", "committee_member", "superuser"])
def test_moves_for_role_by_state(role, status):
    proposal = _in(status, track=TrackFactory(pre_consulting_required=False))
    person = _person(role, proposal)

    offered = {m.name for m in moves_for(person, proposal)}

    expected = OFFERED[role][status]
    if role == "superuser":  # a superuser is staff too (accounts.rules.is_staff_member)
        expected = OFFERED["staff"][status]
    assert offered == expected


def test_moves_for_leaves_out_a_move_a_guard_refuses():
    track = TrackFactory(pre_consulting_required=True)
    staff = StaffFactory()
    waiting = proposal_in(Status.PRE_CONSULTING, staff=staff, track=track)
    reported = proposal_in(Status.PRE_CONSULTING, staff=staff, track=track)
    filed_report(reported)

    assert {m.name for m in moves_for(staff, waiting)} == {"request_information", "return_to_screening"}
    assert {m.name for m in moves_for(staff, reported)} == {
        "request_information", "send_to_committee_review", "return_to_screening"
    }


def test_the_table_says_which_notes_go_to_the_thread():
    assert {(m.source, m.target) for m in MOVES if m.note_to_thread} == {
        (Status.SCREENING, Status.INFO_REQUESTED), (Status.PRE_CONSULTING, Status.INFO_REQUESTED),
        (Status.INFO_REQUESTED, Status.SCREENING), (Status.INFO_REQUESTED, Status.PRE_CONSULTING),
    }


def test_a_move_whose_note_goes_to_the_thread_posts_it():
    staff = StaffFactory()
    proposal = proposal_in(Status.SCREENING, staff=staff)

    proposal_transition(proposal=proposal, to=Status.INFO_REQUESTED, by=staff, note="  Send the site map.  ")
    proposal_transition(proposal=proposal, to=Status.SCREENING, by=proposal.owner, note="")

    assert list(Message.objects.filter(proposal=proposal).values_list("body", "author", "internal")) == [
        ("Send the site map.", staff.pk, False)
    ]


@pytest.mark.parametrize(
    ("target", "note", "visibility", "problem"),
    [
        (Status.SCREENING, "Looks complete.", "", "Say who reads this note: the applicant, or staff only."),
        (Status.SCREENING, "Looks complete.", NoteVisibility.INTERNAL, None),
        (Status.SCREENING, "", "", None),
        (Status.INFO_REQUESTED, "Send the budget.", "", None),
        (Status.INFO_REQUESTED, "Send the budget.", NoteVisibility.INTERNAL,
         "This step's note is always shown to the applicant; it cannot be an internal note."),
    ],
)
def test_note_visibility_rule(target, note, visibility, problem):
    assert note_visibility_error(target=target, note=note, visibility=visibility) == problem


# --- hooks --------------------------------------------------------------------------------------------------


def test_moved_is_sent_inside_the_transaction_after_the_history_row():
    staff = StaffFactory()
    proposal = proposal_in(Status.SUBMITTED, staff=staff)
    seen = []

    def receiver(*, proposal, source, target, by, change):
        seen.append((source, target, by, change.pk, StatusChange.objects.filter(pk=change.pk).exists()))

    hooks.moved.register(receiver)
    try:
        proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
    finally:
        hooks.moved.unregister(receiver)

    change = StatusChange.objects.filter(proposal=proposal).latest("id")
    assert seen == [(Status.SUBMITTED, Status.SCREENING, staff, change.pk, True)]


def test_a_transition_guard_veto_writes_nothing():
    staff = StaffFactory()
    proposal = proposal_in(Status.SUBMITTED, staff=staff)
    changes = StatusChange.objects.count()

    def veto(*, proposal, target, by, decision):
        raise TransitionRefused("Not today.")

    hooks.transition_guard.register(veto)
    try:
        with pytest.raises(TransitionRefused) as refused:
            proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
        offered = moves_for(staff, proposal)
    finally:
        hooks.transition_guard.unregister(veto)

    assert refused.value.message == "Not today."
    assert offered == []
    proposal.refresh_from_db()
    assert (proposal.status, StatusChange.objects.count()) == (Status.SUBMITTED, changes)


def test_other_apps_register_their_receivers():
    assert {r.__module__ for r in hooks.transition_guard.receivers} >= {"consulting.receivers"}
    assert {r.__module__ for r in hooks.visibility.receivers} >= {"consulting.receivers", "committee.receivers"}
    assert set(hooks.facets()) >= {"has_report"}


# --- the committee's decision -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "target"), [(Outcome.APPROVE, Status.APPROVED), (Outcome.REJECT, Status.REJECTED),
                            (Outcome.DEFER, None)],
)
def test_decision_target_status(outcome, target):
    assert Decision(outcome=outcome).target_status == target


@pytest.mark.parametrize("mismatch", ["unsaved", "other_proposal", "other_outcome"])
def test_committee_move_refused_with_a_decision_that_does_not_decide_it(mismatch):
    staff = StaffFactory()
    proposal = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)
    other = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)
    decision = {
        "unsaved": Decision(proposal=proposal, outcome=Outcome.APPROVE),
        "other_proposal": committee_decision(other, Status.APPROVED),
        "other_outcome": committee_decision(proposal, Status.REJECTED),
    }[mismatch]

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=Status.APPROVED, by=staff, decision=decision)

    assert refused.value.message == {
        "unsaved": "Only a committee decision recorded in a meeting can approve or reject.",
        "other_proposal": "This committee decision is about another proposal or another outcome.",
        "other_outcome": "This committee decision is about another proposal or another outcome.",
    }[mismatch]
    proposal.refresh_from_db()
    assert proposal.status == Status.COMMITTEE_REVIEW


def test_a_decision_does_not_make_a_staff_move():
    staff = StaffFactory()
    proposal = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)

    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff,
                            decision=committee_decision(proposal, Status.SCREENING))

    assert refused.value.message == "A committee decision only approves or rejects a proposal."


# --- deferral -----------------------------------------------------------------------------------------------


def test_deferral_is_a_history_row_of_its_own_kind_shown_with_the_new_cycle():
    staff = StaffFactory()
    proposal = proposal_in(Status.COMMITTEE_REVIEW, staff=staff)
    year = proposal.cycle.year

    proposal_defer_to_next_cycle(proposal=proposal, by=staff, note="Await the city's budget law.")

    proposal.refresh_from_db()
    row = StatusChange.objects.filter(proposal=proposal).latest("id")
    assert (proposal.status, proposal.cycle.year) == (Status.COMMITTEE_REVIEW, year + 1)
    assert (row.kind, row.from_status, row.to_status, row.cycle_year) == (
        HistoryKind.DEFERRAL, Status.COMMITTEE_REVIEW, Status.COMMITTEE_REVIEW, year + 1
    )
    shown = timeline_for(user=proposal.owner, proposal=proposal)[-1]
    assert (shown.shown_to_status, shown.shown_label, shown.shown_note) == (
        Status.COMMITTEE_REVIEW, f"Deferred to the {year + 1} cycle.", "Await the city's budget law."
    )
