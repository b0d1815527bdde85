"""What the IATI file may publish: the projects whose committee decision was released, and their public documents.

Interim: opendata/selectors.py (the public register's `public_projects()` and `public_documents(project)`) is the
single answer for every open-data page and file; these are the same rules, written as querysets the IATI builder
can prefetch for thousands of projects at once. At merge the builder reads the register's selectors instead.
"""

from django.db.models import Exists, OuterRef, QuerySet

from cooperation.models import Project, ProjectDocument, ReportAttachment, ReportStatus
from proposals.workflow import Status


def public_projects() -> QuerySet[Project]:
    """Projects of approved proposals whose decision was released (an approval not yet released stays private)."""
    return Project.objects.filter(proposal__status=Status.APPROVED, proposal__decision_released_at__isnull=False)


def public_documents() -> QuerySet[ProjectDocument]:
    """Documents staff marked public, never a file attached to a progress report still in draft (the implementing
    side has not submitted it yet, whatever the document's flag says)."""
    in_draft_report = ReportAttachment.objects.filter(document=OuterRef("pk"), report__status=ReportStatus.DRAFT)
    return ProjectDocument.objects.filter(public=True).exclude(Exists(in_draft_report))
