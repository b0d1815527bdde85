"""Eligibility up front (issue 12): a track's rules as data, checked when the track is chosen, on every step and
at submit, with the reason in plain words and the tracks the applicant may use; the one-proposal-per-jurisdiction
rule when the draft starts; the receipt naming the proposal's own programme."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import OrganisationKind
from notifications.models import OutboxEmail
from proposals import services
from proposals.eligibility import eligible_tracks, jurisdiction_holder, proposal_checklist, track_refusals, track_rules
from proposals.models import Cycle, Programme, Proposal, Track
from proposals.workflow import Status
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    StaffFactory,
    TrackFactory,
    applicant,
    complete_proposal,
    submitted_proposal,
)

pytestmark = pytest.mark.django_db

GOVERNMENTS = [OrganisationKind.NATIONAL, OrganisationKind.REGIONAL, OrganisationKind.CITY,
               OrganisationKind.INTERNATIONAL]


@pytest.fixture
def tracks():
    """The demo's shape: two K-City planning tracks, the overseas demonstration and the regulatory sandbox."""
    kcity = ProgrammeFactory()
    sandbox = Programme.objects.create(name="Regulatory sandbox for regionally-led smart cities", slug="sandbox",
                                       reference_prefix="RSB")
    return {
        "urban": TrackFactory(programme=kcity, name="Smart Urban planning", slug="smart-urban-planning", order=1,
                              eligible_organisation_kinds=GOVERNMENTS, applicant_country_rule="outside_korea",
                              site_country_rule="outside_korea"),
        "solution": TrackFactory(programme=kcity, name="Smart Solution planning", slug="smart-solution-planning",
                                 order=2, eligible_organisation_kinds=GOVERNMENTS,
                                 applicant_country_rule="outside_korea", site_country_rule="outside_korea"),
        "demo": TrackFactory(programme=kcity, name="Overseas demonstration", slug="overseas-demonstration", order=3,
                             eligible_organisation_kinds=[OrganisationKind.KOREAN_COMPANY],
                             applicant_country_rule="korea_only", site_country_rule="outside_korea",
                             consortium_required=True,
                             consortium_description="A Korean company with an overseas public partner."),
        "sandbox": TrackFactory(programme=sandbox, name="Regulatory sandbox demonstration",
                                slug="sandbox-demonstration", required_attachment_kinds=["official_letter"],
                                eligible_organisation_kinds=[OrganisationKind.REGIONAL, OrganisationKind.CITY,
                                                             OrganisationKind.KOREAN_COMPANY],
                                applicant_country_rule="korea_only", site_country_rule="korea_only",
                                consortium_required=True,
                                consortium_description="A Korean local government with at least one company."),
    }


def _bogota():
    return applicant(organisation=OrganisationFactory(name="Alcaldía Mayor de Bogotá", country="CO",
                                                      kind=OrganisationKind.CITY, region_city="Bogotá"))


def _suwon():
    return applicant(organisation=OrganisationFactory(name="Suwon Special City", country="KR",
                                                      kind=OrganisationKind.CITY, region_city="Suwon"))


def _korean_company():
    return applicant(organisation=OrganisationFactory(name="Hanbit Mobility Co.", country="KR",
                                                      kind=OrganisationKind.KOREAN_COMPANY, region_city="Seoul"))


# --- the rules, allowed and refused ---------------------------------------------------------------------


def test_colombian_city_cannot_start_a_sandbox_proposal(tracks):
    owner = _bogota()

    with pytest.raises(ValidationError) as refused:
        services.proposal_create(by=owner, track=tracks["sandbox"], title="Autonomous buses")

    assert refused.value.messages == [
        "The Regulatory sandbox demonstration track is for organisations registered in Korea; "
        "Alcaldía Mayor de Bogotá is registered in Colombia."
    ]
    assert not Proposal.objects.exists()


def test_korean_city_may_start_a_sandbox_proposal_in_korea(tracks):
    proposal = services.proposal_create(by=_suwon(), track=tracks["sandbox"], title="Delivery robots")

    assert (proposal.country, proposal.region_city, proposal.jurisdiction_level) == ("KR", "Suwon", "city")
    assert track_refusals(tracks["sandbox"], organisation=proposal.organisation) == []


def test_colombian_city_is_offered_the_planning_tracks(tracks):
    organisation = _bogota().organisation

    assert [t.slug for t in eligible_tracks(organisation, exclude=tracks["sandbox"])] == [
        "smart-urban-planning", "smart-solution-planning",
    ]


def test_korean_city_may_not_use_the_planning_tracks(tracks):
    codes = [p.code for p in track_refusals(tracks["urban"], organisation=_suwon().organisation)]

    assert codes == ["eligibility:applicant_country"]


def test_organisation_kind_refused_with_the_kinds_that_may(tracks):
    problems = track_refusals(tracks["demo"], organisation=_bogota().organisation)

    assert [p.code for p in problems] == ["eligibility:organisation_kind", "eligibility:applicant_country"]
    assert problems[0].message == ("City or local government organisations cannot apply to the Overseas "
                                   "demonstration track. Eligible: Korean company.")


def test_closed_track_is_refused(tracks):
    Track.objects.filter(pk=tracks["urban"].pk).update(is_active=False)

    problems = track_refusals(Track.objects.get(pk=tracks["urban"].pk), organisation=_bogota().organisation)

    assert [p.code for p in problems] == ["eligibility:closed"]


def test_listed_countries_rule(tracks):
    track = tracks["urban"]
    track.applicant_country_rule = "listed"
    track.eligible_countries = ["CO", "PE"]
    track.save()
    jakarta = OrganisationFactory(country="ID", name="Jakarta")

    assert track_refusals(track, organisation=_bogota().organisation) == []
    (problem,) = track_refusals(track, organisation=jakarta)
    assert problem.message == ("The Smart Urban planning track is open to organisations from Colombia, Peru; "
                               "Jakarta is registered in Indonesia.")


def test_track_rules_in_plain_words(tracks):
    assert track_rules(tracks["sandbox"]) == [
        "Who may apply: Regional government, City or local government, Korean company.",
        "The applicant organisation is registered in Korea.",
        "The project takes place in Korea.",
        "A Korean local government with at least one company.",
    ]


@pytest.mark.parametrize(("values", "field"), [
    ({"eligible_countries": ["XX"]}, "eligible_countries"),
    ({"applicant_country_rule": "listed", "eligible_countries": []}, "eligible_countries"),
    ({"eligible_organisation_kinds": ["ministry"]}, "eligible_organisation_kinds"),
])
def test_track_save_refuses_rules_that_mean_nothing(tracks, values, field):
    track = tracks["urban"]
    for name, value in values.items():
        setattr(track, name, value)

    with pytest.raises(ValidationError) as refused:
        services.track_save(track=track, by=StaffFactory(), changed=list(values))

    assert field in refused.value.message_dict


def test_track_save_normalises_country_codes_and_audits(tracks):
    track = tracks["urban"]
    track.applicant_country_rule = "listed"
    track.eligible_countries = ["pe", "CO", "co"]

    services.track_save(track=track, by=StaffFactory(), changed=["applicant_country_rule", "eligible_countries"])

    track.refresh_from_db()
    assert track.eligible_countries == ["CO", "PE"]


# --- at the site of the project and the consortium: every step and the checklist --------------------------


def test_overseas_demonstration_starts_without_a_korean_site_and_needs_a_partner_country(tracks):
    owner = _korean_company()
    proposal = services.proposal_create(by=owner, track=tracks["demo"], title="Smart crossings in Lima")

    assert (proposal.country, proposal.jurisdiction_level) == ("", "")
    services.proposal_update(proposal=proposal, by=owner, data={"country": "KR"}, expected_version=proposal.version)
    codes = [p.code for p in track_refusals(proposal.track, organisation=proposal.organisation, proposal=proposal)]
    assert codes == ["eligibility:site_country", "eligibility:consortium"]

    services.proposal_update(proposal=proposal, by=owner, expected_version=proposal.version,
                             data={"country": "PE", "partner_organisations": "Municipalidad de Lima"})
    assert track_refusals(proposal.track, organisation=proposal.organisation, proposal=proposal) == []


def test_every_step_shows_the_eligibility_problems_and_the_tracks_offered(client, tracks):
    owner = _korean_company()
    proposal = services.proposal_create(by=owner, track=tracks["demo"], title="Smart crossings in Lima")
    client.force_login(owner)

    for step in ("basics", "context", "solutions", "budget", "documents"):
        body = client.get(reverse("proposals:edit", args=[proposal.pk, step])).content.decode()
        assert 'id="eligibility-problems"' in body, step
        assert "needs a consortium (A Korean company with an overseas public partner): name the partner" in body

    services.proposal_update(proposal=proposal, by=owner, expected_version=proposal.version,
                             data={"country": "PE", "partner_organisations": "Municipalidad de Lima"})
    assert 'id="eligibility-problems"' not in client.get(reverse("proposals:edit", args=[proposal.pk, "basics"])
                                                          ).content.decode()


def test_changing_to_a_track_the_organisation_may_not_use_is_refused(tracks):
    owner = _bogota()
    proposal = services.proposal_create(by=owner, track=tracks["urban"], title="Plan")

    with pytest.raises(ValidationError) as refused:
        services.proposal_update(proposal=proposal, by=owner, data={"track": tracks["sandbox"]},
                                 expected_version=proposal.version)

    assert "track" in refused.value.message_dict
    proposal.refresh_from_db()
    assert proposal.track == tracks["urban"]
    moved = services.proposal_update(proposal=proposal, by=owner, data={"track": tracks["solution"]},
                                     expected_version=proposal.version)
    assert moved.track == tracks["solution"]


def test_a_colombian_sandbox_proposal_cannot_be_submitted(tracks):
    # A draft from before the rules (made directly): the checklist and the service refuse it at submit.
    proposal = complete_proposal(owner=_bogota(), track=tracks["sandbox"], partner_organisations="Acme")

    codes = [p.code for p in proposal_checklist(proposal)]
    with pytest.raises(ValidationError):
        services.proposal_submit(proposal=proposal, by=proposal.owner)

    assert codes == ["eligibility:applicant_country", "eligibility:site_country"]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reference) == (Status.DRAFT, None)


# --- the start page and the API -------------------------------------------------------------------------


def test_start_page_says_why_not_before_choosing(client, tracks):
    client.force_login(_bogota())

    body = client.get(reverse("proposals:start")).content.decode()

    assert f'id="track-refusal-{tracks["sandbox"].pk}"' in body
    assert f'id="track-refusal-{tracks["urban"].pk}"' not in body
    assert "The project takes place in Korea." in body


def test_start_page_refuses_the_sandbox_and_offers_the_tracks_the_applicant_may_use(client, tracks):
    client.force_login(_bogota())

    response = client.post(reverse("proposals:start"), {"track": tracks["sandbox"].pk, "title": "Buses"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="eligibility-refusal"' in body
    assert "is for organisations registered in Korea; Alcaldía Mayor de Bogotá is registered in Colombia." in body
    offered = body[body.index('id="eligible-alternatives"'):body.index("</ul>", body.index("eligible-alternatives"))]
    assert f'?track={tracks["urban"].pk}"' in offered and f'?track={tracks["solution"].pk}"' in offered
    assert f'?track={tracks["demo"].pk}"' not in offered
    assert not Proposal.objects.exists()


def test_start_page_preselects_an_offered_track(client, tracks):
    client.force_login(_bogota())

    body = client.get(reverse("proposals:start"), {"track": tracks["urban"].pk}).content.decode()

    urban = tracks["urban"].pk
    assert f'value="{urban}" id="id_track_{urban}" data-track="smart-urban-planning" checked' in body


def test_api_start_on_an_ineligible_track_names_the_reasons_and_the_tracks(api_for, tracks):
    response = api_for(_bogota()).post("/api/v1/proposals/", {"track": tracks["sandbox"].pk, "title": "Buses"},
                                       format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "ineligible"
    assert body["reasons"] == ["The Regulatory sandbox demonstration track is for organisations registered in "
                               "Korea; Alcaldía Mayor de Bogotá is registered in Colombia."]
    assert body["eligible_tracks"] == [tracks["urban"].pk, tracks["solution"].pk]


@pytest.fixture
def api_for():
    def _client(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        return client

    return _client


# --- one proposal per jurisdiction, from the start ------------------------------------------------------


def _holder_in(country="ID", place="Semarang", **kwargs):
    return submitted_proposal(owner=applicant(organisation=OrganisationFactory(
        country=country, region_city=place, name="Semarang City Government")), title="Semarang flood sensors",
        **kwargs)


def test_starting_a_draft_says_which_proposal_holds_the_jurisdiction(client, tracks):
    holder = _holder_in(track=tracks["urban"])
    newcomer = applicant(organisation=OrganisationFactory(country="ID", region_city="semarang ",
                                                          name="Semarang Planning Agency"))
    client.force_login(newcomer)

    response = client.post(reverse("proposals:start"), {"track": tracks["solution"].pk, "title": "Bus plan"},
                           follow=True)

    body = response.content.decode()
    assert f"already has a proposal in the {holder.cycle.year} cycle ({holder.reference})" in body
    assert 'id="jurisdiction-holder"' in body
    # Another organisation's proposal is named by its reference only: neither its title nor its organisation.
    assert "Semarang flood sensors" not in body and "Semarang City Government" not in body


def test_the_holder_from_the_same_organisation_is_named_with_its_title(tracks):
    holder = _holder_in(track=tracks["urban"])
    draft = services.proposal_create(by=applicant(organisation=holder.organisation), track=tracks["solution"],
                                     title="Second idea")

    found = jurisdiction_holder(draft)

    assert (found.proposal, found.same_organisation) == (holder, True)
    assert f"{holder.reference} “Semarang flood sensors”, from your organisation" in found.message


def test_no_holder_no_message(client, tracks):
    _holder_in(track=tracks["urban"])
    owner = applicant(organisation=OrganisationFactory(country="ID", region_city="Surabaya"))
    draft = services.proposal_create(by=owner, track=tracks["urban"], title="Surabaya")
    client.force_login(owner)

    body = client.get(reverse("proposals:edit", args=[draft.pk, "basics"])).content.decode()

    assert jurisdiction_holder(draft) is None
    assert 'id="jurisdiction-holder"' not in body


def test_a_withdrawn_holder_frees_the_jurisdiction(tracks):
    holder = _holder_in(track=tracks["urban"])
    services.proposal_withdraw(proposal=holder, by=holder.owner, reason="Merged")
    draft = services.proposal_create(by=applicant(organisation=OrganisationFactory(country="ID",
                                                                                   region_city="Semarang")),
                                     track=tracks["urban"], title="Again")

    assert jurisdiction_holder(draft) is None


# --- the receipt and e-mails name the proposal's programme ----------------------------------------------


def test_sandbox_receipt_and_acknowledgment_name_the_sandbox(client, tracks):
    proposal = complete_proposal(owner=_suwon(), track=tracks["sandbox"], partner_organisations="Robotics Inc.")
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    proposal.refresh_from_db()
    client.force_login(proposal.owner)

    body = client.get(reverse("proposals:receipt", args=[proposal.pk])).content.decode()

    assert proposal.reference.startswith("RSB-")
    assert "received by the secretariat of Regulatory sandbox for regionally-led smart cities." in body
    assert "K-City Network secretariat" not in body
    (email,) = OutboxEmail.objects.filter(event="proposal_acknowledged")
    assert email.subject == f"Proposal received: {proposal.reference} (Regulatory sandbox for regionally-led smart " \
                            "cities)"
    assert "The secretariat of Regulatory sandbox for regionally-led smart cities has received" in email.body


# --- the migration that set the existing tracks' rules --------------------------------------------------


def test_migration_sets_the_rules_of_the_existing_tracks():
    kcity = ProgrammeFactory()
    sandbox = Programme.objects.create(name="Sandbox", slug="sandbox", reference_prefix="RSB")
    urban = TrackFactory(programme=kcity, slug="smart-urban-planning")
    demo = TrackFactory(programme=kcity, slug="overseas-demonstration")
    sandbox_track = TrackFactory(programme=sandbox, slug="sandbox-demonstration")
    other = TrackFactory(programme=kcity, slug="something-new")
    migration = importlib.import_module("proposals.migrations.0009_eligibility_and_help_seed")

    migration.forwards(apps, None)

    rules = {t.slug: (t.applicant_country_rule, t.site_country_rule, t.consortium_required)
             for t in Track.objects.filter(pk__in=[urban.pk, demo.pk, sandbox_track.pk, other.pk])}
    assert rules == {
        "smart-urban-planning": ("outside_korea", "outside_korea", False),
        "overseas-demonstration": ("korea_only", "outside_korea", True),
        "sandbox-demonstration": ("korea_only", "korea_only", True),
        "something-new": ("any", "any", False),
    }


def test_cycle_decision_date_must_follow_the_cut_off():
    cycle = Cycle(programme=ProgrammeFactory(), year=2027, cutoff=datetime.date(2027, 4, 30),
                  decision_date=datetime.date(2027, 4, 30))

    with pytest.raises(ValidationError) as refused:
        services.cycle_save(cycle=cycle, by=StaffFactory())

    assert refused.value.message_dict == {"decision_date": ["The decision comes after the cut-off date."]}
    cycle.decision_date = datetime.date(2027, 7, 15)
    assert services.cycle_save(cycle=cycle, by=StaffFactory()).decision_date == datetime.date(2027, 7, 15)
