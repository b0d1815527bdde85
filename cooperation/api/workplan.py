"""/api/v1/cooperation/milestones/ and deliverables/: the work plan, with the page's writes (submit, review, ask to
move a due date) through the same services."""

from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation.api.plan_common import PlanPermission, ProjectFilterMixin
from cooperation.models import Deliverable, DeliverableVersion, DueDateRevision, Milestone
from cooperation.selectors_plan import deliverables_visible_to, milestones_visible_to
from cooperation.services import workplan as services
from core.api import PortalViewSet
from core.parsers import BoundedJSONParser


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DueDateRevision
        fields = ["id", "old_date", "new_date", "reason", "state", "requested_at", "decided_at", "decision_note"]


class VersionSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="document.original_name")
    sha256 = serializers.CharField(source="document.sha256")
    size = serializers.IntegerField(source="document.size")

    class Meta:
        model = DeliverableVersion
        fields = ["number", "file_name", "sha256", "size", "note", "uploaded_at"]


ITEM_FIELDS = ["id", "title", "description", "due_date", "owner_side", "status", "submitted_at", "accepted_at",
               "late_justification", "review_note", "order"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["project", *ITEM_FIELDS]


class DeliverableSerializer(serializers.ModelSerializer):
    versions = VersionSerializer(many=True, read_only=True)
    project = serializers.IntegerField(source="milestone.project_id", read_only=True)

    class Meta:
        model = Deliverable
        fields = ["project", "milestone", *ITEM_FIELDS, "versions"]


class SubmitSerializer(serializers.Serializer):
    late_justification = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DeliverableSubmitSerializer(SubmitSerializer):
    file = serializers.FileField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class WorkReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "changes"])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DueDateSerializer(serializers.Serializer):
    new_date = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class _WorkItemViewSet(ProjectFilterMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    permission_classes = [PlanPermission]
    rule_permissions = {"review": "cooperation.manage_project"}

    def _answer(self, item):
        return Response(self.read_serializer(self.get_queryset().get(pk=item.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=WorkReviewSerializer)
    def review(self, request, pk=None):
        item = self.get_object()
        data = self._valid(request)
        services.work_review(item=item, accept=data["decision"] == "accept", note=data["note"], by=request.user)
        return self._answer(item)

    @action(detail=True, methods=["post"], url_path="due-date", serializer_class=DueDateSerializer)
    def due_date(self, request, pk=None):
        item = self.get_object()
        data = self._valid(request)
        revision = services.due_date_request(item=item, new_date=data["new_date"], reason=data["reason"],
                                             by=request.user)
        return Response(RevisionSerializer(revision).data, status=201)

    def _valid(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_serializer_class(self):
        if self.action in ("list", "retrieve") or self.action is None:
            return self.read_serializer
        return super().get_serializer_class()


class MilestoneViewSet(_WorkItemViewSet):
    read_serializer = serializer_class = MilestoneSerializer

    def get_queryset(self):
        return self.filter_project(milestones_visible_to(self.request.user))

    @action(detail=True, methods=["post"], serializer_class=SubmitSerializer)
    def submit(self, request, pk=None):
        item = self.get_object()
        data = self._valid(request)
        services.milestone_submit(milestone=item, late_justification=data["late_justification"], by=request.user)
        return self._answer(item)


class DeliverableViewSet(_WorkItemViewSet):
    read_serializer = serializer_class = DeliverableSerializer
    project_lookup = "milestone__project_id"

    def get_queryset(self):
        return self.filter_project(deliverables_visible_to(self.request.user))

    @action(detail=True, methods=["post"], serializer_class=DeliverableSubmitSerializer,
            parser_classes=[MultiPartParser, FormParser, BoundedJSONParser])
    def submit(self, request, pk=None):
        item = self.get_object()
        data = self._valid(request)
        services.deliverable_submit(deliverable=item, upload=data["file"], note=data["note"],
                                    late_justification=data["late_justification"], by=request.user)
        return self._answer(item)


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/milestones", MilestoneViewSet, basename="cooperation-milestone")
    router.register("cooperation/deliverables", DeliverableViewSet, basename="cooperation-deliverable")
