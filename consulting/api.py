"""`/api/v1/consultants/` and `/api/v1/bookings/`: the same selectors and services as the pages."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from consulting import rules, selectors, services
from consulting.models import (
    SESSION_LANGUAGES,
    Booking,
    Consultant,
    PreConsultingReport,
    SessionType,
)
from core.api import PortalViewSet, RulePermission
from core.dates import BoundedDateField, BoundedDateTimeField
from proposals.models import SolutionCategory

MAX_SLOT_RANGE_DAYS = 62


class ConsultantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    time_zone = serializers.CharField(read_only=True)
    cooperation_centre = serializers.CharField(source="cooperation_centre.name", read_only=True, default=None,
                                               allow_null=True)

    class Meta:
        model = Consultant
        fields = ["id", "name", "expertise", "languages", "time_zone", "cooperation_centre", "bio"]
        read_only_fields = fields


class SessionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionType
        fields = ["id", "title", "length_minutes", "location_kind", "minimum_notice_hours", "booking_window_days"]
        read_only_fields = fields


class UTCDateTimeField(serializers.DateTimeField):
    """Always written in UTC (`...Z`), whatever the caller's time zone."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=datetime.UTC, **kwargs)


class SlotSerializer(serializers.Serializer):
    start = UTCDateTimeField()
    end = UTCDateTimeField()


class SlotQuerySerializer(serializers.Serializer):
    start_date = BoundedDateField(required=False)
    end_date = BoundedDateField(required=False)
    session_type = serializers.PrimaryKeyRelatedField(queryset=SessionType.objects.filter(is_active=True),
                                                      required=False)


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = PreConsultingReport
        fields = ["recommendation", "suggested_changes", "summary", "filed_at"]
        read_only_fields = ["filed_at"]


class ApplicantReportSerializer(serializers.ModelSerializer):
    """What the applicant sees of a report: the recommendation and the suggested changes."""

    class Meta:
        model = PreConsultingReport
        fields = ["recommendation", "suggested_changes", "filed_at"]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    consultant_name = serializers.CharField(source="consultant.user.full_name", read_only=True)
    session_type_title = serializers.CharField(source="session_type.title", read_only=True)
    start = UTCDateTimeField(read_only=True)
    end = UTCDateTimeField(read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "consultant", "consultant_name", "session_type", "session_type_title", "proposal",
                  "questions", "start", "end", "status", "ics_uid", "ics_sequence", "created_at"]
        read_only_fields = fields


class BookingCreateSerializer(serializers.Serializer):
    consultant = serializers.PrimaryKeyRelatedField(queryset=Consultant.objects.filter(is_active=True))
    session_type = serializers.PrimaryKeyRelatedField(queryset=SessionType.objects.filter(is_active=True))
    start = BoundedDateTimeField(help_text="UTC ISO 8601, one of the consultant's free slots.")
    proposal = serializers.IntegerField(required=False, allow_null=True)
    questions = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class RescheduleSerializer(serializers.Serializer):
    start = BoundedDateTimeField(help_text="The new UTC start, one of the consultant's free slots.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


SlotTakenSerializer = inline_serializer(
    name="SlotTaken",
    fields={
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "nearest_free": serializers.ListField(child=UTCDateTimeField()),
    },
)


def _conflict(exc: services.SlotUnavailable) -> Response:
    return Response(
        {"detail": str(exc.message), "code": exc.code,
         "nearest_free": [s.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") for s in exc.nearest]},
        status=status.HTTP_409_CONFLICT,
    )


class ConsultingRulePermission(RulePermission):
    # core.api.RulePermission, answering a refusal with the reason consulting.rules writes once for that name
    # (the same words the service would raise), and asking names the way the services do (consulting.rules.
    # permits: a report is the consultant's own, a superuser's pass included). (A comment: drf-spectacular
    # publishes docstrings.)

    refusals = rules.REFUSALS

    def allows(self, user, name, obj=None):
        return rules.permits(user, name, obj)


@extend_schema(parameters=[
    OpenApiParameter("expertise", OpenApiTypes.STR, enum=SolutionCategory.values),
    OpenApiParameter("language", OpenApiTypes.STR, enum=[code for code, _label in SESSION_LANGUAGES]),
])
class ConsultantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    serializer_class = ConsultantSerializer

    def get_queryset(self):
        expertise = self.request.query_params.get("expertise", "")
        language = self.request.query_params.get("language", "")
        # A filter that is given must be a known value: an empty `?expertise=` is a mistake, not "any".
        if "expertise" in self.request.query_params and expertise not in SolutionCategory.values:
            raise ValidationError({"expertise": [_("Unknown expertise.")]})
        if "language" in self.request.query_params and language not in dict(SESSION_LANGUAGES):
            raise ValidationError({"language": [_("Unknown language.")]})
        return selectors.consultant_list(expertise=expertise, language=language)

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First UTC date (default: today)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last UTC date, included (default: +21 days)."),
            OpenApiParameter("session_type", OpenApiTypes.INT, description="Session type id (default: the first)."),
        ],
        responses={200: SlotSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def slots(self, request, pk=None):
        consultant = self.get_object()
        query = SlotQuerySerializer(data={
            "start_date": request.query_params.get("from"), "end_date": request.query_params.get("to"),
            **({"session_type": request.query_params["session_type"]}
               if "session_type" in request.query_params else {}),
        })
        query.is_valid(raise_exception=True)
        session_type = query.validated_data.get("session_type") or selectors.session_types_active().first()
        if session_type is None:
            raise NotFound(_("No session type is offered."))
        now = timezone.now()
        first = query.validated_data.get("start_date") or now.date()
        last = query.validated_data.get("end_date") or first + datetime.timedelta(days=21)
        if last < first or (last - first).days > MAX_SLOT_RANGE_DAYS:
            raise ValidationError({"to": [_("Give a range of at most %(days)s days, ending after it starts.")
                                          % {"days": MAX_SLOT_RANGE_DAYS}]})
        range_start = datetime.datetime.combine(first, datetime.time(0), tzinfo=datetime.UTC)
        range_end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(0), tzinfo=datetime.UTC)
        slots = selectors.consultant_free_slots(consultant=consultant, session_type=session_type,
                                                range_start=range_start, range_end=range_end, now=now)
        length = datetime.timedelta(minutes=session_type.length_minutes)
        return Response(SlotSerializer([{"start": s, "end": s + length} for s in slots], many=True).data)


class SessionTypeViewSet(mixins.ListModelMixin, PortalViewSet):
    serializer_class = SessionTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.session_types_active()


class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    """One's own bookings: as the person who booked, or as the consultant."""

    serializer_class = BookingSerializer
    permission_classes = [IsAuthenticated, ConsultingRulePermission]
    rule_permissions = {"create": "consulting.create_booking"}
    rule_object_permissions = {
        "retrieve": "consulting.view_booking", "report": "consulting.view_booking",
        "cancel": "consulting.change_booking", "reschedule": "consulting.change_booking",
        "report_file": "consulting.file_report",
    }

    def get_queryset(self):
        return selectors.bookings_for(self.request.user)

    @extend_schema(
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, 409: OpenApiResponse(SlotTakenSerializer, description="Time not free.")},
    )
    def create(self, request):
        data = BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = None
        if data.validated_data.get("proposal"):
            proposal = selectors.proposals_bookable_by(request.user).filter(pk=data.validated_data["proposal"]).first()
            if proposal is None:
                raise ValidationError({"proposal": [_("You can only link a session to an open proposal you work on.")]})
        try:
            booking = services.booking_create(
                consultant=data.validated_data["consultant"], session_type=data.validated_data["session_type"],
                start=data.validated_data["start"], by=request.user, proposal=proposal,
                questions=data.validated_data["questions"],
            )
        except services.SlotUnavailable as exc:
            return _conflict(exc)
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelSerializer, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.booking_cancel(booking=booking, by=request.user, reason=data.validated_data["reason"])
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)

    @extend_schema(
        request=RescheduleSerializer,
        responses={200: BookingSerializer, 409: OpenApiResponse(SlotTakenSerializer, description="Time not free.")},
    )
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        booking = self.get_object()
        data = RescheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.booking_reschedule(booking=booking, start=data.validated_data["start"], by=request.user)
        except services.SlotUnavailable as exc:
            return _conflict(exc)
        return Response(BookingSerializer(self.get_queryset().get(pk=booking.pk)).data)

    @extend_schema(request=None, responses={200: ReportSerializer, 404: None})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        booking = self.get_object()
        report = getattr(booking, "report", None)
        if report is None:
            raise NotFound(_("No report has been filed for this session."))
        if booking.consultant.user_id == request.user.pk:
            return Response(ReportSerializer(report).data)
        return Response(ApplicantReportSerializer(report).data)

    # POST on the same URL is its own action, so the permission map can name it ("report_file").
    @extend_schema(request=ReportSerializer, responses={201: ReportSerializer})
    @report.mapping.post
    def report_file(self, request, pk=None):
        booking = self.get_object()
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_file(
            booking=booking, by=request.user, summary=data.validated_data["summary"],
            recommendation=data.validated_data["recommendation"],
            suggested_changes=data.validated_data.get("suggested_changes", ""),
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("consultants", ConsultantViewSet, basename="consultant")
    router.register("session-types", SessionTypeViewSet, basename="session-type")
    router.register("bookings", BookingViewSet, basename="booking")

