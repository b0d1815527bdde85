"""`/api/v1/`: one router; each app registers its viewsets in its own api.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import TokenObtainView
from proposals.api import register as register_proposals

router = DefaultRouter()
register_proposals(router)

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
