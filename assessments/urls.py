from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/<int:year>/", views.assessment_new, name="assessment_new"),
    path("assessments/preview/<int:year>/", views.assessment_preview, name="assessment_preview"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/findings/", views.findings, name="assessment_findings"),
    path("assessments/<int:pk>/findings/paste/", views.analysis_paste, name="analysis_paste"),
    path("assessments/<int:pk>/findings/add/<int:number>/", views.finding_add, name="finding_add"),
    path("assessments/<int:pk>/findings/<int:finding_pk>/", views.finding_edit, name="finding_edit"),
    path("assessments/<int:pk>/findings/<int:finding_pk>/delete/", views.finding_delete, name="finding_delete"),
    path("assessments/<int:pk>/check/", views.check, name="assessment_check"),
    path("assessments/<int:pk>/check/review/", views.check_review, name="check_review"),
    path("assessments/<int:pk>/check/unreview/", views.check_unreview, name="check_unreview"),
]
