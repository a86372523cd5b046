"""The check page: who reads it, review marks with a comment that survive re-running the check."""

import pytest
from django.urls import reverse

from assessments.checks import check_assessment
from assessments.models import Assessment, CheckReview, Finding

from .conftest import make_measure


@pytest.fixture
def planted(assessment, palad):
    """One planted error: the row for indicator 4 quotes 80.00 instead of 83.87."""
    return make_measure(assessment, units=[palad], number=4, indicator_label="ตัวชี้วัดที่ ๔",
                        analysis="ได้รับคะแนน ๘๐.๐๐ คะแนน")


def check_url(assessment):
    return reverse("assessment_check", args=[assessment.pk])


def review(client, assessment, key, comment="ตรวจแล้ว เอกสารต้นฉบับเขียนไว้เช่นนี้"):
    return client.post(reverse("check_review", args=[assessment.pk]), {"key": key, "comment": comment})


@pytest.mark.parametrize("persona, status", [
    ("org_admin", 200), ("executive", 200), ("staff", 403), ("other_staff", 403), ("outsider", 404),
])
def test_admins_and_executives_read_the_check(client_for, assessment, planted, persona, status):
    response = client_for(persona).get(check_url(assessment))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "ผลการวิเคราะห์อ้างคะแนน 80.00 แต่คะแนนของตัวชี้วัดที่ 4 คือ 83.87" in html
        assert "พบ 1 รายการ ยังไม่ได้ตรวจทาน 1 รายการ" in html


def test_anonymous_is_sent_to_sign_in(client_for, assessment):
    response = client_for("anonymous").get(check_url(assessment))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_only_admins_see_the_review_forms(client_for, assessment, planted):
    assert 'name="comment"' in client_for("org_admin").get(check_url(assessment)).content.decode()
    assert 'name="comment"' not in client_for("executive").get(check_url(assessment)).content.decode()


def test_a_clean_assessment_says_so(client_for, assessment):
    assert "ไม่พบข้อมูลที่ขัดกัน" in client_for("executive").get(check_url(assessment)).content.decode()


def test_admin_marks_an_item_reviewed_and_the_mark_survives_rerunning_the_check(client_for, assessment, planted, personas):
    key = f"measure:{planted.pk}:score:80.00:83.87"
    client = client_for("org_admin")
    response = review(client, assessment, key)
    assert response.status_code == 302
    mark = CheckReview.objects.get()
    assert (mark.assessment, mark.key, mark.reviewed_by) == (assessment, key, personas["org_admin"])
    assert mark.comment == "ตรวจแล้ว เอกสารต้นฉบับเขียนไว้เช่นนี้"
    for _ in range(2):
        html = client.get(check_url(assessment)).content.decode()
        assert "พบ 1 รายการ ยังไม่ได้ตรวจทาน 0 รายการ" in html
        assert "ตรวจแล้ว เอกสารต้นฉบับเขียนไว้เช่นนี้" in html
    planted.refresh_from_db()
    assert planted.analysis == "ได้รับคะแนน ๘๐.๐๐ คะแนน"  # nothing corrected silently


def test_reviewing_again_changes_the_comment_not_the_number_of_marks(client_for, assessment, planted):
    key = f"measure:{planted.pk}:score:80.00:83.87"
    client = client_for("org_admin")
    review(client, assessment, key)
    review(client, assessment, key, comment="ขอแก้ในฉบับถัดไป")
    assert list(CheckReview.objects.values_list("comment", flat=True)) == ["ขอแก้ในฉบับถัดไป"]


def test_the_mark_lapses_when_the_facts_change(client_for, assessment, planted):
    client = client_for("org_admin")
    review(client, assessment, f"measure:{planted.pk}:score:80.00:83.87")
    planted.analysis = "ได้รับคะแนน ๘๑.๐๐ คะแนน"
    planted.save()
    assert "พบ 1 รายการ ยังไม่ได้ตรวจทาน 1 รายการ" in client.get(check_url(assessment)).content.decode()


def test_a_review_without_comment_is_refused_with_a_thai_message(client_for, assessment, planted):
    response = review(client_for("org_admin"), assessment, f"measure:{planted.pk}:score:80.00:83.87", comment="")
    assert response.status_code == 200
    assert "เขียนความเห็นว่าตรวจแล้วพบอะไร หรือเหตุใดจึงคงไว้ตามเดิม" in response.content.decode()
    assert not CheckReview.objects.exists()


def test_a_review_of_an_item_the_check_no_longer_reports_is_refused(client_for, assessment, planted):
    response = review(client_for("org_admin"), assessment, "measure:1:score:1.00:2.00")
    assert response.status_code == 200
    assert "รายการนี้ไม่อยู่ในผลการตรวจล่าสุดแล้ว" in response.content.decode()
    assert not CheckReview.objects.exists()


@pytest.mark.parametrize("persona, status", [("executive", 403), ("staff", 403), ("outsider", 404)])
def test_only_the_organisations_admins_mark_items(client_for, assessment, planted, persona, status):
    response = review(client_for(persona), assessment, f"measure:{planted.pk}:score:80.00:83.87")
    assert response.status_code == status
    assert not CheckReview.objects.exists()


def test_reviews_are_made_by_post_only(client_for, assessment):
    assert client_for("org_admin").get(reverse("check_review", args=[assessment.pk])).status_code == 405


def test_admin_takes_a_mark_off(client_for, assessment, planted):
    key = f"measure:{planted.pk}:score:80.00:83.87"
    client = client_for("org_admin")
    review(client, assessment, key)
    assert client_for("executive").post(reverse("check_unreview", args=[assessment.pk]), {"key": key}).status_code == 403
    assert CheckReview.objects.exists()
    response = client.post(reverse("check_unreview", args=[assessment.pk]), {"key": key}, follow=True)
    assert "ยกเลิกเครื่องหมายตรวจทานแล้ว" in response.content.decode()
    assert not CheckReview.objects.exists()
    again = client.post(reverse("check_unreview", args=[assessment.pk]), {"key": key}, follow=True)
    assert "ไม่พบเครื่องหมายตรวจทานนี้ อาจถูกยกเลิกไปแล้ว" in again.content.decode()


def test_check_page_query_count_does_not_grow_with_rows(client_for, assessment, palad, klang, personas,
                                                        django_assert_num_queries):
    """Guards the N+1 on each plan row's units and indicator, each finding's indicator and each
    review's reviewer."""
    client = client_for("org_admin")
    url = check_url(assessment)
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}

    def add(count):
        for n in range(count):
            make_measure(assessment, units=[palad, klang], number=n % 10 + 1, analysis="ได้รับคะแนน ๕๐.๐๐ คะแนน")
            Finding.objects.create(assessment=assessment, indicator=indicators[n % 10 + 1], kind="improve",
                                   code="i99", text="x", oit_refs=["o99"])
        for issue in check_assessment(Assessment.objects.with_scores().get(pk=assessment.pk))[::2]:
            CheckReview.objects.get_or_create(
                assessment=assessment, key=issue.key,
                defaults={"comment": "ตรวจแล้ว", "reviewed_by": personas["org_admin"]},
            )

    add(2)
    # session, the user with their membership and organisation; the assessment with its scores, indicators,
    # year's indicators and levels; the year's codes; findings; plan rows and their units;
    # review marks with their reviewers; the organisation's newest year (whether this year is
    # past, so read-only).
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    add(15)
    with django_assert_num_queries(13):
        client.get(url)
