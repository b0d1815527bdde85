"""Public URLs of the open data: /projects/ (the register), /open-data/ (the downloads)."""

from django.urls import path

from opendata import views_stats

app_name = "opendata"

urlpatterns = [
    path("open-data/stats.csv", views_stats.stats_csv, name="stats-csv"),
    path("open-data/stats.json", views_stats.stats_json, name="stats-json"),
]
