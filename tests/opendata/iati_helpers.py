"""Projects for the IATI file's tests: released (public) or not, with finance, results, documents and relations
written straight into their tables (the services' own tests cover how they get there)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from lxml import etree

from cooperation.models import (
    BudgetRevision,
    Indicator,
    IndicatorPeriod,
    Objective,
    OrganisationRole,
    PlannedDisbursement,
    ProgressReport,
    ProjectDocument,
    RelatedProject,
    RelationKind,
    ReportAttachment,
    ReportingPeriod,
    ReportStatus,
    Transaction,
    TransactionKind,
)
from opendata.iati import iati_document
from opendata.iati_schema import validate
from tests.factories import PDF_BYTES, StaffFactory
from tests.factories.cooperation import ParticipantFactory, ProjectFactory

BASE_URL = "https://kcity.example.org"


def release(project, at=None):
    proposal = project.proposal
    proposal.decision_released_at = at or timezone.now()
    proposal.save(update_fields=["decision_released_at"])
    return project


def released_project(**kwargs):
    return release(ProjectFactory(**kwargs))


def document(project, *, title: str, public: bool, category: str = "general", by=None):
    doc = ProjectDocument(
        project=project,
        title=title,
        category=category,
        original_name="file.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        public=public,
        uploaded_by=by or StaffFactory(),
    )
    doc.file.save("file.pdf", ContentFile(PDF_BYTES), save=False)
    doc.save()
    return doc


def draft_report_document(project, *, title: str):
    """Marked public, but attached to a progress report the implementing side has not submitted yet."""
    doc = document(project, title=title, public=True, category="photo")
    period, _c = ReportingPeriod.objects.get_or_create(
        project=project,
        period_start=datetime.date(2026, 1, 1),
        defaults={"period_end": datetime.date(2026, 3, 31), "due_date": datetime.date(2026, 4, 15)},
    )
    report = ProgressReport.objects.filter(period=period, status=ReportStatus.DRAFT).first()
    if report is None:
        report = ProgressReport.objects.create(
            period=period, project=project, status=ReportStatus.DRAFT, drafted_by=doc.uploaded_by
        )
    ReportAttachment.objects.create(report=report, document=doc, caption="Draft photo")
    return doc


def full_project(*, staff=None):
    """A released project with every part of an activity: a contractor, a revised budget, a planned
    disbursement, a commitment and a disbursement, an objective with an indicator over two periods (one measured,
    with public evidence), public and private documents, and a related external activity."""
    staff = staff or StaffFactory()
    project = released_project(
        title="Surabaya operations centre & <flood> plan",
        description="One centre for the city's data.",
        translations={
            "ko": {"title": "수라바야 운영센터", "description": "도시 데이터 센터"},
            "es": {"title": "Centro"},
        },
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
        actual_start=datetime.date(2026, 2, 1),
        recipient_city="Surabaya",
        activity_status=2,
        support_amount_krw=550_000_000,
    )
    contractor = ParticipantFactory(project=project, name="Korean Engineering Co.", iati_ref="KR-CRN-1108100000")
    BudgetRevision.objects.create(
        project=project,
        previous_krw=550_000_000,
        amount_krw=600_000_000,
        reason="A second data officer",
        approved_by=staff,
    )
    PlannedDisbursement.objects.create(
        project=project,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        amount_krw=300_000_000,
        receiver=contractor,
    )
    Transaction.objects.create(
        project=project,
        kind=TransactionKind.OUTGOING_COMMITMENT,
        date=datetime.date(2026, 1, 15),
        amount_krw=600_000_000,
        receiver=contractor,
        description="Contract signed",
        recorded_by=staff,
    )
    Transaction.objects.create(
        project=project,
        kind=TransactionKind.DISBURSEMENT,
        date=datetime.date(2026, 3, 1),
        amount_krw=250_000_000,
        receiver=contractor,
        recorded_by=staff,
    )
    evidence = document(project, title="Training attendance", public=True, category="evidence", by=staff)
    objective = Objective.objects.create(project=project, title="Officials run the centre")
    indicator = Indicator.objects.create(
        objective=objective,
        title="Officials trained",
        unit="people",
        baseline_value=Decimal("0.00"),
        baseline_date=datetime.date(2026, 1, 1),
    )
    IndicatorPeriod.objects.create(
        indicator=indicator,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        target_value=Decimal("20.00"),
        actual_value=Decimal("24.00"),
        actual_comment="Two sessions",
        evidence=evidence,
    )
    IndicatorPeriod.objects.create(
        indicator=indicator,
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 12, 31),
        target_value=Decimal("40.50"),
    )
    Objective.objects.create(project=project, title="No indicator yet")  # not a result: IATI needs an indicator
    document(project, title="Inception report", public=True, category="report", by=staff)
    document(project, title="Internal budget sheet", public=False, by=staff)
    draft_report_document(project, title="Draft report photo")
    RelatedProject.objects.create(project=project, kind=RelationKind.CHILD, iati_identifier="XM-EDCF-2027-001")
    return project


def built(**kwargs) -> etree._Element:
    """The file, validated against the schema, parsed."""
    data = iati_document(base_url=BASE_URL, **kwargs)
    root = etree.fromstring(data)
    validate(root)
    return root


def activity_of(root, project):
    found = root.xpath("iati-activity[iati-identifier=$id]", id=project.iati_identifier)
    return found[0] if found else None


def contractor_participants(project):
    return project.participants.filter(role=OrganisationRole.IMPLEMENTING)
