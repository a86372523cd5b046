"""Entering a year's results in the browser: the score form, the pasted table, the live result."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, IndicatorScore

from .conftest import SEED_SCORES, make_assessment

NEW_2569 = reverse("assessment_new", args=[2569])


def scores_post(scores=SEED_SCORES, **extra):
    data = {f"score_{n}": s for n, s in scores.items()}
    data.update({"action": "save", "published_overall": "", "published_level": ""})
    data.update(extra)
    return data


def assessment_of(org, year):
    return Assessment.objects.filter(organisation=org, fiscal_year=year).first()


@pytest.mark.parametrize("persona, status", [
    ("org_admin", 200), ("staff", 403), ("other_staff", 403), ("executive", 403),
])
def test_only_admins_open_the_entry_form(client_for, persona, status):
    assert client_for(persona).get(NEW_2569).status_code == status


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for("anonymous").get(NEW_2569)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_another_organisations_assessment_is_not_found(client_for, assessment):
    assert client_for("outsider").get(reverse("assessment_edit", args=[assessment.pk])).status_code == 404
    response = client_for("outsider").post(reverse("assessment_edit", args=[assessment.pk]), scores_post())
    assert response.status_code == 404


def test_a_year_without_indicators_is_not_found(client_for):
    assert client_for("org_admin").get(reverse("assessment_new", args=[2599])).status_code == 404


def test_admin_enters_ten_scores_in_thai_or_arabic_digits(client_for, org):
    data = scores_post(published_overall="๙๐.๔๒", published_level="ผ่าน")
    data["score_1"] = "๙๓.๓๓"
    response = client_for("org_admin").post(NEW_2569, data)
    created = assessment_of(org, 2569)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_check", args=[created.pk])
    assert created.published_overall == Decimal("90.42") and created.published_level == "ผ่าน"
    stored = dict(created.scores.values_list("indicator__number", "score"))
    assert stored == {n: Decimal(s) for n, s in SEED_SCORES.items()}


def test_incomplete_scores_are_refused_and_nothing_is_saved(client_for, org):
    data = scores_post()
    data["score_4"] = ""
    data["score_9"] = ""
    response = client_for("org_admin").post(NEW_2569, data)
    assert response.status_code == 200
    assert "กรอกคะแนนให้ครบทุกตัวชี้วัด (ยังขาดตัวชี้วัดที่ 4, 9)" in response.content.decode()
    assert assessment_of(org, 2569) is None


@pytest.mark.parametrize("value, message", [
    ("101", "คะแนนตัวชี้วัดที่ 3 ต้องไม่เกิน 100"),
    ("-1", "คะแนนตัวชี้วัดที่ 3 ต้องไม่ต่ำกว่า 0"),
    ("98.061", "คะแนนตัวชี้วัดที่ 3 มีทศนิยมได้ไม่เกินสองตำแหน่ง"),
    ("เก้าสิบ", "คะแนนตัวชี้วัดที่ 3 ต้องเป็นตัวเลข"),
])
def test_a_bad_score_gets_a_thai_message_and_nothing_is_saved(client_for, org, value, message):
    data = scores_post()
    data["score_3"] = value
    response = client_for("org_admin").post(NEW_2569, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert assessment_of(org, 2569) is None


def test_a_level_not_in_the_years_rule_is_kept_as_the_document_wrote_it(client_for, org):
    response = client_for("org_admin").post(NEW_2569, scores_post(published_level="AA"))
    assert response.status_code == 302
    assert assessment_of(org, 2569).published_level == "AA"


def test_a_level_longer_than_fifty_letters_is_refused(client_for, org):
    response = client_for("org_admin").post(NEW_2569, scores_post(published_level="ก" * 51))
    assert "ระดับยาวได้ไม่เกิน 50 ตัวอักษร" in response.content.decode()
    assert assessment_of(org, 2569) is None


def test_a_history_year_may_hold_only_its_published_overall(client_for, org):
    response = client_for("org_admin").post(NEW_2569, scores_post(scores={}, published_overall="54.25"))
    assert response.status_code == 302
    created = assessment_of(org, 2569)
    assert created.published_overall == Decimal("54.25") and not created.scores.exists()


def test_an_empty_form_is_refused(client_for, org):
    response = client_for("org_admin").post(NEW_2569, scores_post(scores={}))
    assert "กรอกคะแนนรายตัวชี้วัด หรืออย่างน้อยคะแนนภาพรวมที่ประกาศ" in response.content.decode()
    assert assessment_of(org, 2569) is None


def test_new_for_a_year_already_entered_goes_to_its_edit_page(client_for, assessment):
    response = client_for("org_admin").get(reverse("assessment_new", args=[2568]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_edit", args=[assessment.pk])


def test_editing_changes_scores_and_keeps_the_names_as_written(client_for, assessment):
    IndicatorScore.objects.filter(assessment=assessment, indicator__number=1).update(name_as_written="การปรับปรุงหน้าที")
    data = scores_post(published_overall="90.42", published_level="ผ่าน")
    data["score_9"] = "85.00"
    response = client_for("org_admin").post(reverse("assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    row9 = assessment.scores.get(indicator__number=9)
    row1 = assessment.scores.get(indicator__number=1)
    assert row9.score == Decimal("85.00")
    assert row1.name_as_written == "การปรับปรุงหน้าที"
    assert assessment.published_level == "ผ่าน"
    assert assessment.scores.count() == 10


def test_the_edit_form_shows_the_recorded_scores(client_for, assessment):
    html = client_for("org_admin").get(reverse("assessment_edit", args=[assessment.pk])).content.decode()
    assert 'name="score_4" id="id_score_4" value="83.87"' in html
    assert 'data-testid="live-overall">90.42<' in html


SEED_PASTE = (
    "สรุปผลการประเมินรายตัวชี้วัด\n\nปี 2568\n\n"
    "ตัวชี้วัดที่\tรายละเอียดตัวชี้วัด\tคะแนน\n"
    "1\tการปรับปรุงหน้าที\t93.33\n2\tการใช้งานประมาณ\t96.13\n3\tการใช้อำนาจ\t98.06\n"
    "4\tการใช้ทรัพยากรของราชการ\t83.87\n5\tการแก้ไขปัญหาการทุจริต\t93.33\n"
    "6\tคุณภาพการดำเนินงาน\t97.13\n7\tประสิทธิภาพการสื่อสาร\t97.47\n"
    "8\tการปรับปรุงการดำเนินงาน\t95.74\n9\tการเปิดเผยข้อมูล\t82.50\n10\tการป้องกันการทุจริต\t85.00\n"
)


def test_pasting_the_seed_table_fills_the_form_shows_each_line_and_saves_nothing(client_for, org):
    response = client_for("org_admin").post(NEW_2569, {"action": "paste", "paste": SEED_PASTE})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="score_4" id="id_score_4" value="83.87"' in html
    assert 'name="name_1" value="การปรับปรุงหน้าที"' in html
    assert "2568 ไม่ใช่คะแนน: คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in html
    assert "หัวตาราง: ข้าม" in html
    assert "ได้คะแนนครบทุกตัวชี้วัดแล้ว" in html
    lines = response.context["lines"]
    assert sum(1 for line, _message in lines if line.read) == 10
    assert 'data-testid="live-overall">90.42<' in html
    assert assessment_of(org, 2569) is None


def test_pasted_lines_that_cannot_be_read_are_shown_with_the_reason(client_for, org):
    text = "๑ การปฏิบัติหน้าที่ ๙๓.๓๓\nขยะ\n11 อะไร 50\n๗ การใช้ งบประมาณ ๙๗.๔๗"
    html = client_for("org_admin").post(NEW_2569, {"action": "paste", "paste": text}).content.decode()
    assert "ไม่พบคะแนนในบรรทัดนี้" in html
    assert "ไม่มีตัวชี้วัดที่ 11 ในปีงบประมาณนี้" in html
    assert "ชื่อ “การใช้ งบประมาณ” เป็นชื่อของตัวชี้วัดที่ 2: ใช้ตามหมายเลข 7" in html
    assert "ตารางที่วางยังไม่มีคะแนนตัวชี้วัดที่ 2, 3, 4, 5, 6, 8, 9, 10" in html
    assert 'name="score_7" id="id_score_7" value="97.47"' in html


def test_pasting_keeps_what_was_typed_for_the_published_result(client_for, org):
    html = client_for("org_admin").post(NEW_2569, {
        "action": "paste", "paste": "1 การปฏิบัติหน้าที่ 93.33", "published_overall": "90.42",
    }).content.decode()
    assert 'name="published_overall" id="id_published_overall" value="90.42"' in html


def test_an_empty_paste_says_what_to_do(client_for, org):
    html = client_for("org_admin").post(NEW_2569, {"action": "paste", "paste": ""}).content.decode()
    assert "วางตารางคะแนนก่อน แล้วจึงกด “อ่านตาราง”" in html


def test_saving_after_a_paste_stores_the_names_as_written(client_for, org):
    data = scores_post(published_overall="90.42")
    data.update({"name_1": "การปรับปรุงหน้าที", "name_2": "การใช้งานประมาณ"})
    client_for("org_admin").post(NEW_2569, data)
    names = dict(assessment_of(org, 2569).scores.values_list("indicator__number", "name_as_written"))
    assert names[1] == "การปรับปรุงหน้าที" and names[2] == "การใช้งานประมาณ" and names[3] == ""


PREVIEW_2569 = reverse("assessment_preview", args=[2569])


def test_live_result_is_computed_by_the_score_engine(client_for):
    """0.3 x mean(93.33, 96.13, 98.06, 83.87, 93.33) + 0.3 x mean(97.13, 97.47, 95.74)
    + 0.4 x mean(82.50, 85.00) = 27.883 + 29.034 + 33.500 = 90.417 -> 90.42; OIT 83.75 < 85: ผ่าน."""
    response = client_for("org_admin").post(PREVIEW_2569, scores_post())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="live-overall">90.42<' in html
    assert 'data-testid="live-level">ผ่าน<' in html
    assert "OIT 83.75 ต่ำกว่า 85" in html
    assert "<html" not in html  # a fragment for HTMX


def test_live_result_compares_the_published_overall_and_level(client_for):
    html = client_for("org_admin").post(
        PREVIEW_2569, scores_post(published_overall="90.40", published_level="ผ่านดี")
    ).content.decode()
    assert "คะแนนภาพรวมที่ประกาศ 90.40 แต่คำนวณจากคะแนนรายตัวชี้วัดได้ 90.42" in html
    assert "ระดับที่ประกาศคือ “ผ่านดี” แต่ตามเกณฑ์ของปีนี้คะแนนอยู่ในระดับ “ผ่าน”" in html


def test_live_result_with_missing_or_bad_values_says_so(client_for):
    data = scores_post()
    data["score_2"] = ""
    data["score_5"] = "120"
    html = client_for("org_admin").post(PREVIEW_2569, data).content.decode()
    assert 'data-testid="live-overall">–<' in html
    assert "ยังไม่มีคะแนนตัวชี้วัดที่ 2, 5" in html
    assert "คะแนนตัวชี้วัดที่ 5 ต้องไม่เกิน 100" in html


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403)])
def test_live_result_is_for_admins(client_for, persona, status):
    assert client_for(persona).post(PREVIEW_2569, scores_post()).status_code == status


def test_live_result_answers_only_posts(client_for):
    assert client_for("org_admin").get(PREVIEW_2569).status_code == 405


def test_list_page_query_count_does_not_grow_with_assessments(client_for, org, django_assert_num_queries):
    """Guards the N+1 on each assessment's scores, indicators and levels in the list."""
    client = client_for("executive")
    url = reverse("assessment_list")
    make_assessment(org, 2568, SEED_SCORES)
    # session, the user with their membership, its organisation; the assessments with their scores and
    # indicators, the years' indicators and levels; the years open for entry.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    make_assessment(org, 2567, {n: "90.00" for n in range(1, 11)})
    make_assessment(org, 2566, {n: "80.00" for n in range(1, 11)})
    with django_assert_num_queries(8):
        client.get(url)


@pytest.mark.parametrize("persona, status", [("org_admin", 200), ("executive", 200), ("staff", 403)])
def test_list_page_is_for_admins_and_executives(client_for, persona, status):
    assert client_for(persona).get(reverse("assessment_list")).status_code == status
