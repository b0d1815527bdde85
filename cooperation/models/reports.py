"""Progress reports on the project's schedule (each quarter, each half-year, or at milestone dates). The
implementing side drafts one per reporting period; once submitted it never changes: the partner government
comments and acknowledges, staff accept or request changes, and a revision is a new version of the report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.models.projects import Participant, Project, ProjectDocument
from cooperation.models.results import IndicatorPeriod
from cooperation.models.workplan import Milestone
from core.textfields import BoundedTextField


class ReportingPeriod(models.Model):
    """When a progress report is due, from the project's schedule (cooperation.services.reports)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reporting_periods")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("report due"))
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [models.UniqueConstraint(fields=["project", "period_start"], name="reporting_period_unique")]
        indexes = [models.Index(fields=["due_date", "id"], name="reporting_period_due")]

    def __str__(self):
        return f"{self.period_start}–{self.period_end}"


class Rating(models.IntegerChoices):
    """The World Bank ISR six-point scale."""

    HIGHLY_SATISFACTORY = 6, _("Highly satisfactory")
    SATISFACTORY = 5, _("Satisfactory")
    MODERATELY_SATISFACTORY = 4, _("Moderately satisfactory")
    MODERATELY_UNSATISFACTORY = 3, _("Moderately unsatisfactory")
    UNSATISFACTORY = 2, _("Unsatisfactory")
    HIGHLY_UNSATISFACTORY = 1, _("Highly unsatisfactory")


class RiskRating(models.IntegerChoices):
    """Overall risk, on six points like the ratings (6 is the highest risk)."""

    HIGH = 6, _("High")
    SUBSTANTIAL_HIGH = 5, _("Substantial to high")
    SUBSTANTIAL = 4, _("Substantial")
    MODERATE = 3, _("Moderate")
    LOW_MODERATE = 2, _("Low to moderate")
    LOW = 1, _("Low")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the partner government")
    ACCEPTED = "accepted", _("Accepted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SUPERSEDED = "superseded", _("Replaced by a later version")


class ProgressReport(models.Model):
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="next_version")
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT,
                              db_index=True)
    summary = BoundedTextField(_("progress in the period"), max_length=8000, blank=True)
    issues_and_needs = BoundedTextField(_("issues and needs"), max_length=4000, blank=True)
    rating_objectives = models.PositiveSmallIntegerField(_("progress towards objectives"),
                                                         choices=Rating.choices, null=True, blank=True)
    rating_implementation = models.PositiveSmallIntegerField(_("implementation progress"),
                                                             choices=Rating.choices, null=True, blank=True)
    rating_risk = models.PositiveSmallIntegerField(_("overall risk"), choices=RiskRating.choices, null=True,
                                                   blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    partner_comment = BoundedTextField(_("partner government's comments"), max_length=4000, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = BoundedTextField(_("reviewer's note"), max_length=4000, blank=True)

    class Meta:
        ordering = ["-period__due_date", "-version", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [models.UniqueConstraint(fields=["period", "version"], name="report_version_unique")]
        indexes = [models.Index(fields=["project", "-created_at", "-id"], name="report_list")]

    def __str__(self):
        return f"{self.period} v{self.version}"


class MilestoneProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="milestone_progress")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="+")
    percent_complete = models.PositiveSmallIntegerField(_("per cent complete"))
    note = BoundedTextField(_("progress"), max_length=2000, blank=True)

    class Meta:
        ordering = ["milestone__due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "milestone"], name="milestone_progress_unique"),
                       models.CheckConstraint(condition=models.Q(percent_complete__lte=100),
                                              name="milestone_progress_percent")]

    def __str__(self):
        return f"{self.percent_complete}%"


class IndicatorProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_progress")
    period = models.ForeignKey(IndicatorPeriod, on_delete=models.PROTECT, related_name="+")
    actual_value = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)
    comment = BoundedTextField(_("comment"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "period"], name="indicator_progress_unique")]

    def __str__(self):
        return str(self.actual_value)


class RiskState(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Being mitigated")
    MATERIALISED = "materialised", _("Materialised")
    CLOSED = "closed", _("Closed")


class ReportRisk(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="risks")
    description = BoundedTextField(_("risk"), max_length=2000)
    state = models.CharField(_("state of play"), max_length=20, choices=RiskState.choices, default=RiskState.OPEN)
    mitigation = BoundedTextField(_("mitigation"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description[:60]


class ReportAttachment(models.Model):
    """A photo or document attached to a report (the file is a project document)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(ProjectDocument, on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.caption or str(self.document)


class ContributionReport(models.Model):
    """A consortium member's share of a report (regulatory-sandbox demonstrations: each member reports its part)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="contributions")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    narrative = BoundedTextField(_("progress on its share"), max_length=4000)
    spent_krw = models.PositiveBigIntegerField(_("spent in the period (KRW)"), default=0)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "participant"], name="contribution_unique")]

    def __str__(self):
        return str(self.participant)
