"""The secretariat is told of new work: the staff member following a proposal, or all of staff while nobody does,
in-app and by e-mail as each person chose (issue 12)."""

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from notifications.models import Notice, OutboxEmail
from proposals import services
from proposals.models import AssignmentRule
from proposals.workflow import Status
from tests.factories import (
    CooperationCentreFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
    complete_proposal,
    proposal_in,
    service_levels,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _levels():
    service_levels()


def told(event):
    return sorted(Notice.objects.filter(event=event).values_list("user__email", flat=True))


def mailed(event):
    return sorted(OutboxEmail.objects.filter(event=event).values_list("to_email", flat=True))


def test_submission_unassigned_tells_every_active_staff_member_in_app_and_by_email():
    a, b = StaffFactory(email="a@molit.example"), StaffFactory(email="b@molit.example")
    StaffFactory(email="gone@molit.example", is_active=False)
    UserFactory(email="consultant@example.org", role=Role.CONSULTANT)

    proposal = submitted_proposal()

    assert told("proposal_submitted_staff") == [a.email, b.email]
    assert mailed("proposal_submitted_staff") == [a.email, b.email]
    notice = Notice.objects.get(event="proposal_submitted_staff", user=a)
    assert proposal.reference in notice.title
    assert notice.url == f"/admin/proposals/proposal/{proposal.pk}/change/"
    assert "Nobody is assigned to it yet" in notice.body


def test_submission_honours_each_persons_email_choice():
    keen = StaffFactory(email="keen@molit.example")
    StaffFactory(email="quiet@molit.example", email_opt_out=["proposal_submitted_staff"])

    submitted_proposal()

    assert told("proposal_submitted_staff") == ["keen@molit.example", "quiet@molit.example"]
    assert mailed("proposal_submitted_staff") == [keen.email]


def test_submission_already_assigned_tells_only_that_staff_member():
    StaffFactory(email="other@molit.example")
    mine = StaffFactory(email="mine@molit.example")
    proposal = complete_proposal(assigned_to=mine)

    services.proposal_submit(proposal=proposal, by=proposal.owner)

    assert told("proposal_submitted_staff") == [mine.email]
    assert "It is assigned to you." in Notice.objects.get(event="proposal_submitted_staff").body


def test_submission_assigned_to_someone_who_left_tells_everyone():
    active = StaffFactory(email="active@molit.example")
    left = StaffFactory(email="left@molit.example")
    proposal = complete_proposal(assigned_to=left)
    left.is_active = False
    left.save()

    services.proposal_submit(proposal=proposal, by=proposal.owner)

    assert told("proposal_submitted_staff") == [active.email]


def test_submission_goes_to_the_assignment_rules_staff_member_only():
    StaffFactory(email="everyone@molit.example")
    lead = StaffFactory(email="lead@molit.example")
    track = TrackFactory()
    AssignmentRule.objects.create(track=track, staff=lead)

    proposal = submitted_proposal(track=track)

    assert proposal.assigned_to == lead
    assert told("proposal_submitted_staff") == [lead.email]


def test_resubmission_tells_the_assigned_staff_member_with_the_answer():
    staff = StaffFactory(email="desk@molit.example")
    StaffFactory(email="bystander@molit.example")
    proposal = proposal_in(Status.INFO_REQUESTED, staff=staff, assigned_to=staff)

    services.proposal_resubmit(proposal=proposal, by=proposal.owner, note="Budget sheet added.")

    assert told("proposal_resubmitted_staff") == [staff.email]
    assert mailed("proposal_resubmitted_staff") == [staff.email]
    assert "Budget sheet added." in Notice.objects.get(event="proposal_resubmitted_staff").body


def test_resubmission_unassigned_tells_the_whole_secretariat():
    staff = StaffFactory(email="a@molit.example")
    other = StaffFactory(email="b@molit.example")
    proposal = proposal_in(Status.INFO_REQUESTED, staff=staff)

    services.proposal_resubmit(proposal=proposal, by=proposal.owner, note="Done.")

    assert told("proposal_resubmitted_staff") == sorted([staff.email, other.email])


def test_staff_moves_tell_no_staff_member():
    staff = StaffFactory()
    proposal = submitted_proposal()
    Notice.objects.all().delete()

    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
    services.proposal_request_info(proposal=proposal, by=staff, message="More please.")

    assert not Notice.objects.filter(user=staff).exists()


def test_applicant_message_tells_the_secretariat_and_staff_reply_tells_the_applicant_only():
    a, b = StaffFactory(email="a@molit.example"), StaffFactory(email="b@molit.example")
    proposal = submitted_proposal()

    services.message_post(proposal=proposal, by=proposal.owner, body="Is the letter enough?")
    services.message_post(proposal=proposal, by=a, body="Yes it is.")
    services.message_post(proposal=proposal, by=a, body="internal", internal=True)

    assert told("applicant_message_staff") == [a.email, b.email]
    assert mailed("applicant_message_staff") == [a.email, b.email]
    assert "Is the letter enough?" in Notice.objects.filter(event="applicant_message_staff").first().body
    assert told("proposal_message") == [proposal.owner.email]


def test_applicant_message_assigned_tells_only_that_staff_member():
    StaffFactory(email="a@molit.example")
    mine = StaffFactory(email="mine@molit.example")
    proposal = submitted_proposal(assigned_to=mine)

    services.message_post(proposal=proposal, by=proposal.owner, body="Hello")

    assert told("applicant_message_staff") == [mine.email]


def test_activity_stamps_follow_who_acted_last():
    staff = StaffFactory()
    proposal = submitted_proposal()
    assert proposal.applicant_activity_at >= proposal.submitted_at and proposal.staff_activity_at is None

    services.proposal_transition(proposal=proposal, to=Status.SCREENING, by=staff)
    proposal.refresh_from_db()
    picked_up = proposal.staff_activity_at
    assert picked_up is not None and picked_up > proposal.applicant_activity_at

    services.message_post(proposal=proposal, by=proposal.owner, body="Any news?")
    proposal.refresh_from_db()
    assert proposal.applicant_activity_at > picked_up

    services.message_post(proposal=proposal, by=staff, body="note", internal=True)
    proposal.refresh_from_db()
    assert proposal.staff_activity_at == picked_up  # an internal note answers nobody


def test_auto_assignment_is_audited():
    lead = StaffFactory()
    centre = CooperationCentreFactory(country="CO", covered_countries=["CO"], name="KOTRA Bogotá")
    rule = AssignmentRule.objects.create(cooperation_centre=centre, staff=lead)
    proposal = complete_proposal(country="CO")

    services.proposal_submit(proposal=proposal, by=proposal.owner)

    entry = AuditEntry.objects.get(action="proposal.auto_assign")
    assert entry.data == {"assigned_to": lead.pk, "rule": rule.pk}
    assert entry.actor == proposal.owner
