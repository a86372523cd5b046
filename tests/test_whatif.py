"""The what-if: target scores typed for any indicators give the projected overall score and
level from the score engine, at once over HTMX; bad input gets a Thai message; nothing is saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, IndicatorScore


def what_if(client, assessment, htmx=False, **scores):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(reverse("dashboard:what_if", args=[assessment.pk]), scores, headers=headers)


def test_indicator_9_at_95_lifts_oit_to_90_and_the_level_to_pass_good(assessment, client_for):
    """OIT (95 + 85.00) / 2 = 90.00; overall 0.3 x 92.944 + 0.3 x 96.78 + 0.4 x 90 = 92.9172
    -> 92.92; every tool mean is now >= 85, so ผ่าน becomes ผ่านดี."""
    response = what_if(client_for("executive"), assessment, score_9="95")
    assert response.status_code == 200
    projected = response.context["projected"]
    assert projected.tool_means["OIT"] == Decimal(90)
    assert projected.overall_display == Decimal("92.92")
    assert projected.level.name == "ผ่านดี"
    html = response.content.decode()
    assert 'data-testid="projected-overall">92.92</div>' in html
    assert 'data-testid="projected-level">ผ่านดี</div>' in html
    assert "จากคะแนนจริง 90.42" in html and "จากระดับจริง ผ่าน" in html
    assert ">83.75</td><td class=\"score fw-semibold\">90.00</td>" in html


def test_an_htmx_request_gets_only_the_result_panel(assessment, client_for):
    response = what_if(client_for("executive"), assessment, htmx=True, score_9="95")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert 'data-testid="projected-level">ผ่านดี</div>' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html


def test_the_page_wires_the_form_to_htmx_without_inline_script(assessment, client_for):
    html = what_if(client_for("executive"), assessment).content.decode()
    assert 'hx-get="%s"' % reverse("dashboard:what_if", args=[assessment.pk]) in html
    assert 'hx-trigger="input changed delay:400ms, submit"' in html
    assert 'hx-target="#what-if-result"' in html
    body = html.split("<main")[1].split("</main>")[0]
    assert "<script" not in body and " style=" not in body and "hx-on" not in body


@pytest.mark.parametrize("typed", ["๙๕", "๙๕.๐๐", " 95.0 "])
def test_thai_digits_and_spaces_are_read_as_the_same_score(typed, assessment, client_for):
    projected = what_if(client_for("executive"), assessment, score_9=typed).context["projected"]
    assert projected.tool_means["OIT"] == Decimal(90) and projected.level.name == "ผ่านดี"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("101", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("-1", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("๑๐๐.๕", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100"),
        ("abc", "ใส่คะแนนเป็นตัวเลข เช่น 95 หรือ 92.50"),
        ("NaN", "ใส่คะแนนเป็นตัวเลข เช่น 95 หรือ 92.50"),
        ("1e2", "ใส่คะแนนเป็นตัวเลข เช่น 95 หรือ 92.50"),
        ("9" * 40, "ใส่คะแนนเป็นตัวเลข เช่น 95 หรือ 92.50"),
        ("95.125", "ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ],
)
def test_bad_input_is_refused_with_a_thai_message(typed, message, assessment, client_for):
    response = what_if(client_for("executive"), assessment, htmx=True, score_9=typed)
    assert response.status_code == 200
    assert "projected" not in response.context
    html = response.content.decode()
    assert f"9 การเปิดเผยข้อมูล: {message}" in html
    assert 'data-testid="projected-overall"' not in html


def test_one_bad_field_stops_the_projection_even_when_others_are_good(assessment, client_for):
    response = what_if(client_for("executive"), assessment, score_9="95", score_4="สูง")
    assert "projected" not in response.context
    assert "4 การใช้ทรัพย์สินของราชการ: ใส่คะแนนเป็นตัวเลข" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_nothing_is_saved(assessment, client_for):
    before = list(IndicatorScore.objects.filter(assessment=assessment).values_list("indicator__number", "score"))
    updated = assessment.updated_at
    what_if(client_for("executive"), assessment, score_9="95", score_10="100")
    assert list(IndicatorScore.objects.filter(assessment=assessment).values_list("indicator__number", "score")) == before
    assessment.refresh_from_db()
    assert assessment.updated_at == updated


def test_without_targets_the_actual_result_is_shown(assessment, client_for):
    response = what_if(client_for("executive"), assessment, score_9="")
    assert "projected" not in response.context
    assert "ยังไม่ได้พิมพ์คะแนนเป้าหมาย ผลจริงคือ 90.42 ระดับ ผ่าน" in response.content.decode()


def test_targets_can_fill_a_year_that_has_no_scores(org, client_for, personas):
    """A year with only some scores: the typed ones complete it; all ten at 96 give 96.00, and
    every tool mean 96 >= 95 reaches ผ่านดีเยี่ยม."""
    from .conftest import make_assessment

    partial = make_assessment(org, 2567, {n: "96" for n in range(1, 10)})
    response = what_if(client_for("executive"), partial, score_10="96")
    assert response.context["projected"].overall_display == Decimal("96.00")
    assert response.context["projected"].level.name == "ผ่านดีเยี่ยม"


@pytest.mark.parametrize("persona", ["executive", "org_admin", "staff"])
def test_members_of_the_organisation_may_try_targets(persona, assessment, client_for):
    assert what_if(client_for(persona), assessment, score_9="95").status_code == 200


def test_outsiders_get_404_and_anonymous_visitors_sign_in(assessment, client_for):
    assert what_if(client_for("outsider"), assessment, score_9="95").status_code == 404
    response = what_if(client_for("anonymous"), assessment, score_9="95")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_what_if_query_count_does_not_depend_on_the_number_of_targets(assessment, client_for, django_assert_num_queries):
    """Guards against one query per typed indicator: the engine reads only prefetched rows."""
    client = client_for("executive")
    # session, the user with their membership; the assessment with its scores, their indicators, the year's
    # indicators and levels (the HTMX panel has no navbar).
    with django_assert_num_queries(7):
        what_if(client, assessment, htmx=True, score_9="95")
    with django_assert_num_queries(7):
        what_if(client, assessment, htmx=True, **{f"score_{n}": "99" for n in range(1, 11)})
    assert Assessment.objects.count() == 1
