"""`/api/v1/committee/...`: the same services and rules as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from committee import rules, selectors, services
from committee.api.serializers import (
    AgendaItemSerializer,
    AssignmentSerializer,
    AttendanceSerializer,
    CommitteeFileSerializer,
    DecisionRuleSerializer,
    DecisionSerializer,
    DeclarationSerializer,
    MeetingSerializer,
    MemberSerializer,
    ReviewSerializer,
    SpreadSerializer,
    VoteSerializer,
)
from committee.models import (
    AgendaItem,
    Assignment,
    CommitteeMember,
    ConflictDeclaration,
    Decision,
    DecisionRule,
    Review,
    Vote,
)
from core.api import ErrorSerializer, PortalViewSet, RulePermission
from core.errors import Conflict
from core.filters import IdFilter, StrictFilterSet
from proposals.models import Proposal


class CommitteePermission(RulePermission):
    """Only staff and active committee members use the committee API (`committee.access`); applicants never do.

    Who may call an action is decided here, before the request body is read: a viewset names each action's
    permission in `rule_permissions` (staff-only actions `committee.manage`, members-only ones
    `committee.serve`). Answering a refusal only after validating the body would let a member tell valid from
    invalid input (400 vs 403), and the validators know things the member may not (which member reviews which
    proposal, which ids exist). The refusal's reason is the permission's own (committee.rules.REFUSALS)."""

    message = rules.NOT_COMMITTEE
    refusals = rules.REFUSALS

    def has_permission(self, request, view):
        return self._check(request, "committee.access") and super().has_permission(request, view)


def _member_or_403(request) -> CommitteeMember:
    member = selectors.member_for(request.user)
    if member is None or not member.is_active:
        raise PermissionDenied(rules.NOT_MEMBER)
    return member


def _id_in_body(request, field):
    value = request.data.get(field) if hasattr(request.data, "get") else None
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProposalBeforeMemberMixin:
    """A member's write names a proposal (or an agenda item) in its body; one not before them is refused with the
    same 403 whatever else the body holds, before the serializer looks at it. The answer is the same for an id
    that does not exist, one of a proposal not before them, and one that is not a number."""

    proposal_field = "proposal"

    def _proposal_named(self, request):
        pk = _id_in_body(request, self.proposal_field)
        return Proposal.objects.filter(pk=pk).first() if pk is not None else None

    def create(self, request, *args, **kwargs):
        _member_or_403(request)  # `committee.serve` lets a superuser through; the act is a member's own
        if self.proposal_field in getattr(request.data, "keys", lambda: ())():
            proposal = self._proposal_named(request)
            if proposal is None or not rules.has_proposal_before_them(request.user, proposal):
                raise PermissionDenied(rules.NOT_BEFORE_YOU)
        return super().create(request, *args, **kwargs)


def _own_unless_staff(request, qs, *, staff_sees_all=True):
    if getattr(request, "user", None) is None or not request.user.is_authenticated:  # schema generation
        return qs.none()
    if staff_sees_all and request.user.has_perm("committee.manage"):
        return qs
    return qs.filter(member__user=request.user)


def _id_filters(model, *names):
    """Filters on related ids (core.filters.IdFilter): an unknown id matches nothing, so a member cannot probe
    which proposals exist."""
    attrs = {name: IdFilter(field_name=f"{name}_id") for name in names}
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": list(names)})
    return type(f"{model.__name__}IdFilterSet", (StrictFilterSet,), attrs)


class ExistingIsConflictMixin:
    """Creating what already exists (the same proposal on a meeting's agenda twice, the same reviewer twice) is a
    409 Conflict with the state of the portal, not a 400 about the input: the request was well formed."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError as exc:
            if exc.get_codes() == {"non_field_errors": ["unique"]}:
                raise Conflict(self.already_exists, code="exists") from exc
            raise
        self.perform_create(serializer)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = MemberSerializer
    permission_classes = [CommitteePermission]
    queryset = CommitteeMember.objects.select_related("user")


class MeetingViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = MeetingSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.manage", "attendance": "committee.manage", "open": "committee.manage",
                        "close": "committee.manage"}

    def get_queryset(self):
        return selectors.meeting_list().select_related("decision_rule").prefetch_related("agenda_items__proposal")

    @extend_schema(request=None, responses={200: MeetingSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the meeting (on or after its date in Seoul): attendance, votes and decisions are taken from now."""
        meeting = services.meeting_open(meeting=self.get_object(), by=request.user)
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=None, responses={200: MeetingSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        meeting = services.meeting_close(meeting=self.get_object(), by=request.user)
        return Response(self.get_serializer(meeting).data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.meeting_create(by=self.request.user, **data)

    @extend_schema(request=AttendanceSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        serializer = AttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attendance_record(meeting=meeting, present=serializer.validated_data["present"], by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(create=extend_schema(responses={201: AgendaItemSerializer, 409: ErrorSerializer}))
class AgendaItemViewSet(
    ExistingIsConflictMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, mixins.ListModelMixin,
    mixins.RetrieveModelMixin, PortalViewSet,
):
    serializer_class = AgendaItemSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.manage", "destroy": "committee.manage"}
    already_exists = gettext_lazy("This proposal is already on this meeting's agenda.")
    filterset_class = _id_filters(AgendaItem, "meeting")

    def get_queryset(self):
        return AgendaItem.objects.select_related("proposal").order_by("meeting", "order", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.agenda_item_add(meeting=data["meeting"], proposal=data["proposal"],
                                                       by=self.request.user)

    def perform_destroy(self, instance):
        services.agenda_item_remove(item=instance, by=self.request.user)


@extend_schema_view(create=extend_schema(responses={201: AssignmentSerializer, 409: ErrorSerializer}))
class AssignmentViewSet(
    ExistingIsConflictMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, mixins.ListModelMixin,
    mixins.RetrieveModelMixin, PortalViewSet,
):
    serializer_class = AssignmentSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.manage", "destroy": "committee.manage", "suggestions": "committee.manage"}
    already_exists = gettext_lazy("This member already reviews this proposal.")
    filterset_class = _id_filters(Assignment, "proposal", "member")

    def get_queryset(self):
        qs = Assignment.objects.select_related("member", "proposal").order_by("proposal", "assigned_at")
        return _own_unless_staff(self.request, qs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.assignment_create(proposal=data["proposal"], member=data["member"],
                                                         by=self.request.user)

    def perform_destroy(self, instance):
        services.assignment_remove(assignment=instance, by=self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("proposal_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=MemberSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path=r"suggestions/(?P<proposal_pk>[0-9]+)", pagination_class=None,
            filter_backends=[])
    def suggestions(self, request, proposal_pk=None):
        proposal = get_object_or_404(Proposal, pk=proposal_pk)
        return Response(MemberSerializer(services.assignment_suggest(proposal=proposal), many=True).data)


class DeclarationViewSet(
    ProposalBeforeMemberMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    PortalViewSet,
):
    serializer_class = DeclarationSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.serve"}
    filterset_class = _id_filters(ConflictDeclaration, "proposal")

    def get_queryset(self):
        qs = ConflictDeclaration.objects.order_by("declared_at")
        return _own_unless_staff(self.request, qs)

    def perform_create(self, serializer):
        member = _member_or_403(self.request)
        data = serializer.validated_data
        try:
            serializer.instance = services.conflict_declare(
                member=member, proposal=data["proposal"], has_conflict=data["has_conflict"],
                reason=data.get("reason", ""),
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error


class CommitteeFileViewSet(PortalViewSet):
    """A proposal's content for the committee: 403 until the member declares no conflict (and for good after a
    declared conflict); 404 for proposals not before them."""

    serializer_class = CommitteeFileSerializer
    permission_classes = [CommitteePermission]
    queryset = Proposal.objects.none()  # for the schema; reads go through _proposal()

    def _proposal(self, pk) -> Proposal:
        proposal = get_object_or_404(
            Proposal.objects.select_related("track", "organisation").prefetch_related("attachments"), pk=pk
        )
        user = self.request.user
        if user.has_perm("committee.read_proposal", proposal):
            return proposal
        if not rules.has_proposal_before_them(user, proposal):
            raise NotFound
        if rules.declared_conflict(user, proposal):
            raise PermissionDenied(rules.CONFLICT_NO_READING)
        raise PermissionDenied(rules.DECLARE_BEFORE_READING)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._proposal(pk)).data)

    @extend_schema(responses=SpreadSerializer)
    @action(detail=True, methods=["get"])
    def spread(self, request, pk=None):
        proposal = self._proposal(pk)
        if not request.user.has_perm("committee.see_spread", proposal):
            raise PermissionDenied(rules.REFUSALS["committee.see_spread"])
        return Response(SpreadSerializer(selectors.score_spread(proposal=proposal)).data)


class ReviewViewSet(
    ProposalBeforeMemberMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    PortalViewSet,
):
    """Your own reviews (staff: all). POST stores (or replaces) your scores for every rubric criterion."""

    serializer_class = ReviewSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.serve"}
    filterset_class = _id_filters(Review, "proposal")

    def get_queryset(self):
        qs = Review.objects.prefetch_related("scores").order_by("proposal", "id")
        return _own_unless_staff(self.request, qs)

    def perform_create(self, serializer):
        member = _member_or_403(self.request)
        data = serializer.validated_data
        scores = {s["criterion"].pk: {"value": s["value"], "comment": s.get("comment", "")} for s in data["scores"]}
        try:
            serializer.instance = services.review_submit(
                member=member, proposal=data["proposal"], scores=scores, comment=data.get("comment", "")
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error


class VoteViewSet(ProposalBeforeMemberMixin, mixins.CreateModelMixin, PortalViewSet):
    serializer_class = VoteSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.serve"}
    proposal_field = "agenda_item"

    def _proposal_named(self, request):
        pk = _id_in_body(request, self.proposal_field)
        item = AgendaItem.objects.select_related("proposal").filter(pk=pk).first() if pk is not None else None
        return item.proposal if item else None

    def get_queryset(self):
        return _own_unless_staff(self.request, Vote.objects.order_by("id"), staff_sees_all=False)

    def perform_create(self, serializer):
        member = _member_or_403(self.request)
        data = serializer.validated_data
        try:
            serializer.instance = services.vote_cast(member=member, agenda_item=data["agenda_item"],
                                                     choice=data["choice"])
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error


class DecisionRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """The decision rules meetings choose from (kept by staff in the back office)."""

    serializer_class = DecisionRuleSerializer
    permission_classes = [CommitteePermission]
    queryset = DecisionRule.objects.order_by("-is_default", "name", "id")


class DecisionViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = DecisionSerializer
    permission_classes = [CommitteePermission]
    rule_permissions = {"create": "committee.manage"}
    filterset_class = _id_filters(Decision, "meeting", "proposal")

    def get_queryset(self):
        if getattr(self.request, "user", None) is None:  # schema generation
            return Decision.objects.none()
        return selectors.decisions_visible_to(self.request.user).order_by("meeting", "recorded_at", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.decision_record(by=self.request.user, **data)
