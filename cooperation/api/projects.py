"""/api/v1/cooperation/projects/: the projects a caller may see (the list and one project), its participating
organisations, its documents (listed; the file through the page's download view, after the same check) and its
message thread (listed and written). The same rules as the pages: another party's project is a 404."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cooperation import selectors_project as reads
from cooperation.models import Participant, Project, ProjectDocument, ProjectMessage
from cooperation.rules import REFUSALS
from cooperation.selectors import projects_visible_to
from cooperation.services import message_post
from core.api import PortalViewSet, RulePermission


class ProjectPermission(RulePermission):
    # Every action needs the project seen (`cooperation.see_project`); writing in the thread needs
    # `cooperation.take_part`. A project the caller does not see never reaches these checks: it is a 404.
    refusals = REFUSALS


class ParticipantSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "name", "role", "role_label", "side", "iati_ref", "share_krw"]


class ProjectSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    activity_status_label = serializers.CharField(source="get_activity_status_display", read_only=True)
    recipient_country = serializers.CharField(read_only=True)
    track = serializers.CharField(source="proposal.track.name", read_only=True)
    partner_organisation = serializers.CharField(source="partner_organisation.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "iati_identifier", "title", "recipient_country", "recipient_city", "track",
                  "partner_organisation", "activity_status", "activity_status_label", "planned_start",
                  "planned_end", "actual_start", "actual_end", "opened_at", "overdue"]

    def get_title(self, project) -> str:
        return project.text("title")

    def get_overdue(self, project) -> dict:
        return {key: getattr(project, f"overdue_{key}", 0) for key in ("milestones", "deliverables", "reports",
                                                                      "actions")}


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.SerializerMethodField()
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "description", "sector_code", "support_amount_krw", "conditions",
                  "report_frequency", "participants"]

    def get_description(self, project) -> str:
        return project.text("description")


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ProjectDocument
        fields = ["id", "title", "category", "original_name", "content_type", "size", "sha256", "public",
                  "uploaded_at", "download_url"]


class ProjectMessageSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = ProjectMessage
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    permission_classes = [IsAuthenticated, ProjectPermission]
    rule_object_permissions = {"default": "cooperation.see_project"}

    def get_queryset(self):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:  # schema generation, anonymous callers
            return Project.objects.none()
        return reads.project_list(user=user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ProjectDetailSerializer
        return {"participants": ParticipantSerializer, "documents": DocumentSerializer,
                "messages": ProjectMessageSerializer}.get(self.action, ProjectSerializer)

    def get_object(self):
        # One project the caller sees, with its health counts; any other id (or not a number) is a 404.
        pk = self.kwargs.get("pk")
        project = None
        if str(pk).isdigit():
            project = (reads.with_health(projects_visible_to(self.request.user))
                       .select_related("proposal__track", "partner_organisation")
                       .prefetch_related("participants").filter(pk=pk).first())
        if project is None:
            raise Http404
        self.check_object_permissions(self.request, project)
        return project

    def _page(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def participants(self, request, pk=None):
        project = self.get_object()
        return self._page(Participant.objects.filter(project=project).order_by("role", "order", "id"))

    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        return self._page(reads.documents_of(self.get_object(), user=self.request.user))

    @extend_schema(request=ProjectMessageSerializer, responses=ProjectMessageSerializer)
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        project = self.get_object()
        if request.method == "GET":
            return self._page(reads.messages_of(project))
        if not request.user.has_perm("cooperation.take_part", project):
            self.permission_denied(request, message=str(REFUSALS["cooperation.take_part"]))
        serializer = ProjectMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_post(project=project, by=request.user, body=serializer.validated_data["body"])
        return Response(ProjectMessageSerializer(message).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/projects", ProjectViewSet, basename="cooperation-project")
