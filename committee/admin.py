"""Back office for the committee. Writes that carry rules (decisions, minutes, letters) go through the pages
under /committee/, which call the services; here they are read-only."""

from django.contrib import admin
from django.db import models

from committee.models import (
    AgendaItem,
    Assignment,
    Attendance,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    Decision,
    DecisionLetter,
    Meeting,
    Minutes,
    MinutesStatus,
    Review,
    Rubric,
)


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "affiliation", "is_co_chair", "term_start", "term_end", "is_active"]
    list_filter = ["kind", "is_co_chair", "is_active"]
    list_select_related = ["user"]
    search_fields = ["user__full_name", "user__email", "affiliation", "expertise"]
    autocomplete_fields = ["user"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    inlines = [CriterionInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "proposal"]
    readonly_fields = ["proposal"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "cycle", "starts_at", "status"]
    list_filter = ["status", "programme"]
    fields = ["programme", "cycle", "title", "starts_at", "place", "video_link", "status", "quorum_fraction",
              "require_co_chair"]
    readonly_fields = ["status"]
    inlines = [AgendaItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
                    "votes_abstain", "members_present", "quorum_required"]
    list_select_related = ["proposal", "meeting"]


@admin.register(DecisionLetter)
class DecisionLetterAdmin(ReadOnlyAdmin):
    list_display = ["decision", "status", "approved_by", "sent_at"]


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
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
        return super().has_change_permission(request, obj)
