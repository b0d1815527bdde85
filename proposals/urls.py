from django.urls import path

from core import converters  # noqa: F401  (registers <token:...>)
from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("new/", views.proposal_start, name="start"),
    path("invitations/<token:token>/", views.invitation_accept, name="invitation-accept"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, {"step": "basics"}, name="edit-start"),
    path("<int:pk>/edit/<slug:step>/", views.edit, name="edit"),
    path("<int:pk>/autosave/<slug:step>/", views.autosave, name="autosave"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/proposal.pdf", views.proposal_pdf_download, name="pdf"),
    path("<int:pk>/messages/", views.message_create, name="message-create"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/invitations/", views.invite, name="invite"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment-download"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment-delete"),
]
