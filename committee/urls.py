from django.urls import path

from committee import letter_views, views

app_name = "committee"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/declare/", views.declare, name="declare"),
    path("proposals/<int:pk>/review/", views.review, name="review"),
    path("proposals/<int:pk>/reviewers/", views.assign, name="assign"),
    path("agenda/<int:item_pk>/vote/", views.vote, name="vote"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_invitation, name="meeting-ics"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes_download, name="minutes-pdf"),
    path("proposals/<int:proposal_pk>/decision-letter.pdf", letter_views.decision_letter_pdf,
         name="decision-letter-pdf"),
    path("letters/", views.letters, name="letters"),
    path("letters/<int:pk>/", views.letter, name="letter"),
]
