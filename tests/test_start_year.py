"""Starting a fiscal year: the year's assessment (no scores yet) and the next year's plan as a
draft, with the unfinished rows of the previous plan carried over as the admin ticks them,
each copy linked to its origin and its history."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Assessment, FiscalYear, IndicatorScore
from measures.models import Measure, Plan, ProgressNote

from .conftest import make_measure

URL = reverse("measures:start_year")


@pytest.fixture
def previous(assessment, palad, klang, personas):
    """The 2569 plan: a row in progress (edited once), a row not started, a done and a cancelled one."""
    going = make_measure(assessment, [palad, klang], number=9, activity="เผยแพร่ข้อมูลบนเว็บไซต์",
                         start_date=date(2025, 10, 1), end_date=date(2026, 9, 30), position=1)
    going.status, going.progress = "in_progress", 60
    going.save_if_current(going.version, ["status", "progress"])
    waiting = make_measure(assessment, [], number=4, activity="ทบทวนระเบียบการยืมทรัพย์สิน", for_all_units=True,
                           position=2)
    done = make_measure(assessment, [palad], activity="เสร็จแล้ว", status="done", progress=100, position=3)
    cancelled = make_measure(assessment, [palad], activity="ยกเลิกแล้ว", status="cancelled", position=4)
    ProgressNote.objects.create(measure=going, text="ประชุมคณะทำงาน", author=personas["staff"])
    return {"going": going, "waiting": waiting, "done": done, "cancelled": cancelled}


def start(client, year="2569", carry=(), tracking="keep"):
    return client.post(URL, {"year": year, "carry": [m.pk for m in carry], "tracking": tracking})


def test_starting_a_year_makes_its_assessment_without_scores_and_the_next_plan_as_a_draft(previous, client_for, org):
    admin = client_for("org_admin")
    response = start(admin)
    assert response.status_code == 302 and response["Location"] == reverse("measures:plan", args=[2570])
    started = Assessment.objects.get(organisation=org, fiscal_year=2569)
    assert not IndicatorScore.objects.filter(assessment=started).exists()
    plan = Plan.objects.get(assessment=started)
    assert (plan.fiscal_year_id, plan.state) == (2570, "draft")
    assert list(plan.events.values_list("kind", "by__username")) == [("started", "org_admin")]
    page = admin.get(response["Location"])
    assert "เริ่มปีงบประมาณ 2569 แล้ว" in page.content.decode()
    # The scores are entered (or pasted) later on the existing entry page.
    assert admin.get(reverse("assessment_edit", args=[started.pk])).status_code == 200


def test_the_admin_sees_the_unfinished_rows_all_ticked(previous, client_for):
    response = client_for("org_admin").get(URL)
    assert response.status_code == 200
    assert [m.pk for m in response.context["candidates"]] == [previous["going"].pk, previous["waiting"].pk]
    html = response.content.decode()
    assert f'value="{previous["going"].pk}" id="carry-{previous["going"].pk}" checked' in html
    assert "เสร็จแล้ว" not in html and "ยกเลิกแล้ว" not in html
    assert response.context["form"]["year"].value() == 2569  # the year after the newest started


def test_carry_over_keeps_the_origin_and_its_history(previous, client_for, assessment):
    going = previous["going"]
    origin_before = Measure.objects.filter(pk=going.pk).values().get()
    start(client_for("org_admin"), carry=[going])

    copy = Measure.objects.get(carried_from=going)
    assert (copy.fiscal_year_id, copy.assessment.fiscal_year_id, copy.plan.fiscal_year_id) == (2570, 2569, 2570)
    assert (copy.activity, copy.analysis, copy.method, copy.period, copy.responsible, copy.indicator_label) == (
        going.activity, going.analysis, going.method, going.period, going.responsible, going.indicator_label)
    # Filed under the new year's indicator of the same number, with the same units.
    assert (copy.indicator.fiscal_year_id, copy.indicator.number) == (2569, 9)
    assert set(copy.units.values_list("name", flat=True)) == {"สำนักปลัด", "กองคลัง"}
    # It goes on where it stood; the old year's planned dates stay with the origin.
    assert (copy.status, copy.progress, copy.start_date, copy.end_date) == ("in_progress", 60, None, None)
    # The origin stays untouched in its own year, with its notes.
    assert Measure.objects.filter(pk=going.pk).values().get() == origin_before
    assert not copy.notes.exists() and going.notes.count() == 1
    assert Measure.objects.filter(plan__fiscal_year=2570).count() == 1

    # The copy's history page shows the origin's history after its own, with links to it.
    response = client_for("staff").get(reverse("measures:history", args=[copy.pk]))
    (origin, entries), = response.context["earlier"]
    assert origin == going
    assert {(c.label, c.old, c.new) for e in entries for c in e.changes} >= {
        ("สถานะ", "ยังไม่เริ่ม", "กำลังดำเนินการ"), ("ความก้าวหน้า (%)", "0", "60")}
    html = response.content.decode()
    assert "ก่อนยกมา: ประวัติของแถวต้นทางในแผนปี 2569" in html
    assert "สร้างแถวโดยยกมาจากมาตรการที่ยังไม่เสร็จของแผนก่อนหน้า" in html
    assert reverse("measures:history", args=[going.pk]) in html

    # Each detail page says where the row came from or went, and where the notes are.
    detail = client_for("staff").get(reverse("measures:detail", args=[copy.pk])).content.decode()
    assert "บันทึกความก้าวหน้าและหลักฐานก่อนยกมาอยู่ที่แถวต้นทาง" in detail
    assert reverse("measures:detail", args=[going.pk]) in detail
    origin_page = client_for("staff").get(reverse("measures:detail", args=[going.pk])).content.decode()
    assert "ถูกยกไปทำต่อในแผนปี 2570" in origin_page


def test_a_row_carried_twice_shows_both_earlier_histories(previous, client_for):
    FiscalYear.objects.create(year=2571)  # the reference data ends at 2570
    admin = client_for("org_admin")
    start(admin, carry=[previous["going"]])
    first_copy = Measure.objects.get(carried_from=previous["going"])
    assert start(admin, year="2570", carry=[first_copy]).status_code == 302
    second_copy = Measure.objects.get(carried_from=first_copy)
    assert second_copy.plan.fiscal_year_id == 2571
    response = client_for("staff").get(reverse("measures:history", args=[second_copy.pk]))
    assert [origin for origin, _entries in response.context["earlier"]] == [first_copy, previous["going"]]


def test_the_copies_can_start_over_at_not_started(previous, client_for):
    start(client_for("org_admin"), carry=[previous["going"], previous["waiting"]], tracking="reset")
    copies = Measure.objects.filter(plan__fiscal_year=2570).order_by("position")
    assert [(m.carried_from_id, m.status, m.progress, m.position) for m in copies] == [
        (previous["going"].pk, "not_started", 0, 1), (previous["waiting"].pk, "not_started", 0, 2)]
    assert copies[1].for_all_units and copies[1].indicator.number == 4


@pytest.mark.parametrize("year, message", [
    ("2568", "ปีงบประมาณ 2568 เริ่มแล้ว (มีแผนปี 2569 แล้ว)"),
    ("2567", "ปีงบประมาณ 2567 เก่ากว่าปีล่าสุดที่เริ่มแล้ว (2568) ปีที่ผ่านมาแล้วอ่านได้อย่างเดียว"),
    ("2599", "ไม่มีปีงบประมาณ 2599 ในข้อมูลอ้างอิง (มีปี 2563 ถึง 2570)"),
    ("2570", "ยังไม่มีปีงบประมาณ 2571 ในข้อมูลอ้างอิง จึงยังสร้างแผนปี 2571 ไม่ได้"),
    ("๒๕6๙", "เขียนปีด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"),
    ("สองพัน", "กรุณากรอกเป็นตัวเลขจำนวนเต็ม"),
])
def test_a_year_that_cannot_be_started_is_refused_in_thai_and_nothing_is_made(previous, client_for, year, message):
    counts = (Assessment.objects.count(), Plan.objects.count(), Measure.objects.count())
    response = start(client_for("org_admin"), year=year, carry=[previous["going"]])
    assert response.status_code == 422
    assert message in response.context["form"].errors["year"][0]
    assert message in response.content.decode()
    assert (Assessment.objects.count(), Plan.objects.count(), Measure.objects.count()) == counts


def test_the_year_may_be_written_in_thai_digits(previous, client_for, org):
    assert start(client_for("org_admin"), year="๒๕๖๙").status_code == 302
    assert Plan.objects.filter(assessment__organisation=org, fiscal_year=2570).exists()


def test_a_row_that_cannot_be_carried_is_refused_in_thai(previous, client_for, other_org):
    from .conftest import make_assessment

    foreign = make_measure(make_assessment(other_org, 2568), [])
    for row in (previous["done"], foreign):
        response = start(client_for("org_admin"), carry=[row])
        assert response.status_code == 422
        assert "แถวที่เลือกไม่ใช่มาตรการที่ยังไม่เสร็จของแผนก่อนหน้า" in response.content.decode()
    assert not Plan.objects.filter(fiscal_year=2570).exists()


def test_results_entered_before_the_year_was_started_are_kept(previous, client_for, org):
    entered = Assessment.objects.create(organisation=org, fiscal_year_id=2569, published_overall="91.00")
    assert start(client_for("org_admin"), carry=[previous["waiting"]]).status_code == 302
    assert Assessment.objects.filter(organisation=org, fiscal_year=2569).get() == entered
    assert Plan.objects.get(assessment=entered).measures.count() == 1


def test_a_row_carried_over_cannot_be_deleted_while_its_copy_points_at_it(previous, client_for):
    going = previous["going"]
    start(client_for("org_admin"), carry=[going])
    going.refresh_from_db()
    client = client_for("org_admin")
    assert "จึงลบไม่ได้" in client.get(reverse("measures:delete", args=[going.pk])).content.decode()
    response = client.post(reverse("measures:delete", args=[going.pk]), {"version": going.version})
    assert response.status_code == 403
    assert "แถวนี้ถูกยกไปแผนปี 2570 แล้ว จึงลบไม่ได้" in response.content.decode()
    assert Measure.objects.filter(pk=going.pk).exists()


@pytest.mark.parametrize("persona, status", [("staff", 403), ("executive", 403), ("anonymous", 302)])
def test_only_admins_start_a_year(previous, client_for, persona, status):
    assert start(client_for(persona)).status_code == status
    assert not Plan.objects.filter(fiscal_year=2570).exists()


def test_start_page_query_count_does_not_grow_with_the_rows_to_carry(previous, assessment, palad, klang,
                                                                      client_for, django_assert_num_queries):
    """Guards the N+1 on each candidate row's units and indicator."""
    client = client_for("org_admin")
    client.get(URL)
    # session, the user with their membership; the newest year; the previous plan; its unfinished rows, their
    # units; the navbar's organisation.
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
    for number in range(1, 11):
        make_measure(assessment, [palad, klang], number=number)
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["candidates"]) == 12


def test_a_new_organisation_is_proposed_the_newest_year_whose_results_are_known(client_for, org):
    """No result yet: the newest year with indicators in the reference data, never a year whose
    results cannot be out yet (today's fiscal year or one beyond)."""
    from lib.thai import fiscal_year_of

    page = client_for("org_admin").get(URL)
    known = max(FiscalYear.objects.filter(indicators__isnull=False, year__lt=fiscal_year_of(date.today()))
                .values_list("year", flat=True))
    assert page.context["form"]["year"].value() == known
    assert f"ระบบเสนอปี {known}: แผนปี {known + 1} ที่จะสร้างเป็นแผนที่ตอบผลการประเมิน ITA ปี {known}" in page.content.decode()


def test_results_entered_before_starting_propose_their_own_year_not_one_beyond(client_for, assessment):
    """The 2568 scores are in and no plan answers them yet: start 2568 (plan 2569), not 2569."""
    page = client_for("org_admin").get(URL)
    assert page.context["form"]["year"].value() == 2568
    assert "แผนปี 2569 ที่จะสร้างเป็นแผนที่ตอบผลการประเมิน ITA ปี 2568" in page.content.decode()


def test_once_a_plan_answers_the_newest_result_the_next_year_is_proposed(previous, client_for):
    assert client_for("org_admin").get(URL).context["form"]["year"].value() == 2569


def test_the_empty_plan_after_starting_says_it_has_no_measures_yet_and_how_to_make_them(client_for, org):
    admin = client_for("org_admin")
    response = start(admin, year="2568")
    assert response.status_code == 302
    page = admin.get(reverse("measures:plan", args=[2569]))
    html = page.content.decode()
    assert "แผนปีนี้ยังไม่มีมาตรการ" in html and "ยังไม่มีแผนสำหรับปีนี้" not in html
    started = Assessment.objects.get(organisation=org, fiscal_year=2568)
    assert reverse("analysis_paste", args=[started.pk]) in html
    assert reverse("measures:draft", args=[started.pk]) in html
    # "เสนอผู้บริหาร" is not offered on a plan with no rows.
    assert page.context["steps"] == []
    assert 'data-testid="step-submitted"' not in html
    make_measure(started)
    assert "submitted" in admin.get(reverse("measures:plan", args=[2569])).context["steps"]
