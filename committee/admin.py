"""Back office for the committee. Every write here goes through a committee service (its checks and its audit
row); writes that carry rules of their own (decisions, votes, letters, attendance) are made on the pages under
/committee/ and are read-only here. Who may write is `committee.manage` (committee/rules.py), on top of the
model permissions Django's admin asks; a refusal comes back as a message on the same page (core.admin)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from committee import services
from committee.models import (
    AgendaItem,
    Assignment,
    Attendance,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionLetter,
    DecisionRule,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Review,
    Rubric,
)
from committee.services.meetings import MEETING_FIELDS, meeting_cycle_check
from core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceWriteAdmin, service_call


class ManagedAdmin(ServiceWriteAdmin):
    """Adds and changes only for staff who manage the committee; deletes never (the services keep the record)."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and request.user.has_perm("committee.manage")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.has_perm("committee.manage")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ManagedAdmin):
    list_display = ["__str__", "kind", "affiliation", "is_co_chair", "term_start", "term_end", "is_active"]
    list_filter = ["kind", "is_co_chair", "is_active"]
    list_select_related = ["user"]
    search_fields = ["user__full_name", "user__email", "affiliation", "expertise"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        service_call(services.member_save, member=obj, by=request.user, changed=form.changed_data)


class CriterionInline(TranslationTabularInline):
    # Each criterion's name and description in every offered language (committee.translation), English required.
    model = Criterion
    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and request.user.has_perm("committee.manage")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and request.user.has_perm("committee.manage")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and request.user.has_perm("committee.manage")


@admin.register(Rubric)
class RubricAdmin(ManagedAdmin):
    list_display = ["name", "programme"]
    inlines = [CriterionInline]
    # The language tabs of the translated criteria (the rubric itself is not translated).
    Media = TabbedTranslationAdmin.Media

    def save_model(self, request, obj, form, change):
        service_call(services.rubric_save, rubric=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        # The criteria inline: each change and removal through the services (one audit row each).
        for criterion in formset.save(commit=False):
            service_call(services.criterion_save, criterion=criterion, by=request.user)
        for criterion in formset.deleted_objects:
            service_call(services.criterion_delete, criterion=criterion, by=request.user)


class AgendaItemInline(ReadOnlyInline):
    # The agenda is kept on the meeting page (services.agenda_item_add / agenda_item_remove).
    model = AgendaItem
    fields = ["order", "proposal"]
    readonly_fields = ["order", "proposal"]


class MeetingAdminForm(forms.ModelForm):
    def clean(self):
        # The service's own rule, asked here so a refusal lands on the form instead of failing the save.
        data = super().clean()
        if data.get("programme") and data.get("cycle"):
            try:
                meeting_cycle_check(programme=data["programme"], cycle=data["cycle"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(Meeting)
class MeetingAdmin(ManagedAdmin):
    form = MeetingAdminForm
    list_display = ["title", "programme", "cycle", "starts_at", "status"]
    list_filter = ["status", "programme"]
    fields = ["programme", "cycle", "title", "starts_at", "place", "video_link", "decision_rule", "voting_mode",
              "status", "opened_at", "opened_by", "closed_at"]
    # The state moves on the meeting page (open, close) and with the final minutes, never by editing it here.
    readonly_fields = ["status", "opened_at", "opened_by", "closed_at"]
    inlines = [AgendaItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_change_permission(self, request, obj=None):
        # A closed meeting stays as its final minutes record it.
        if obj is not None and obj.status == MeetingStatus.CLOSED:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in MEETING_FIELDS if name in form.cleaned_data}
        if change:
            saved = service_call(services.meeting_update, meeting=obj, by=request.user, **data)
        else:
            saved = service_call(services.meeting_create, by=request.user, **data)
            obj.pk = saved.pk  # the admin's log entry and redirect name the saved row
            obj.refresh_from_db()


@admin.register(DecisionRule)
class DecisionRuleAdmin(ManagedAdmin):
    """The rules meetings decide by: editable data, each change through decision_rule_save (audited)."""

    list_display = ["name", "basis", "threshold_votes", "quorum_fraction", "require_co_chair", "is_default"]
    fields = ["name", "basis", "threshold_votes", "quorum_fraction", "require_co_chair", "is_default"]

    def save_model(self, request, obj, form, change):
        service_call(services.decision_rule_save, rule=obj, by=request.user, changed=form.changed_data)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "member", "assigned_by", "assigned_at"]
    list_select_related = ["proposal", "member__user", "assigned_by"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "member", "has_conflict", "declared_at"]
    list_filter = ["has_conflict"]
    list_select_related = ["proposal", "member__user"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "member", "present"]
    list_select_related = ["meeting", "member__user"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "member", "weighted_total", "submitted_at"]
    list_select_related = ["proposal", "member__user"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "meeting", "outcome", "support_amount_krw", "votes_for", "votes_against",
                    "votes_abstain", "members_present", "quorum_required", "votes_needed", "voting_mode"]
    list_select_related = ["proposal", "meeting"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ["decision", "status", "approved_by", "sent_at"]


@admin.register(Minutes)
class MinutesAdmin(ServiceWriteAdmin):
    list_display = ["meeting", "status", "finalised_at"]
    readonly_fields = ["meeting", "status", "finalised_at", "finalised_by"]
    fields = ["meeting", "status", "body", "finalised_at", "finalised_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Final minutes are read-only everywhere; drafts are edited here or on the minutes page.
        if obj is not None and obj.status == MinutesStatus.FINAL:
            return False
        return super().has_change_permission(request, obj) and request.user.has_perm("committee.manage")

    def save_model(self, request, obj, form, change):
        service_call(services.minutes_update, minutes=obj, body=form.cleaned_data["body"], by=request.user)
