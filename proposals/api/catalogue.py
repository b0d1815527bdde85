"""`/api/v1/programmes/`, `/tracks/`, `/cycles/`, `/cooperation-centres/`: what an API client needs to start a
valid proposal without guessing ids (read only, for anyone signed in; the same rules the start page shows).

A track says, for the caller's own organisation, whether it may use it and, if not, why (proposals.eligibility):
the same reasons the start page and `POST /api/v1/proposals/` give."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from accounts.models import OrganisationKind
from core.api import PortalViewSet
from core.filters import IdFilter, StrictFilterSet
from core.translated import InReadersLanguage
from proposals.cycles import SEOUL
from proposals.eligibility import track_refusals, track_rules
from proposals.models import AttachmentKind, CooperationCentre, CountryRule, Cycle, Programme, Track

# --- serializers ----------------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "slug", "reference_prefix", "description", "cutoff_month", "cutoff_day",
                  "is_active"]
        read_only_fields = fields


class EligibilitySerializer(serializers.Serializer):
    organisation_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), source="eligible_organisation_kinds",
        help_text=_("Organisation kinds that may apply."),
    )
    applicant_country_rule = serializers.ChoiceField(
        choices=CountryRule.choices, help_text=_("Where the applicant organisation must be registered."))
    eligible_countries = serializers.ListField(
        child=serializers.CharField(), help_text=_("ISO codes; used by the `listed` rules."))
    site_country_rule = serializers.ChoiceField(
        choices=CountryRule.choices, help_text=_("Where the project must take place (the proposal's country)."))
    consortium_required = serializers.BooleanField()
    consortium_description = serializers.CharField()
    rules = serializers.SerializerMethodField(help_text=_("The rules in plain words, in the caller's language."))

    def get_rules(self, track) -> list[str]:
        return track_rules(track)


class TrackSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    is_open = serializers.SerializerMethodField(help_text=_("The track and its programme accept proposals."))
    eligibility = EligibilitySerializer(source="*", read_only=True)
    required_attachment_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=AttachmentKind.choices), read_only=True)
    eligible_for_you = serializers.SerializerMethodField(
        help_text=_("Your organisation may start a proposal on this track."))
    refusals = serializers.SerializerMethodField(
        help_text=_("Why your organisation may not use this track (empty when it may)."))

    class Meta:
        model = Track
        fields = ["id", "programme", "programme_name", "name", "slug", "description", "is_open", "eligibility",
                  "required_attachment_kinds", "support_cap_krw", "pre_consulting_required", "eligible_for_you",
                  "refusals"]
        read_only_fields = fields

    def get_is_open(self, track) -> bool:
        return track.is_active and track.programme.is_active

    def _refusals(self, track) -> list[str]:
        organisation = self.context.get("organisation")
        if organisation is None:
            return [str(_("Register your organisation before starting a proposal."))]
        cache = self.context.setdefault("refusals", {})
        if track.pk not in cache:
            cache[track.pk] = [p.message for p in track_refusals(track, organisation=organisation)]
        return cache[track.pk]

    def get_eligible_for_you(self, track) -> bool:
        return not self._refusals(track)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_refusals(self, track) -> list[str]:
        return [str(m) for m in self._refusals(track)]


class CycleSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    is_current = serializers.SerializerMethodField(
        help_text=_("A proposal submitted today joins this cycle (received by its cut-off, Seoul time)."))

    class Meta:
        model = Cycle
        fields = ["id", "programme", "programme_name", "year", "cutoff", "decision_date", "is_current"]
        read_only_fields = fields

    def get_is_current(self, cycle) -> bool:
        # The cut-off rule of proposals.cycles.cycle_year_for, on the cut-off the queryset annotated (no query).
        today = timezone.localdate(timezone=SEOUL)
        cutoff = getattr(cycle, "this_years_cutoff", None) or cycle.programme.default_cutoff(today.year)
        return cycle.year == (today.year if today <= cutoff else today.year + 1)


class CooperationCentreSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166 country code"))
    covered_countries = serializers.ListField(child=serializers.CharField(), read_only=True)
    # Plain text: a centre without an address answers "" (an e-mail format would not admit it).
    email = serializers.CharField(read_only=True, help_text=_("E-mail address, or empty."))

    class Meta:
        model = CooperationCentre
        fields = ["id", "name", "city", "country", "covered_countries", "email", "phone"]
        read_only_fields = fields


# --- filters --------------------------------------------------------------------------------------------


class TrackFilter(StrictFilterSet):
    programme = IdFilter(field_name="programme_id", help_text=_("Programme id"))

    class Meta:
        model = Track
        fields = ["programme"]


class CycleFilter(StrictFilterSet):
    programme = IdFilter(field_name="programme_id", help_text=_("Programme id"))

    class Meta:
        model = Cycle
        fields = ["programme"]


# --- views ----------------------------------------------------------------------------------------------


class _Catalogue(mixins.ListModelMixin, mixins.RetrieveModelMixin, PortalViewSet):
    pass


@extend_schema_view(list=extend_schema(summary=_("Programmes")), retrieve=extend_schema(summary=_("One programme")))
class ProgrammeViewSet(_Catalogue):
    """The funding programmes run through the portal."""

    serializer_class = ProgrammeSerializer
    filterset_class = None
    queryset = Programme.objects.order_by(InReadersLanguage("name").asc(), "id")


@extend_schema_view(list=extend_schema(summary=_("Tracks, with their eligibility")),
                    retrieve=extend_schema(summary=_("One track")))
class TrackViewSet(_Catalogue):
    """Tracks of every programme: who may apply, the required documents, the support cap, whether pre-consulting
    comes before committee review, and whether your organisation may use each one (with the reasons if not)."""

    serializer_class = TrackSerializer
    filterset_class = TrackFilter
    queryset = Track.objects.select_related("programme").order_by(
        InReadersLanguage("programme__name").asc(), "order", InReadersLanguage("name").asc(), "id"
    )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        if user.is_authenticated and "organisation" not in context:
            context["organisation"] = user.organisation
        return context


@extend_schema_view(list=extend_schema(summary=_("Selection cycles and their cut-off dates")),
                    retrieve=extend_schema(summary=_("One selection cycle")))
class CycleViewSet(_Catalogue):
    """Yearly selection cycles: a proposal received by the cut-off (Seoul time) is reviewed in that cycle, a later
    one in the next; the committee decides after the cut-off, on the expected decision date when it is set."""

    serializer_class = CycleSerializer
    filterset_class = CycleFilter
    def get_queryset(self):
        today = timezone.localdate(timezone=SEOUL)
        this_year = Cycle.objects.filter(programme_id=OuterRef("programme_id"), year=today.year).values("cutoff")
        return (Cycle.objects.select_related("programme").annotate(this_years_cutoff=Subquery(this_year[:1]))
                .order_by(InReadersLanguage("programme__name").asc(), "-year", "id"))


@extend_schema_view(list=extend_schema(summary=_("Cooperation centres")),
                    retrieve=extend_schema(summary=_("One cooperation centre")))
class CooperationCentreViewSet(_Catalogue):
    """Local cooperation centres, the countries each follows, and how to reach them."""

    serializer_class = CooperationCentreSerializer
    filterset_class = None
    queryset = CooperationCentre.objects.order_by(InReadersLanguage("name").asc(), "id")
