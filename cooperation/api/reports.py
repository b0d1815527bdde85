"""/api/v1/cooperation/reports/: progress reports, machine-readable (milestone and indicator progress, ratings
with the previous accepted report's, risks, consortium shares), through the same services and rules as the pages.

Who may is decided before the body is read (ReportPermission: the side an action needs, 403 with the rule's
reason); what the report's state allows is the service's answer (400 `transition_refused`). A report the caller
may not see (another party's project, or a draft for the partner) is a 404."""

from django.core.validators import RegexValidator
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cooperation import selectors_reports as selectors
from cooperation.models import (
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    RiskState,
)
from cooperation.rules import REFUSALS, REPORT_SIDE
from cooperation.selectors import projects_visible_to
from cooperation.services import reports as services
from core.api import PortalViewSet, RulePermission

# --- read ---------------------------------------------------------------------------------------------------


class ReportingPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "period_start", "period_end", "due_date", "milestone"]
        read_only_fields = fields


class ReportMilestoneProgressSerializer(serializers.Serializer):
    milestone = serializers.IntegerField(source="milestone_id")
    milestone_title = serializers.CharField(source="milestone.title")
    due_date = serializers.DateField(source="milestone.due_date")
    percent_complete = serializers.IntegerField()
    note = serializers.CharField()


class ReportIndicatorProgressSerializer(serializers.Serializer):
    indicator_period = serializers.IntegerField(source="period_id")
    indicator = serializers.IntegerField(source="period.indicator_id")
    indicator_title = serializers.CharField(source="period.indicator.title")
    unit = serializers.CharField(source="period.indicator.unit")
    period_start = serializers.DateField(source="period.period_start")
    period_end = serializers.DateField(source="period.period_end")
    target_value = serializers.DecimalField(source="period.target_value", max_digits=16, decimal_places=2)
    actual_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    comment = serializers.CharField()


class ReportRiskSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    state = serializers.ChoiceField(choices=RiskState.choices)
    mitigation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportContributionSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id")
    participant_name = serializers.CharField(source="participant.name")
    narrative = serializers.CharField()
    spent_krw = serializers.IntegerField()


class ReportAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    caption = serializers.CharField()
    file_name = serializers.CharField(source="document.original_name")
    content_type = serializers.CharField(source="document.content_type")
    size = serializers.IntegerField(source="document.size")
    sha256 = serializers.CharField(source="document.sha256")


class ReportRatingsSerializer(serializers.Serializer):
    progress_towards_objectives = serializers.IntegerField(source="rating_objectives", allow_null=True)
    implementation_progress = serializers.IntegerField(source="rating_implementation", allow_null=True)
    overall_risk = serializers.IntegerField(source="rating_risk", allow_null=True)


class ProgressReportSerializer(serializers.ModelSerializer):
    period = ReportingPeriodSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    ratings = serializers.SerializerMethodField()
    previous_ratings = serializers.SerializerMethodField(
        help_text="The ratings of the last accepted report of an earlier period (null if none), with its id.")
    milestone_progress = ReportMilestoneProgressSerializer(many=True, read_only=True)
    indicator_progress = ReportIndicatorProgressSerializer(many=True, read_only=True)
    risks = ReportRiskSerializer(many=True, read_only=True)
    contributions = ReportContributionSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "period", "version", "previous_version", "status", "status_label", "summary",
                  "issues_and_needs", "ratings", "previous_ratings", "milestone_progress", "indicator_progress",
                  "risks", "contributions", "attachments", "submitted_at", "partner_comment", "acknowledged_at",
                  "reviewed_at", "review_note"]
        read_only_fields = fields

    @extend_schema(request=None, responses=ReportRatingsSerializer)
    def get_ratings(self, report) -> dict:
        return ReportRatingsSerializer(report).data

    def get_previous_ratings(self, report) -> dict | None:
        previous = self.context.get("previous", {}).get(report.pk)
        if previous is None:
            return None
        return {"report": previous.pk, **ReportRatingsSerializer(previous).data}


def previous_for(reports: list[ProgressReport]) -> dict[int, ProgressReport]:
    """Each report's last accepted report of an earlier period, for a page of reports in one query."""
    accepted = list(ProgressReport.objects.filter(project_id__in={r.project_id for r in reports},
                                                  status=ReportStatus.ACCEPTED)
                    .select_related("period").order_by("-period__period_start", "-version"))
    found = {}
    for report in reports:
        found[report.pk] = next((a for a in accepted if a.project_id == report.project_id
                                 and a.period.period_start < report.period.period_start), None)
    return found


# --- write --------------------------------------------------------------------------------------------------


class ReportMilestoneRowSerializer(serializers.Serializer):
    milestone = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportIndicatorRowSerializer(serializers.Serializer):
    indicator_period = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    actual_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportContributionRowSerializer(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    # Not blank, whitespace included (the pattern tells API clients so; the share is refused otherwise).
    narrative = serializers.CharField(max_length=4000, validators=[RegexValidator(r"\S")])
    spent_krw = serializers.IntegerField(min_value=0, max_value=10**15, required=False, default=0)


class ProgressReportDraftSerializer(serializers.Serializer):
    """A draft's content; every field optional, a list given replaces the draft's list."""

    summary = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    issues_and_needs = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    # Six-point scales (cooperation.models.Rating, RiskRating): 6 highly satisfactory; for the risk, 6 is high.
    rating_objectives = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True)
    rating_implementation = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True)
    rating_risk = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True)
    milestones = ReportMilestoneRowSerializer(many=True, required=False, max_length=200)
    indicators = ReportIndicatorRowSerializer(many=True, required=False, max_length=500)
    risks = ReportRiskSerializer(many=True, required=False, max_length=50)
    contributions = ReportContributionRowSerializer(many=True, required=False, max_length=50)

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        if "indicators" in data:
            data["indicators"] = [{"period": row["indicator_period"], "actual_value": row["actual_value"],
                                   "comment": row["comment"]} for row in data["indicators"]]
        return data


class ProgressReportCreateSerializer(ProgressReportDraftSerializer):
    period = serializers.IntegerField(min_value=1, max_value=2**31 - 1,
                                      help_text="The reporting period the report is for.")


class ReportCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReportNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


# --- the viewset --------------------------------------------------------------------------------------------


class ReportPermission(RulePermission):
    # Object actions are asked by the side they need (cooperation.rules.REPORT_SIDE), before the body is read:
    # the state is then the service's to judge (a 400 transition_refused, not a 403).
    refusals = REFUSALS

    def allows(self, user, name: str, obj=None) -> bool:
        if obj is not None and name in REPORT_SIDE:
            return REPORT_SIDE[name].test(user, obj)
        return super().allows(user, name, obj)


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, PortalViewSet):
    """Progress reports of the projects you are a party to (drafts only for the implementing side and staff)."""

    serializer_class = ProgressReportSerializer
    permission_classes = [IsAuthenticated, ReportPermission]
    http_method_names = ["get", "post", "patch", "head", "options"]
    rule_object_permissions = {
        "retrieve": "cooperation.see_report", "partial_update": "cooperation.change_report",
        "submit": "cooperation.change_report", "acknowledge": "cooperation.acknowledge_report",
        "accept": "cooperation.review_report", "request_changes": "cooperation.review_report",
        "revise": "cooperation.revise_report",
    }

    def get_queryset(self):
        return selectors.report_list(self.request.user)

    def _answer(self, report, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=report.pk)
        return Response(ProgressReportSerializer(fresh, context={"previous": previous_for([fresh])}).data, status=code)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            ProgressReportSerializer(page, many=True, context={"previous": previous_for(page)}).data)

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        return Response(ProgressReportSerializer(report, context={"previous": previous_for([report])}).data)

    @extend_schema(request=ProgressReportCreateSerializer, responses={201: ProgressReportSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ProgressReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.service_kwargs()
        period = (ReportingPeriod.objects.filter(project__in=projects_visible_to(request.user),
                                                 pk=data.pop("period")).select_related("project").first())
        if period is None:  # not there, or on another party's project: the same answer
            raise NotFound(_("No such reporting period on your projects."))
        with transaction.atomic():
            report = services.report_start(period=period, by=request.user)
            if data:
                services.report_save(report=report, by=request.user, **data)
        return self._answer(report, status.HTTP_201_CREATED)

    @extend_schema(request=ProgressReportDraftSerializer, responses=ProgressReportSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        serializer = ProgressReportDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.report_save(report=report, by=request.user, **serializer.service_kwargs())
        return self._answer(report)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names); PATCH only
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.report_submit(report=self.get_object(), by=request.user))

    @extend_schema(request=ReportCommentSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        report = self.get_object()
        serializer = ReportCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.report_acknowledge(report=report, comment=serializer.validated_data["comment"],
                                                        by=request.user))

    @extend_schema(request=ReportNoteSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        report = self.get_object()
        serializer = ReportNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.report_accept(report=report, note=serializer.validated_data["note"],
                                                   by=request.user))

    @extend_schema(request=ReportNoteSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        report = self.get_object()
        serializer = ReportNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(services.report_request_changes(report=report, note=serializer.validated_data["note"],
                                                            by=request.user))

    @extend_schema(request=None, responses={201: ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._answer(services.report_revise(report=self.get_object(), by=request.user),
                            status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/reports", ReportViewSet, basename="cooperation-report")


