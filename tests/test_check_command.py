"""`manage.py check_assessment` for a scheduler: exit 1 while unreviewed items remain, 0 when clean."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessments.checks import check_assessment
from assessments.models import Assessment, CheckReview

from .celery_worker import _database_url


def run(*args):
    out = StringIO()
    call_command("check_assessment", *args, stdout=out)
    return out.getvalue()


def test_seed_with_unreviewed_items_exits_1_and_lists_them(seed):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_assessment", "--organisation", "อบต.วังหมี", "--year", "2568", stdout=out)
    assert raised.value.returncode == 1
    # 17 errors of the document's content and 5 more: four misspelt indicator names
    # of its score table and its second row for indicator 9, a copy of the first.
    assert "พบ 22 รายการที่ยังไม่ได้ตรวจทาน" in str(raised.value)
    text = out.getvalue()
    assert "องค์การบริหารส่วนตำบลวังหมี ปี 2568: 22 รายการ ยังไม่ได้ตรวจทาน 22" in text
    assert "ข้อผิดพลาดในเอกสาร: 22 รายการ ยังไม่ได้ตรวจทาน 22" in text
    assert "งานที่ยังต้องทำในระบบ" not in text  # every row of the seed has a unit, a period and a method
    assert "(ร้ายแรง) แผนปี 2569 ตารางที่ 3 แถวที่ 7" in text and "(เล็กน้อย) ตารางคะแนน แถวตัวชี้วัดที่ 1" in text
    assert "ผลการวิเคราะห์อ้างคะแนน 97.00 แต่คะแนนของตัวชี้วัดที่ 7 คือ 97.47" in text
    assert "key: indicator:2:no-measure" in text


def test_exits_0_once_every_item_is_reviewed(seed, django_user_model):
    assessment = Assessment.objects.with_scores().get(organisation=seed, fiscal_year=2568)
    CheckReview.objects.bulk_create(
        CheckReview(assessment=assessment, key=issue.key, comment="ตรวจแล้ว คงไว้ตามเอกสารต้นฉบับ")
        for issue in check_assessment(assessment)
    )
    text = run("--year", "2568")
    assert "22 รายการ ยังไม่ได้ตรวจทาน 0" in text
    assert "[x]" in text and "[ ]" not in text
    assert "ตรวจแล้ว: ตรวจแล้ว คงไว้ตามเอกสารต้นฉบับ" in text


def test_a_clean_assessment_exits_0(assessment):
    assert "0 รายการ ยังไม่ได้ตรวจทาน 0" in run("--organisation", "องค์การบริหารส่วนตำบลทดสอบ")


def test_without_options_checks_every_organisation_and_year(seed, assessment):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("check_assessment", stdout=out)
    assert raised.value.returncode == 1
    for line in ("องค์การบริหารส่วนตำบลวังหมี ปี 2564", "องค์การบริหารส่วนตำบลวังหมี ปี 2568",
                 "องค์การบริหารส่วนตำบลทดสอบ ปี 2568"):
        assert line in out.getvalue()


def test_an_empty_portal_is_clean(db):
    assert run() == ""


def test_unknown_organisation_or_year_is_a_usage_error_with_exit_2(seed):
    for args in (("--organisation", "ไม่มีหน่วยงานนี้"), ("--year", "2599")):
        with pytest.raises(CommandError) as raised:
            run(*args)
        assert raised.value.returncode == 2
        assert "ไม่พบผลการประเมินตามที่ระบุ" in str(raised.value)


@pytest.mark.django_db(transaction=True)
def test_the_process_exit_status_is_what_a_scheduler_sees(tmp_path):
    """Through `manage.py` in real processes: the seed loaded by one, then 1 on the seed, 2 on a typo.

    The processes share the session's migrated test database (its reference data committed):
    on PostgreSQL the database itself, on SQLite, whose test database lives in this process's
    memory, a copy of it in a file. Migrating a fresh file instead took half a minute."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "check.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
        url = f"sqlite:///{copy}"
    else:
        url = _database_url(connection.settings_dict)
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(Path(__file__).resolve().parents[1] / "manage.py")]
    subprocess.run(manage + ["load_seed"], env=env, check=True, capture_output=True)
    found = subprocess.run(manage + ["check_assessment", "--year", "2568"], env=env, capture_output=True, text=True)
    assert found.returncode == 1
    assert "พบ 22 รายการที่ยังไม่ได้ตรวจทาน" in found.stderr
    clean = subprocess.run(manage + ["check_assessment", "--year", "2567"], env=env, capture_output=True, text=True)
    assert clean.returncode == 0
    typo = subprocess.run(manage + ["check_assessment", "--year", "2599"], env=env, capture_output=True, text=True)
    assert typo.returncode == 2
