"""What the public may see of the cooperation projects: the reads every open-data page, file and API shares.

A project is public once the committee's approval is released (`proposal.decision_released_at` set on an approved
proposal); until then nothing of it appears anywhere public, even though the project may already be open on the
platform. Of a public project the open data shows only what the register names (title and description, place,
track, year, dates, approved amount, IATI status, participating organisations, milestones done of total) and the
documents staff marked public, never a file of a draft progress report. Conditions, messages, reports, people and
their e-mail addresses stay on the platform.

`public_projects()` is the one answer to "which projects are public": the register, its CSV and JSON, the API,
the IATI file and the statistics all start from it.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear

from cooperation.models import (
    Milestone,
    Participant,
    Project,
    ProjectDocument,
    ReportAttachment,
    ReportStatus,
    WorkStatus,
)
from proposals.models import Track
from proposals.workflow import Status

# The order of every public list: newest opened first, served by the index project_list_order; the id makes it
# total, so pages never repeat or skip a row.
PUBLIC_ORDER = ("-opened_at", "-id")


def _count(qs: QuerySet) -> Coalesce:
    counted = qs.order_by().values("project_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def released(prefix: str = "") -> Q:
    """The condition on Project rows that makes a project public; `prefix` reaches the project through a relation
    ("project__" from an indicator)."""
    return Q(**{f"{prefix}proposal__status": Status.APPROVED, f"{prefix}proposal__decision_released_at__isnull": False})


def public_projects() -> QuerySet[Project]:
    """The public projects, newest opened first, each annotated with what the register shows:
    `milestones_total`, `milestones_done` (accepted), `track_name`, `track_slug`, `reference` (the proposal's) and
    `year` (the selection cycle's year, or the year the decision was released when the proposal has no cycle).

    The proposal itself is not loaded (it holds the applicant's private text); read the annotations."""
    milestones = Milestone.objects.filter(project_id=OuterRef("pk"))
    return (
        Project.objects.filter(released())
        .annotate(
            milestones_total=_count(milestones),
            milestones_done=_count(milestones.filter(status=WorkStatus.ACCEPTED)),
            track_name=F("proposal__track__name"),
            track_slug=F("proposal__track__slug"),
            reference=F("proposal__reference"),
            year=Coalesce(F("proposal__cycle__year"), ExtractYear("proposal__decision_released_at")),
        )
        .order_by(*PUBLIC_ORDER)
    )


@dataclass(frozen=True)
class RegisterFilters:
    """The register's filters, already checked (opendata.forms.RegisterFilterForm): None is "any"."""

    year: int | None = None
    country: str | None = None
    track: str | None = None  # a track's slug
    status: int | None = None  # an IATI activity status code


def filtered(qs: QuerySet[Project], filters: RegisterFilters) -> QuerySet[Project]:
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.country:
        qs = qs.filter(recipient_country=filters.country)
    if filters.track:
        qs = qs.filter(proposal__track__slug=filters.track)
    if filters.status is not None:
        qs = qs.filter(activity_status=filters.status)
    return qs


def public_project(pk: int) -> Project | None:
    """One public project, or None (unknown, or its decision not released)."""
    return public_projects().filter(pk=pk).first()


def public_participants(project: Project) -> list[Participant]:
    """The participating organisations in IATI role order (names and roles are what IATI publishes)."""
    return list(
        Participant.objects.filter(project=project).only("id", "project_id", "role", "name", "iati_ref", "order")
    )


def public_milestones(project: Project) -> list[Milestone]:
    """The work plan's milestones, with the fields the register shows (title, due date, status, when accepted)."""
    return list(
        Milestone.objects.filter(project=project).only(
            "id", "project_id", "title", "due_date", "status", "accepted_at", "order"
        )
    )


def public_documents(project: Project | None = None) -> QuerySet[ProjectDocument]:
    """The documents of `project` staff marked public, never a file attached to a draft progress report (a draft
    is the implementing side's work in progress; once submitted, a public attachment may be shown).

    Without a project: every such document of every project, for a reader that prefetches them (the IATI file)
    and keeps to public projects itself."""
    in_draft = ReportAttachment.objects.filter(document_id=OuterRef("pk"), report__status=ReportStatus.DRAFT)
    documents = ProjectDocument.objects.filter(public=True).exclude(Exists(in_draft))
    if project is None:
        return documents
    return (
        documents.filter(project=project)
        .only("id", "project_id", "category", "title", "original_name", "content_type", "size", "uploaded_at")
        .order_by("-uploaded_at", "-id")
    )


_DOWNLOAD_COLUMNS = ("id", "project_id", "title", "file", "original_name", "content_type", "size")


def public_document(project: Project, pk: int) -> ProjectDocument | None:
    """One public document of `project` with its file, or None (unknown, private, or a draft report's)."""
    return public_documents(project).filter(pk=pk).only(*_DOWNLOAD_COLUMNS).first()


def register_choices() -> dict:
    """What the register's filters offer: the years, countries, tracks and statuses among the public projects
    (three small queries)."""
    rows = public_projects().order_by()
    years = sorted({y for y in rows.values_list("year", flat=True) if y}, reverse=True)
    countries = sorted({str(c) for c in rows.values_list("recipient_country", flat=True).distinct() if c})
    track_ids = rows.values("proposal__track_id")
    tracks = list(Track.objects.filter(pk__in=track_ids).order_by("name", "id").values_list("slug", "name"))
    return {"years": years, "countries": countries, "tracks": tracks}
