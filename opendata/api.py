"""/api/v1/open-data/projects/: the public register as an API (the list and one project), for anyone, without a
token. The same projects (opendata.selectors.public_projects), fields (opendata.records) and filters (year,
country, track, status) as the register's page and its CSV and JSON files; throttled per client address."""

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from cooperation.models import ActivityStatus
from core.api import PortalViewSet
from core.filters import StrictFilterSet
from opendata import selectors
from opendata.forms import YEARS
from opendata.records import project_record


class OpenDataThrottle(AnonRateThrottle):
    # Every caller counts per client address (signed in or not): the rate is settings.REST_FRAMEWORK's
    # DEFAULT_THROTTLE_RATES["open_data"] (OPEN_DATA_API_RATE in the environment).
    scope = "open_data"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OpenParticipantSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=[1, 2, 3, 4], help_text=_("IATI organisation role code."))
    role_name = serializers.CharField()


class OpenMilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField()
    done = serializers.BooleanField()


class OpenDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    file_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.URLField()


class OpenProjectSerializer(serializers.Serializer):
    # The declared fields are the schema; the values are opendata.records.project_record's, the files' own.
    id = serializers.IntegerField()
    iati_identifier = serializers.CharField()
    reference = serializers.CharField()
    title = serializers.CharField()
    title_ko = serializers.CharField()
    description = serializers.CharField()
    country_code = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    track = serializers.CharField()
    track_name = serializers.CharField()
    year = serializers.IntegerField()
    activity_status_code = serializers.ChoiceField(choices=ActivityStatus.values)
    activity_status = serializers.CharField()
    approved_krw = serializers.IntegerField()
    milestones_done = serializers.IntegerField()
    milestones_total = serializers.IntegerField()
    planned_start = serializers.DateField(allow_null=True)
    planned_end = serializers.DateField(allow_null=True)
    actual_start = serializers.DateField(allow_null=True)
    actual_end = serializers.DateField(allow_null=True)
    url = serializers.URLField()

    def to_representation(self, instance):
        request = self.context.get("request")
        base = request.build_absolute_uri("/").rstrip("/") if request else ""
        return project_record(instance, base_url=base)


class OpenProjectDetailSerializer(OpenProjectSerializer):
    participants = OpenParticipantSerializer(many=True)
    milestones = OpenMilestoneSerializer(many=True)
    documents = OpenDocumentSerializer(many=True)

    def to_representation(self, instance):
        record = super().to_representation(instance)
        request = self.context.get("request")
        base = request.build_absolute_uri("/").rstrip("/") if request else ""
        with translation.override("en"):  # labels in English beside their codes, as in the files
            record["participants"] = [
                {"name": p.name, "role": p.role, "role_name": str(p.get_role_display())}
                for p in selectors.public_participants(instance)
            ]
        record["milestones"] = [
            {"title": m.title, "due_date": m.due_date.isoformat(), "done": m.is_done}
            for m in selectors.public_milestones(instance)
        ]
        record["documents"] = [
            {
                "title": d.title,
                "file_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "url": base + reverse("opendata:document", args=[instance.pk, d.pk]),
            }
            for d in selectors.public_documents(instance)
        ]
        return record


@extend_schema_field({"type": "integer", "minimum": YEARS.start, "maximum": YEARS.stop - 1})
class YearFilter(filters.NumberFilter):
    # A whole year in the range the register accepts, said so in the schema (not a long enum).
    field_class = forms.IntegerField


class OpenProjectFilter(StrictFilterSet):
    year = YearFilter(
        field_name="year",
        min_value=YEARS.start,
        max_value=YEARS.stop - 1,
        help_text=_("The selection year, e.g. 2025."),
    )
    # The ISO codes as the schema's enum: a code that is no country is refused (400), one without projects is an
    # empty list.
    country = filters.ChoiceFilter(
        field_name="recipient_country",
        choices=[(code, code) for code in sorted(dict(countries))],
        help_text=_("Two-letter ISO country code, e.g. KE."),
    )
    track = filters.CharFilter(field_name="proposal__track__slug", help_text=_("The track's short name."))
    status = filters.TypedChoiceFilter(
        field_name="activity_status",
        choices=ActivityStatus.choices,
        coerce=int,
        help_text=_("IATI activity status code (1 to 6)."),
    )


class OpenProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    # Anyone may read the register; no token needed. Public answers, so no session is looked at either.
    authentication_classes = ()
    permission_classes = [AllowAny]
    throttle_classes = [OpenDataThrottle]
    filterset_class = OpenProjectFilter

    def get_queryset(self):
        return selectors.public_projects()

    def get_serializer_class(self):
        return OpenProjectDetailSerializer if self.action == "retrieve" else OpenProjectSerializer

    def get_object(self):
        # A project that is not public (or an id that is not a number) is a 404, like one that does not exist.
        pk = self.kwargs.get("pk")
        project = selectors.public_project(int(pk)) if str(pk).isdigit() else None
        if project is None:
            raise Http404
        return project


def register(router) -> None:
    """Add the open data's viewsets to the API router."""
    router.register("open-data/projects", OpenProjectViewSet, basename="open-data-project")
