"""/api/v1/cooperation/indicators/: the results framework with each indicator's periods; the implementing side
or staff record an actual through the same service as the page."""

from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation.api.plan_common import PlanPermission, ProjectFilterMixin
from cooperation.models import Indicator, IndicatorPeriod
from cooperation.selectors_plan import indicators_visible_to
from cooperation.services import results as services
from core.api import PortalViewSet
from core.parsers import BoundedJSONParser


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorPeriod
        fields = ["id", "period_start", "period_end", "target_value", "actual_value", "actual_comment", "evidence",
                  "actual_at"]


class IndicatorSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="objective.project_id", read_only=True)
    objective_title = serializers.CharField(source="objective.title", read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "project", "objective", "objective_title", "title", "unit", "is_percentage", "ascending",
                  "baseline_value", "baseline_date", "baseline_comment", "periods"]


class ActualSerializer(serializers.Serializer):
    period = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class IndicatorViewSet(ProjectFilterMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    permission_classes = [PlanPermission]
    serializer_class = IndicatorSerializer
    project_lookup = "objective__project_id"

    def get_queryset(self):
        return self.filter_project(indicators_visible_to(self.request.user))

    @action(detail=True, methods=["post"], serializer_class=ActualSerializer,
            parser_classes=[BoundedJSONParser, MultiPartParser, FormParser])
    def actual(self, request, pk=None):
        indicator = self.get_object()
        serializer = ActualSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = next((p for p in indicator.periods.all() if p.pk == data["period"]), None)
        if period is None:
            raise NotFound
        services.actual_record(period=period, value=data["value"], comment=data["comment"],
                               evidence=data["evidence"], by=request.user)
        return Response(IndicatorSerializer(self.get_queryset().get(pk=indicator.pk)).data)


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/indicators", IndicatorViewSet, basename="cooperation-indicator")
