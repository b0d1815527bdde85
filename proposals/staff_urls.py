from django.urls import path

from proposals import staff_views

app_name = "proposals_staff"

urlpatterns = [
    path("dashboard/", staff_views.dashboard, name="dashboard"),
    path("inbox/", staff_views.inbox, name="inbox"),
]
