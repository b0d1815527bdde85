"""The cooperation projects in the back office: shown, with only their conditions kept by staff (project_save);
a project is opened by the committee's released approval and never added or deleted here."""

from django.contrib import admin

from cooperation.models import Project
from cooperation.services import project_save
from core.admin import ServiceWriteAdmin, service_call


@admin.register(Project)
class ProjectAdmin(ServiceWriteAdmin):
    list_display = ["id", "proposal", "partner_organisation", "support_amount_krw", "opened_at"]
    list_select_related = ["proposal", "partner_organisation"]
    search_fields = ["proposal__reference", "proposal__title", "partner_organisation__name"]
    fields = ["proposal", "iati_identifier", "partner_organisation", "support_amount_krw", "activity_status",
              "conditions", "opened_at", "opened_by"]
    readonly_fields = ["proposal", "iati_identifier", "partner_organisation", "support_amount_krw", "activity_status",
                       "opened_at", "opened_by"]

    def has_add_permission(self, request):
        # Projects open only when a committee approval is released (cooperation.receivers -> project_open).
        return False

    def has_delete_permission(self, request, obj=None):
        # The approved proposal would be left without its project, and nothing would open it again.
        return False

    def save_model(self, request, obj, form, change):
        service_call(project_save, project=obj, by=request.user, changed=form.changed_data)
