"""The submission checklist: each rule on its own."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OrganisationKind
from proposals.eligibility import REQUIRED_FIELDS, proposal_checklist
from proposals.models import Attachment, Cycle
from proposals.services import proposal_submit, proposal_withdraw
from proposals.workflow import Status
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    TrackFactory,
    applicant,
    complete_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return Cycle.objects.create(programme=ProgrammeFactory(), year=2026, cutoff=datetime.date(2026, 4, 30))


def _codes(problems):
    return [p.code for p in problems]


def _team_in(country, region_city, kind=OrganisationKind.CITY):
    return applicant(organisation=OrganisationFactory(country=country, region_city=region_city, kind=kind))


def test_checklist_complete_proposal_has_no_problems(cycle):
    proposal = complete_proposal()

    assert proposal_checklist(proposal, cycle=cycle) == []


@pytest.mark.parametrize(("field", "step"), REQUIRED_FIELDS)
def test_checklist_missing_field_is_named_with_its_step(cycle, field, step):
    proposal = complete_proposal()
    empty = [] if field == "solution_categories" else None if field in {
        "population", "duration_months", "requested_support_krw"
    } else ""
    setattr(proposal, field, empty)
    proposal.save()
    label = str(proposal._meta.get_field(field).verbose_name)

    problems = proposal_checklist(proposal, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        (f"missing:{field}", f"{label[0].upper()}{label[1:]} is missing.", step)
    ]


def test_checklist_missing_contact_and_consent(cycle):
    proposal = complete_proposal(consent=False)
    proposal.contacts.all().delete()

    problems = proposal_checklist(proposal, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        ("missing:contacts", "Add at least one contact person.", "basics"),
        ("missing:consent", "Confirm the declaration and consent before submitting.", "review"),
    ]


def test_checklist_missing_required_attachment_kind(cycle):
    track = TrackFactory(required_attachment_kinds=["official_letter", "concept_note"])
    proposal = complete_proposal(track=track)
    Attachment.objects.filter(proposal=proposal, kind="concept_note").delete()

    problems = proposal_checklist(proposal, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        ("attachment:concept_note", "Attach the required document: Concept note.", "documents")
    ]


def test_checklist_attachment_of_another_kind_does_not_count(cycle):
    track = TrackFactory(required_attachment_kinds=["official_letter"])
    proposal = complete_proposal(track=track)
    Attachment.objects.filter(proposal=proposal).update(kind="other")

    assert _codes(proposal_checklist(proposal, cycle=cycle)) == ["attachment:official_letter"]


def test_checklist_organisation_kind_not_allowed_by_track(cycle):
    track = TrackFactory(name="Overseas demonstration", eligible_organisation_kinds=[OrganisationKind.KOREAN_COMPANY])
    owner = _team_in("ID", "Surabaya", kind=OrganisationKind.CITY)
    proposal = complete_proposal(track=track, owner=owner)

    problems = proposal_checklist(proposal, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        (
            "eligibility:organisation_kind",
            "City or local government organisations cannot apply to the Overseas demonstration track. "
            "Eligible: Korean company.",
            "basics",
        )
    ]


def test_checklist_requested_support_over_cap(cycle):
    track = TrackFactory(support_cap_krw=700_000_000)
    proposal = complete_proposal(track=track, requested_support_krw=700_000_001)

    problems = proposal_checklist(proposal, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        (
            "eligibility:cap",
            "The requested support (KRW 700,000,001) is above the track's cap of KRW 700,000,000.",
            "budget",
        )
    ]


def test_checklist_requested_support_at_cap_is_allowed(cycle):
    proposal = complete_proposal(track=TrackFactory(support_cap_krw=700_000_000), requested_support_krw=700_000_000)

    assert proposal_checklist(proposal, cycle=cycle) == []


# --- one proposal per jurisdiction per cycle ------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Bandung", "BANDUNG", "  bandung  ", "Kota  Bandung"])
def test_checklist_same_jurisdiction_in_same_cycle_refused_case_and_space_insensitive(cycle, spelling):
    place = "Kota Bandung" if "Kota" in spelling else "Bandung"
    first = complete_proposal(owner=_team_in("ID", place), region_city=place.replace(" ", "   ").upper())
    first.status, first.cycle, first.reference = Status.SCREENING, cycle, "KCN-2026-0007"
    first.save()
    second = complete_proposal(owner=_team_in("ID", spelling), region_city=spelling)

    problems = proposal_checklist(second, cycle=cycle)

    assert [(p.code, str(p.message), p.step) for p in problems] == [
        (
            "eligibility:one_per_jurisdiction",
            f"{' '.join(spelling.split())} already has a proposal in the 2026 cycle (KCN-2026-0007). "
            "Only one proposal per jurisdiction is accepted per cycle.",
            "basics",
        )
    ]


def test_checklist_same_jurisdiction_in_different_cycle_allowed(cycle):
    other_cycle = Cycle.objects.create(programme=cycle.programme, year=2027, cutoff=datetime.date(2027, 4, 30))
    first = complete_proposal(owner=_team_in("ID", "Bandung"))
    first.status, first.cycle, first.reference = Status.SCREENING, other_cycle, "KCN-2026-0100"
    first.save()
    second = complete_proposal(owner=_team_in("ID", "Bandung"))

    assert proposal_checklist(second, cycle=cycle) == []


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.DRAFT])
def test_checklist_withdrawn_or_draft_proposal_of_jurisdiction_does_not_count(cycle, status):
    first = complete_proposal(owner=_team_in("ID", "Bandung"))
    first.status, first.cycle = status, cycle
    first.save()
    second = complete_proposal(owner=_team_in("ID", "Bandung"))

    assert proposal_checklist(second, cycle=cycle) == []


@pytest.mark.parametrize(
    ("country", "level", "place"),
    [("KE", "city", "Bandung"), ("ID", "regional", "Bandung"), ("ID", "city", "Bandung Barat")],
)
def test_checklist_other_jurisdiction_in_same_cycle_allowed(cycle, country, level, place):
    first = complete_proposal(owner=_team_in("ID", "Bandung"))
    first.status, first.cycle = Status.SUBMITTED, cycle
    first.save()
    second = complete_proposal(owner=_team_in(country, place), jurisdiction_level=level)

    assert proposal_checklist(second, cycle=cycle) == []


def test_submit_second_proposal_of_same_jurisdiction_refused_until_first_withdrawn():
    first = complete_proposal(owner=_team_in("ID", "Bandung"))
    proposal_submit(proposal=first, by=first.owner)
    first.refresh_from_db()
    second = complete_proposal(owner=_team_in("ID", "bandung "))

    with pytest.raises(ValidationError) as refused:
        proposal_submit(proposal=second, by=second.owner)

    assert refused.value.messages == [
        f"bandung already has a proposal in the {first.cycle.year} cycle ({first.reference}). "
        "Only one proposal per jurisdiction is accepted per cycle."
    ]
    proposal_withdraw(proposal=first, by=first.owner, reason="Replaced by a better proposal.")
    proposal_submit(proposal=second, by=second.owner)
    second.refresh_from_db()
    assert (second.status, second.cycle_id) == (Status.SUBMITTED, first.cycle_id)
