"""Jobs started while the broker is away (CELERY_BROKER_URL at a closed port): every kind fails
at once with a Thai reason, the page says the job system is unavailable and leads back, nothing
stays queued for a worker that will never get it, and no uploaded file is left behind. And the
sweep fails queued jobs no worker took within JOBS_STALE_MINUTES."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ita_portal.celery import app
from jobs import runner
from jobs.models import Job
from measures.models import Measure

from .celery_worker import send_through
from .job_helpers import area_office, make_area
from .test_jobs import job_files, xlsx

CLOSED_PORT = "redis://127.0.0.1:1/0"
UNAVAILABLE = "ระบบประมวลผลงานไม่พร้อมใช้งานในขณะนี้ จึงยังไม่ได้เริ่มงาน"


@pytest.fixture
def broker_away(django_capture_on_commit_callbacks):
    """Celery sending to a broker at a closed port; `post` runs the request's commit callbacks
    (where jobs are sent) and follows the answer to its page."""
    saved = {name: app.conf[name] for name in ("task_always_eager", "broker_url")}
    # Connections and the producer pool are rebuilt from the closed port: one made by an earlier
    # test would still reach the real broker.
    send_through(app, task_always_eager=False, broker_url=CLOSED_PORT)
    try:
        def post(client, path, data=None):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(path, data or {})
            assert response.status_code == 302, response.status_code
            return response, client.get(response["Location"])

        yield post
    finally:
        send_through(app, **saved)


def assert_failed_at_once(kind, response, page):
    job = Job.objects.get(kind=kind)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.outcome) == (Job.State.FAILED, "unsendable") and job.finished_at
    html = page.content.decode()
    assert page.status_code == 200 and UNAVAILABLE in html and "กรุณาลองใหม่ภายหลัง" in html
    assert f'href="{reverse("jobs:list")}"' in html  # a way back
    assert not job.upload and job_files() == []
    return job


def test_the_area_zip(reference, broker_away):
    make_area(2)
    _user, office = area_office()
    response, page = broker_away(office, reverse("oversight:reports_zip"), {"year": 2568})
    assert_failed_at_once("area_reports", response, page)


def test_a_large_area_export(reference, settings, broker_away):
    settings.JOBS_EXPORT_MIN_ROWS = 1
    make_area(2)
    _user, office = area_office()
    response, page = broker_away(office, reverse("oversight:export"))
    assert_failed_at_once("area_xlsx", response, page)


def test_a_large_plan_export(client_for, assessment, broker_away):
    response, page = broker_away(client_for("org_admin"), reverse("reports:plan_xlsx", args=[assessment.pk]))
    assert_failed_at_once("plan_xlsx", response, page)


def test_an_import_preview_keeps_no_uploaded_file(client_for, assessment, settings, broker_away):
    settings.JOBS_IMPORT_MIN_BYTES = 0
    data = xlsx([["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"], ["", "ตัวชี้วัดที่ ๙", "แถวใหม่"]])
    response, page = broker_away(client_for("org_admin"), reverse("reports:import", args=[assessment.pk]),
                                 {"file": SimpleUploadedFile("plan.xlsx", data)})
    assert_failed_at_once("import_preview", response, page)
    assert not Measure.objects.exists()


def test_an_import_commit_writes_nothing(client_for, personas, assessment, broker_away):
    data = xlsx([["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"], ["", "ตัวชี้วัดที่ ๙", "แถวใหม่"]])
    preview = Job.objects.create(
        kind="import_preview", user=personas["org_admin"], organisation=assessment.organisation,
        assessment=assessment, state=Job.State.DONE, outcome="preview_done",
        outcome_params={"can_apply": True, "versions": ""},
        upload=default_storage.save("jobs/uploads/plan.xlsx", SimpleUploadedFile("plan.xlsx", data)),
    )
    response, page = broker_away(client_for("org_admin"), reverse("reports:import_job_confirm", args=[preview.pk]))
    assert_failed_at_once("import_commit", response, page)
    assert not Measure.objects.exists()


def test_the_sweep_fails_queued_jobs_no_worker_took_within_the_stale_minutes(personas, org, settings):
    settings.JOBS_STALE_MINUTES = 15

    def queued(minutes_ago):
        return Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org,
                                  created_at=timezone.now() - timedelta(minutes=minutes_ago))

    untaken, waiting = queued(16), queued(14)
    assert runner.sweep()["never_started"] == 1
    untaken.refresh_from_db()
    waiting.refresh_from_db()
    assert (untaken.state, waiting.state) == (Job.State.FAILED, Job.State.QUEUED)
    assert untaken.message.startswith("ไม่มีเครื่องประมวลผลงานรับงานนี้ภายใน 15 นาที")
