from django.contrib import admin
from django.urls import include, path


from . import views

# Uploaded evidence is never served from MEDIA_URL: only through views that check who may read it.
urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("plan/", include("measures.urls")),
    path("oversight/", include("oversight.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("reports/", include("reports.urls")),
    path("public/", include("reports.public_urls")),
    path("public/", include("oit.public_urls")),
    path("oit/", include("oit.urls")),
    path("jobs/", include("jobs.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("assessments.urls")),
]
