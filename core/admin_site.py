"""The portal's admin site: Django's own, building the sidebar's app list only on a page that shows it.

Django's each_context builds the app list (every registered model's permission checks, names and addresses) for
every admin page, while only the navigation sidebar reads it: the index and the proposal list leave the sidebar
out and paid for it anyway. Here it is built the first time a template reads it, once per request, as before.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class PortalAdminSite(admin.AdminSite):
    def each_context(self, request):
        # Django 5.2's each_context, word for word, but for the lazy app list.
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the site above as `admin.site` (INSTALLED_APPS names this instead)."""

    default_site = "core.admin_site.PortalAdminSite"
