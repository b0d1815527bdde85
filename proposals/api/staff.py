"""`/api/v1/staff/proposals/`: the back office's operations for staff tools, through the same services and rules.

Non-staff get 403 on the list and 404 on any proposal (the staff view of a proposal does not exist for them).
One proposal (and the answer to a transition or an assignment) carries `moves`: what the caller may do with it
now, from the workflow table (proposals.workflow.moves_for), as the admin's move choices are. The list leaves
them out, as the applicant API's list leaves out its `can_*` fields: asking other apps' guards is per proposal.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import PortalViewSet
from proposals import services, triage
from proposals.api.permissions import ProposalRulePermission
from proposals.api.serializers import (
    AssignSerializer,
    StaffMessageSerializer,
    StaffProposalFilterSerializer,
    StaffProposalSerializer,
    TransitionSerializer,
)
from proposals.models import Proposal
from proposals.workflow import NoteVisibility, Status, moves_for


class MoveSerializer(serializers.Serializer):
    """A move in the workflow the caller may make now: POST its `target` as `to` to the transition action."""

    target = serializers.ChoiceField(choices=Status.choices, read_only=True, help_text=_("The status it moves to."))
    label = serializers.CharField(read_only=True, help_text=_("What the move is called, in the caller's language."))
    note_required = serializers.BooleanField(read_only=True, help_text=_("The transition is refused without a note."))
    note_to_thread = serializers.BooleanField(
        read_only=True,
        help_text=_("The note is also posted to the message thread for the applicant, so it can never be internal."),
    )


class StaffProposalDetailSerializer(StaffProposalSerializer):
    moves = serializers.SerializerMethodField(
        help_text=_("What the caller may do with this proposal now, in the workflow table's order.")
    )

    class Meta(StaffProposalSerializer.Meta):
        fields = [*StaffProposalSerializer.Meta.fields, "moves"]
        read_only_fields = fields

    @extend_schema_field(MoveSerializer(many=True))
    def get_moves(self, proposal) -> list[dict]:
        return MoveSerializer(moves_for(self.context["request"].user, proposal), many=True).data


class StaffProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = StaffProposalDetailSerializer
    # Others may not list (403); any proposal they name is not found (404), see get_queryset.
    permission_classes = [IsAuthenticated, ProposalRulePermission]
    rule_permissions = {"list": "proposals.triage_proposal"}

    @extend_schema(parameters=[StaffProposalFilterSerializer])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        return StaffProposalSerializer if self.action == "list" else StaffProposalDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Proposal.objects.none()
        if not self.request.user.has_perm("proposals.triage_proposal"):
            return Proposal.objects.none()
        if self.action == "list":
            filters = StaffProposalFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return triage.staff_proposal_list(user=self.request.user, **filters.validated_data)
        return triage.staff_proposal_queryset()

    def _answer(self, proposal: Proposal) -> Response:
        fresh = triage.staff_proposal_queryset().get(pk=proposal.pk)
        return Response(StaffProposalDetailSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=TransitionSerializer, responses=StaffProposalDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        proposal = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_transition(
            proposal=proposal, to=data.validated_data["to"], by=request.user, note=data.validated_data["note"],
            note_internal=data.validated_data["note_visibility"] == NoteVisibility.INTERNAL,
        )
        return self._answer(proposal)

    @extend_schema(request=AssignSerializer, responses=StaffProposalDetailSerializer)
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

    @extend_schema(methods=["get"], summary=_("The thread, internal notes included, oldest first, a page at a time"),
                   responses=StaffMessageSerializer(many=True))
    @extend_schema(methods=["post"], request=StaffMessageSerializer, responses={201: StaffMessageSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def messages(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "GET":
            # Pages of the project's pagination; (created_at, id) is a total order, so pages never overlap.
            thread = proposal.messages.select_related("author").order_by("created_at", "id")
            page = self.paginate_queryset(thread)
            return self.get_paginated_response(StaffMessageSerializer(page, many=True).data)
        data = StaffMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_post(
            proposal=proposal, by=request.user, body=data.validated_data["body"],
            internal=data.validated_data.get("internal", False),
        )
        return Response(StaffMessageSerializer(message).data, status=status.HTTP_201_CREATED)
