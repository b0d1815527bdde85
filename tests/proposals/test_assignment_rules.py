"""Automatic assignment by track or cooperation centre: data staff keep, the most specific rule wins (issue 12)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from proposals import services
from proposals.models import AssignmentRule
from tests.factories import (
    CooperationCentreFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
    applicant,
    complete_proposal,
    service_levels,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    service_levels()
    track, other_track = TrackFactory(), TrackFactory()
    centre = CooperationCentreFactory(name="KOTRA Bogotá", city="Bogotá", country="CO", covered_countries=["CO"])
    people = {name: StaffFactory(email=f"{name}@molit.example") for name in ("both", "track", "centre", "default")}
    AssignmentRule.objects.create(track=track, cooperation_centre=centre, staff=people["both"])
    AssignmentRule.objects.create(track=track, staff=people["track"])
    AssignmentRule.objects.create(cooperation_centre=centre, staff=people["centre"])
    AssignmentRule.objects.create(staff=people["default"])
    return track, other_track, centre, people


def submit(**kwargs):
    proposal = complete_proposal(**kwargs)
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    proposal.refresh_from_db()
    return proposal


@pytest.mark.parametrize(("track_is", "country", "expected"), [
    ("track", "CO", "both"),        # track and centre
    ("track", "ID", "track"),       # track only (no centre covers Indonesia)
    ("other", "CO", "centre"),      # centre only
    ("other", "ID", "default"),     # neither: the default rule
])
def test_most_specific_rule_wins(setup, track_is, country, expected):
    track, other_track, _centre, people = setup

    proposal = submit(track=track if track_is == "track" else other_track, country=country)

    assert proposal.assigned_to == people[expected]


def test_inactive_rule_and_rule_of_a_departed_person_are_passed_over(setup):
    track, _other, _centre, people = setup
    AssignmentRule.objects.filter(staff=people["both"]).update(is_active=False)
    people["track"].is_active = False
    people["track"].save()

    assert submit(track=track, country="CO").assigned_to == people["centre"]


def test_no_rule_leaves_the_proposal_unassigned():
    service_levels()
    assert submit().assigned_to is None
    assert not AuditEntry.objects.filter(action="proposal.auto_assign").exists()


def test_a_proposal_already_assigned_keeps_its_staff_member(setup):
    track, _other, _centre, _people = setup
    mine = StaffFactory()

    assert submit(track=track, country="CO", assigned_to=mine).assigned_to == mine


def test_rule_save_by_staff_is_audited():
    staff, lead, track = StaffFactory(), StaffFactory(), TrackFactory()

    rule = services.assignment_rule_save(rule=AssignmentRule(track=track, staff=lead), by=staff)

    entry = AuditEntry.objects.get(action="assignment_rule.create")
    assert (entry.actor, entry.target_id) == (staff, str(rule.pk))
    assert entry.data["changed"]["staff"] == lead.pk


def test_rule_save_refuses_a_person_who_is_not_staff():
    with pytest.raises(ValidationError) as refused:
        services.assignment_rule_save(rule=AssignmentRule(staff=UserFactory()), by=StaffFactory())
    assert "is not a staff member" in str(refused.value)
    assert not AssignmentRule.objects.exists()


def test_rule_save_refuses_a_second_rule_for_the_same_scope():
    track, staff = TrackFactory(), StaffFactory()
    services.assignment_rule_save(rule=AssignmentRule(track=track, staff=staff), by=staff)

    with pytest.raises(ValidationError) as refused:
        services.assignment_rule_save(rule=AssignmentRule(track=track, staff=StaffFactory()), by=staff)
    assert "already a rule" in str(refused.value)


def test_rule_save_by_an_applicant_is_refused():
    with pytest.raises(PermissionDenied):
        services.assignment_rule_save(rule=AssignmentRule(staff=StaffFactory()), by=applicant())
    assert not AssignmentRule.objects.exists()


def test_rule_delete_is_audited():
    staff = StaffFactory()
    rule = services.assignment_rule_save(rule=AssignmentRule(staff=staff), by=staff)

    services.assignment_rule_delete(rule=rule, by=staff)

    assert not AssignmentRule.objects.exists()
    assert AuditEntry.objects.filter(action="assignment_rule.delete").count() == 1
