from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.area, name="area"),
    path("export.xlsx", views.area_export, name="export"),
    path("reports.zip", views.area_reports, name="reports_zip"),
    path("import/", views.results_import, name="import"),
]
