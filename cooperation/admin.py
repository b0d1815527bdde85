"""The cooperation projects in the back office: shown, with only their conditions kept by staff (project_save);
a project is opened by the committee's released approval and never added or deleted here."""

from django.contrib import admin

from cooperation.models import Project
from cooperation.services import project_save
from core.admin import ServiceWriteAdmin, service_call


@admin.register(Project)
class ProjectAdmin(ServiceWriteAdmin):
    list_display = ["id", "proposal", "partner_organisation", "support_amount_krw", "opened_at"]
    list_select_related = ["proposal", "partner_organisation"]
    search_fields = ["proposal__reference", "proposal__title", "partner_organisation__name"]
    fields = ["proposal", "iati_identifier", "partner_organisation", "support_amount_krw", "activity_status",
              "conditions", "opened_at", "opened_by"]
    readonly_fields = ["proposal", "iati_identifier", "partner_organisation", "support_amount_krw", "activity_status",
                       "opened_at", "opened_by"]

    def has_add_permission(self, request):
        # Projects open only when a committee approval is released (cooperation.receivers -> project_open).
        return False

    def has_delete_permission(self, request, obj=None):
        # The approved proposal would be left without its project, and nothing would open it again.
        return False

    def save_model(self, request, obj, form, change):
        service_call(project_save, project=obj, by=request.user, changed=form.changed_data)


# --- reports ---
# Reporting periods are built from the schedule (reporting_schedule_set) and reports written through the review
# cycle's services (cooperation.services.reports); a submitted report never changes, so the back office only shows.
# --- meetings ---
# Meetings, action items and minutes are written on the project's pages (and the API) through their services, which
# keep session numbers, carry-over, acknowledgments and the finality of minutes; the back office shows them only.
from cooperation.models import (  # noqa: E402  # noqa: E402  (the meetings block is appended)
    ActionItem,
    AgendaItem,
    ContributionReport,
    CooperationMeeting,
    CooperationMinutes,
    Delegate,
    IndicatorProgress,
    MilestoneProgress,
    ProgressReport,
    ReportAttachment,
    ReportingPeriod,
    ReportRisk,
)
from core.admin import ReadOnlyAdmin, ReadOnlyInline  # noqa: E402


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ["project", "period_start", "period_end", "due_date", "milestone"]
    list_select_related = ["project", "milestone"]
    list_filter = ["due_date"]


class MilestoneProgressInline(ReadOnlyInline):
    model = MilestoneProgress


class IndicatorProgressInline(ReadOnlyInline):
    model = IndicatorProgress


class ReportRiskInline(ReadOnlyInline):
    model = ReportRisk


class ContributionInline(ReadOnlyInline):
    model = ContributionReport


class ReportAttachmentInline(ReadOnlyInline):
    model = ReportAttachment


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "period", "version", "status", "submitted_at", "reviewed_at"]
    list_select_related = ["project", "period"]
    list_filter = ["status"]
    search_fields = ["project__title", "project__proposal__reference"]
    inlines = [MilestoneProgressInline, IndicatorProgressInline, ReportRiskInline, ContributionInline,
               ReportAttachmentInline]


class DelegateInline(ReadOnlyInline):
    model = Delegate
    fields = ["side", "name", "position", "organisation", "is_head", "user"]


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "title", "outcome_kind", "outcome", "approved_type", "approved_id"]


@admin.register(CooperationMeeting)
class CooperationMeetingAdmin(ReadOnlyAdmin):
    list_display = ["id", "project", "kind", "session_number", "starts_at", "status", "facilitating_centre"]
    list_filter = ["kind", "status"]
    list_select_related = ["project", "facilitating_centre"]
    search_fields = ["project__title", "project__proposal__reference", "place"]
    inlines = [DelegateInline, AgendaItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "project", "owner_side", "due_date", "status", "escalated_at"]
    list_filter = ["status", "owner_side"]
    list_select_related = ["project"]
    search_fields = ["title", "project__title"]


@admin.register(CooperationMinutes)
class CooperationMinutesAdmin(ReadOnlyAdmin):
    """Final minutes are immutable; drafts are written on the meeting's minutes page."""

    list_display = ["meeting", "status", "korean_ack_at", "partner_ack_at", "finalised_at"]
    list_filter = ["status"]
    list_select_related = ["meeting", "meeting__project"]
