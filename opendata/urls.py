"""Public URLs of the open data: /projects/ (the register), /open-data/ (the downloads)."""

from django.urls import path

from opendata import views_iati, views_stats

app_name = "opendata"

urlpatterns = [
    path("open-data/iati-activities.xml", views_iati.iati_activities, name="iati-activities"),
    path("open-data/documents/<int:pk>/", views_iati.public_document, name="iati-document"),
    path("open-data/stats.csv", views_stats.stats_csv, name="stats-csv"),
    path("open-data/stats.json", views_stats.stats_json, name="stats-json"),
]
