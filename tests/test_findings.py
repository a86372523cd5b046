"""Findings per indicator: a code picker and OIT items of the assessment's year only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Membership
from assessments.models import Assessment, Finding

from .conftest import SEED_SCORES, make_assessment, make_user


def add_url(assessment, number):
    return reverse("finding_add", args=[assessment.pk, number])


def finding_post(assessment, number, **fields):
    data = {
        "indicator": assessment.fiscal_year.indicators.get(number=number).pk,
        "kind": "improve", "code": "", "score": "", "text": "ข้อความทดสอบ",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("persona, status", [
    ("org_admin", 200), ("staff", 403), ("other_staff", 403), ("executive", 403), ("outsider", 404),
])
def test_only_the_organisations_admins_manage_findings(client_for, assessment, persona, status):
    client = client_for(persona)
    assert client.get(reverse("assessment_findings", args=[assessment.pk])).status_code == status
    assert client.get(add_url(assessment, 4)).status_code == status
    response = client.post(add_url(assessment, 4), finding_post(assessment, 4))
    assert response.status_code == (302 if status == 200 else status)
    assert Finding.objects.count() == (1 if status == 200 else 0)


def test_admin_adds_a_point_to_improve_with_its_code_and_oit_items(client_for, assessment):
    response = client_for("org_admin").post(add_url(assessment, 4), finding_post(
        assessment, 4, code="i10", score="๘๓.๘๗", oit_refs=["o8", "o16"], text="ขอยืมทรัพย์สินไม่ถูกต้อง",
    ))
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.indicator.number, finding.kind, finding.code) == (4, "improve", "i10")
    assert finding.score == Decimal("83.87")
    assert finding.oit_refs == ["o8", "o16"]
    assert finding.position == 1


def test_new_findings_go_after_the_existing_ones(client_for, assessment):
    client = client_for("org_admin")
    client.post(add_url(assessment, 1), finding_post(assessment, 1, code="i1"))
    client.post(add_url(assessment, 1), finding_post(assessment, 1, code="i2"))
    assert list(Finding.objects.order_by("position").values_list("code", "position")) == [("i1", 1), ("i2", 2)]


def test_the_code_picker_offers_the_years_codes_with_titles_grouped_by_indicator(client_for, assessment):
    html = client_for("org_admin").get(add_url(assessment, 4)).content.decode()
    assert '<optgroup label="4 การใช้ทรัพย์สินของราชการ">' in html
    for code in ("i1", "i10", "i15", "e1", "e9"):
        assert f'value="{code}"' in html
    assert "o8 คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่" in html
    assert 'value="o26"' in html and 'value="o27"' not in html
    assert 'value="i16"' not in html


def test_a_2569_assessment_offers_only_the_2569_items(client_for, org):
    """2569 lists o1..o26 (the reference data once listed only o25 and o26)."""
    a2569 = make_assessment(org, 2569, SEED_SCORES)
    form = client_for("org_admin").get(add_url(a2569, 10)).context["form"]
    assert [value for value, _label in form.fields["oit_refs"].choices] == [f"o{n}" for n in range(1, 27)]
    choices = dict(form.fields["oit_refs"].choices)
    assert choices["o25"] == "o25 การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert choices["o11"] == "o11 สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"


def test_a_code_of_another_indicator_is_refused_with_the_indicator_it_belongs_to(client_for, assessment):
    response = client_for("org_admin").post(add_url(assessment, 5), finding_post(assessment, 5, code="i10"))
    assert response.status_code == 200
    assert "ข้อ i10 เป็นของตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ ไม่ใช่ตัวชี้วัดที่ 5" in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("code", "i16", "รหัส i16 ไม่มีในรายการรหัสของปี 2568"),
    ("code", "o8", "ข้อ o8 เป็นของตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ไม่ใช่ตัวชี้วัดที่ 4"),
    ("oit_refs", ["o8", "o27"], "ข้อ o27 ไม่มีในรายการข้อ OIT ของปี 2568"),
    ("score", "100.5", "คะแนนข้อ ต้องไม่เกิน 100"),
    ("text", "", "เขียนข้อความของผลการวิเคราะห์"),
])
def test_bad_input_gets_a_thai_message_and_nothing_is_saved(client_for, assessment, field, value, message):
    response = client_for("org_admin").post(add_url(assessment, 4), finding_post(assessment, 4, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Finding.objects.exists()


def test_a_finding_of_another_years_indicator_is_refused(client_for, assessment, org):
    other_year = make_assessment(org, 2567, SEED_SCORES)
    data = finding_post(assessment, 4)
    data["indicator"] = other_year.fiscal_year.indicators.get(number=4).pk
    response = client_for("org_admin").post(add_url(assessment, 4), data)
    assert "ไม่มีตัวชี้วัดนี้ในปีนี้" in response.content.decode()
    assert not Finding.objects.exists()


def test_admin_moves_a_copied_finding_to_the_indicator_its_code_belongs_to(client, seed):
    a2568 = Assessment.objects.get(organisation=seed, fiscal_year=2568)
    copied = a2568.findings.get(indicator__number=5, code="i10")
    client.force_login(make_user("seed_admin", seed, Membership.Role.ADMIN))
    response = client.post(reverse("finding_edit", args=[a2568.pk, copied.pk]), {
        "indicator": a2568.fiscal_year.indicators.get(number=4).pk, "kind": "improve", "code": "i10",
        "score": "", "text": copied.text, "oit_refs": ["o8"],
    })
    assert response.status_code == 302
    copied.refresh_from_db()
    assert copied.indicator.number == 4 and copied.oit_refs == ["o8"]


def test_editing_a_finding_with_an_unlisted_item_says_it_will_be_dropped(client_for, assessment):
    finding = Finding.objects.create(
        assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=5), kind="improve",
        code="i14", text="อ้างอิงจาก ๐๒๗", oit_refs=["o27", "o23"],
    )
    html = client_for("org_admin").get(reverse("finding_edit", args=[assessment.pk, finding.pk])).content.decode()
    assert "ข้อ OIT ที่อ้างอิงไว้เดิม o27 ไม่มีในรายการของปี 2568" in html


def test_admin_deletes_a_finding_by_post_only(client_for, assessment):
    finding = Finding.objects.create(
        assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=5), kind="strength", text="x",
    )
    url = reverse("finding_delete", args=[assessment.pk, finding.pk])
    assert client_for("org_admin").get(url).status_code == 405
    assert client_for("executive").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert client_for("org_admin").post(url).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_a_finding_of_another_assessment_is_not_found_through_this_one(client_for, assessment, org):
    other = make_assessment(org, 2567, SEED_SCORES)
    finding = Finding.objects.create(
        assessment=other, indicator=other.fiscal_year.indicators.get(number=5), kind="strength", text="x",
    )
    assert client_for("org_admin").get(reverse("finding_edit", args=[assessment.pk, finding.pk])).status_code == 404


def test_findings_page_query_count_does_not_grow_with_findings(client_for, assessment, django_assert_num_queries):
    """Guards the N+1 on each finding's indicator."""
    client = client_for("org_admin")
    url = reverse("assessment_findings", args=[assessment.pk])
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}

    def add(count):
        Finding.objects.bulk_create(
            Finding(assessment=assessment, indicator=indicators[n % 10 + 1], kind="improve", text="x")
            for n in range(count)
        )

    add(2)
    # session, the user with their membership and organisation; the assessment with its scores, indicators,
    # year's indicators and levels; the findings with their indicators; the organisation's
    # newest year (whether this year is past, so read-only).
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_num_queries(9):
        client.get(url)


def test_the_code_picker_shows_each_code_with_its_wording_and_the_oit_items_too(client_for, assessment):
    """The 2568 list words its OIT items but not its survey questions: the items read "o11 · ..."
    and the questions their code alone; an OIT point names its item, as the pasted analysis does."""
    from assessments.models import QuestionCode

    page = client_for("org_admin").get(add_url(assessment, 9))
    groups = dict(page.context["form"].fields["code"].choices[1:])
    o11 = QuestionCode.objects.get(fiscal_year=2568, code="o11")
    assert o11.title
    assert ("o11", f"o11 · {o11.title}") in groups["9 การเปิดเผยข้อมูล"]
    assert ("i10", "i10") in groups["4 การใช้ทรัพย์สินของราชการ"]
    assert f"o11 · {o11.title}" in page.content.decode()
    response = client_for("org_admin").post(add_url(assessment, 9), finding_post(assessment, 9, code="o11"))
    assert response.status_code == 302
    assert Finding.objects.get().code == "o11"
