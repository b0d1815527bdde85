from django.contrib import admin

from cooperation.models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "proposal", "partner_organisation", "support_amount_krw", "opened_at"]
    list_select_related = ["proposal", "partner_organisation"]
    search_fields = ["proposal__reference", "proposal__title", "partner_organisation__name"]
    readonly_fields = ["proposal", "partner_organisation", "support_amount_krw", "opened_at", "opened_by"]

    def has_add_permission(self, request):
        # Projects open only when a committee approval is released (cooperation.receivers -> project_open).
        return False
