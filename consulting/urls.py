app_name = "consulting"

urlpatterns: list = []
