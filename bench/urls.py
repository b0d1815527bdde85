"""The portal's URLs, and the bare view at /bench/bare (only when served with bench.settings)."""

from django.urls import path

from bench.views import bare
from kcity.urls import handler404, handler500
from kcity.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/bare", bare, name="bench-bare"), *portal_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
