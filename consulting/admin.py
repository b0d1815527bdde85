"""The consulting back office. Every write goes through consulting.services (audit row, lock, overlap check) or the
page is read-only; a refusal comes back as an error message on the same page, never a server error (core.admin)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from consulting import services
from consulting.models import (
    LIVE_STATUSES,
    AvailabilityRule,
    Booking,
    Consultant,
    DateOverride,
    PreConsultingReport,
    ProposalClaim,
    ReportTemplate,
    SessionType,
)
from core.admin import (
    ReadOnly,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceWriteAdmin,
    TranslatedServiceWriteAdmin,
    service_call,
)
from core.errors import DomainError


class AvailabilityRuleInline(ReadOnlyInline):
    """Shown here; changed under "Weekly availability" or on the consultant's own page (overlaps checked there)."""

    model = AvailabilityRule
    fields = ["weekday", "start_time", "end_time"]


class DateOverrideInline(ReadOnlyInline):
    model = DateOverride
    fields = ["date", "unavailable", "start_time", "end_time", "note"]


PROFILE_FIELDS = ["expertise", "languages", "time_zone", "cooperation_centre", "bio", "is_active", "meeting_url"]


@admin.register(Consultant)
class ConsultantAdmin(ServiceWriteAdmin):
    list_display = ["__str__", "time_zone", "cooperation_centre", "is_active"]
    list_filter = ["is_active", "cooperation_centre"]
    search_fields = ["user__full_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "cooperation_centre"]
    inlines = [AvailabilityRuleInline, DateOverrideInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, asked for now

    def get_readonly_fields(self, request, obj=None):
        # The profile belongs to one person for good: bookings and reports hang on it.
        return ["ics_token"] if obj is None else ["user", "ics_token"]

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in PROFILE_FIELDS}
        if change:
            service_call(services.consultant_profile_update, consultant=obj, by=request.user, **values)
        else:
            created = service_call(services.consultant_create, user=obj.user, by=request.user, **values)
            obj.pk, obj.ics_token = created.pk, created.ics_token

    def has_delete_permission(self, request, obj=None):
        return False


class AvailabilityRuleForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["consultant", "weekday", "start_time", "end_time"]

    def clean(self):
        data = super().clean()
        consultant = data.get("consultant") or getattr(self.instance, "consultant", None)
        if consultant is not None and None not in (data.get("weekday"), data.get("start_time"), data.get("end_time")):
            services.availability_rule_check(
                consultant=consultant, weekday=data["weekday"], start_time=data["start_time"],
                end_time=data["end_time"], rule=self.instance if self.instance.pk else None,
            )
        return data


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(ServiceWriteAdmin):
    form = AvailabilityRuleForm
    list_display = ["consultant", "weekday", "start_time", "end_time"]
    list_filter = ["weekday"]
    list_select_related = ["consultant__user"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["consultant"]

    def save_model(self, request, obj, form, change):
        saved = service_call(services.availability_rule_save, consultant=obj.consultant, by=request.user,
                             weekday=obj.weekday, start_time=obj.start_time, end_time=obj.end_time,
                             rule=obj if change else None)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        service_call(services.availability_rule_delete, rule=obj, by=request.user)


class DateOverrideForm(forms.ModelForm):
    class Meta:
        model = DateOverride
        fields = ["consultant", "date", "unavailable", "start_time", "end_time", "note"]

    def clean(self):
        data = super().clean()
        consultant = data.get("consultant") or getattr(self.instance, "consultant", None)
        if consultant is not None and data.get("date") is not None:
            services.date_override_check(
                consultant=consultant, date=data["date"], unavailable=bool(data.get("unavailable")),
                start_time=data.get("start_time"), end_time=data.get("end_time"),
                override=self.instance if self.instance.pk else None,
            )
        return data


@admin.register(DateOverride)
class DateOverrideAdmin(ServiceWriteAdmin):
    form = DateOverrideForm
    list_display = ["consultant", "date", "unavailable", "start_time", "end_time"]
    list_filter = ["unavailable"]
    date_hierarchy = "date"
    list_select_related = ["consultant__user"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["consultant"]

    def save_model(self, request, obj, form, change):
        saved = service_call(services.date_override_save, consultant=obj.consultant, by=request.user,
                             date=obj.date, unavailable=obj.unavailable, start_time=obj.start_time,
                             end_time=obj.end_time, note=obj.note, override=obj if change else None)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        service_call(services.date_override_delete, override=obj, by=request.user)


@admin.register(SessionType)
class SessionTypeAdmin(TranslatedServiceWriteAdmin):
    list_display = ["title", "length_minutes", "buffer_before_minutes", "buffer_after_minutes",
                    "minimum_notice_hours", "booking_window_days", "daily_limit", "location_kind", "is_active"]
    list_filter = ["is_active", "location_kind"]

    def save_model(self, request, obj, form, change):
        service_call(services.session_type_save, session_type=obj, by=request.user, changed=form.changed_data)

    def delete_model(self, request, obj):
        service_call(services.session_type_delete, session_type=obj, by=request.user)


class ReportInline(ReadOnly, admin.StackedInline):
    model = PreConsultingReport
    extra = 0
    can_delete = False
    readonly_fields = ["proposal", "summary", "recommendation", "suggested_changes", "filed_at", "filed_by"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    """Bookings are made, moved and cancelled through the services (the pages, the API or the action here); the
    page itself only shows them."""

    list_display = ["start", "consultant", "booked_by", "session_type", "proposal", "status"]
    list_filter = ["status", "session_type", "consultant"]
    date_hierarchy = "start"
    search_fields = ["booked_by__email", "booked_by__full_name", "consultant__user__full_name", "proposal__reference"]
    list_select_related = ["consultant__user", "booked_by", "session_type", "proposal"]
    readonly_fields = [f.name for f in Booking._meta.fields]
    inlines = [ReportInline]
    actions = ["cancel_bookings"]

    def has_cancel_permission(self, request):
        # Who may cancel in general; booking_cancel asks again for each booking.
        return request.user.has_perm("consulting.change_booking")

    @admin.action(description=_("Cancel the selected sessions (both sides are told)"), permissions=["cancel"])
    def cancel_bookings(self, request, queryset):
        done = 0
        for booking in queryset.filter(status__in=LIVE_STATUSES):
            try:
                services.booking_cancel(booking=booking, by=request.user,
                                        reason=str(_("Cancelled by the secretariat.")))
            except DomainError as exc:
                self.message_user(request, f"{booking}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)s session(s) cancelled.") % {"count": done}, messages.SUCCESS)


@admin.register(PreConsultingReport)
class PreConsultingReportAdmin(ReadOnlyAdmin):
    """A report is the consultant's own account of the session (consulting.services.report_file): shown here,
    never written or removed by anyone else."""

    list_display = ["booking", "proposal", "recommendation", "filed_at", "filed_by"]
    list_filter = ["recommendation"]
    list_select_related = ["booking__consultant__user", "proposal", "filed_by"]
    readonly_fields = ["booking", "proposal", "summary", "recommendation", "suggested_changes", "filed_at", "filed_by"]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ServiceWriteAdmin):
    """What a consultant's report form starts with, per track (consulting.services.report_templates)."""

    list_display = ["track"]
    list_select_related = ["track__programme"]

    def save_model(self, request, obj, form, change):
        service_call(services.report_template_save, template=obj, by=request.user)

    def delete_model(self, request, obj):
        service_call(services.report_template_delete, template=obj, by=request.user)


@admin.register(ProposalClaim)
class ProposalClaimAdmin(ReadOnlyAdmin):
    """Who took which proposal from the pre-consulting queue (consulting.services.queue)."""

    list_display = ["proposal", "consultant", "taken_at", "released_at"]
    list_select_related = ["proposal", "consultant__user"]
    readonly_fields = ["proposal", "consultant", "taken_at", "released_at"]
