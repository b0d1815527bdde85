from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment-download"),
]
