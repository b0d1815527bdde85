"""Reads of the project concept, shared by the pages and the API: the project list, the health summary, the
people on a project, its documents, thread and timeline, and the centre's regional dashboard.

The health summary counts what is overdue (work items not accepted past their due date, reporting periods past
due with no submitted report, open action items past due) as correlated sub-queries on the project rows, so one
project or a page of fifty costs the same number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Membership, User
from cooperation.models import (
    ActionItem,
    ActionStatus,
    Deliverable,
    Milestone,
    OrganisationRole,
    Participant,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectMember,
    ProjectMessage,
    ReportAttachment,
    ReportingPeriod,
    ReportStatus,
    Side,
    WorkStatus,
)
from cooperation.rules import centre_countries, side_of  # noqa: F401  (the regional dashboard reads centre_countries here)
from cooperation.selectors import projects_visible_to
from core.translated import translation_columns

LIST_COLUMNS = (
    "id", "title", "translations", "iati_identifier", "recipient_country", "recipient_city", "activity_status",
    "planned_start", "planned_end", "actual_start", "actual_end", "opened_at", "proposal__reference",
    *translation_columns("proposal__track__name"),
    "partner_organisation__name",
)


def _count(qs: QuerySet, key: str):
    """The number of rows of `qs` per outer project (`key` names the project column), 0 when none."""
    counted = qs.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_health(qs: QuerySet[Project], *, today=None) -> QuerySet[Project]:
    """Annotate each project with overdue_milestones, overdue_deliverables, overdue_reports, overdue_actions."""
    today = today or timezone.localdate()
    submitted = ProgressReport.objects.filter(period_id=OuterRef("pk")).exclude(status=ReportStatus.DRAFT)
    return qs.annotate(
        overdue_milestones=_count(
            Milestone.objects.filter(project_id=OuterRef("pk"), due_date__lt=today).exclude(
                status=WorkStatus.ACCEPTED), "project_id"),
        overdue_deliverables=_count(
            Deliverable.objects.filter(milestone__project_id=OuterRef("pk"), due_date__lt=today).exclude(
                status=WorkStatus.ACCEPTED), "milestone__project_id"),
        overdue_reports=_count(
            ReportingPeriod.objects.filter(project_id=OuterRef("pk"), due_date__lt=today).exclude(Exists(submitted)),
            "project_id"),
        overdue_actions=_count(
            ActionItem.objects.filter(project_id=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=today),
            "project_id"),
    )


def project_list(*, user, status: int | None = None, country: str | None = None) -> QuerySet[Project]:
    """The projects this person may see, newest opened first (index project_list_order), the shown columns only,
    with their health counts."""
    qs = projects_visible_to(user).select_related("proposal__track", "partner_organisation").only(*LIST_COLUMNS)
    if status:
        qs = qs.filter(activity_status=status)
    if country:
        qs = qs.filter(recipient_country=country)
    return with_health(qs).order_by("-opened_at", "-id")


def project_countries(*, user) -> list[str]:
    """The recipient countries among the projects this person sees (the list's country filter)."""
    return sorted({str(c) for c in projects_visible_to(user).order_by().values_list("recipient_country", flat=True)
                   .distinct() if c})


def health_for(project: Project) -> dict:
    """The four overdue counts of one project (one query)."""
    row = with_health(Project.objects.filter(pk=project.pk)).values(
        "overdue_milestones", "overdue_deliverables", "overdue_reports", "overdue_actions").first() or {}
    return {**row, "total": sum(row.values())}


@dataclass
class ProjectPeople:
    participants: list
    partner_team: list
    contractors: list  # ProjectMember rows with user and participant
    centre_staff: list


def people_for(project: Project) -> ProjectPeople:
    """Who takes part: the participating organisations, the partner government's team (the partner organisation's
    members), the contractors' staff and the cooperation centre's staff (four queries)."""
    partner_ids = Membership.objects.filter(organisation_id=project.partner_organisation_id).values("user_id")
    centre = (User.objects.filter(cooperation_centres=project.cooperation_centre_id, is_active=True)
              if project.cooperation_centre_id else User.objects.none())
    return ProjectPeople(
        participants=list(Participant.objects.filter(project=project).select_related("organisation")),
        partner_team=list(User.objects.filter(pk__in=partner_ids, is_active=True).order_by("full_name", "id")),
        contractors=list(ProjectMember.objects.filter(project=project).select_related("user", "participant")
                         .order_by("participant__name", "user__full_name", "id")),
        centre_staff=list(centre.order_by("full_name", "id")) if project.cooperation_centre_id else [],
    )


def parties_of(project: Project) -> list:
    """Everyone to tell about something on the project: the partner team, the contractors' staff, the centre's
    staff and the staff member who opened it."""
    partner_ids = Membership.objects.filter(organisation_id=project.partner_organisation_id).values("user_id")
    contractor_ids = ProjectMember.objects.filter(project=project).values("user_id")
    q = Q(pk__in=partner_ids) | Q(pk__in=contractor_ids)
    if project.cooperation_centre_id:
        q |= Q(cooperation_centres=project.cooperation_centre_id)
    if project.opened_by_id:
        q |= Q(pk=project.opened_by_id)
    return list(User.objects.filter(q, is_active=True).distinct().order_by("id"))


def implementing_participants(project: Project) -> QuerySet[Participant]:
    return Participant.objects.filter(project=project, role=OrganisationRole.IMPLEMENTING).order_by("order", "id")


def _documents_seen_by(project: Project, user) -> QuerySet[ProjectDocument]:
    """The project's documents this party may open: the photos and files of a draft progress report are the
    implementing side's work in progress (the draft itself is a 404 for the partner and the centre), so only the
    contractors and staff see them until the report is submitted."""
    qs = ProjectDocument.objects.filter(project=project)
    if side_of(user, project) not in (Side.CONTRACTOR, Side.MOLIT):
        drafts = ReportAttachment.objects.filter(report__project=project, report__status=ReportStatus.DRAFT)
        qs = qs.exclude(pk__in=drafts.values("document_id"))
    return qs


def documents_of(project: Project, *, user, public_only: bool = False) -> QuerySet[ProjectDocument]:
    qs = _documents_seen_by(project, user).select_related("uploaded_by")
    if public_only:
        qs = qs.filter(public=True)
    return qs.order_by("-uploaded_at", "-id")


def messages_of(project: Project) -> QuerySet[ProjectMessage]:
    return ProjectMessage.objects.filter(project=project).select_related("author").order_by("-created_at", "-id")


def events_of(project: Project) -> QuerySet[ProjectEvent]:
    return ProjectEvent.objects.filter(project=project).select_related("actor").order_by("-at", "-id")


def document_for(project: Project, pk, *, user) -> ProjectDocument | None:
    return _documents_seen_by(project, user).filter(pk=pk).first()
