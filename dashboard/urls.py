from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="latest"),
    path("<int:pk>/", views.dashboard, name="year"),
    path("<int:pk>/indicators/<int:number>/", views.indicator, name="indicator"),
    path("<int:pk>/what-if/", views.what_if, name="what_if"),
    path("compare/", views.compare, name="compare"),
    path("waiting/", views.waiting, name="waiting"),
]
