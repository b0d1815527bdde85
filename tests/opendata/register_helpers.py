"""Public and non-public projects for the register's tests: a released approval (public), an approved proposal
whose decision is not released yet (not public), documents public, private and attached to a draft report."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from cooperation.models import (
    Milestone,
    ProgressReport,
    ProjectDocument,
    ReportAttachment,
    ReportingPeriod,
    ReportStatus,
    Side,
    WorkStatus,
)
from proposals.models import Cycle
from tests.factories import PDF_BYTES, StaffFactory
from tests.factories.cooperation import ProjectFactory


def released_project(*, year: int | None = None, released_at=None, **kwargs):
    """A project whose approval was released (public); `year` puts its proposal in that year's cycle."""
    project = ProjectFactory(**kwargs)
    proposal = project.proposal
    proposal.decision_released_at = released_at or timezone.now()
    if year is not None:
        programme = proposal.track.programme
        proposal.cycle, _c = Cycle.objects.get_or_create(
            programme=programme, year=year, defaults={"cutoff": datetime.date(year, 4, 30)}
        )
    proposal.save(update_fields=["decision_released_at", "cycle"])
    return project


def unreleased_project(**kwargs):
    """Approved by the committee, the project already opened, the decision letter not released."""
    return ProjectFactory(**kwargs)


def document(project, *, title: str, public: bool, content: bytes = PDF_BYTES, name: str = "file.pdf"):
    doc = ProjectDocument(
        project=project,
        title=title,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        public=public,
        uploaded_by=StaffFactory(),
    )
    doc.file.save(name, ContentFile(content), save=False)
    doc.save()
    return doc


def draft_report_document(project, *, title: str):
    """A document marked public but attached to a progress report still in draft."""
    doc = document(project, title=title, public=True)
    period = ReportingPeriod.objects.create(
        project=project,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        due_date=datetime.date(2026, 4, 15),
    )
    report = ProgressReport.objects.create(
        period=period,
        project=project,
        status=ReportStatus.DRAFT,
        drafted_by=doc.uploaded_by,
        summary="Draft summary, not public",
    )
    ReportAttachment.objects.create(report=report, document=doc, caption="Draft photo")
    return doc


def milestones(project, *, done: int, pending: int):
    start = datetime.date(2026, 1, 1)
    for n in range(done + pending):
        Milestone.objects.create(
            project=project,
            title=f"Milestone {n + 1}",
            owner_side=Side.CONTRACTOR,
            due_date=start + datetime.timedelta(days=30 * (n + 1)),
            order=n,
            status=WorkStatus.ACCEPTED if n < done else WorkStatus.PENDING,
            accepted_at=timezone.now() if n < done else None,
        )
