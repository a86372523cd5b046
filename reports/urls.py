from django.urls import path

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
    path("<int:pk>/import/", views.import_plan, name="import"),
    path("<int:pk>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
