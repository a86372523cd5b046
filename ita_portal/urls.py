from django.contrib import admin
from django.urls import include, path

from measures import views as plan_views

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
    path("jobs/", include("jobs.urls")),
    path("audit/", include("audit.urls")),
    # Drafts of next year's plan from an assessment's findings: measures' page, at the address it
    # has always had among the assessment's pages.
    path("assessments/<int:pk>/draft/", plan_views.draft, name="assessment_draft"),
    path("", include("assessments.urls")),
]
