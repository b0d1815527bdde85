"""Public URLs of the open data: /projects/ (the register), /open-data/ (the downloads), /stats/ is in kcity."""

from django.urls import path

from opendata import views_downloads, views_iati, views_register, views_stats

app_name = "opendata"

urlpatterns = [
    path("projects/", views_register.project_register, name="projects"),
    path("projects/<int:pk>/", views_register.project_page, name="project"),
    path("projects/<int:pk>/documents/<int:document_pk>/", views_register.document_download, name="document"),
    path("open-data/", views_register.open_data, name="index"),
    path("open-data/projects.csv", views_downloads.projects_csv, name="projects-csv"),
    path("open-data/projects.json", views_downloads.projects_json, name="projects-json"),
    path("open-data/iati-activities.xml", views_iati.iati_activities, name="iati-activities"),
    path("open-data/stats.csv", views_stats.stats_csv, name="stats-csv"),
    path("open-data/stats.json", views_stats.stats_json, name="stats-json"),
]
