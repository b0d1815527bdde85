"""`/api/v1/`: one router; each app registers its viewsets in its own api.py."""

from django.urls import include, path

from accounts.api import TokenObtainView
from committee.api import register as register_committee
from consulting.api import register as register_consulting
from cooperation.api import register as register_cooperation
from kcity.api_routing import IdRouter
from opendata.api import register as register_opendata
from proposals.api import register as register_proposals

router = IdRouter()
register_proposals(router)  # the applicant and the staff proposals API
register_consulting(router)
register_committee(router)
register_cooperation(router)  # /api/v1/cooperation/...
register_opendata(router)  # /api/v1/open-data/... (public, no token)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
