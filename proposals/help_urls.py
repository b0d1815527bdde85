from django.urls import path

from proposals.views.help import help_home, help_page

app_name = "help"

urlpatterns = [
    path("", help_home, name="index"),
    path("<slug:topic>/", help_page, name="page"),
]
