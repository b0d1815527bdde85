from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import redirects
from kcity import site_views
from kcity.health import healthz
from opendata import views_stats

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", redirects.set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("notices/", include("notifications.urls")),
    path("proposals/staff/", include("proposals.staff_urls")),
    path("proposals/", include("proposals.urls")),
    path("help/", include("proposals.help_urls")),
    path("consulting/", include("consulting.urls")),
    path("committee/", include("committee.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("api/v1/", include("kcity.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script as a file (?script), so the Content-Security-Policy needs no inline.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
         name="api-docs"),
    path("", include("opendata.urls")),
    path("stats/", views_stats.stats, name="stats"),
    path("", site_views.home, name="home"),
]

admin.site.site_header = _("K-City Network back office")
admin.site.site_title = _("K-City Network")
admin.site.index_title = _("Proposals, consulting and committee")

# Under /api/ a 403, 404 or 500 is JSON like every other API answer; elsewhere the portal's pages (core.api).
handler403 = "core.api.handler403"
handler404 = "core.api.handler404"
handler500 = "core.api.handler500"
