"""The charts are complete, self-contained SVG elements that need no stylesheet and no query."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from assessments.models import Assessment, Indicator
from dashboard import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    return root


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def bars(root, colour):
    """The bars of one colour, leaving out the 12-unit swatches of the legend."""
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == colour and rect.get("height") != "12"]


def assert_self_contained(svg):
    """One <svg> with a viewBox, role="img", a Thai title and desc, Sarabun, and nothing that a
    CSP without 'unsafe-inline' or an unstyled renderer (WeasyPrint, print) would lose."""
    root = parse(svg)
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("role") == "img"
    assert root.get("font-family").startswith("Sarabun")
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    for element in root.iter():
        assert "style" not in element.attrib and "class" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    return root


@pytest.fixture
def scored(assessment):
    return Assessment.objects.with_scores().get(pk=assessment.pk)


def test_indicator_chart_draws_the_ten_scores_the_tool_means_and_the_reason(scored):
    root = assert_self_contained(charts.indicator_chart(scored))
    words = texts(root)
    for value in ("93.33", "96.13", "98.06", "83.87", "93.33", "97.13", "97.47", "95.74", "82.50", "85.00"):
        assert value in words
    # IIT (93.33+96.13+98.06+83.87+93.33)/5 = 92.944; EIT (97.13+97.47+95.74)/3 = 96.78;
    # OIT (82.50+85.00)/2 = 83.75; overall 27.8832 + 29.034 + 33.5 = 90.4172 -> 90.42.
    assert {"92.94", "96.78", "83.75"} <= set(words)
    assert "คะแนนภาพรวม 90.42 · ระดับ ผ่าน" in words
    assert "ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85" in words
    assert "เกณฑ์ผ่าน 85" in words
    assert root.find(f"{SVG}title").text == "คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. 2568 เทียบกับเกณฑ์ผ่าน 85"
    # Indicators 4 (83.87) and 9 (82.50) are below 85, and so is the OIT mean.
    assert len(bars(root, charts.BELOW)) == 2
    assert len(bars(root, charts.ABOVE)) == 8
    assert len(bars(root, charts.MEAN_BELOW)) == 1 and len(bars(root, charts.MEAN_ABOVE)) == 2


def test_indicator_chart_draws_a_what_if_from_the_engine(scored):
    """Indicator 9 at 95: OIT (95 + 85) / 2 = 90.00; overall 27.8832 + 29.034 + 36 = 92.9172
    -> 92.92, and every tool mean >= 85, so ผ่านดี."""
    scores = {**scored.score_map(), 9: Decimal(95)}
    root = assert_self_contained(charts.indicator_chart(scored, scores))
    words = texts(root)
    assert "90.00" in words and "95.00" in words
    assert "คะแนนภาพรวม 92.92 · ระดับ ผ่านดี" in words
    assert "ตามที่ลองกำหนด" in root.find(f"{SVG}title").text


def test_indicator_chart_reads_only_prefetched_objects(scored, django_assert_num_queries):
    """Guards against the chart querying scores, indicators or levels itself."""
    with django_assert_num_queries(0):
        charts.indicator_chart(scored)


def test_indicator_chart_without_scores_says_so(org, reference):
    from .conftest import make_assessment

    empty = Assessment.objects.with_scores().get(pk=make_assessment(org, 2567).pk)
    root = assert_self_contained(charts.indicator_chart(empty))
    assert texts(root).count("ไม่มีคะแนน") == 10
    assert "ยังคำนวณคะแนนภาพรวมไม่ได้: ไม่มีคะแนนตัวชี้วัดที่ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in texts(root)


def test_chart_text_is_escaped(scored):
    Indicator.objects.filter(fiscal_year=2568, number=1).update(name='<script>alert("x")</script> & co')
    svg = str(charts.indicator_chart(Assessment.objects.with_scores().get(pk=scored.pk)))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; co" in svg
    parse(svg)


def test_history_chart_draws_missing_years_as_gaps_not_zeros():
    points = [(2564, Decimal("54.25")), (2567, Decimal("94.67")), (2568, Decimal("90.41666"))]
    root = assert_self_contained(charts.history_chart(points, pass_mark=Decimal(85)))
    words = texts(root)
    assert [year for year in range(2564, 2569) if str(year) in words] == [2564, 2565, 2566, 2567, 2568]
    assert {"54.25", "94.67", "90.42"} <= set(words)
    assert words.count("ไม่มีข้อมูล") == 2
    assert "0.00" not in words
    assert len(bars(root, charts.ABOVE)) == 3
    assert root.find(f"{SVG}desc").text == "2564 54.25; 2565 ไม่มีข้อมูล; 2566 ไม่มีข้อมูล; 2567 94.67; 2568 90.42"


def test_history_chart_treats_none_as_a_gap():
    root = assert_self_contained(charts.history_chart([(2566, None), (2567, Decimal("88"))]))
    assert len(bars(root, charts.ABOVE)) == 1
    assert "2566 ไม่มีข้อมูล" in root.find(f"{SVG}desc").text


def test_history_chart_without_any_score_says_so():
    root = assert_self_contained(charts.history_chart([]))
    assert texts(root) == ["ยังไม่มีข้อมูล"]


def test_status_chart_counts_rows_by_status():
    rows = [("not_started", "ยังไม่เริ่ม", 5), ("in_progress", "กำลังดำเนินการ", 3), ("done", "เสร็จสิ้น", 2), ("cancelled", "ยกเลิก", 0)]
    root = assert_self_contained(charts.status_chart(rows))
    assert {"ยังไม่เริ่ม", "5 มาตรการ", "3 มาตรการ", "2 มาตรการ", "0 มาตรการ"} <= set(texts(root))


def test_progress_chart_writes_out_a_unit_without_measures():
    rows = [("สำนักปลัด", Decimal("28.25"), 4), ("กองช่าง", None, 0)]
    root = assert_self_contained(charts.progress_chart(rows))
    assert {"28.3% (4 มาตรการ)", "ไม่มีมาตรการ"} <= set(texts(root))


def test_percent_is_rounded_half_up_once():
    assert charts.percent_text(Decimal("28.25")) == "28.3"
    assert charts.percent_text(Decimal("28.249")) == "28.2"
    assert charts.percent_text(Decimal(100)) == "100.0"


def test_a_long_label_is_cut_in_the_drawing_but_whole_in_the_description():
    """Thai vowel and tone marks take no width, so only the base letters count to the limit."""
    name = "กองส่งเสริมการเกษตร การท่องเที่ยว และวิสาหกิจชุมชนของตำบล"
    root = assert_self_contained(charts.progress_chart([(name, Decimal(10), 1)]))
    drawn = texts(root)[0]
    assert drawn.endswith("…") and name.startswith(drawn[:-1])
    assert name in root.find(f"{SVG}desc").text


def font_sizes(root):
    return [float(element.get("font-size")) for element in root.iter(f"{SVG}text")]


def test_the_phone_drawings_are_320_wide_with_no_text_under_13(scored):
    """At 320 units a chart stands 296 px wide on a 360 px phone (scale 0.925), so 13 units is
    at least 12 px there: the issue asks for labels of 12 px or more on a phone."""
    drawings = [
        charts.indicator_chart(scored, phone=True),
        charts.history_chart([(2564, Decimal("54.25")), (2566, None), (2568, Decimal("90.42"))], Decimal(85), phone=True),
        charts.status_chart([("done", "เสร็จสิ้น", 2), ("cancelled", "ยกเลิก", 0)], phone=True),
        charts.progress_chart([("สำนักปลัด", Decimal("28.25"), 4), ("กองช่าง", None, 0)], phone=True),
    ]
    for svg in drawings:
        root = assert_self_contained(svg)
        assert root.get("viewBox").startswith(f"0 0 {charts.PHONE_WIDTH} ")
        assert min(font_sizes(root)) >= 13


def test_the_phone_indicator_chart_says_what_the_wide_one_says(scored):
    """Same title, same description, same numbers: only the drawing differs."""
    wide, phone = parse(charts.indicator_chart(scored)), assert_self_contained(charts.indicator_chart(scored, phone=True))
    for part in ("title", "desc"):
        assert phone.find(f"{SVG}{part}").text == wide.find(f"{SVG}{part}").text
    words = texts(phone)
    assert {"93.33", "82.50", "85.00", "92.94", "96.78", "83.75", "เกณฑ์ผ่าน 85"} <= set(words)
    assert "คะแนนภาพรวม 90.42 · ระดับ ผ่าน" in words
    # The reason, wrapped at a space to fit the phone, reads whole again when joined.
    assert "ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85" in " ".join(words)
    assert len(bars(phone, charts.BELOW)) == 2 and len(bars(phone, charts.ABOVE)) == 8
    assert len(bars(phone, charts.MEAN_BELOW)) == 1 and len(bars(phone, charts.MEAN_ABOVE)) == 2


def test_the_phone_history_chart_keeps_the_gaps():
    points = [(2564, Decimal("54.25")), (2567, Decimal("94.67")), (2568, Decimal("90.41666"))]
    root = assert_self_contained(charts.history_chart(points, Decimal(85), phone=True))
    words = texts(root)
    assert words.count("ไม่มีข้อมูล") == 2 and {"54.25", "94.67", "90.42", "เกณฑ์ผ่าน 85"} <= set(words)
    assert len(bars(root, charts.ABOVE)) == 3
    assert root.find(f"{SVG}desc").text == "2564 54.25; 2565 ไม่มีข้อมูล; 2566 ไม่มีข้อมูล; 2567 94.67; 2568 90.42"


def test_for_screens_draws_both(scored):
    drawing = charts.for_screens(charts.indicator_chart, scored)
    assert parse(drawing.wide).get("viewBox").startswith("0 0 760 ")
    assert parse(drawing.phone).get("viewBox").startswith(f"0 0 {charts.PHONE_WIDTH} ")


def test_wrap_breaks_at_spaces_counting_only_letters_that_take_room():
    assert charts._wrap("ไม่ถึงระดับผ่านดี เพราะ OIT 83.75 ต่ำกว่า 85", 20) == ["ไม่ถึงระดับผ่านดี เพราะ", "OIT 83.75 ต่ำกว่า 85"]
