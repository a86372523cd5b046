from django.urls import path

from . import views

app_name = "onboarding"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_add, name="add"),
    path("import/", views.import_file, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("<int:pk>/", views.organisation_detail, name="organisation"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/admins/<int:member>/resend/", views.admin_resend, name="resend"),
]
