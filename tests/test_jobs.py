"""Jobs without a broker (eager, in-process): what each kind produces, who gets its file, and
what a failure, a cancel, a dead worker and the 7-day expiry leave behind.

The same jobs on a real Celery worker and Redis are in test_jobs_worker.py."""

import io
import os
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from billiard.exceptions import WorkerLostError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.models import Membership
from audit.models import Entry
from jobs import runner, tasks
from jobs.models import Job
from measures import imports
from measures.models import Measure
from oversight import jobs as area_jobs

from .conftest import make_measure, make_user
from .job_helpers import area_office, make_area
from .test_atomic import fail_on_call, plan_snapshot

BASE_DIR = Path(__file__).resolve().parents[1]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def job_files():
    """Every file under MEDIA_ROOT/jobs (results, uploads and part files)."""
    folder = Path(default_storage.location) / "jobs"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run the jobs a request starts, as Celery does without a broker (after the commit)."""

    def post(client, path, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return post


def test_without_a_broker_jobs_run_eagerly_and_with_one_they_are_sent():
    """The settings read CELERY_BROKER_URL: unset (a fresh checkout, `make run`) means eager."""
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"} | {
        "DJANGO_SETTINGS_MODULE": "ita_portal.settings"}
    command = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    eager = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True, check=True)
    sent = subprocess.run(command, env=env | {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}, cwd=BASE_DIR,
                          capture_output=True, text=True, check=True)
    assert (eager.stdout.strip(), sent.stdout.strip()) == ("True", "False")


def test_a_plan_export_job_completes_in_the_request_and_its_file_is_the_plan(client_for, assessment, palad, run_jobs):
    make_measure(assessment, [palad], activity="=1+1")
    make_measure(assessment, [palad], activity="มาตรการที่สอง")
    response = run_jobs(client_for("org_admin"), reverse("reports:plan_xlsx", args=[assessment.pk]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.done, job.total, job.percent) == (Job.State.DONE, 1, 1, 100)
    assert job.message == "ส่งออกแล้ว 2 แถว"
    page = client_for("org_admin").get(response["Location"]).content.decode()
    assert 'value="1"' in page and "100%" in page and 'hx-trigger="every 1s"' not in page  # no more polling

    download = client_for("org_admin").get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="plan-{assessment.organisation_id}-2568.xlsx"'
    assert download["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["'=1+1", "มาตรการที่สอง"]
    # The file has a random name of its own, not the download's name.
    assert job.result.name.startswith("jobs/") and "plan" not in job.result.name


def test_a_plan_above_the_limit_is_offered_as_a_job_and_below_it_downloads(client_for, assessment, palad, settings):
    settings.JOBS_EXPORT_MIN_ROWS = 2
    admin = client_for("org_admin")
    url = reverse("reports:plan_xlsx", args=[assessment.pk])
    for _ in range(2):
        make_measure(assessment, [palad])
    assert admin.get(url)["Content-Disposition"].startswith("attachment")
    make_measure(assessment, [palad])
    page = admin.get(url)
    assert page.status_code == 200 and "ไฟล์นี้มี 3 แถว มากกว่า 2 แถว" in page.content.decode()
    assert f'action="{url}"' in page.content.decode()
    assert not Job.objects.exists()  # a GET starts nothing


def test_a_large_oversight_export_is_offered_as_a_job_with_its_filters(reference, settings, run_jobs):
    settings.JOBS_EXPORT_MIN_ROWS = 1
    make_area(3)
    _user, office = area_office()
    page = office.get(reverse("oversight:export"), {"q": "พื้นที่ 0", "sort": "name"})
    assert "ไฟล์นี้มี 3 แถว มากกว่า 1 แถว" in page.content.decode()
    run_jobs(office, f"{reverse('oversight:export')}?{urlencode({'q': 'พื้นที่ 02'})}")
    job = Job.objects.get()
    assert (job.kind, job.state, job.province, job.percent) == ("area_xlsx", Job.State.DONE, "นครราชสีมา", 100)
    download = office.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["องค์การบริหารส่วนตำบลพื้นที่ 02"]


def test_the_area_zip_holds_every_report_of_the_year_and_names_those_without(without_personas, run_jobs):
    organisations = make_area(3)
    organisations[2].assessments.update(fiscal_year_id=2567)
    _user, office = area_office()
    response = run_jobs(office, reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.done, job.total) == (Job.State.DONE, 2, 2)
    assert job.message == "รวมรายงาน 2 ฉบับแล้ว (หน่วยงานที่ไม่มีผลการประเมินปี 2568 จึงไม่มีในไฟล์: 1 แห่ง)"
    download = office.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="ita-reports-2568.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == [
        f"{organisations[0].pk}-องค์การบริหารส่วนตำบลพื้นที่ 01-2568.pdf",
        f"{organisations[1].pk}-องค์การบริหารส่วนตำบลพื้นที่ 02-2568.pdf",
    ]
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())


def test_the_area_zip_covers_the_organisations_the_filters_show(reference, run_jobs):
    organisations = make_area(3)
    _user, office = area_office()
    run_jobs(office, f"{reverse('oversight:reports_zip')}?{urlencode({'q': 'พื้นที่ 03'})}", {"year": 2568})
    job = Job.objects.get()
    archive = zipfile.ZipFile(job.result.open("rb"))
    assert archive.namelist() == [f"{organisations[2].pk}-องค์การบริหารส่วนตำบลพื้นที่ 03-2568.pdf"]
    assert job.message == "รวมรายงาน 1 ฉบับแล้ว"


def test_an_area_without_reports_that_year_fails_with_what_to_do(reference, run_jobs):
    make_area(1)
    _user, office = area_office()
    run_jobs(office, reverse("oversight:reports_zip"), {"year": 2560})
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert "ไม่มีหน่วยงานที่เลือกซึ่งมีผลการประเมินปี 2560" in job.message and "เลือกปีอื่น" in job.message
    assert job_files() == []


def test_a_zip_year_outside_the_range_is_refused_in_thai(reference):
    _user, office = area_office()
    response = office.post(reverse("oversight:reports_zip"), {"year": "สองพัน"}, follow=True)
    assert "เลือกปีงบประมาณ (พ.ศ. 2500 ถึง 2700)" in response.content.decode()
    assert not Job.objects.exists()


def test_a_large_import_is_previewed_by_a_job_exactly_as_the_page_shows_it_then_committed(
        client_for, assessment, palad, settings, run_jobs):
    existing = make_measure(assessment, [palad], activity="แถวเดิม")
    data = xlsx([["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"],
                 [existing.pk, existing.indicator_label, "แถวเดิมที่แก้"],
                 ["", "ตัวชี้วัดที่ ๙", "แถวใหม่"]])
    admin = client_for("org_admin")
    url = reverse("reports:import", args=[assessment.pk])
    page = admin.post(url, {"file": SimpleUploadedFile("plan.xlsx", data)}).content.decode()

    settings.JOBS_IMPORT_MIN_BYTES = len(data) - 1
    response = run_jobs(admin, url, {"file": SimpleUploadedFile("plan.xlsx", data)})
    preview = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[preview.pk])
    assert (preview.kind, preview.state, preview.percent) == ("import_preview", Job.State.DONE, 100)
    assert preview.report_html.strip() and preview.report_html.strip() in page
    assert preview.message == "ตรวจสอบไฟล์แล้ว: เพิ่ม 1 แถว · แก้ไข 1 แถว · ไม่เปลี่ยน 0 แถว · ข้อผิดพลาด 0 รายการ"
    assert Measure.objects.get().activity == "แถวเดิม"  # a preview writes nothing
    job_page = admin.get(response["Location"]).content.decode()
    assert reverse("reports:import_job_confirm", args=[preview.pk]) in job_page and "แถวใหม่" in job_page

    response = run_jobs(admin, reverse("reports:import_job_confirm", args=[preview.pk]))
    commit = Job.objects.exclude(pk=preview.pk).get()
    assert response["Location"] == reverse("jobs:detail", args=[commit.pk])
    assert (commit.kind, commit.state, commit.done, commit.total) == ("import_commit", Job.State.DONE, 2, 2)
    assert commit.message == "นำเข้าแผนแล้ว: เพิ่ม 1 แถว แก้ไข 1 แถว"
    assert sorted(Measure.objects.values_list("activity", flat=True)) == ["แถวเดิมที่แก้", "แถวใหม่"]
    assert Measure.history.filter(history_change_reason="นำเข้าจากไฟล์ Excel").count() == 2
    assert job_files() == []  # the uploaded file went with the commit

    # The confirmation is single-use.
    again = run_jobs(admin, reverse("reports:import_job_confirm", args=[preview.pk]))
    assert again["Location"] == reverse("reports:import", args=[assessment.pk])
    assert Job.objects.count() == 2


def test_a_file_with_errors_is_previewed_without_a_confirmation_and_not_kept(client_for, assessment, settings, run_jobs):
    settings.JOBS_IMPORT_MIN_BYTES = 0
    data = xlsx([["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"], [999999, "ตัวชี้วัดที่ ๙", "ไม่มีแถวนี้"]])
    admin = client_for("org_admin")
    run_jobs(admin, reverse("reports:import", args=[assessment.pk]), {"file": SimpleUploadedFile("p.xlsx", data)})
    preview = Job.objects.get()
    assert preview.state == Job.State.DONE and "รหัส 999999 ไม่ใช่มาตรการในแผนนี้" in preview.report_html
    page = admin.get(reverse("jobs:detail", args=[preview.pk])).content.decode()
    assert reverse("reports:import_job_confirm", args=[preview.pk]) not in page
    assert job_files() == []


@pytest.fixture
def previewed(client_for, assessment, palad, settings, run_jobs):
    """(preview job, admin client, plan rows) for a file that changes two rows and adds four."""
    existing = [make_measure(assessment, [palad], activity=f"แถวเดิม {n}", position=n) for n in (1, 2)]
    rows = [["รหัส", "ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม"]]
    rows += [[m.pk, m.indicator_label, f"แก้แถวเดิม {m.pk}"] for m in existing]
    rows += [["", "ตัวชี้วัดที่ ๙", f"แถวใหม่ {n}"] for n in range(1, 5)]
    settings.JOBS_IMPORT_MIN_BYTES = 0
    admin = client_for("org_admin")
    run_jobs(admin, reverse("reports:import", args=[assessment.pk]), {"file": SimpleUploadedFile("p.xlsx", xlsx(rows))})
    return Job.objects.get(), admin, existing


def test_a_commit_job_that_fails_halfway_writes_nothing(previewed, run_jobs, monkeypatch):
    """New rows written two at a time; the second batch fails after the first was written."""
    preview, admin, _rows = previewed
    before = plan_snapshot()
    monkeypatch.setattr(imports, "BATCH", 2)
    calls = fail_on_call(monkeypatch, imports, "bulk_create_with_history", 2)
    run_jobs(admin, reverse("reports:import_job_confirm", args=[preview.pk]))
    commit = Job.objects.exclude(pk=preview.pk).get()
    assert len(calls) == 2
    assert commit.state == Job.State.FAILED
    assert commit.message.startswith("งานล้มเหลวเพราะเกิดข้อผิดพลาดที่ระบบไม่คาดไว้ ไม่มีข้อมูลใดถูกบันทึก")
    assert f"#{commit.pk}" in commit.message
    assert plan_snapshot() == before


def test_a_commit_after_the_plan_changed_is_refused_and_writes_nothing(previewed, run_jobs):
    preview, admin, rows = previewed
    rows[0].activity = "แก้ระหว่างรอ"
    rows[0].version += 1
    rows[0].save()
    before = plan_snapshot()
    run_jobs(admin, reverse("reports:import_job_confirm", args=[preview.pk]))
    commit = Job.objects.exclude(pk=preview.pk).get()
    assert commit.state == Job.State.FAILED
    assert commit.message == "แผนถูกแก้ไขหลังจากที่ตรวจสอบไฟล์ จึงยังไม่ได้บันทึกสิ่งใด กรุณาอัปโหลดไฟล์อีกครั้งเพื่อดูตัวอย่างใหม่"
    assert plan_snapshot() == before


def test_a_cancel_during_the_commit_rolls_the_import_back(previewed, run_jobs, monkeypatch):
    """The cancel arrives while the rows are being written: the job ends cancelled in the same
    transaction, so nothing of the import remains."""
    preview, admin, _rows = previewed
    before = plan_snapshot()
    real = imports.apply_plan

    def apply_then_click_cancel(*args):
        result = real(*args)
        Job.objects.filter(kind="import_commit").update(cancel_requested=True)
        return result

    monkeypatch.setattr(imports, "apply_plan", apply_then_click_cancel)
    run_jobs(admin, reverse("reports:import_job_confirm", args=[preview.pk]))
    commit = Job.objects.exclude(pk=preview.pk).get()
    assert commit.state == Job.State.CANCELLED and commit.message == "ยกเลิกงานแล้ว ไม่มีข้อมูลหรือไฟล์ใดถูกบันทึก"
    assert plan_snapshot() == before


def test_a_zip_that_fails_halfway_leaves_no_file(reference, run_jobs, monkeypatch):
    make_area(3)
    _user, office = area_office()
    calls = fail_on_call(monkeypatch, area_jobs, "ita_report_pdf", 2)
    run_jobs(office, reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    assert len(calls) == 2 and (job.state, job.done, job.total) == (Job.State.FAILED, 1, 3)
    assert not job.result and job_files() == []
    page = office.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "ลองสั่งงานใหม่อีกครั้ง" in page and reverse("jobs:download", args=[job.pk]) not in page
    assert office.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_running_job_stops_at_its_next_step_after_a_cancel_and_keeps_nothing(reference, run_jobs, monkeypatch):
    make_area(3)
    user, office = area_office()
    real = area_jobs.ita_report_pdf

    def render_then_click_cancel(*args, **kwargs):
        pdf = real(*args, **kwargs)
        job = Job.objects.get()
        if job.done == 0:  # while the first report is drawn, the user presses ยกเลิกงาน
            assert office.post(reverse("jobs:cancel", args=[job.pk])).status_code == 302
        return pdf

    monkeypatch.setattr(area_jobs, "ita_report_pdf", render_then_click_cancel)
    run_jobs(office, reverse("oversight:reports_zip"), {"year": 2568})
    job = Job.objects.get()
    assert (job.state, job.done, job.cancel_requested) == (Job.State.CANCELLED, 0, True)
    assert not job.result and job_files() == []


def test_a_queued_job_is_cancelled_at_once_never_runs_and_its_upload_is_deleted(client_for, personas, assessment):
    upload = default_storage.save("jobs/uploads/plan.xlsx", ContentFile(xlsx([["ตัวชี้วัด", "มาตรการ"]])))
    job = tasks.start_job(kind="import_preview", user=personas["org_admin"],
                          organisation=assessment.organisation, assessment=assessment, upload=upload)
    response = client_for("org_admin").post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert "ยกเลิกงานแล้ว" in response.content.decode()
    tasks.run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.started_at, job.result.name, job.upload.name) == (Job.State.CANCELLED, None, "", "")
    assert job_files() == []


def test_cancelling_a_finished_job_changes_nothing(client_for, assessment, run_jobs):
    run_jobs(client_for("org_admin"), reverse("reports:plan_xlsx", args=[assessment.pk]))
    job = Job.objects.get()
    response = client_for("org_admin").post(reverse("jobs:cancel", args=[job.pk]), follow=True)
    assert "งานนี้จบไปแล้ว จึงยกเลิกไม่ได้" in response.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and not job.cancel_requested


def test_the_page_polls_while_the_job_runs_and_stops_when_it_ends(client_for, assessment, personas):
    job = Job.objects.create(kind="area_reports", user=personas["org_admin"], organisation=assessment.organisation,
                             assessment=assessment, state=Job.State.RUNNING, done=2, total=5,
                             heartbeat_at=timezone.now())
    status = client_for("org_admin").get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in status and 'hx-trigger="every 1s"' in status
    assert '<progress class="job-bar" max="5" value="2"' in status and "40% (2 จาก 5 ขั้นตอน)" in status
    assert reverse("jobs:cancel", args=[job.pk]) in status
    assert "style=" not in status and "<script" not in status
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, outcome="lost")
    status = client_for("org_admin").get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in status and reverse("jobs:cancel", args=[job.pk]) not in status
    assert "งานหยุดกลางคันเพราะเครื่องประมวลผลงานหยุดทำงาน" in status


def _running(user, organisation, minutes_ago, **fields):
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    return Job.objects.create(kind="plan_xlsx", user=user, organisation=organisation, state=Job.State.RUNNING,
                              created_at=moment, started_at=moment, heartbeat_at=moment, **fields)


def test_the_sweep_fails_running_jobs_whose_worker_stopped_reporting(personas, org, settings):
    """JOBS_STALE_MINUTES = 15: a heartbeat 16 minutes old is a dead worker; 14 is a long step."""
    settings.JOBS_STALE_MINUTES = 15
    lost = _running(personas["org_admin"], org, 16)
    alive = _running(personas["org_admin"], org, 14)
    never = Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org,
                               created_at=timezone.now() - timedelta(hours=25))
    lost.part_path().parent.mkdir(parents=True, exist_ok=True)
    lost.part_path().write_bytes(b"half a zip")
    out = io.StringIO()
    call_command("sweep_jobs", stdout=out)
    assert "lost running jobs failed: 1, never started failed: 1" in out.getvalue()
    for job in (lost, alive, never):
        job.refresh_from_db()
    assert (lost.state, alive.state, never.state) == (Job.State.FAILED, Job.State.RUNNING, Job.State.FAILED)
    assert lost.message.startswith("งานไม่รายงานความคืบหน้านานกว่า 15 นาที") and lost.finished_at
    assert "ตรวจสอบว่าบริการประมวลผลงาน (worker) ทำงานอยู่" in never.message
    assert not lost.part_path().exists()


def test_a_job_page_shows_a_dead_worker_s_job_as_failed_before_any_sweep(client_for, personas, org, settings):
    settings.JOBS_STALE_MINUTES = 15
    job = _running(personas["org_admin"], org, 30)
    page = client_for("org_admin").get(reverse("jobs:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "งานไม่รายงานความคืบหน้านานกว่า 15 นาที" in page


def test_a_killed_worker_process_fails_its_job_from_the_main_process(personas, org):
    """What Celery's main process does when the child running the job dies (WorkerLostError)."""
    job = _running(personas["org_admin"], org, 0)
    other = _running(personas["org_admin"], org, 0)
    tasks.job_lost(sender=tasks.run_job, task_id="x", exception=WorkerLostError("killed"), args=[job.pk])
    job.refresh_from_db()
    other.refresh_from_db()
    assert (job.state, job.outcome, other.state) == (Job.State.FAILED, "lost", Job.State.RUNNING)


def test_expired_jobs_are_deleted_with_their_files_and_answer_404_before(client_for, personas, org, settings):
    now = timezone.now()
    old = Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org, state=Job.State.DONE,
                             created_at=now - timedelta(days=8), expires_at=now - timedelta(days=1),
                             result=default_storage.save("jobs/old.xlsx", ContentFile(b"x")), result_name="p.xlsx",
                             upload=default_storage.save("jobs/uploads/old.xlsx", ContentFile(b"x")))
    kept = Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org, state=Job.State.DONE,
                              result=default_storage.save("jobs/kept.xlsx", ContentFile(b"x")), result_name="p.xlsx")
    stray_old = default_storage.save("jobs/stray-old.xlsx", ContentFile(b"x"))
    default_storage.save("jobs/stray-new.xlsx", ContentFile(b"x"))
    two_hours_ago = (now - timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(stray_old), (two_hours_ago, two_hours_ago))
    os.utime(default_storage.path(kept.result.name), (two_hours_ago, two_hours_ago))
    admin = client_for("org_admin")
    assert admin.get(reverse("jobs:detail", args=[old.pk])).status_code == 404
    assert admin.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert admin.get(reverse("jobs:download", args=[kept.pk])).status_code == 200

    assert runner.sweep() == {"stale": 0, "never_started": 0, "expired": 1, "stray_files": 1}
    assert list(Job.objects.all()) == [kept]
    assert job_files() == ["kept.xlsx", "stray-new.xlsx"]


def test_a_new_job_expires_after_the_retention_period(personas, org, settings):
    settings.JOBS_KEEP_DAYS = 7
    job = Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org)
    assert abs(job.expires_at - job.created_at - timedelta(days=7)) < timedelta(seconds=1)


@pytest.fixture
def finished(client_for, assessment, palad, run_jobs):
    """A finished plan export asked for by the organisation's admin."""
    make_measure(assessment, [palad])
    run_jobs(client_for("org_admin"), reverse("reports:plan_xlsx", args=[assessment.pk]))
    return Job.objects.get()


def test_an_organisation_s_file_goes_to_its_asker_and_admins_only(finished, client_for, org, other_org):
    second_admin = make_user("second_admin", org, Membership.Role.ADMIN)
    url = reverse("jobs:download", args=[finished.pk])
    answers = {name: client_for(name).get(url).status_code
               for name in ("org_admin", "staff", "other_staff", "executive", "outsider")}
    assert answers == {"org_admin": 200, "staff": 403, "other_staff": 403, "executive": 403, "outsider": 404}
    client = client_for("anonymous")
    client.force_login(second_admin)
    assert client.get(url).status_code == 200
    _user, office = area_office()
    assert office.get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302
    # Someone who leaves the organisation leaves its files behind.
    Membership.objects.filter(user__username="org_admin").update(organisation=other_org)
    assert client_for("org_admin").get(url).status_code == 404


def test_a_job_and_the_download_of_its_file_are_in_the_organisation_s_audit_log(finished, client_for, org):
    asked = Entry.objects.filter(organisation_id=org.pk, kind=Entry.Kind.CREATE, object_id=finished.pk)
    assert asked.filter(content_type__model="job").exists()
    client_for("org_admin").get(reverse("jobs:download", args=[finished.pk]))
    download = Entry.objects.get(organisation_id=org.pk, kind=Entry.Kind.EXPORT, content_type__model="job")
    assert download.actor.username == "org_admin"
    assert download.additional_data == {"file_name": finished.result_name}


def test_an_area_s_file_goes_to_the_office_that_asked_only(reference, run_jobs, client_for, personas):
    make_area(1)
    user, office = area_office()
    run_jobs(office, reverse("oversight:export"))
    job = Job.objects.get()
    url = reverse("jobs:download", args=[job.pk])
    assert office.get(url).status_code == 200
    _colleague, colleague = area_office("korat_office_2")
    _elsewhere, elsewhere = area_office("other_province_office", province="ขอนแก่น")
    assert (colleague.get(url).status_code, elsewhere.get(url).status_code) == (404, 404)
    assert client_for("org_admin").get(url).status_code == 404
    # An office moved to another area no longer reaches the old area's files.
    user.oversight.province = "ขอนแก่น"
    user.oversight.save()
    assert office.get(url).status_code == 404


def test_my_jobs_lists_mine_and_for_admins_the_organisation_s(finished, client_for, personas, assessment):
    Job.objects.create(kind="plan_xlsx", user=personas["staff"], organisation=assessment.organisation)
    admin_page = client_for("org_admin").get(reverse("jobs:list"))
    staff_page = client_for("staff").get(reverse("jobs:list"))
    assert [j.user.username for j in admin_page.context["page"]] == ["staff", "org_admin"]
    assert [j.user.username for j in staff_page.context["page"]] == ["staff"]
    html = admin_page.content.decode()
    assert reverse("jobs:download", args=[finished.pk]) in html and "plan-" in html
    assert client_for("outsider").get(reverse("jobs:list")).context["page"].paginator.count == 0
    assert "งานของฉัน" in client_for("staff").get(reverse("reports:index")).content.decode()  # in the user menu


def test_my_jobs_query_count_does_not_grow_with_jobs(client_for, personas, org, django_assert_num_queries):
    """Guards an N+1 on each job's asker, organisation and assessment: session, user,
    membership, the count for the pages, the user menu's organisation, and the jobs with what
    they name in one query."""
    def add(count):
        for _ in range(count):
            Job.objects.create(kind="plan_xlsx", user=personas["org_admin"], organisation=org)

    admin = client_for("org_admin")
    add(2)
    with django_assert_num_queries(4):
        admin.get(reverse("jobs:list"))
    add(20)
    with django_assert_num_queries(4):
        admin.get(reverse("jobs:list"))
