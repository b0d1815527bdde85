from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from consulting import services
from consulting.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    Consultant,
    DateOverride,
    PreConsultingReport,
    SessionType,
)
from core.errors import DomainError


class AvailabilityRuleInline(admin.TabularInline):
    model = AvailabilityRule
    extra = 0


class DateOverrideInline(admin.TabularInline):
    model = DateOverride
    extra = 0


@admin.register(Consultant)
class ConsultantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "time_zone", "cooperation_centre", "is_active"]
    list_filter = ["is_active", "cooperation_centre"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "cooperation_centre"]
    readonly_fields = ["ics_token"]
    inlines = [AvailabilityRuleInline, DateOverrideInline]


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(admin.ModelAdmin):
    list_display = ["consultant", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    list_select_related = ["consultant__user"]


@admin.register(DateOverride)
class DateOverrideAdmin(admin.ModelAdmin):
    list_display = ["consultant", "date", "unavailable", "start_time", "end_time"]
    list_filter = ["unavailable"]
    date_hierarchy = "date"
    list_select_related = ["consultant__user"]


@admin.register(SessionType)
class SessionTypeAdmin(admin.ModelAdmin):
    list_display = ["title", "length_minutes", "buffer_before_minutes", "buffer_after_minutes",
                    "minimum_notice_hours", "booking_window_days", "daily_limit", "location_kind", "is_active"]
    list_filter = ["is_active", "location_kind"]


class ReportInline(admin.StackedInline):
    model = PreConsultingReport
    extra = 0
    can_delete = False
    readonly_fields = ["proposal", "summary", "recommendation", "suggested_changes", "filed_at", "filed_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Bookings are made, moved and cancelled through the services (the pages, the API or the action here)."""

    list_display = ["start", "consultant", "booked_by", "session_type", "proposal", "status"]
    list_filter = ["status", "session_type", "consultant"]
    date_hierarchy = "start"
    search_fields = ["booked_by__email", "booked_by__full_name", "consultant__user__full_name", "proposal__reference"]
    list_select_related = ["consultant__user", "booked_by", "session_type", "proposal"]
    readonly_fields = [f.name for f in Booking._meta.fields]
    inlines = [ReportInline]
    actions = ["cancel_bookings"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected sessions (both sides are told)"))
    def cancel_bookings(self, request, queryset):
        done = 0
        for booking in queryset.filter(status=BookingStatus.CONFIRMED):
            try:
                services.booking_cancel(booking=booking, by=request.user,
                                        reason=str(_("Cancelled by the secretariat.")))
            except DomainError as exc:
                self.message_user(request, f"{booking}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)s session(s) cancelled.") % {"count": done}, messages.SUCCESS)


@admin.register(PreConsultingReport)
class PreConsultingReportAdmin(admin.ModelAdmin):
    list_display = ["booking", "proposal", "recommendation", "filed_at", "filed_by"]
    list_filter = ["recommendation"]
    list_select_related = ["booking__consultant__user", "proposal", "filed_by"]
    readonly_fields = ["booking", "proposal", "summary", "recommendation", "suggested_changes", "filed_at", "filed_by"]

    def has_add_permission(self, request):
        return False
