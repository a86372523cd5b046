"""Production settings and the headers every page carries: the deploy check is clean, secrets
come only from the environment, the Content-Security-Policy forbids inline code, and refusals
and errors are Thai pages, never Django's bare English ones."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import path, reverse

from measures.models import ProgressNote

from .bad_input import make_corpus
from .conftest import make_measure

ROOT = Path(__file__).resolve().parents[1]
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def production_env(**overrides):
    """The environment of deploy/ita-portal.env.example, without any secret of this machine."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' (tests/browser/conftest.py), never production's.
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="ita.example.go.th",
        CSRF_TRUSTED_ORIGINS="https://ita.example.go.th", BEHIND_TLS_PROXY="true",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def policy_of(response):
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def test_the_deploy_check_is_clean_with_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_portal_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run(["manage.py", "check"], production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_settings_secure_cookies_hsts_ssl_and_frames():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.X_FRAME_OPTIONS, s.SECURE_PROXY_SSL_HEADER, s.AXES_CLIENT_IP_CALLABLE)"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="ita_portal.settings")
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "True True True 31536000 True DENY ('HTTP_X_FORWARDED_PROTO', 'https') lib.http.client_ip"
    )


def test_without_the_proxy_nothing_trusts_forwarded_headers():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.AXES_CLIENT_IP_CALLABLE)"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="ita_portal.settings", BEHIND_TLS_PROXY="false")
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "None None"


@pytest.mark.parametrize("path", ["/accounts/login/", "/plan/", "/no-such-page/", "/healthz/"])
def test_every_response_carries_the_strict_content_security_policy(path, client_for):
    response = client_for("staff").get(path, follow=True)
    assert policy_of(response) == POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_base_page_keeps_htmx_from_injecting_its_inline_style(client, db):
    html = client.get(reverse("login")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in html
    assert "<style" not in html and 'style="' not in html


def test_a_refusal_is_a_thai_403_page_with_its_reason(client_for, assessment):
    response = client_for("staff").get(reverse("reports:ita_pdf", args=[assessment.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "ไม่มีสิทธิ์" in html and "เฉพาะผู้ดูแลระบบเท่านั้น" in html


def test_a_missing_page_is_a_thai_404_page(client_for, db):
    response = client_for("staff").get("/plan/measure/999999/")
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in response.content.decode()


def test_a_form_without_its_csrf_token_is_refused_with_a_thai_page_and_no_inline_style(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in html and "<style" not in html


class BrokenUrls:
    """A URLconf with one view that fails, for the 500 page."""

    @staticmethod
    def broken(request):
        raise RuntimeError("a defect")

    urlpatterns = [path("broken/", broken)]


def test_a_server_error_is_a_thai_500_page_that_needs_no_database(client, db, settings):
    settings.ROOT_URLCONF = BrokenUrls
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in response.content.decode() and "a defect" not in response.content.decode()


@pytest.fixture
def stored_evidence(client_for, assessment, palad):
    row = make_measure(assessment, [palad])
    pdf = make_corpus.PDF
    client_for("staff").post(reverse("measures:add_note", args=[row.pk]), {
        "date": "2026-02-01", "text": "หลักฐาน", "file": SimpleUploadedFile("report.pdf", pdf)})
    return ProgressNote.objects.get(measure=row)


def test_uploaded_files_are_never_served_from_the_media_url(stored_evidence, client_for, settings):
    """Evidence is read only through the view that checks the reader's right to the row."""
    for who in ("anonymous", "staff", "org_admin"):
        response = client_for(who).get(f"/{settings.MEDIA_URL}{stored_evidence.file.name}")
        assert response.status_code == 404


@pytest.mark.parametrize("name, args, persona", [
    ("measures:evidence", lambda a, n: [n.pk], "executive"),
    ("reports:plan_xlsx", lambda a, n: [a.pk], "org_admin"),
    ("reports:ita_pdf", lambda a, n: [a.pk], "org_admin"),
    ("reports:data", lambda a, n: [a.pk, "plan", "csv"], "staff"),
    ("reports:data", lambda a, n: [a.pk, "scores", "json"], "staff"),
])
def test_every_download_is_an_attachment_the_browser_may_not_sniff(name, args, persona, client_for, assessment,
                                                                   stored_evidence):
    response = client_for(persona).get(reverse(name, args=args(assessment, stored_evidence)))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    if response.streaming:
        b"".join(response.streaming_content)
