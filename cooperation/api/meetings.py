"""/api/v1/cooperation/meetings/ and /api/v1/cooperation/action-items/: the same services and rules as the pages.

Everything is read from the projects the caller is a party to (selectors.projects_visible_to): another party's
meeting or action item is a 404, and a project named in a body that the caller does not see is refused like one
that does not exist. A refusal because of the state is a 400 (`transition_refused`), one because of who asks a 403
with the rule's reason (cooperation.rules.REFUSALS)."""

import zoneinfo

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.forms import TIME_ZONE_CHOICES
from cooperation import selectors_meetings as sel
from cooperation import services
from cooperation.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    CooperationMeeting,
    Delegate,
    MeetingKind,
    MeetingStatus,
)
from cooperation.rules import REFUSALS
from cooperation.selectors import projects_visible_to
from core.api import PortalViewSet, RulePermission
from core.dates import BoundedDateTimeField
from core.filters import IdFilter, StrictFilterSet
from proposals.models import CooperationCentre


class MeetingsPermission(RulePermission):
    """Who may ask is decided by the services (the rules need the project or the item); the reasons are the
    rules' own."""

    refusals = REFUSALS


class CooperationDelegateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Delegate
        fields = ["id", "side", "name", "position", "organisation", "is_head"]
        read_only_fields = fields


@extend_schema_field({"type": "object", "nullable": True, "readOnly": True, "properties": {
    "type": {"type": "string", "enum": ["duedaterevision", "indicatorperiod", "budgetrevision"]},
    "id": {"type": "integer"}}})
class ApprovedChangeField(serializers.Field):
    """The change a decision approved, as {"type": "duedaterevision"|"indicatorperiod"|"budgetrevision", "id": n}."""

    def to_representation(self, item):
        if not item.approved_id:
            return None
        return {"type": item.approved_type.model, "id": item.approved_id}

    def get_attribute(self, instance):
        return instance


class CooperationAgendaItemSerializer(serializers.ModelSerializer):
    approved_change = ApprovedChangeField(read_only=True)
    action_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "outcome_kind", "outcome", "approved_change", "action_items"]
        read_only_fields = fields


class CooperationMeetingSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=CooperationMeeting.objects.none())
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    starts_at = BoundedDateTimeField()
    ends_at = BoundedDateTimeField()
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES,
                                        help_text="The venue's time zone (IANA name).")
    starts_at_venue = serializers.SerializerMethodField(help_text="The start in the venue's zone (ISO 8601).")
    online_link = serializers.URLField(required=False, allow_blank=True, max_length=200,
                                       help_text="Shown only to the meeting's parties; blank for others.")
    facilitating_centre = serializers.PrimaryKeyRelatedField(queryset=CooperationCentre.objects.all(),
                                                             required=False, allow_null=True)
    delegates = CooperationDelegateSerializer(many=True, read_only=True)
    agenda_items = CooperationAgendaItemSerializer(many=True, read_only=True)
    carried_over = serializers.PrimaryKeyRelatedField(source="carried_actions", many=True, read_only=True)
    minutes_status = serializers.SerializerMethodField()

    class Meta:
        model = CooperationMeeting
        fields = ["id", "project", "kind", "session_number", "status", "status_note", "starts_at", "ends_at",
                  "time_zone", "starts_at_venue", "place", "online_link", "facilitating_centre", "delegates",
                  "agenda_items", "carried_over", "minutes_status"]
        read_only_fields = ["id", "session_number", "status", "status_note", "delegates", "agenda_items",
                            "carried_over", "minutes_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["project"].queryset = projects_visible_to(user)

    def get_starts_at_venue(self, meeting) -> str:
        return meeting.starts_at.astimezone(zoneinfo.ZoneInfo(str(meeting.time_zone))).isoformat()

    def get_minutes_status(self, meeting) -> str | None:
        minutes = getattr(meeting, "minutes", None)  # RelatedObjectDoesNotExist is an AttributeError
        return minutes.status if minutes else None

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        user = self.context["request"].user
        if data.get("online_link") and not user.has_perm("cooperation.see_meeting_link", meeting):
            data["online_link"] = ""
        data["time_zone"] = str(meeting.time_zone)
        return data


class CooperationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class MeetingFilterSet(StrictFilterSet):
    project = IdFilter(field_name="project_id")

    class Meta:
        model = CooperationMeeting
        fields = ["project", "kind", "status"]


@extend_schema(tags=["cooperation"])
class MeetingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = CooperationMeetingSerializer
    permission_classes = [IsAuthenticated, MeetingsPermission]
    filterset_class = MeetingFilterSet

    def get_queryset(self):
        user = getattr(self.request, "user", None)
        return (sel.meetings_visible_to(user)
                .select_related("project", "facilitating_centre", "minutes")
                .prefetch_related("delegates", "carried_actions",
                                  Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("approved_type")
                                           .prefetch_related("action_items")))
                .order_by("-starts_at", "-id"))

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.meeting_schedule(
            project=data["project"], kind=data["kind"], starts_at=data["starts_at"], ends_at=data["ends_at"],
            time_zone=data["time_zone"], place=data.get("place", ""), online_link=data.get("online_link", ""),
            facilitating_centre=data.get("facilitating_centre"), by=self.request.user)

    def _move(self, request, target):
        meeting = self.get_object()
        body = CooperationNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.meeting_move(meeting=meeting, target=target, note=body.validated_data["note"], by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=CooperationNoteSerializer, responses={200: CooperationMeetingSerializer})
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        return self._move(request, MeetingStatus.HELD)

    @extend_schema(request=CooperationNoteSerializer, responses={200: CooperationMeetingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._move(request, MeetingStatus.CANCELLED)


class CooperationActionItemSerializer(serializers.ModelSerializer):
    session_number = serializers.IntegerField(source="meeting.session_number", read_only=True)
    carried_into = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ActionItem
        fields = ["id", "project", "meeting", "session_number", "agenda_item", "title", "owner_side", "owner",
                  "owner_name", "due_date", "status", "closed_at", "closing_note", "escalated_at", "carried_into"]
        read_only_fields = fields


class ActionItemFilterSet(StrictFilterSet):
    project = IdFilter(field_name="project_id")
    meeting = IdFilter(field_name="meeting_id")

    class Meta:
        model = ActionItem
        fields = ["project", "meeting", "owner_side", "status"]


@extend_schema(tags=["cooperation"])
class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """Open items first, then by due date."""

    serializer_class = CooperationActionItemSerializer
    permission_classes = [IsAuthenticated, MeetingsPermission]
    filterset_class = ActionItemFilterSet

    def get_queryset(self):
        user = getattr(self.request, "user", None)
        return sel.action_rows(sel.action_items_visible_to(user)).select_related("project").prefetch_related(
            "carried_into")

    def _move(self, request, target):
        item = self.get_object()
        body = CooperationNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.action_item_move(action=item, target=target, note=body.validated_data["note"], by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data, status=status.HTTP_200_OK)

    @extend_schema(request=CooperationNoteSerializer, responses={200: CooperationActionItemSerializer})
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark done by the owner side, with a note on how."""
        return self._move(request, ActionStatus.DONE)

    @extend_schema(request=CooperationNoteSerializer, responses={200: CooperationActionItemSerializer})
    @action(detail=True, methods=["post"])
    def drop(self, request, pk=None):
        """Drop (staff), with the reason."""
        return self._move(request, ActionStatus.DROPPED)


def register(router) -> None:
    """Add this concept's viewsets to the API router."""
    router.register("cooperation/meetings", MeetingViewSet, basename="cooperation-meeting")
    router.register("cooperation/action-items", ActionItemViewSet, basename="cooperation-action-item")

