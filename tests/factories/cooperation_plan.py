"""A cooperation project with people on every side, for the work plan, results and budget tests (until
tests/factories/cooperation.py exists): opened through cooperation.services.project_open, with an implementing
contractor whose staff member is on the project."""

from dataclasses import dataclass

from accounts.models import Role, User
from cooperation.models import OrganisationRole, Participant, Project, ProjectMember, Side
from cooperation.services import project_open
from proposals.workflow import Status
from tests.factories.accounts import OrganisationFactory, StaffFactory, UserFactory, applicant
from tests.factories.proposals import CooperationCentreFactory, ProposalFactory


@dataclass
class PlanParties:
    project: Project
    staff: User
    partner: User  # a member of the partner organisation
    contractor: User  # the implementing contractor's staff on the project
    centre: User  # staff of the cooperation centre of the project's region
    implementing: Participant
    accountable: Participant


_counter = {"n": 0}


def plan_project(*, staff=None, country="ID") -> PlanParties:
    _counter["n"] += 1
    n = _counter["n"]
    staff = staff or StaffFactory()
    organisation = OrganisationFactory(country=country)
    partner = applicant(organisation=organisation)
    centre = CooperationCentreFactory(name=f"KOTRA {country} {n}", country=country, covered_countries=[country])
    centre_staff = UserFactory(role=Role.CENTRE_STAFF)
    centre.staff.add(centre_staff)
    proposal = ProposalFactory(owner=partner, organisation=organisation, status=Status.APPROVED,
                               reference=f"KCN-2026-9{n:03d}", cooperation_centre=centre)
    project = project_open(proposal=proposal, support_amount_krw=500_000_000, by=staff)
    implementing = Participant.objects.create(project=project, role=OrganisationRole.IMPLEMENTING,
                                              side=Side.CONTRACTOR, name=f"Korea Smart Engineering {n}")
    contractor = UserFactory(role=Role.CONTRACTOR, time_zone="Asia/Seoul")
    ProjectMember.objects.create(project=project, user=contractor, participant=implementing, added_by=staff)
    accountable = project.participants.get(role=OrganisationRole.ACCOUNTABLE)
    return PlanParties(project=project, staff=staff, partner=partner, contractor=contractor, centre=centre_staff,
                       implementing=implementing, accountable=accountable)


def outsiders() -> dict[str, User]:
    """People who must see nothing of a plan_project's: another organisation, a contractor on another project,
    a centre of another region."""
    other = plan_project(country="KE")
    return {"other organisation": applicant(), "contractor elsewhere": other.contractor,
            "centre elsewhere": other.centre, "partner elsewhere": other.partner}
