"""Reads of progress reports that the pages and the API share. A draft is the implementing side's own: the
partner government and the centre see a report once it is submitted (and 404 for a draft, like anyone who is not
a party to the project)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import Role
from cooperation.models import (
    ContributionReport,
    IndicatorProgress,
    MilestoneProgress,
    ProgressReport,
    Project,
    Rating,
    ReportingPeriod,
    ReportStatus,
    RiskRating,
)
from cooperation.selectors import projects_visible_to


def sees_drafts(user) -> bool:
    """Whether this person sees the drafts of the projects they see (the implementing side and staff)."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in (Role.STAFF, Role.CONTRACTOR)))


def _detail(qs: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return qs.select_related(
        "project", "period", "period__milestone", "previous_version", "drafted_by", "submitted_by",
        "acknowledged_by", "reviewed_by",
    ).prefetch_related(
        Prefetch("milestone_progress", MilestoneProgress.objects.select_related("milestone")
                 .order_by("milestone__due_date", "milestone__order", "milestone_id")),
        Prefetch("indicator_progress", IndicatorProgress.objects.select_related("period", "period__indicator")
                 .order_by("period__indicator__order", "period__indicator_id", "period__period_start", "id")),
        "risks",
        Prefetch("contributions", ContributionReport.objects.select_related("participant")
                 .order_by("participant__order", "participant_id")),
        "attachments__document",
    )


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.filter(project__in=projects_visible_to(user))
    if not sees_drafts(user):
        qs = qs.exclude(status=ReportStatus.DRAFT)
    return qs


def report_list(user) -> QuerySet[ProgressReport]:
    """The API's list: every visible report, newest period first, with what each row shows."""
    return _detail(reports_visible_to(user)).order_by("-period__period_start", "-version", "-id")


def report_for(user, project: Project, pk) -> ProgressReport:
    report = _detail(reports_visible_to(user).filter(project=project)).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def periods_of(project: Project) -> QuerySet[ReportingPeriod]:
    """The project's reporting periods, each with its reports (newest version first) in one more query."""
    return (ReportingPeriod.objects.filter(project=project).select_related("milestone")
            .prefetch_related(Prefetch("reports", ProgressReport.objects.order_by("-version", "-id")))
            .order_by("period_start", "id"))


def versions_of(report: ProgressReport) -> list[ProgressReport]:
    """Every version of the report's period, newest first."""
    return list(ProgressReport.objects.filter(period_id=report.period_id).select_related("submitted_by")
                .order_by("-version"))


def previous_accepted(report: ProgressReport) -> ProgressReport | None:
    """The report ratings are compared with: the last accepted one of an earlier period."""
    return (ProgressReport.objects.filter(project_id=report.project_id, status=ReportStatus.ACCEPTED,
                                          period__period_start__lt=report.period.period_start)
            .order_by("-period__period_start", "-version").first())


@dataclass(frozen=True)
class RatingRow:
    key: str
    label: str
    previous: int | None
    current: int | None
    scale: type

    def text(self, value) -> str:
        return self.scale(value).label if value else ""

    @property
    def previous_text(self) -> str:
        return self.text(self.previous)

    @property
    def current_text(self) -> str:
        return self.text(self.current)

    @property
    def change(self) -> str:
        """"better", "worse", "same" or "" (no previous); for the risk rating a lower number is better."""
        if not (self.previous and self.current):
            return ""
        if self.previous == self.current:
            return "same"
        better = self.current < self.previous if self.scale is RiskRating else self.current > self.previous
        return "better" if better else "worse"


def ratings_compared(report: ProgressReport, previous: ProgressReport | None) -> list[RatingRow]:
    fields = (("rating_objectives", Rating), ("rating_implementation", Rating), ("rating_risk", RiskRating))
    return [
        RatingRow(key=name, label=str(ProgressReport._meta.get_field(name).verbose_name),
                  previous=getattr(previous, name) if previous else None, current=getattr(report, name), scale=scale)
        for name, scale in fields
    ]
