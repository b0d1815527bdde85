from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("organisation/new/", views.organisation_create, name="organisation-create"),
    path("settings/", views.profile, name="profile"),
]
