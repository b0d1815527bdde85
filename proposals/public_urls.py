from django.urls import path

from proposals import public_views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("stats/", public_views.stats, name="stats"),
]
