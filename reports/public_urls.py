"""The public pages: no sign-in, under /public/, outside the `reports` namespace's /reports/."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("<int:organisation>/<int:year>/", views.public_page, name="page"),
    path("<int:organisation>/<int:year>/<slug:dataset>.<slug:fmt>", views.public_data, name="data"),
]
