"""Back-office pages for the programme set-up: programmes, tracks, cycles, centres, service levels, holidays,
assignment rules, information request templates and the applicant help pages.

Every save and delete goes through proposals.services.setup (one audited write each); a refusal comes back as a
message on the same page (core.admin). "Delete selected" deletes row by row through the same service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceWriteAdmin, TranslatedServiceWriteAdmin, service_call
from core.dates import date_in
from core.translated import translation_columns
from proposals import services, triage
from proposals.admin_base import StaffMemberAccess
from proposals.models import (
    AssignmentRule,
    CooperationCentre,
    Cycle,
    HelpPage,
    Holiday,
    InfoRequestTemplate,
    Programme,
    ServiceLevel,
    Track,
)


class SetupAdmin(StaffMemberAccess, ServiceWriteAdmin):
    bulk_delete = True


class TranslatedSetupAdmin(StaffMemberAccess, TranslatedServiceWriteAdmin):
    """A set-up page whose texts staff translate (proposals.translation): a tab per language, English required."""

    bulk_delete = True


@admin.register(Programme)
class ProgrammeAdmin(TranslatedSetupAdmin):
    list_display = ["name", "reference_prefix", "cutoff_month", "cutoff_day", "is_active"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request, obj, form, change):
        service_call(services.programme_save, programme=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.programme_delete, programme=obj, by=request.user)


@admin.register(Track)
class TrackAdmin(TranslatedSetupAdmin):
    list_display = ["name", "programme", "applicant_country_rule", "site_country_rule", "support_cap_krw",
                    "pre_consulting_required", "is_active", "order"]
    list_filter = ["programme", "is_active", "applicant_country_rule"]
    fieldsets = [
        (None, {"fields": ["programme", "name", "slug", "description", "is_active", "order"]}),
        (_("Eligibility"), {"fields": ["eligible_organisation_kinds", "applicant_country_rule", "eligible_countries",
                                       "site_country_rule", "consortium_required", "consortium_description"]}),
        (_("Support and review"), {"fields": ["support_cap_krw", "required_attachment_kinds",
                                              "pre_consulting_required", "default_reviewer_count"]}),
    ]
    list_select_related = ["programme"]
    prepopulated_fields = {"slug": ["name_en"]}

    def save_model(self, request, obj, form, change):
        service_call(services.track_save, track=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.track_delete, track=obj, by=request.user)


@admin.register(Cycle)
class CycleAdmin(SetupAdmin):
    list_display = ["__str__", "programme", "year", "cutoff", "decision_date"]
    list_filter = ["programme"]
    list_select_related = ["programme"]

    def save_model(self, request, obj, form, change):
        service_call(services.cycle_save, cycle=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.cycle_delete, cycle=obj, by=request.user)


@admin.register(CooperationCentre)
class CooperationCentreAdmin(TranslatedSetupAdmin):
    list_display = ["name", "city", "country", "covered", "email"]
    search_fields = [*translation_columns("name"), "city"]
    filter_horizontal = ["staff"]

    @admin.display(description=_("countries covered"))
    def covered(self, obj):
        return ", ".join(obj.covered_countries)

    def save_model(self, request, obj, form, change):
        service_call(services.cooperation_centre_save, centre=obj, by=request.user, changed=form.changed_data,
                     staff=form.cleaned_data.get("staff"))

    def save_related(self, request, form, formsets, change):
        # The staff were set by cooperation_centre_save, after its checks; the page has no inlines.
        pass

    def delete_model(self, request, obj):
        service_call(services.cooperation_centre_delete, centre=obj, by=request.user)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(TranslatedSetupAdmin):
    list_display = ["status", "days", "working_days", "next_step"]
    list_editable = ["days", "working_days"]  # each row changed is saved through save_model, all in one transaction

    def save_model(self, request, obj, form, change):
        service_call(services.service_level_save, level=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.service_level_delete, level=obj, by=request.user)


@admin.register(Holiday)
class HolidayAdmin(SetupAdmin):
    list_display = ["date", "weekday", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_in(obj.date, "WEEKDAY_FORMAT")

    def save_model(self, request, obj, form, change):
        service_call(services.holiday_save, holiday=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.holiday_delete, holiday=obj, by=request.user)


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(SetupAdmin):
    """Who follows new proposals: applied at submission to a proposal nobody follows yet, most specific first
    (track and centre, track, centre, then a rule naming neither)."""

    list_display = ["track_shown", "centre_shown", "staff", "is_active"]
    list_filter = ["is_active", "track", "cooperation_centre"]
    list_select_related = ["track", "cooperation_centre", "staff"]

    @admin.display(description=_("track"), ordering="track__name")
    def track_shown(self, obj):
        return obj.track.name if obj.track_id else _("any track")

    @admin.display(description=_("cooperation centre"), ordering="cooperation_centre__name")
    def centre_shown(self, obj):
        return obj.cooperation_centre.name if obj.cooperation_centre_id else _("any centre")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            kwargs["queryset"] = triage.staff_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        service_call(services.assignment_rule_save, rule=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.assignment_rule_delete, rule=obj, by=request.user)


@admin.register(InfoRequestTemplate)
class InfoRequestTemplateAdmin(SetupAdmin):
    list_display = ["name", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["name", "body"]

    def save_model(self, request, obj, form, change):
        service_call(services.info_request_template_save, template=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.info_request_template_delete, template=obj, by=request.user)


@admin.register(HelpPage)
class HelpPageAdmin(SetupAdmin):
    list_display = ["topic", "language", "title", "updated_at"]
    list_filter = ["topic", "language"]
    search_fields = ["title", "body"]

    def save_model(self, request, obj, form, change):
        service_call(services.help_page_save, page=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.help_page_delete, page=obj, by=request.user)
