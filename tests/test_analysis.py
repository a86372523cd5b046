"""The NACC's analysis pasted whole: the reader, the preview-then-save page, the import command,
and the complete drafts made from what it read."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.analysis import read_analysis
from ita_portal.seed import SEED_FILE
from assessments.models import Assessment, Finding, IndicatorScore, Organisation
from measures.drafts import propose
from measures.models import Measure

from .conftest import SEED_SCORES, make_assessment

SEED_DOCUMENT = Path("/work/shared/seed/000_6413bfa822ac5957.txt")
# The seed document's section "การวิเคราะห์ผลการประเมิน...", as an admin would copy it: from its
# title to the start of the plan that follows it (checked against the document below).
SEED_ANALYSIS = Path(__file__).parent / "analysis" / "seed_analysis.txt"
OTHER_STYLE = Path(__file__).parent / "analysis" / "other_style.txt"
TEN = range(1, 11)
FIELDS = ["indicator", "kind", "code", "score", "text", "oit_refs", "sub_indicator_refs"]


def seed_analysis():
    return SEED_ANALYSIS.read_text(encoding="utf-8")


@pytest.mark.skipif(not SEED_DOCUMENT.exists(), reason="the shared seed document is not on this machine")
def test_the_copy_of_the_seeds_analysis_is_the_documents_own_section():
    text = SEED_DOCUMENT.read_text(encoding="utf-8")
    start = text.index("## การวิเคราะห์ผลการประเมิน")
    end = text.index("\nวิเคราะห์ผลการประเมินคุณธรรม", start)
    assert text[start:end] == seed_analysis()


def as_fixture(point):
    return {
        "indicator": point.indicator, "kind": point.kind, "code": point.code,
        "score": None if point.score is None else f"{point.score:.2f}", "text": point.text,
        "oit_refs": point.oit_refs, "sub_indicator_refs": point.sub_indicator_refs,
    }


def seed_findings():
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    entry = next(a for a in data["assessments"] if a["fiscal_year"] == 2568)
    return entry["findings"], entry["scores"]


# The reader


def test_the_seeds_own_analysis_reads_back_exactly_the_findings_of_the_seed_fixture():
    findings, scores = seed_findings()
    result = read_analysis(seed_analysis(), TEN)
    assert [as_fixture(point) for point in result.points] == [{k: f[k] for k in FIELDS} for f in findings]
    assert {n: h.text for n, h in result.headings.items()} == {s["number"]: s["heading_as_written"] for s in scores}
    assert result.scores == {s["number"]: Decimal(s["score"]) for s in scores}
    # Only the section's own title is left unread, and it is said why.
    assert [(s.line, s.reason) for s in result.skipped] == [(1, "title")]


def test_the_seeds_points_to_improve_split_into_issue_and_recommendation():
    points = {p.code: p for p in read_analysis(seed_analysis(), TEN).points if p.kind == "improve" and p.code}
    assert points["i10"].issue == "เจ้าหน้าที่ในหน่วยงานบางรายมีการขอยืมทรัพย์สินของทางราชการไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง"
    assert points["i10"].recommendation.startswith("หน่วยงานควรระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สิน")
    # "(i๔) ได้ ๙๔.๑๙ คะแนน ควร...": the code in brackets, the score, the recommendation from ควร.
    assert points["i4"].issue == "การใช้งบประมาณให้ตรงตามวัตถุประสงค์"
    assert points["i4"].recommendation == (
        "ควรเปิดโอกาสให้บุคลากร ภายในมีส่วนร่วมในการจัดทำและติดตามแผนการใช้จ่ายงบประมาณ (๐๖)")


def test_an_analysis_in_another_style_is_read_right():
    """Inline จุดที่ควรพัฒนา after a colon, codes in brackets, Arabic digits, "–" for none,
    OIT points with their item codes and "อ้างอิงจาก ๐๘" references, "ตัวชี้วัด ๙.๑, ๙.๒"."""
    result = read_analysis(OTHER_STYLE.read_text(encoding="utf-8"), TEN)
    improve = [(p.indicator, p.code, p.score, p.oit_refs, p.sub_indicator_refs)
               for p in result.points if p.kind == "improve"]
    assert improve == [
        (1, "i1", Decimal("72.00"), ["o8"], []),
        (4, "i10", Decimal("79.40"), ["o8"], []),
        (5, "i15", Decimal("80.00"), ["o17", "o18"], []),
        (5, "", None, [], []),
        (7, "e4", Decimal("88.10"), [], ["9.1", "9.2"]),
        (9, "o11", None, ["o12"], []),
        (10, "o22", Decimal("0"), [], []),
    ]
    strengths = [(p.indicator, p.score) for p in result.points if p.kind == "strength"]
    assert strengths == [(1, Decimal("100")), (3, Decimal("98.20")), (9, Decimal("100")), (10, Decimal("100"))]
    o11 = next(p for p in result.points if p.code == "o11")
    assert o11.issue == "ไม่ได้เผยแพร่แผนการจัดซื้อจัดจ้างและรายงานผลการจัดซื้อจัดจ้าง"
    assert o11.recommendation.startswith("หน่วยงานควรเผยแพร่แผนการจัดซื้อจัดจ้างประจำปี")
    assert result.scores[1] == Decimal("88.50") and result.scores[7] == Decimal("90.25")
    assert [s.reason for s in result.skipped] == ["title"]


def test_lines_that_cannot_be_read_say_why():
    text = "\n".join([
        "บทนำของเอกสาร",
        "11. ตัวชี้วัดที่ไม่มี (90.00 คะแนน)",
        "ข้อความใต้หัวข้อที่อ่านไม่ได้",
        "1. การปฏิบัติหน้าที่ (93.33 คะแนน)",
        "ข้อความที่ยังไม่บอกว่าเป็นจุดเด่นหรือจุดที่ควรพัฒนา",
        "จุดที่ควรพัฒนา: (i1) ได้ ๙3.00 คะแนน ควรทำคู่มือ",
        "1\tการปฏิบัติหน้าที่\t93.33",
    ])
    result = read_analysis(text, TEN)
    assert [(s.line, s.reason, s.params) for s in result.skipped] == [
        (1, "before_heading", {}),
        (2, "unknown_indicator", {"indicator": 11}),
        (3, "under_unknown", {}),
        (5, "no_kind", {"indicator": 1}),
        (6, "mixed_digits", {"number": "๙3.00"}),
        (7, "table_row", {}),
    ]
    assert result.points == []


# The page


def paste_url(assessment):
    return reverse("analysis_paste", args=[assessment.pk])


@pytest.fixture
def empty_year(org):
    """A new organisation's year with no scores and no findings yet."""
    return make_assessment(org, 2568)


def test_the_preview_lists_every_point_and_saves_nothing(client_for, empty_year):
    client = client_for("org_admin")
    response = client.post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["points"]) == 11
    assert "หัวเรื่อง: ข้าม" in html
    assert "ไม่ได้เผยแพร่แผนการจัดซื้อจัดจ้างและรายงานผลการจัดซื้อจัดจ้าง" in html
    assert response.context["fills_scores"] is True
    assert "1: 88.50" in html and "10: 80.00" in html  # the scores the headings give
    assert not Finding.objects.exists() and not IndicatorScore.objects.exists()


def test_saving_keeps_every_point_with_its_recommendation_and_fills_the_years_scores(client_for, empty_year):
    client = client_for("org_admin")
    response = client.post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_findings", args=[empty_year.pk])
    findings = list(empty_year.findings.select_related("indicator"))
    assert len(findings) == 11
    i1 = next(f for f in findings if f.code == "i1")
    assert i1.score == Decimal("72.00") and i1.oit_refs == ["o8"]
    assert i1.text.startswith("ประเด็นการปฏิบัติงานตามขั้นตอนและระยะเวลา (i1) ได้ 72.00 คะแนน ควรจัดทำ")
    assert i1.recommendation.startswith("ควรจัดทำคู่มือการปฏิบัติงาน")
    scores = {s.indicator.number: s.score for s in empty_year.scores.select_related("indicator")}
    assert scores == {n: s for n, s in read_analysis(OTHER_STYLE.read_text(), TEN).scores.items()}
    assert empty_year.scores.get(indicator__number=1).heading_as_written == "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ 88.50 คะแนน"


def test_a_year_with_scores_keeps_them_and_is_told_where_the_headings_differ(client_for, assessment):
    client = client_for("org_admin")
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=1),
                           kind="improve", text="ของเดิม")
    response = client.post(paste_url(assessment), {"text": OTHER_STYLE.read_text(), "action": "preview"})
    differences = {d.indicator: (d.heading, d.saved) for d in response.context["differences"]}
    assert differences[1] == (Decimal("88.50"), Decimal(SEED_SCORES[1]))
    assert response.context["replaced"] == 1
    client.post(paste_url(assessment), {"text": OTHER_STYLE.read_text(), "action": "save"})
    assert {s.indicator.number: str(s.score) for s in assessment.scores.select_related("indicator")} == SEED_SCORES
    assert not assessment.findings.filter(text="ของเดิม").exists()
    assert assessment.findings.count() == 11


def test_text_with_nothing_to_read_is_refused_and_changes_nothing(client_for, assessment):
    Finding.objects.create(assessment=assessment, indicator=assessment.fiscal_year.indicators.get(number=1),
                           kind="improve", text="ของเดิม")
    response = client_for("org_admin").post(paste_url(assessment), {"text": "สวัสดีครับ", "action": "save"})
    assert response.status_code == 200
    assert "ไม่พบจุดเด่นหรือจุดที่ควรพัฒนาในข้อความนี้" in response.content.decode()
    assert list(assessment.findings.values_list("text", flat=True)) == ["ของเดิม"]


def test_a_failure_while_saving_leaves_the_year_as_it_was(client_for, empty_year, monkeypatch):
    from assessments import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Finding.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        client_for("org_admin").post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"})
    assert not IndicatorScore.objects.filter(assessment=empty_year).exists()


@pytest.mark.parametrize("persona, status", [
    ("executive", 403), ("staff", 403), ("other_staff", 403), ("outsider", 404),
])
def test_only_the_organisations_admins_paste_the_analysis(client_for, empty_year, persona, status):
    client = client_for(persona)
    assert client.get(paste_url(empty_year)).status_code == status
    assert client.post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"}).status_code == status
    assert not Finding.objects.exists()


def test_a_past_years_analysis_is_not_replaced(client_for, org, empty_year):
    make_assessment(org, 2569)
    response = client_for("org_admin").post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"})
    assert response.status_code == 403
    assert not Finding.objects.exists()


def test_the_preview_reads_the_database_a_fixed_number_of_times(client_for, assessment, django_assert_num_queries):
    """Guards an N+1 over the points read: each point's indicator comes from one query of the
    year's indicators, not one query per point."""
    client = client_for("org_admin")
    text = OTHER_STYLE.read_text()
    client.post(paste_url(assessment), {"text": text, "action": "preview"})
    with django_assert_num_queries(10):
        response = client.post(paste_url(assessment), {"text": text + "\n" + text.split("\n", 1)[1], "action": "preview"})
    assert len(response.context["points"]) == 22  # repeated headings are reported, their points still read
    assert response.status_code == 200


# The command


def test_the_command_creates_the_year_and_saves_what_it_read(org, tmp_path, capsys):
    path = tmp_path / "analysis.txt"
    path.write_text(OTHER_STYLE.read_text(), encoding="utf-8")
    call_command("import_analysis", str(path), "--organisation", "อบต.ทดสอบ", "--year", "2568")
    assessment = Assessment.objects.get(organisation=org, fiscal_year=2568)
    assert assessment.findings.count() == 11
    assert assessment.scores.count() == 10
    out = capsys.readouterr().out
    assert "สร้างผลการประเมินปี 2568 และบันทึก 11 ประเด็นแล้ว พร้อมคะแนนสิบตัวชี้วัดจากหัวข้อ" in out
    assert "ตัวชี้วัดที่ 9 จุดที่ควรพัฒนา o11 OIT o12" in out


def test_the_command_refuses_a_file_it_cannot_read(org, tmp_path):
    path = tmp_path / "analysis.txt"
    path.write_text("ไม่มีอะไรให้อ่าน", encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่พบจุดเด่นหรือจุดที่ควรพัฒนา"):
        call_command("import_analysis", str(path), "--organisation", "อบต.ทดสอบ", "--year", "2568")
    with pytest.raises(CommandError, match="อ่านไฟล์"):
        call_command("import_analysis", str(tmp_path / "none.txt"), "--organisation", "อบต.ทดสอบ", "--year", "2568")
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน"):
        call_command("import_analysis", str(path), "--organisation", "ไม่มี", "--year", "2568")
    assert not Assessment.objects.filter(organisation=org).exists()


# The drafts made from what was read


def test_every_point_to_improve_of_a_pasted_analysis_gets_a_complete_draft(client_for, org, empty_year):
    client_for("org_admin").post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"})
    year = Assessment.objects.with_scores().get(pk=empty_year.pk)
    drafts = propose(year, year.fiscal_year.__class__.objects.get(year=2569))
    assert [(d.code, d.indicator.number) for d in drafts] == [
        ("i1", 1), ("i10", 4), ("i15", 5), ("", 5), ("e4", 7), ("o11", 9), ("o22", 10),
    ]
    for draft in drafts:
        assert all(draft.initial[name] for name in ("activity", "method", "analysis", "period", "responsible"))
        assert draft.initial["units"] or draft.initial["for_all_units"]
    i1 = drafts[0].initial
    # The question's own score (72.00), not its indicator's (88.50), and Arabic digits as the text writes them.
    assert i1["analysis"] == "ได้รับคะแนน 72.00 คะแนน พบว่า การปฏิบัติงานตามขั้นตอนและระยะเวลา (i1)"
    assert i1["method"] == "จัดทำคู่มือการปฏิบัติงานที่ระบุขั้นตอนและระยะเวลาของแต่ละงานบริการ (๐๘) และเผยแพร่ให้บุคลากรทราบ"
    assert i1["activity"] == "มาตรการจัดทำคู่มือการปฏิบัติงานที่ระบุขั้นตอนและระยะเวลาของแต่ละงานบริการ"
    assert i1["period"] == "ปีงบประมาณ พ.ศ. 2569"
    assert i1["indicator_label"] == "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"
    assert [code for code, _title in drafts[5].oit_items] == ["o11", "o12"]
    # A point without a code, and without a quoted score, quotes its indicator's.
    assert drafts[3].initial["analysis"].startswith("ได้รับคะแนน 86.40 คะแนน")


def test_accepting_pasted_drafts_puts_them_in_the_plan_and_passes_the_check(client_for, empty_year):
    from assessments.checks import check_assessment

    client = client_for("org_admin")
    client.post(paste_url(empty_year), {"text": OTHER_STYLE.read_text(), "action": "save"})
    page = client.get(reverse("measures:draft", args=[empty_year.pk]))
    formset = page.context["formset"]
    data = {formset.management_form.add_prefix(k): v for k, v in formset.management_form.initial.items()}
    for form in formset.forms:
        for name, value in form.initial.items():
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, list):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = str(value)
        data[form.add_prefix("accept")] = "on"
    response = client.post(reverse("measures:draft", args=[empty_year.pk]), data)
    assert response.status_code == 302
    rows = list(Measure.objects.filter(assessment=empty_year).order_by("position"))
    assert len(rows) == 7
    assert rows[0].analysis.endswith("(i1)")
    assert rows[-1].analysis.startswith("ได้รับคะแนน 0.00 คะแนน พบว่า ") and rows[-1].analysis.endswith("(o22)")
    fresh = Assessment.objects.with_scores().get(pk=empty_year.pk)
    flagged = {i.key for i in check_assessment(fresh) if i.key.startswith("measure:") and ":score:" in i.key}
    assert flagged == set()
    again = client.get(reverse("measures:draft", args=[empty_year.pk]))
    assert [d.code for d, _f in again.context["cards"] if d.in_plan] == ["i1", "i10", "i15", "e4", "o11", "o22"]


def test_the_seed_pasted_again_changes_none_of_its_findings(seed, client_for):
    organisation = Organisation.objects.get(short_name="อบต.วังหมี")
    from accounts.models import Membership

    from .conftest import make_user
    from django.test import Client

    client = Client()
    client.force_login(make_user("wangmi_admin", organisation, Membership.Role.ADMIN))
    a2568 = Assessment.objects.get(organisation=organisation, fiscal_year=2568)
    before = list(a2568.findings.order_by("position").values(*[f if f != "indicator" else "indicator__number" for f in FIELDS]))
    client.post(paste_url(a2568), {"text": seed_analysis(), "action": "save"})
    after = list(a2568.findings.order_by("position").values(*[f if f != "indicator" else "indicator__number" for f in FIELDS]))
    assert after == before
    assert a2568.findings.get(code="i4", indicator__number=2).recommendation.startswith("ควรเปิดโอกาส")


def test_the_draft_page_reads_the_database_a_fixed_number_of_times(client_for, assessment, django_assert_num_queries):
    """Guards an N+1 over the drafts: the points, their indicators, the year's codes with their
    standard recommendations and the previous plan's rows come in one query each, whatever the
    number of points to improve."""
    client = client_for("org_admin")
    indicators = {i.number: i for i in assessment.fiscal_year.indicators.all()}
    url = reverse("measures:draft", args=[assessment.pk])

    def add(codes):
        for position, code in enumerate(codes, start=assessment.findings.count() + 1):
            Finding.objects.create(assessment=assessment, indicator=indicators[9], kind="improve", code=code,
                                   text=f"{code} ประเด็น ขาดข้อมูล ดังนั้น หน่วยงานควรเผยแพร่ข้อมูล",
                                   recommendation="หน่วยงานควรเผยแพร่ข้อมูล", position=position)

    add(["o1", "o2", ""])
    client.get(url)
    with django_assert_num_queries(17):
        assert len(client.get(url).context["cards"]) == 3
    add(["o3", "o4", "o5", "", ""])
    with django_assert_num_queries(17):
        assert len(client.get(url).context["cards"]) == 8


def test_a_numbered_point_is_not_taken_for_a_heading():
    """"1. ..." under จุดที่ควรพัฒนา is a point; a numbered line is a heading only with a score, the
    word ตัวชี้วัดที่, or the name of one of the year's indicators."""
    text = "\n".join([
        "1. การปฏิบัติหน้าที่",
        "จุดที่ควรพัฒนา",
        "1. หน่วยงานควรจัดทำคู่มือการปฏิบัติงาน",
        "2. หน่วยงานควรเผยแพร่คู่มือ",
        "2. การใช้งบประมาณ (96.13 คะแนน)",
        "จุดเด่น –",
    ])
    result = read_analysis(text, {1: ["การปฏิบัติหน้าที่"], 2: ["การใช้งบประมาณ"]})
    assert [(p.indicator, p.text) for p in result.points] == [
        (1, "1. หน่วยงานควรจัดทำคู่มือการปฏิบัติงาน"), (1, "2. หน่วยงานควรเผยแพร่คู่มือ"),
    ]
    assert set(result.headings) == {1, 2} and result.scores == {2: Decimal("96.13")}
