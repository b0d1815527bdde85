"""Public URLs of the open data: /projects/ (the register), /open-data/ (the downloads)."""

app_name = "opendata"

urlpatterns = []
