"""The step forms validate and shape input; they never write (services do)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.forms import (
    STEP_SLUGS,
    AttachmentForm,
    BasicsForm,
    BudgetForm,
    ContextForm,
    ProposalStartForm,
    SolutionsForm,
    WithdrawForm,
    contact_formset,
    contacts_from,
    step_after,
    step_before,
)
from proposals.models import Proposal
from tests.factories import ProposalFactory, TrackFactory

pytestmark = pytest.mark.django_db


def test_steps_are_in_order_and_match_the_checklist_step_names():
    from proposals.eligibility import REQUIRED_FIELDS

    assert STEP_SLUGS == ("basics", "context", "solutions", "budget", "documents", "review")
    assert {step for _field, step in REQUIRED_FIELDS} <= set(STEP_SLUGS)
    assert (step_after("budget"), step_before("basics"), step_after("review")) == ("documents", None, None)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-5", "The population cannot be negative."),
        ("many", "Enter a whole number."),
        ("1.5", "Enter a whole number."),
    ],
)
def test_context_form_refuses_bad_population_with_field_message(typed, error):
    proposal = ProposalFactory()

    form = ContextForm({"version": 1, "population": typed, "city_context": "x"}, proposal=proposal)

    assert not form.is_valid()
    assert form.errors["population"] == [error]


def test_context_form_accepts_grouped_digits_and_leaves_the_proposal_untouched():
    proposal = ProposalFactory(population=10)

    form = ContextForm({"version": 1, "population": "2,450 000", "area_km2": "12.5", "city_context": ""},
                       proposal=proposal)

    assert form.is_valid(), form.errors
    assert form.service_data()["population"] == 2_450_000
    assert proposal.population == 10


@pytest.mark.parametrize(("months", "valid"), [("0", False), ("1", True), ("60", True), ("61", False), ("", True)])
def test_budget_form_duration_must_be_1_to_60_months(months, valid):
    proposal = ProposalFactory()

    form = BudgetForm({"version": 1, "duration_months": months}, proposal=proposal)

    assert form.is_valid() is valid
    if not valid:
        assert form.errors["duration_months"] == ["The duration must be between 1 and 60 months."]


def test_budget_form_warns_but_accepts_support_above_the_cap():
    proposal = ProposalFactory(track=TrackFactory(support_cap_krw=300_000_000))

    form = BudgetForm({"version": 1, "requested_support_krw": "300,000,001"}, proposal=proposal)

    assert form.is_valid()
    assert list(form.warnings()) == ["requested_support_krw"]
    assert "KRW 300,000,001 is above the track's cap of KRW 300,000,000" in form.warnings()["requested_support_krw"]


def test_budget_form_has_no_warning_within_the_cap():
    proposal = ProposalFactory(requested_support_krw=100)

    assert BudgetForm(proposal=proposal).warnings() == {}


def test_budget_form_refuses_negative_amounts():
    proposal = ProposalFactory()

    form = BudgetForm({"version": 1, "co_financing_krw": "-1", "priority_rank": "0"}, proposal=proposal)

    assert form.errors == {
        "co_financing_krw": ["The amount cannot be negative."],
        "priority_rank": ["The rank starts at 1."],
    }


def test_solutions_form_refuses_unknown_category():
    proposal = ProposalFactory()

    form = SolutionsForm({"version": 1, "solution_categories": ["mobility", "teleportation"]}, proposal=proposal)

    assert form.errors["solution_categories"] == [
        "Select a valid choice. teleportation is not one of the available choices."
    ]


def test_basics_form_offers_active_tracks_and_the_current_one():
    closed = TrackFactory(is_active=False)
    open_track = TrackFactory()
    other_closed = TrackFactory(is_active=False)
    proposal = ProposalFactory(track=closed)

    form = BasicsForm(proposal=proposal)

    offered = set(form.fields["track"].queryset)
    assert closed in offered
    assert open_track in offered
    assert other_closed not in offered


def test_basics_form_requires_a_title_and_returns_only_its_fields():
    proposal = ProposalFactory()

    missing = BasicsForm({"version": 1, "title": "", "track": proposal.track_id}, proposal=proposal)
    form = BasicsForm({"version": 1, "title": "New", "track": proposal.track_id, "country": "KE",
                       "jurisdiction_level": "city"}, proposal=proposal)

    assert missing.errors["title"] == ["This field is required."]
    assert form.is_valid(), form.errors
    assert set(form.service_data()) == {
        "title", "track", "country", "region_city", "jurisdiction_level", "lead_organisation", "partner_organisations"
    }
    assert form.service_data()["country"] == "KE"


def test_contact_formset_needs_a_valid_email_and_skips_deleted_rows():
    proposal = ProposalFactory()
    management = {"contacts-TOTAL_FORMS": "2", "contacts-INITIAL_FORMS": "0", "contacts-MIN_NUM_FORMS": "0",
                  "contacts-MAX_NUM_FORMS": "10"}

    bad = contact_formset(proposal, {**management, "contacts-0-name": "Ana", "contacts-0-email": "not-an-email"})
    good = contact_formset(proposal, {
        **management, "contacts-0-name": "Ana", "contacts-0-email": "ana@example.org",
        "contacts-1-name": "Ben", "contacts-1-email": "ben@example.org", "contacts-1-DELETE": "on",
    })

    assert not bad.is_valid()
    assert bad.errors[0]["email"] == ["Enter a valid email address."]
    assert good.is_valid()
    assert contacts_from(good) == [{"name": "Ana", "position": "", "email": "ana@example.org", "phone": ""}]


def test_start_form_offers_only_open_tracks():
    open_track = TrackFactory()
    TrackFactory(is_active=False)

    form = ProposalStartForm()

    assert list(form.fields["track"].queryset) == [open_track]


def test_attachment_form_needs_a_kind_and_a_file():
    form = AttachmentForm({"kind": ""}, {})
    with_file = AttachmentForm({"kind": "budget"}, {"file": SimpleUploadedFile("a.xlsx", b"PK")})

    assert set(form.errors) == {"kind", "file"}
    assert with_file.is_valid()


def test_withdraw_form_needs_reason_and_confirmation():
    form = WithdrawForm({"reason": " "})

    assert form.errors == {"reason": ["Please give a reason."], "confirm": ["Tick the box to confirm."]}


def test_step_forms_never_save_the_proposal():
    proposal = ProposalFactory(objectives="Kept")

    form = SolutionsForm({"version": 1, "objectives": "Changed"}, proposal=proposal)
    assert form.is_valid()

    assert Proposal.objects.get(pk=proposal.pk).objectives == "Kept"
