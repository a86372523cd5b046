"""The public page: off until an admin turns it on, then readable without sign-in, nothing internal."""

import json

import pytest
from django.urls import reverse

from measures.models import ProgressNote

from .conftest import make_measure


@pytest.fixture
def plan(assessment, palad, personas):
    measure = make_measure(assessment, [palad], activity="เผยแพร่ข้อมูลบนเว็บไซต์หลัก", progress=40, status="in_progress")
    ProgressNote.objects.create(measure=measure, text="บันทึกภายในห้ามเผยแพร่", author=personas["staff"],
                                link="https://intranet.example/secret", file_name="ลับ.pdf")
    return measure


def page(assessment):
    return reverse("public:page", args=[assessment.organisation_id, assessment.fiscal_year_id])


def publish(client, assessment, on=True):
    return client.post(reverse("reports:publish", args=[assessment.pk]), {"is_public": "on"} if on else {})


def test_page_is_a_404_until_published(client, plan, assessment):
    assert client.get(page(assessment)).status_code == 404
    data = reverse("public:data", args=[assessment.organisation_id, 2568, "plan", "csv"])
    assert client.get(data).status_code == 404


def test_admin_publishes_and_anyone_reads_without_internal_notes(client, client_for, plan, assessment):
    response = publish(client_for("org_admin"), assessment)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_public
    response = client.get(page(assessment))
    assert response.status_code == 200
    html = response.content.decode()
    assert "องค์การบริหารส่วนตำบลทดสอบ" in html and "90.42" in html and "82.50" in html
    assert "เผยแพร่ข้อมูลบนเว็บไซต์หลัก" in html and "กำลังดำเนินการ" in html
    for internal in ("บันทึกภายในห้ามเผยแพร่", "intranet.example", "ลับ.pdf"):
        assert internal not in html
    plan_json = client.get(reverse("public:data", args=[assessment.organisation_id, 2568, "plan", "json"]))
    assert json.loads(plan_json.content)["measures"][0]["progress"] == 40
    assert "บันทึกภายใน" not in plan_json.content.decode()
    scores = client.get(reverse("public:data", args=[assessment.organisation_id, 2568, "scores", "csv"]))
    assert scores.status_code == 200 and "93.33" in scores.content.decode("utf-8-sig")


def test_admin_turns_it_off_again(client, client_for, plan, assessment):
    admin = client_for("org_admin")
    publish(admin, assessment)
    publish(admin, assessment, on=False)
    assessment.refresh_from_db()
    assert not assessment.is_public and client.get(page(assessment)).status_code == 404


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("outsider", 404)])
def test_only_the_organisations_admin_may_publish(persona, status, client_for, assessment):
    assert publish(client_for(persona), assessment).status_code == status
    assessment.refresh_from_db()
    assert not assessment.is_public


def test_publish_needs_post_and_sign_in(client, client_for, assessment):
    url = reverse("reports:publish", args=[assessment.pk])
    assert client_for("org_admin").get(url).status_code == 405
    response = client.post(url, {"is_public": "on"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assessment.refresh_from_db()
    assert not assessment.is_public


def test_public_page_query_count_does_not_grow_with_rows(client, plan, assessment, palad, django_assert_num_queries):
    """Guards the N+1 on plan rows and the score rows of the public page: the assessment, its
    scores, their indicators, the year's indicators and levels, and the plan rows."""
    assessment.is_public = True
    assessment.save()
    with django_assert_num_queries(6):
        client.get(page(assessment))
    for _ in range(10):
        make_measure(assessment, [palad])
    with django_assert_num_queries(6):
        client.get(page(assessment))


def test_reports_index_lists_years_with_the_switch_for_admins(client_for, assessment):
    html = client_for("org_admin").get(reverse("reports:index")).content.decode()
    assert "เปิดหน้าสาธารณะ" in html and reverse("reports:plan_xlsx", args=[assessment.pk]) in html
    html = client_for("staff").get(reverse("reports:index")).content.decode()
    assert "เปิดหน้าสาธารณะ" not in html and reverse("reports:ita", args=[assessment.pk]) in html


def test_the_public_pages_address_is_shown_whole_with_a_copy_button(client_for, assessment, settings):
    admin = client_for("org_admin")
    publish(admin, assessment)
    settings.PORTAL_BASE_URL = "https://ita.example.go.th"
    response = admin.get(reverse("reports:index"))
    html = response.content.decode()
    address = "https://ita.example.go.th" + page(assessment)
    assert f'readonly value="{address}"' in html
    assert f'data-copy="public-address-{assessment.pk}"' in html and "คัดลอก" in html
    assert "js/copy.js" in html
    assert client_for("anonymous").get(page(assessment)).status_code == 200
