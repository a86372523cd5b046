"""Every kind of job on a real Celery worker and Redis (not eager): started through its page,
progress seen moving to 100 %, the file downloadable only by the right people; a cancel and a
killed worker process mid-job. See celery_worker.py for the worker and when these are skipped."""

import io
import os
import signal
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from measures.models import Measure

from .celery_worker import wait_for_job
from .conftest import make_measure
from .job_helpers import area_office, make_area
from .test_jobs import job_files, xlsx

# The worker's media folder lasts the whole run: a test compares its files before and after.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def content(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    return b"".join(response.streaming_content)


def organisation_answers(client_for, url):
    """What each persona of the organisation (and around it) gets for an organisation's job."""
    _user, office = area_office("another_office")
    clients = {name: client_for(name) for name in ("anonymous", "staff", "executive", "outsider")}
    answers = {name: client.get(url).status_code for name, client in clients.items()}
    answers["area_office"] = office.get(url).status_code
    return answers


ORGANISATION_REFUSALS = {"anonymous": 302, "staff": 403, "executive": 403, "outsider": 404, "area_office": 404}


def test_an_area_reports_zip_moves_step_by_step_to_done_and_only_its_office_downloads_it(
        worker, reference, client_for, personas):
    organisations = make_area(3)
    _user, office = area_office()
    response = office.post(reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    seen = wait_for_job(job)
    assert job.state == Job.State.DONE, worker.log_tail()
    assert seen[-1] == (Job.State.DONE, 3, 3) and job.percent == 100
    steps = [done for state, done, total in seen if state == Job.State.RUNNING and total == 3]
    assert steps == sorted(steps) and {0, 1, 2} <= set(steps)  # seen moving one report at a time
    assert job.worker.startswith(worker.queue)

    archive = zipfile.ZipFile(io.BytesIO(content(office.get(reverse("jobs:download", args=[job.pk])))))
    assert len(archive.namelist()) == 3 and all(archive.read(n).startswith(b"%PDF-") for n in archive.namelist())
    assert {name.split("-")[0] for name in archive.namelist()} == {str(o.pk) for o in organisations}
    _other, other_office = area_office("another_office")
    url = reverse("jobs:download", args=[job.pk])
    assert other_office.get(url).status_code == 404
    assert {name: client_for(name).get(url).status_code for name in ("org_admin", "outsider")} == {
        "org_admin": 404, "outsider": 404}


def test_an_area_export_job_reaches_100_percent_on_the_worker(worker, without_personas, settings):
    settings.JOBS_EXPORT_MIN_ROWS = 1
    make_area(2)
    _user, office = area_office()
    office.post(reverse("oversight:export") + "?sort=name")
    job = Job.objects.get()
    seen = wait_for_job(job)
    assert job.state == Job.State.DONE, worker.log_tail()
    assert seen[-1] == (Job.State.DONE, 2, 2)
    sheet = load_workbook(io.BytesIO(content(office.get(reverse("jobs:download", args=[job.pk]))))).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "องค์การบริหารส่วนตำบลพื้นที่ 01", "องค์การบริหารส่วนตำบลพื้นที่ 02"]


def test_a_plan_export_job_reaches_100_percent_and_downloads_for_its_admins_only(
        worker, client_for, assessment, palad):
    make_measure(assessment, [palad], activity="มาตรการจากงาน")
    client_for("org_admin").post(reverse("reports:plan_xlsx", args=[assessment.pk]))
    job = Job.objects.get()
    seen = wait_for_job(job)
    assert job.state == Job.State.DONE, worker.log_tail()
    assert seen[-1] == (Job.State.DONE, 1, 1) and job.percent == 100
    url = reverse("jobs:download", args=[job.pk])
    sheet = load_workbook(io.BytesIO(content(client_for("org_admin").get(url)))).worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["มาตรการจากงาน"]
    assert organisation_answers(client_for, url) == ORGANISATION_REFUSALS


def test_an_import_is_previewed_and_committed_by_jobs_on_the_worker(worker, client_for, assessment, palad, settings):
    files_before = job_files()
    settings.JOBS_IMPORT_MIN_BYTES = 0
    existing = make_measure(assessment, [palad], activity="แถวเดิม")
    data = xlsx([["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"],
                 [existing.pk, existing.indicator_label, "แถวเดิมที่แก้"], ["", "ตัวชี้วัดที่ ๙", "แถวใหม่"]])
    admin = client_for("org_admin")
    admin.post(reverse("reports:import", args=[assessment.pk]), {"file": SimpleUploadedFile("p.xlsx", data)})
    preview = Job.objects.get()
    wait_for_job(preview)
    assert (preview.state, preview.percent) == (Job.State.DONE, 100), worker.log_tail()
    assert "แถวใหม่" in preview.report_html and "แถวเดิมที่แก้" in preview.report_html
    page = admin.get(reverse("jobs:detail", args=[preview.pk]))
    assert reverse("reports:import_job_confirm", args=[preview.pk]) in page.content.decode()
    assert organisation_answers(client_for, reverse("jobs:detail", args=[preview.pk])) == ORGANISATION_REFUSALS

    admin.post(reverse("reports:import_job_confirm", args=[preview.pk]))
    commit = Job.objects.exclude(pk=preview.pk).get()
    seen = wait_for_job(commit)
    assert commit.state == Job.State.DONE, worker.log_tail()
    assert seen[-1] == (Job.State.DONE, 2, 2) and commit.message == "นำเข้าแผนแล้ว: เพิ่ม 1 แถว แก้ไข 1 แถว"
    assert sorted(Measure.objects.values_list("activity", flat=True)) == ["แถวเดิมที่แก้", "แถวใหม่"]
    assert job_files() == files_before  # the uploaded file went with the commit


def test_a_cancel_stops_the_running_zip_at_its_next_step_and_keeps_no_file(worker, reference):
    files_before = job_files()
    make_area(4)
    _user, office = area_office()
    office.post(reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    wait_for_job(job, until=lambda j: j.state == Job.State.RUNNING and j.done >= 1)
    office.post(reverse("jobs:cancel", args=[job.pk]))
    wait_for_job(job)
    assert job.state == Job.State.CANCELLED, worker.log_tail()
    assert job.done < 4 and not job.result and job_files() == files_before
    assert office.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_worker_process_killed_mid_job_leaves_the_job_failed_not_running(worker, reference):
    files_before = job_files()
    make_area(4)
    _user, office = area_office()
    office.post(reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    wait_for_job(job, until=lambda j: j.state == Job.State.RUNNING and j.done >= 1)
    os.kill(int(job.worker.rsplit(":", 1)[1]), signal.SIGKILL)
    # The worker's main process marks the job failed, then deletes its part file: until both
    # are done (a test reading between the two saw the file, on a busy machine).
    wait_for_job(job, until=lambda j: j.is_finished and not j.part_path().exists())
    assert job.state == Job.State.FAILED, worker.log_tail()
    assert job.message.startswith("งานหยุดกลางคันเพราะเครื่องประมวลผลงานหยุดทำงาน")
    assert not job.result and job_files() == files_before
