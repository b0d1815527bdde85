"""`/api/v1/staff/proposals/`: the back office's operations for staff tools, through the same services and rules.

Non-staff get 403 on the list and 404 on any proposal (the staff view of a proposal does not exist for them).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from accounts.rules import is_staff_member
from proposals import services, triage
from proposals.models import CooperationCentre, Message, Proposal
from proposals.workflow import NoteVisibility, Status


class StaffProposalSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    country_name = serializers.SerializerMethodField()
    track_name = serializers.CharField(source="track.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    cycle_year = serializers.IntegerField(source="cycle.year", read_only=True, allow_null=True, default=None)
    cooperation_centre_name = serializers.SerializerMethodField()
    assigned_to_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id", "reference", "title", "status", "status_label", "country", "country_name", "track", "track_name",
            "organisation", "organisation_name", "cycle", "cycle_year", "cooperation_centre",
            "cooperation_centre_name", "assigned_to", "assigned_to_name", "submitted_at", "status_changed_at",
            "due_at", "overdue", "updated_at",
        ]
        read_only_fields = fields

    def get_country_name(self, obj) -> str:
        return str(obj.country.name) if obj.country else ""

    def get_cooperation_centre_name(self, obj) -> str:
        return obj.cooperation_centre.name if obj.cooperation_centre_id else ""

    def get_assigned_to_name(self, obj) -> str:
        return obj.assigned_to.get_full_name() if obj.assigned_to_id else ""

    def get_overdue(self, obj) -> bool:
        return triage.is_overdue(obj)


class StaffProposalFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    track = serializers.IntegerField(required=False, min_value=1)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)
    cycle = serializers.IntegerField(required=False, min_value=1)
    cooperation_centre = serializers.IntegerField(required=False, min_value=1)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    has_report = serializers.BooleanField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)  # StatusChange.note
    note_visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, required=False, allow_blank=True, default="",
        help_text=_("Who reads the note: `applicant` (their history and e-mail) or `internal` (staff only). "
                    "Required with a note, except for an information request, which always goes to the applicant."),
    )

    def validate(self, attrs):
        if attrs["note"].strip() and attrs["to"] != Status.INFO_REQUESTED and not attrs["note_visibility"]:
            raise serializers.ValidationError(
                {"note_visibility": [_("Say who reads this note: applicant or internal.")]}
            )
        if attrs["to"] == Status.INFO_REQUESTED and attrs["note_visibility"] == NoteVisibility.INTERNAL:
            raise serializers.ValidationError(
                {"note_visibility": [_("An information request always goes to the applicant.")]}
            )
        return attrs


class AssignSerializer(serializers.Serializer):
    assigned_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    cooperation_centre = serializers.PrimaryKeyRelatedField(
        queryset=CooperationCentre.objects.all(), allow_null=True, required=False
    )


class StaffMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.get_full_name", read_only=True)

    class Meta:
        model = Message
        fields = ["id", "author", "author_name", "body", "internal", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]


class StaffProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StaffProposalSerializer

    @extend_schema(parameters=[StaffProposalFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Proposal.objects.none()
        if not is_staff_member(self.request.user):
            if self.action == "list":
                raise PermissionDenied
            return Proposal.objects.none()
        if self.action == "list":
            filters = StaffProposalFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return triage.staff_proposal_list(user=self.request.user, **filters.validated_data)
        return triage.staff_proposal_queryset()

    def _answer(self, proposal: Proposal) -> Response:
        fresh = triage.staff_proposal_queryset().get(pk=proposal.pk)
        return Response(StaffProposalSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=TransitionSerializer, responses=StaffProposalSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        proposal = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target, note = data.validated_data["to"], data.validated_data["note"]
        if target == Status.INFO_REQUESTED:
            services.proposal_request_info(proposal=proposal, by=request.user, message=note)
        else:
            services.proposal_transition(
                proposal=proposal, to=target, by=request.user, note=note,
                note_internal=data.validated_data["note_visibility"] == NoteVisibility.INTERNAL,
            )
        return self._answer(proposal)

    @extend_schema(request=AssignSerializer, responses=StaffProposalSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        proposal = self.get_object()
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.proposal_assign(
            proposal=proposal, by=request.user,
            staff=values.get("assigned_to", proposal.assigned_to),
            centre=values.get("cooperation_centre", proposal.cooperation_centre),
        )
        return self._answer(proposal)

    @extend_schema(methods=["get"], responses=StaffMessageSerializer(many=True))
    @extend_schema(methods=["post"], request=StaffMessageSerializer, responses={201: StaffMessageSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def messages(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            thread = proposal.messages.select_related("author").order_by("created_at", "id")
            return Response(StaffMessageSerializer(thread, many=True).data)
        data = StaffMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_post(
            proposal=proposal, by=request.user, body=data.validated_data["body"],
            internal=data.validated_data.get("internal", False),
        )
        return Response(StaffMessageSerializer(message).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("staff/proposals", StaffProposalViewSet, basename="staff-proposal")
