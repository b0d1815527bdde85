"""Back-office pages for the programme set-up: programmes, tracks, cycles, centres, service levels, holidays and
the applicant help pages.

Every save and delete goes through proposals.services.setup (one audited write each); a refusal comes back as a
message on the same page (core.admin). "Delete selected" deletes row by row through the same service."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceWriteAdmin, service_call
from proposals import services
from proposals.admin_base import StaffMemberAccess
from proposals.models import CooperationCentre, Cycle, HelpPage, Holiday, Programme, ServiceLevel, Track


class SetupAdmin(StaffMemberAccess, ServiceWriteAdmin):
    bulk_delete = True


@admin.register(Programme)
class ProgrammeAdmin(SetupAdmin):
    list_display = ["name", "reference_prefix", "cutoff_month", "cutoff_day", "is_active"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        service_call(services.programme_save, programme=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.programme_delete, programme=obj, by=request.user)


@admin.register(Track)
class TrackAdmin(SetupAdmin):
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
    prepopulated_fields = {"slug": ["name"]}

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
class CooperationCentreAdmin(SetupAdmin):
    list_display = ["name", "city", "country", "covered", "email"]
    search_fields = ["name", "city"]
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
class ServiceLevelAdmin(SetupAdmin):
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
        return date_format(obj.date, "l")

    def save_model(self, request, obj, form, change):
        service_call(services.holiday_save, holiday=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.holiday_delete, holiday=obj, by=request.user)


@admin.register(HelpPage)
class HelpPageAdmin(SetupAdmin):
    list_display = ["topic", "language", "title", "updated_at"]
    list_filter = ["topic", "language"]
    search_fields = ["title", "body"]

    def save_model(self, request, obj, form, change):
        service_call(services.help_page_save, page=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.help_page_delete, page=obj, by=request.user)
