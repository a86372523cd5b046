"""Draft plan from a year's points to improve: one draft per point (per code, and one per point
without a code), from the point's own recommendation or else its code's standard one, edited and
accepted by the admin into the plan after the existing rows."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from assessments.checks import check_assessment
from assessments.loaders import load_recommendations, load_reference
from assessments.models import Assessment, Finding, Recommendation
from measures.models import Measure

from .conftest import SEED_SCORES, make_assessment, make_user

SEED_CODES = ["i1", "i2", "i4", "i10", "i12", "i14", "i15", "e1", "e4", "e7", "e8"]
# In document order: the seed's points under indicators 3, 9 and 10 have no code.
SEED_DRAFTS = ["i1", "i2", "i4", "", "i10", "i12", "i14", "i15", "e1", "e4", "e7", "e8", "", ""]


@pytest.fixture
def seed_admin(seed):
    client = Client()
    client.force_login(make_user("seed_admin", seed, Membership.Role.ADMIN))
    return client


@pytest.fixture
def a2568(seed):
    return Assessment.objects.get(organisation=seed, fiscal_year=2568)


def draft_url(assessment):
    return reverse("measures:draft", args=[assessment.pk])


def post_data(formset, accept=(), **changes):
    """The formset as the page shows it, with the drafts of the `accept` codes ticked and
    `changes` ({code: {field: value}}) typed over the proposal."""
    data = {key: value for key, value in formset.management_form.initial.items()}
    data = {formset.management_form.add_prefix(k): v for k, v in data.items()}
    for form in formset.forms:
        values = {**form.initial, **changes.get(form.initial["code"], {})}
        values["accept"] = form.initial["code"] in accept
        for name, value in values.items():
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)
    return data


def test_seed_drafts_one_measure_per_code_under_the_indicator_the_code_belongs_to(seed_admin, a2568):
    response = seed_admin.get(draft_url(a2568))
    assert response.status_code == 200
    cards = response.context["cards"]
    assert [draft.code for draft, _form in cards] == SEED_DRAFTS
    i10 = next(draft for draft, _form in cards if draft.code == "i10")
    assert i10.indicator.number == 4
    assert i10.written_under == [4, 5]  # the document copies i10 under 5 as well
    assert i10.initial["indicator_label"] == "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ"
    assert i10.initial["analysis"] == (
        "ได้รับคะแนน ๘๓.๘๗ คะแนน พบว่า เจ้าหน้าที่ในหน่วยงานบางรายมีการขอยืมทรัพย์สินของทางราชการ"
        "ไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง (i๑๐)"
    )
    assert i10.initial["method"] == Recommendation.objects.get(question__fiscal_year=2568, question__code="i10").method
    assert i10.initial["period"] == "ปีงบประมาณ พ.ศ. ๒๕๖๙"
    assert i10.initial["units"] == [a2568.organisation.units.get(name="กองคลัง").pk]
    assert [code for code, _title in i10.oit_items] == ["o8"]
    i1 = next(draft for draft, _form in cards if draft.code == "i1")
    assert i1.initial["for_all_units"] is True
    assert not any(draft.in_plan for draft, _form in cards)


def test_points_to_improve_without_a_code_are_drafted_from_their_own_text(seed_admin, a2568):
    cards = seed_admin.get(draft_url(a2568)).context["cards"]
    codeless = [draft for draft, _form in cards if not draft.code]
    assert [draft.indicator.number for draft in codeless] == [3, 9, 10]
    ten = codeless[2]
    assert ten.initial["method"].startswith("ศึกษาและทำความเข้าใจหลักเกณฑ์การประเมินในแต่ละปี")
    assert ten.initial["activity"] == "มาตรการศึกษาและทำความเข้าใจหลักเกณฑ์การประเมินในแต่ละปี"
    assert ten.initial["analysis"].startswith("ได้รับคะแนน ๘๕.๐๐ คะแนน")
    # The seed's plan put its indicator-10 row under the executives, the previous plan's choice.
    assert ten.initial["responsible"] == "ผู้บริหารสูงสุด / คณะกรรมการ ขับเคลื่อน ITA"
    assert ten.initial["units"] == [a2568.organisation.units.get(name="สำนักปลัด").pk]


def test_recommendations_refer_only_to_items_of_their_year(a2568):
    """The seed's i14 text refers to o27, which 2568 lacks; its recommendation leaves it out."""
    for recommendation in Recommendation.objects.select_related("question"):
        listed = set(recommendation.question.fiscal_year.codes.filter(tool="OIT").values_list("code", flat=True))
        assert set(recommendation.oit_refs) <= listed, recommendation.question.code
    assert Recommendation.objects.get(question__code="i14", question__fiscal_year=2568).oit_refs == ["o23", "o25"]


def test_admin_accepts_edited_drafts_into_the_plan_after_the_existing_rows(seed_admin, a2568):
    formset = seed_admin.get(draft_url(a2568)).context["formset"]
    data = post_data(formset, accept=["i4", "i10"], i10={"activity": "มาตรการแก้ไขแล้วโดยผู้ดูแล"})
    response = seed_admin.post(draft_url(a2568), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_check", args=[a2568.pk])
    new = list(Measure.objects.filter(assessment=a2568, position__gt=10).order_by("position"))
    assert [(m.position, m.block, m.indicator.number, m.fiscal_year_id) for m in new] == [
        (11, 3, 2, 2569), (12, 3, 4, 2569),
    ]
    i4, i10 = new
    assert i10.activity == "มาตรการแก้ไขแล้วโดยผู้ดูแล"
    assert [u.name for u in i10.units.all()] == ["กองคลัง"]
    # i4's own score (94.19), not its indicator's (96.13).
    assert i4.analysis.startswith("ได้รับคะแนน ๙๔.๑๙ คะแนน พบว่า") and i4.analysis.endswith("(i๔)")
    assert Measure.objects.filter(assessment=a2568).count() == 12


def test_accepted_drafts_pass_the_check_and_cover_indicator_2(seed_admin, a2568):
    formset = seed_admin.get(draft_url(a2568)).context["formset"]
    seed_admin.post(draft_url(a2568), post_data(formset, accept=SEED_CODES))
    fresh = Assessment.objects.with_scores().get(pk=a2568.pk)
    new_ids = set(Measure.objects.filter(assessment=a2568, position__gt=10).values_list("pk", flat=True))
    assert len(new_ids) == 11
    keys = {issue.key for issue in check_assessment(fresh)}
    assert "indicator:2:no-measure" not in keys
    flagged_new_rows = {key for key in keys if key.startswith("measure:") and int(key.split(":")[1]) in new_ids}
    assert flagged_new_rows == set()


def test_a_code_already_drafted_into_the_plan_is_marked_and_not_added_twice(seed_admin, a2568):
    formset = seed_admin.get(draft_url(a2568)).context["formset"]
    data = post_data(formset, accept=["i10"])
    seed_admin.post(draft_url(a2568), data)
    page = seed_admin.get(draft_url(a2568))
    assert [d.code for d, _f in page.context["cards"] if d.in_plan] == ["i10"]
    again = seed_admin.post(draft_url(a2568), data)
    assert again.status_code == 200
    assert "มาตรการของข้อ i10 อยู่ในแผนแล้ว" in again.content.decode()
    assert Measure.objects.filter(assessment=a2568).count() == 11


def test_an_incomplete_accepted_draft_refuses_the_whole_batch(seed_admin, a2568):
    formset = seed_admin.get(draft_url(a2568)).context["formset"]
    data = post_data(formset, accept=["i1", "i10"], i10={"units": [], "method": "  "})
    response = seed_admin.post(draft_url(a2568), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "เลือกสำนัก/กองที่รับผิดชอบอย่างน้อยหนึ่งแห่ง หรือเลือกทุกสำนัก/กอง" in html
    assert "เขียนวิธีการดำเนินการ" in html
    assert Measure.objects.filter(assessment=a2568).count() == 10


def test_accepting_nothing_says_so(seed_admin, a2568):
    formset = seed_admin.get(draft_url(a2568)).context["formset"]
    response = seed_admin.post(draft_url(a2568), post_data(formset))
    assert "เลือกอย่างน้อยหนึ่งมาตรการที่จะรับเข้าแผน" in response.content.decode()
    assert Measure.objects.filter(assessment=a2568).count() == 10


def test_a_tampered_formset_gets_a_message_not_an_error(seed_admin, a2568):
    response = seed_admin.post(draft_url(a2568), {"form-0-accept": "on"})
    assert response.status_code == 200
    assert Measure.objects.filter(assessment=a2568).count() == 10


def test_a_code_without_any_recommendation_is_drafted_from_its_text(client_for, assessment):
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=3),
                           kind="improve", code="i8", text="i8 ประเด็น ผู้บังคับบัญชาสั่งการไม่ถูกต้อง")
    cards = client_for("org_admin").get(draft_url(assessment)).context["cards"]
    (draft, _form), = cards
    assert draft.initial["method"] == "ผู้บังคับบัญชาสั่งการไม่ถูกต้อง"
    assert draft.initial["activity"] == "มาตรการผู้บังคับบัญชาสั่งการไม่ถูกต้อง"


def test_the_plan_year_must_exist(client_for, org):
    """Results of the newest year the reference data knows would be planned for a year it does
    not know yet: the page says so instead of drafting into nothing."""
    from django.db.models import Max

    from assessments.models import FiscalYear

    newest = FiscalYear.objects.aggregate(year=Max("year"))["year"]
    latest = make_assessment(org, newest, SEED_SCORES)
    html = client_for("org_admin").get(draft_url(latest)).content.decode()
    assert f"ยังไม่มีปีงบประมาณ {newest + 1} ในข้อมูลอ้างอิง" in html


@pytest.mark.parametrize("persona, status", [
    ("executive", 403), ("staff", 403), ("other_staff", 403), ("outsider", 404),
])
def test_only_the_organisations_admins_draft_and_accept(client_for, assessment, persona, status):
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=4),
                           kind="improve", code="i10", text="x")
    client = client_for(persona)
    assert client.get(draft_url(assessment)).status_code == status
    assert client.post(draft_url(assessment), {}).status_code == status
    assert not Measure.objects.exists()


def test_recommendations_load_once_and_keep_admin_edits(reference):
    assert Recommendation.objects.count() == 11
    Recommendation.objects.filter(question__code="i1").update(activity="แก้โดยผู้ดูแลระบบ")
    assert load_reference() == 0
    assert load_recommendations() == 0
    assert Recommendation.objects.count() == 11
    assert Recommendation.objects.get(question__code="i1").activity == "แก้โดยผู้ดูแลระบบ"
