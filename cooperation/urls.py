from cooperation.views import finance, meetings, projects, reports, results, workplan

app_name = "cooperation"

urlpatterns = (projects.urlpatterns + workplan.urlpatterns + results.urlpatterns + reports.urlpatterns
               + meetings.urlpatterns + finance.urlpatterns)
