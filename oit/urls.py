from django.urls import path

from . import views

app_name = "oit"
urlpatterns = [
    path("", views.current, name="current"),
    path("<int:year>/", views.workspace, name="workspace"),
    path("<int:year>/start/", views.start, name="start"),
    path("<int:year>/settings/", views.workspace_settings, name="settings"),
    path("<int:year>/oit.xlsx", views.export, name="export"),
    path("<int:year>/check-links/", views.check_links, name="check_links"),
    path("<int:year>/import/", views.import_checklist, name="import"),
    path("<int:year>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("item/<int:pk>/", views.item, name="item"),
    path("item/<int:pk>/assign/", views.assign, name="assign"),
    path("item/<int:pk>/status/", views.item_status, name="status"),
    path("item/<int:pk>/links/", views.link_add, name="link_add"),
    path("item/<int:pk>/files/", views.file_add, name="file_add"),
    path("item/<int:pk>/review/", views.review, name="review"),
    path("link/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("file/<int:pk>/", views.file_download, name="file"),
    path("file/<int:pk>/delete/", views.file_delete, name="file_delete"),
]
