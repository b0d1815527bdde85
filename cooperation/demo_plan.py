"""Demo work plans, results and budgets for the demo projects (the lead's demo builder calls `seed_plan` with the
projects by key). Written through the services where the project is open, so the timeline and audit trail read
as they would; idempotent: a project that already has a plan is left as it is."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cooperation.models import (
    Deliverable,
    Milestone,
    OdaPartner,
    OdaStage,
    OrganisationRole,
    Participant,
    Project,
    ProjectMember,
    RelationKind,
    Side,
    TransactionKind,
)
from cooperation.services import (
    actual_record,
    budget_revise,
    deliverable_create,
    deliverable_submit,
    disbursement_plan,
    indicator_create,
    milestone_create,
    milestone_submit,
    objective_create,
    oda_add,
    oda_move,
    period_add,
    related_add,
    results_agree,
    transaction_record,
    work_review,
)

# The smallest PDF the upload checks accept (a deliverable's demo file).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _implementing(project: Project) -> Participant:
    found = project.participants.filter(role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR).first()
    if found is None:  # the projects' demo adds the contractor; a bare project gets one to receive its support
        found = Participant.objects.create(project=project, role=OrganisationRole.IMPLEMENTING, side=Side.CONTRACTOR,
                                           name="Korea Smart City Engineering (demo)", order=10)
    return found


def _contractor(project: Project, staff):
    member = ProjectMember.objects.filter(project=project).select_related("user").first()
    return member.user if member else staff


def seed_plan(projects: dict, staff, stdout=None) -> None:
    """Add the plans: "just_opened" a first milestone and a draft framework; "midway" milestones (one overdue), a
    deliverable with a version, an agreed framework with actuals, a budget revision and transactions; "closed" an
    ODA follow-up and its related planning project."""
    today = timezone.localdate()
    if (project := projects.get("just_opened")) is not None and not project.milestones.exists():
        _just_opened(project, staff, today)
    if (project := projects.get("midway")) is not None and not project.milestones.exists():
        _midway(project, staff, today)
    if (project := projects.get("closed")) is not None and not project.oda_follow_ups.exists():
        _closed(project, staff, today, midway=projects.get("midway"))
    if stdout is not None:
        stdout.write("  work plans, results and budgets of the demo projects")


def _just_opened(project, staff, today):
    milestone = milestone_create(project=project, title="Inception mission and work plan agreed", by=staff,
                                 due_date=today + datetime.timedelta(days=45), owner_side=Side.CONTRACTOR)
    deliverable_create(milestone=milestone, title="Inception report", due_date=today + datetime.timedelta(days=40),
                       owner_side=Side.CONTRACTOR, by=staff)
    objective = objective_create(project=project, title="The city adopts a smart-city master plan", by=staff)
    indicator_create(objective=objective, title="Master plan chapters agreed with the city", unit="chapters",
                     baseline_value=Decimal(0), baseline_date=today, by=staff)


def _midway(project, staff, today):
    contractor = _contractor(project, staff)
    receiver = _implementing(project)
    done = milestone_create(project=project, title="Inception", due_date=today - datetime.timedelta(days=120),
                            owner_side=Side.CONTRACTOR, by=staff)
    report = deliverable_create(milestone=done, title="Inception report", due_date=done.due_date,
                                owner_side=Side.CONTRACTOR, by=staff)
    # Written as on its day (the demo runs later): no lateness to justify for work delivered on time.
    Milestone.objects.filter(pk=done.pk).update(due_date=today + datetime.timedelta(days=1))
    Deliverable.objects.filter(pk=report.pk).update(due_date=today + datetime.timedelta(days=1))
    report.refresh_from_db()
    done.refresh_from_db()
    deliverable_submit(deliverable=report, upload=_pdf("inception-report.pdf"), note="First version", by=contractor)
    work_review(item=report, accept=True, by=staff)
    milestone_submit(milestone=done, by=contractor)
    work_review(item=done, accept=True, by=staff)
    Milestone.objects.filter(pk=done.pk).update(due_date=today - datetime.timedelta(days=120))
    Deliverable.objects.filter(pk=report.pk).update(due_date=today - datetime.timedelta(days=120))

    overdue = milestone_create(project=project, title="Traffic survey completed", by=staff,
                               due_date=today - datetime.timedelta(days=10), owner_side=Side.CONTRACTOR)
    deliverable_create(milestone=overdue, title="Survey data set and analysis", owner_side=Side.CONTRACTOR,
                       due_date=today - datetime.timedelta(days=10), by=staff)
    partner_part = milestone_create(project=project, title="Stakeholder workshop hosted by the city", by=staff,
                                    due_date=today + datetime.timedelta(days=30), owner_side=Side.PARTNER)
    deliverable_create(milestone=partner_part, title="Workshop attendance and conclusions", by=staff,
                       due_date=today + datetime.timedelta(days=30), owner_side=Side.PARTNER)

    objective = objective_create(project=project, title="City officials plan and run smart mobility", by=staff)
    trained = indicator_create(objective=objective, title="Officials trained in traffic data analysis",
                               unit="people", baseline_value=Decimal(0),
                               baseline_date=today - datetime.timedelta(days=180), by=staff)
    share = indicator_create(objective=objective, title="Signalised junctions with adaptive control", unit="%",
                             is_percentage=True, baseline_value=Decimal(5),
                             baseline_date=today - datetime.timedelta(days=180), by=staff)
    quarters = [(today - datetime.timedelta(days=180), today - datetime.timedelta(days=91)),
                (today - datetime.timedelta(days=90), today - datetime.timedelta(days=1)),
                (today, today + datetime.timedelta(days=89))]
    periods = {}
    for indicator, targets in ((trained, (10, 25, 40)), (share, (5, 10, 20))):
        periods[indicator.pk] = [period_add(indicator=indicator, period_start=start, period_end=end,
                                            target_value=Decimal(target), by=staff)
                                 for (start, end), target in zip(quarters, targets, strict=True)]
    results_agree(project=project, by=staff)
    for indicator, actuals in ((trained, (12, 21)), (share, (5, 8))):
        for period, value in zip(periods[indicator.pk], actuals, strict=False):
            actual_record(period=period, value=Decimal(value), comment="Measured at the quarter's end", by=contractor)

    budget_revise(project=project, amount_krw=project.support_amount_krw - 20_000_000, by=staff,
                  reason="Second site visit replaced by an online workshop (joint committee 2).")
    disbursement_plan(project=project, period_start=quarters[2][0], period_end=quarters[2][1], receiver=receiver,
                      amount_krw=100_000_000, by=staff)
    transaction_record(project=project, kind=TransactionKind.OUTGOING_COMMITMENT, receiver=receiver, by=staff,
                       date=today - datetime.timedelta(days=170), amount_krw=300_000_000,
                       description="Service contract signed")
    transaction_record(project=project, kind=TransactionKind.DISBURSEMENT, receiver=receiver, by=staff,
                       date=today - datetime.timedelta(days=115), amount_krw=90_000_000,
                       description="Advance on the inception report")


def _closed(project, staff, today, midway=None):
    follow_up = oda_add(project=project, title="Bus rapid transit corridor, phase 1", partner=OdaPartner.EDCF,
                        amount_krw=45_000_000_000,
                        stage_date=today - datetime.timedelta(days=200), by=staff,
                        note="Follows the master plan's first priority project.")
    oda_move(follow_up=follow_up, stage=OdaStage.CONCEPT_NOTE, stage_date=today - datetime.timedelta(days=120),
             by=staff)
    oda_move(follow_up=follow_up, stage=OdaStage.APPRAISAL, stage_date=today - datetime.timedelta(days=30),
             by=staff, note="Appraisal mission scheduled.")
    if midway is not None and midway.iati_identifier and not project.relations.exists():
        related_add(project=project, kind=RelationKind.CHILD, to_project=midway, by=staff)
    if not project.relations.filter(iati_identifier=EDCF_FOLLOW_ON).exists():
        related_add(project=project, kind=RelationKind.CHILD, iati_identifier=EDCF_FOLLOW_ON, by=staff)


EDCF_FOLLOW_ON = "KR-GOV-021-EDCF-BRT-1"
