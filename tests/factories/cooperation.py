"""Cooperation projects and the people on them. A project opens through the real `project_open` (on a proposal
written straight into the approved state, which is what the committee's released approval leaves behind; the
full path through a decision letter is tests/cooperation/test_receivers.py's).

    project = ProjectFactory()                                   # Indonesian city, pipeline, three participants
    project = ProjectFactory(country="KE", centre=centre)        # another country and its cooperation centre
    contractor = ParticipantFactory(project=project)              # an implementing Korean contractor
    person = contractor_user(project=project)                     # Role.CONTRACTOR on that project
    partner = partner_user(project)                               # a member of the partner organisation
"""

import factory

from accounts.models import OrganisationKind, Role
from cooperation.models import OrganisationRole, Participant, Project, ProjectMember, Side
from cooperation.services.projects import project_open
from proposals.workflow import Status
from tests.factories.accounts import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.factories.proposals import CooperationCentreFactory, ProposalFactory, TrackFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project opened by `project_open` on an approved proposal.

    Keyword arguments: `proposal` (an approved proposal to open; else one is made), `organisation` (the partner),
    `country`, `centre` (a CooperationCentre), `track`, `support_amount_krw`, `conditions`, `by` (staff);
    any other Project field given is saved on the opened project afterwards (e.g. activity_status=2)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    support_amount_krw = 300_000_000
    conditions = "Train the city's officials."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        proposal = kwargs.pop("proposal", None)
        organisation = kwargs.pop("organisation", None)
        country = kwargs.pop("country", None)
        centre = kwargs.pop("centre", None)
        track = kwargs.pop("track", None)
        by = kwargs.pop("by", None) or StaffFactory()
        amount = kwargs.pop("support_amount_krw")
        conditions = kwargs.pop("conditions")
        if proposal is None:
            organisation = organisation or OrganisationFactory(**({"country": country} if country else {}))
            owner = UserFactory()
            MembershipFactory(user=owner, organisation=organisation)
            proposal = ProposalFactory(
                owner=owner, organisation=organisation, track=track or TrackFactory(), status=Status.APPROVED,
                reference=_next_reference(), country=country or str(organisation.country),
                cooperation_centre=centre,
            )
        project = project_open(proposal=proposal, support_amount_krw=amount, conditions=conditions, by=by)
        if kwargs:
            for field, value in kwargs.items():
                setattr(project, field, value)
            project.save(update_fields=list(kwargs))
        return project


_counter = iter(range(1, 10**6))


def _next_reference() -> str:
    return f"KCN-2026-T{next(_counter):05d}"


class ParticipantFactory(factory.django.DjangoModelFactory):
    """An implementing Korean contractor (pass role/side for another kind of participant)."""

    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    role = OrganisationRole.IMPLEMENTING
    side = Side.CONTRACTOR
    organisation = factory.SubFactory(OrganisationFactory, country="KR", kind=OrganisationKind.KOREAN_COMPANY,
                                         name=factory.Sequence(lambda n: f"Korean Engineering {n}"))
    name = factory.LazyAttribute(lambda o: o.organisation.name if o.organisation else "Korean contractor")
    order = 0


class ContractorFactory(UserFactory):
    role = Role.CONTRACTOR
    time_zone = "Asia/Seoul"


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    """A contractor's staff member on a project, working for an implementing participant of it."""

    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(ContractorFactory)
    participant = factory.LazyAttribute(
        lambda o: o.project.participants.filter(role=OrganisationRole.IMPLEMENTING).first()
        or ParticipantFactory(project=o.project)
    )
    added_by = None


def contractor_user(*, project, participant=None, **kwargs):
    """A Role.CONTRACTOR user on `project` (for `participant`, or its first implementing contractor, made if
    there is none)."""
    user = ContractorFactory(**kwargs)
    extra = {"participant": participant} if participant else {}
    ProjectMemberFactory(project=project, user=user, **extra)
    return user


def partner_user(project, **kwargs):
    """A member of the project's partner organisation (the partner government's team)."""
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=project.partner_organisation)
    return user


def centre_user(*, country="ID", centre=None, **kwargs):
    """Cooperation-centre staff following `country` (through a centre covering it, made unless given)."""
    centre = centre or CooperationCentreFactory(name=f"KOTRA {country}", country=country, covered_countries=[country])
    user = UserFactory(role=Role.CENTRE_STAFF, **kwargs)
    centre.staff.add(user)
    return user
