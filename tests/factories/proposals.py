"""Programmes, tracks, centres and proposals: drafts from factories, later states through the real services."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OrganisationKind
from proposals import services
from proposals.models import (
    Attachment,
    ContactPerson,
    CooperationCentre,
    Programme,
    Proposal,
    ServiceLevel,
    Track,
)
from proposals.workflow import Status
from tests.factories.accounts import applicant

# Smallest valid files of each accepted kind, recognised by content.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def pdf_upload(name="letter.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "K-City Network"
    slug = "kcity"
    reference_prefix = "KCN"


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Smart Urban planning {n}")
    slug = factory.Sequence(lambda n: f"urban-{n}")
    eligible_organisation_kinds = [
        OrganisationKind.NATIONAL, OrganisationKind.REGIONAL, OrganisationKind.CITY, OrganisationKind.INTERNATIONAL
    ]
    support_cap_krw = 700_000_000
    required_attachment_kinds = ["official_letter"]
    pre_consulting_required = False


class CooperationCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationCentre

    name = "KOTRA Jakarta"
    city = "Jakarta"
    country = "ID"
    covered_countries = ["ID"]


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft with every required field filled (attachments and contacts via `complete_proposal`)."""

    class Meta:
        model = Proposal

    track = factory.SubFactory(TrackFactory)
    owner = factory.LazyFunction(applicant)
    organisation = factory.LazyAttribute(lambda o: o.owner.organisation)
    title = factory.Sequence(lambda n: f"Smart mobility master plan {n}")
    country = factory.LazyAttribute(lambda o: str(o.organisation.country))
    region_city = factory.LazyAttribute(lambda o: o.organisation.region_city)
    jurisdiction_level = "city"
    lead_organisation = factory.LazyAttribute(lambda o: o.organisation.name)
    population = 1_200_000
    area_km2 = "300.50"
    city_context = "A fast-growing coastal city."
    problem_statement = "Congestion and flooding."
    solution_categories = ["mobility", "water"]
    proposed_solutions = "Integrated traffic control and flood sensors."
    objectives = "Cut commute times."
    expected_outcomes = "A master plan adopted by the city council."
    duration_months = 12
    requested_support_krw = 500_000_000
    national_plan_fit = "Part of the national smart-city roadmap."
    consent = True
    status = Status.DRAFT


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    proposal = factory.SubFactory(ProposalFactory)
    name = "Siti Rahma"
    email = "siti@example.org"


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A stored PDF of one document kind (its checksum is a placeholder: the upload checks are tested elsewhere)."""

    class Meta:
        model = Attachment

    proposal = factory.SubFactory(ProposalFactory)
    kind = "official_letter"
    file = factory.LazyAttribute(lambda o: pdf_upload(f"{o.kind}.pdf"))
    original_name = factory.LazyAttribute(lambda o: f"{o.kind}.pdf")
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.LazyAttribute(lambda o: o.proposal.owner)


def complete_proposal(**kwargs) -> Proposal:
    """A draft that passes the submission checklist."""
    proposal = ProposalFactory(**kwargs)
    ContactPersonFactory(proposal=proposal)
    for kind in proposal.track.required_attachment_kinds:
        AttachmentFactory(proposal=proposal, kind=kind)
    return proposal


def service_levels():
    for status, days in [("submitted", 10), ("screening", 20), ("info_requested", 30), ("pre_consulting", 30),
                         ("committee_review", 60)]:
        ServiceLevel.objects.update_or_create(status=status, defaults={"days": days, "next_step": f"after {status}"})


# --- later states, reached through the real services (what tests/proposals/staff_helpers.py offered) ----------

PATHS = {
    Status.SUBMITTED: [],
    Status.SCREENING: [Status.SCREENING],
    Status.INFO_REQUESTED: [Status.SCREENING, Status.INFO_REQUESTED],
    Status.PRE_CONSULTING: [Status.SCREENING, Status.PRE_CONSULTING],
    Status.COMMITTEE_REVIEW: [Status.SCREENING, Status.COMMITTEE_REVIEW],
}


def submitted_proposal(**kwargs) -> Proposal:
    proposal = complete_proposal(**kwargs)
    services.proposal_submit(proposal=proposal, by=proposal.owner)
    proposal.refresh_from_db()
    return proposal


def proposal_in(status: str, *, staff, **kwargs) -> Proposal:
    proposal = submitted_proposal(**kwargs)
    for step in PATHS[status]:
        if step == Status.INFO_REQUESTED:
            services.proposal_request_info(proposal=proposal, by=staff, message="Please add the budget sheet.")
        else:
            services.proposal_transition(proposal=proposal, to=step, by=staff)
    proposal.refresh_from_db()
    return proposal
