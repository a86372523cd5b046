from django.urls import path

from . import views
from .models import PlanEvent

app_name = "measures"

urlpatterns = [
    path("", views.plan_current, name="current"),
    path("start/", views.start_year, name="start_year"),
    path("draft/<int:pk>/", views.draft, name="draft"),
    path("<int:year>/", views.plan, name="plan"),
    path("<int:year>/add/", views.add, name="add"),
    # The steps of the plan's cycle: one view, one URL (and name) per step.
    path("<int:year>/submit/", views.plan_step, {"kind": PlanEvent.Kind.SUBMITTED}, name="plan_submit"),
    path("<int:year>/send-back/", views.plan_step, {"kind": PlanEvent.Kind.RETURNED}, name="plan_return"),
    path("<int:year>/approve/", views.plan_step, {"kind": PlanEvent.Kind.APPROVED}, name="plan_approve"),
    path("<int:year>/reported/", views.plan_step, {"kind": PlanEvent.Kind.REPORTED}, name="plan_report"),
    path("<int:year>/reopen/", views.plan_step, {"kind": PlanEvent.Kind.REOPENED}, name="plan_reopen"),
    path("measure/<int:pk>/", views.detail, name="detail"),
    path("measure/<int:pk>/row/", views.row, name="row"),
    path("measure/<int:pk>/edit/", views.edit, name="edit"),
    path("measure/<int:pk>/delete/", views.delete, name="delete"),
    path("measure/<int:pk>/move/", views.move, name="move"),
    path("measure/<int:pk>/history/", views.history, name="history"),
    path("measure/<int:pk>/notes/", views.add_note, name="add_note"),
    path("note/<int:pk>/file/", views.evidence_file, name="evidence"),
    path("note/<int:pk>/delete/", views.delete_note, name="delete_note"),
    path("note/<int:pk>/file/delete/", views.delete_file, name="delete_file"),
    path("bin/", views.bin_page, name="bin"),
    path("bin/empty/", views.empty_bin, name="empty_bin"),
    path("bin/<str:kind>/<int:pk>/restore/", views.restore, name="restore"),
]
