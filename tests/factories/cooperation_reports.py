"""A project with its parties, milestones and indicators for the progress-report tests (independent of the other
cooperation concepts' factories: rows made directly, the project as project_open leaves it)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from accounts.models import Role
from cooperation.models import (
    ActivityStatus,
    Indicator,
    IndicatorPeriod,
    Milestone,
    Objective,
    OrganisationRole,
    Participant,
    Project,
    ProjectMember,
    ReportFrequency,
    Side,
)
from proposals.workflow import Status
from tests.factories.accounts import OrganisationFactory, StaffFactory, UserFactory, applicant
from tests.factories.proposals import CooperationCentreFactory, ProposalFactory


@dataclass
class Parties:
    project: Project
    staff: object
    partner: object
    contractor: object
    contractor_participant: Participant
    centre: object
    outsiders: dict  # name -> a user who is no party to the project


def project_for_reports(*, start=datetime.date(2026, 1, 1), months=12, consortium=False, milestones=2,
                        indicators=1, frequency=ReportFrequency.QUARTERLY) -> Parties:
    partner = applicant(language="en")
    organisation = partner.memberships.get().organisation
    proposal = ProposalFactory(owner=partner, organisation=organisation, status=Status.APPROVED, country="ID")
    centre_user = UserFactory(role=Role.CENTRE_STAFF)
    centre = CooperationCentreFactory(country="ID")
    centre.staff.add(centre_user)
    end = start + relativedelta(months=months) - datetime.timedelta(days=1)
    project = Project.objects.create(
        proposal=proposal, partner_organisation=organisation, title=proposal.title, recipient_country="ID",
        cooperation_centre=centre, planned_start=start, planned_end=end, support_amount_krw=300_000_000,
        activity_status=ActivityStatus.IMPLEMENTATION, report_frequency=frequency,
    )
    lead = Participant.objects.create(project=project, role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR,
                                      name="Hanul Engineering", order=1)
    contractor = UserFactory(role=Role.CONTRACTOR, language="en", time_zone="Asia/Seoul")
    ProjectMember.objects.create(project=project, user=contractor, participant=lead)
    if consortium:
        Participant.objects.create(project=project, role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR,
                                   name="Daon Mobility", order=2)
    for n in range(milestones):
        Milestone.objects.create(project=project, title=f"Milestone {n + 1}", owner_side=Side.CONTRACTOR,
                                 due_date=start + datetime.timedelta(days=80 * (n + 1)), order=n)
    if indicators:
        objective = Objective.objects.create(project=project, title="Safer, faster commuting")
        for n in range(indicators):
            indicator = Indicator.objects.create(objective=objective, title=f"Officials trained {n + 1}",
                                                 unit="people", baseline_value=0, baseline_date=start, order=n)
            for q in range(4):  # the four quarters from the start
                q_start = start + relativedelta(months=3 * q)
                q_end = start + relativedelta(months=3 * (q + 1)) - datetime.timedelta(days=1)
                IndicatorPeriod.objects.create(indicator=indicator, period_start=q_start, period_end=q_end,
                                               target_value=Decimal(10 * (q + 1)))
    other_contractor = UserFactory(role=Role.CONTRACTOR)
    other_project_side = project_elsewhere()
    ProjectMember.objects.create(project=other_project_side, user=other_contractor,
                                 participant=Participant.objects.create(
                                     project=other_project_side, role=OrganisationRole.IMPLEMENTING,
                                     side=Side.CONTRACTOR, name="Elsewhere Ltd"))
    far_centre_user = UserFactory(role=Role.CENTRE_STAFF)
    CooperationCentreFactory(name="KOTRA Nairobi", country="KE", covered_countries=["KE"]).staff.add(far_centre_user)
    return Parties(
        project=project, staff=StaffFactory(), partner=partner, contractor=contractor, contractor_participant=lead,
        centre=centre_user,
        outsiders={"other organisation": applicant(), "contractor elsewhere": other_contractor,
                   "centre of another region": far_centre_user},
    )


def project_elsewhere() -> Project:
    owner = applicant(organisation=OrganisationFactory(country="KE"))
    organisation = owner.memberships.get().organisation
    proposal = ProposalFactory(owner=owner, organisation=organisation, status=Status.APPROVED, country="KE")
    return Project.objects.create(proposal=proposal, partner_organisation=organisation, title=proposal.title,
                                  recipient_country="KE", support_amount_krw=200_000_000,
                                  activity_status=ActivityStatus.IMPLEMENTATION)
