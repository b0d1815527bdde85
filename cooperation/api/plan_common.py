"""What the work plan, results and budget endpoints share: the permission (cooperation.rules names, their own
refusal words) and the `?project=` filter. Querysets come from selectors built on projects_visible_to, so another
party's object is a 404."""

from rest_framework import permissions

from cooperation.rules import REFUSALS
from core.api import RulePermission


class PlanPermission(RulePermission):
    # Signed in, then the action's rule by name (staff-only actions ask cooperation.manage_project before the body
    # is read); state-dependent refusals come from the services (400 transition_refused), who-refusals 403.
    refusals = REFUSALS

    def has_permission(self, request, view):
        return permissions.IsAuthenticated().has_permission(request, view) and super().has_permission(request, view)


class ProjectFilterMixin:
    project_lookup = "project_id"

    def filter_project(self, queryset):
        value = self.request.query_params.get("project", "")
        if value:
            if not value.isdigit():
                return queryset.none()
            queryset = queryset.filter(**{self.project_lookup: int(value)})
        return queryset
