"""Back-office pages for the programme set-up: programmes, tracks, cycles, centres, service levels, holidays."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from proposals.admin_base import StaffMemberAccess
from proposals.models import CooperationCentre, Cycle, Holiday, Programme, ServiceLevel, Track


@admin.register(Programme)
class ProgrammeAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["name", "reference_prefix", "cutoff_month", "cutoff_day", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Track)
class TrackAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["name", "programme", "support_cap_krw", "pre_consulting_required", "is_active", "order"]
    list_filter = ["programme", "is_active"]
    list_select_related = ["programme"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cycle)
class CycleAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["__str__", "programme", "year", "cutoff"]
    list_filter = ["programme"]
    list_select_related = ["programme"]


@admin.register(CooperationCentre)
class CooperationCentreAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["name", "city", "country", "covered", "email"]
    search_fields = ["name", "city"]
    filter_horizontal = ["staff"]

    @admin.display(description=_("countries covered"))
    def covered(self, obj):
        return ", ".join(obj.covered_countries)


@admin.register(ServiceLevel)
class ServiceLevelAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["status", "days", "working_days", "next_step"]
    list_editable = ["days", "working_days"]


@admin.register(Holiday)
class HolidayAdmin(StaffMemberAccess, admin.ModelAdmin):
    list_display = ["date", "weekday", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return date_format(obj.date, "l")

