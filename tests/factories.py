"""factory_boy factories shared by every test module."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from proposals.models import ContactPerson, CooperationCentre, Programme, Proposal, ServiceLevel, Track
from proposals.workflow import Status

PASSWORD = "correct-horse-battery-42"

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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.APPLICANT
    language = "en"
    time_zone = "Asia/Jakarta"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True
    time_zone = "Asia/Seoul"
    language = "en"  # tests that are about Korean say language="ko" themselves


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"City Government {n}")
    country = "ID"
    kind = OrganisationKind.CITY
    region_city = factory.Sequence(lambda n: f"City {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    level = Membership.Level.ADMIN


def applicant(**kwargs) -> User:
    """An applicant who belongs to an organisation (pass organisation=... to share one)."""
    organisation = kwargs.pop("organisation", None) or OrganisationFactory()
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation)
    return user


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


def complete_proposal(**kwargs) -> Proposal:
    """A draft that passes the submission checklist."""
    from proposals.models import Attachment

    proposal = ProposalFactory(**kwargs)
    ContactPerson.objects.create(proposal=proposal, name="Siti Rahma", email="siti@example.org")
    for kind in proposal.track.required_attachment_kinds:
        attachment = Attachment(
            proposal=proposal, kind=kind, original_name=f"{kind}.pdf", content_type="application/pdf",
            size=len(PDF_BYTES), sha256="0" * 64, uploaded_by=proposal.owner,
        )
        attachment.file.save(f"{kind}.pdf", pdf_upload(), save=False)
        attachment.save()
    return proposal


def service_levels():
    for status, days in [("submitted", 10), ("screening", 20), ("info_requested", 30), ("pre_consulting", 30),
                         ("committee_review", 60)]:
        ServiceLevel.objects.update_or_create(status=status, defaults={"days": days, "next_step": f"after {status}"})


def aware(*args, tz="Asia/Seoul"):
    import zoneinfo

    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(tz))
