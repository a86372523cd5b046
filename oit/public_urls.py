"""The public OIT page: no sign-in, under /public/ beside the public results page."""

from django.urls import path

from . import views

app_name = "oit_public"
urlpatterns = [
    path("<int:organisation>/<int:year>/oit/", views.public_page, name="page"),
    path("<int:organisation>/<int:year>/oit/file/<int:pk>/", views.public_file, name="file"),
]
