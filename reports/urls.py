from django.urls import path

from measures import views as plan_views

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/ita/", views.ita_print, name="ita"),
    path("<int:pk>/ita.pdf", views.ita_pdf, name="ita_pdf"),
    path("<int:pk>/progress/", views.progress_print, name="progress"),
    path("<int:pk>/progress.pdf", views.progress_pdf, name="progress_pdf"),
    path("<int:pk>/plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/data/<slug:dataset>.<slug:fmt>", views.data, name="data"),
    # The plan's import is measures' (measures/imports.py); its pages sit with the reports they
    # start from, at the addresses they always had.
    path("<int:pk>/import/", plan_views.import_plan, name="import"),
    path("<int:pk>/import/confirm/", plan_views.import_confirm, name="import_confirm"),
    path("job/<int:pk>/confirm-import/", plan_views.import_job_confirm, name="import_job_confirm"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
