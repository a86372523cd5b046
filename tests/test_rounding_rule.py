"""One rounding rule per fiscal year, the same in the engine, the pages, the PDF and the check.

Two sets of two-decimal scores sit on a threshold:
- BORDER_OVERALL: IIT 85, 85, 85, 85, 84.25 (mean 84.85), EIT 85 x 3, OIT 85.00 and 85.20
  (mean 85.10): 0.3 x 84.85 + 0.3 x 85 + 0.4 x 85.10 = 25.455 + 25.5 + 34.04 = 84.995 exactly.
- BORDER_OIT: IIT and EIT all 90, OIT 84.99 and 85.00 (mean 84.995):
  0.3 x 90 + 0.3 x 90 + 0.4 x 84.995 = 27 + 27 + 33.998 = 87.998.

Under the default rule (decide on the figures rounded half up to two decimals, as the NACC
publishes them) 84.995 is 85.00: the overall reaches ผ่าน and the OIT mean closes no gate.
Under the exact rule 84.995 is below 85 and is shown as 84.99, never as 85.00.
"""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import scoring
from assessments.checks import check_assessment
from assessments.display import level_reason
from assessments.loaders import REFERENCE_FILE, ReferenceDataError, load_reference, read_json
from assessments.models import Assessment, FiscalYear

from .conftest import make_assessment
from .pdftext import pdf_text, squeezed
from .test_scoring import RULE_2568, TOOLS, WEIGHTS

BORDER_OVERALL = {1: "85", 2: "85", 3: "85", 4: "85", 5: "84.25", 6: "85", 7: "85", 8: "85",
                  9: "85.00", 10: "85.20"}
BORDER_OIT = {n: "90" for n in range(1, 9)} | {9: "84.99", 10: "85.00"}


def evaluate(values, rounding):
    return scoring.evaluate({n: D(v) for n, v in values.items()}, TOOLS, WEIGHTS, RULE_2568, rounding)


def test_published_rule_decides_on_the_figures_as_published():
    result = evaluate(BORDER_OVERALL, scoring.PUBLISHED)
    assert result.overall == D("84.995")
    assert result.overall_display == D("85.00") and result.level.name == "ผ่าน"
    # ผ่านดี is closed by the IIT mean 84.85, which is what the reason says, not by the overall.
    assert level_reason(result) == "ไม่ถึงระดับผ่านดี เพราะ IIT 84.85 ต่ำกว่า 85"

    result = evaluate(BORDER_OIT, scoring.PUBLISHED)
    assert result.tool_means["OIT"] == D("84.995") and result.means_display["OIT"] == D("85.00")
    assert result.level.name == "ผ่านดี" and result.gates == [] and level_reason(result) == ""


def test_exact_rule_decides_on_unrounded_figures_and_never_shows_them_rounded_across_a_threshold():
    result = evaluate(BORDER_OVERALL, scoring.EXACT)
    assert result.level.name == "ต้องปรับปรุง"
    assert result.overall_display == D("84.99")  # half up would print 85.00 beside ต้องปรับปรุง

    result = evaluate(BORDER_OIT, scoring.EXACT)
    assert result.level.name == "ผ่าน"
    assert result.means_display["OIT"] == D("84.99")
    assert level_reason(result) == "ไม่ถึงระดับผ่านดี เพราะ OIT 84.99 ต่ำกว่า 85"
    # Away from a threshold the exact rule prints what the NACC prints.
    assert result.overall_display == D("88.00")
    seed_like = evaluate({1: "93.33", 2: "96.13", 3: "98.06", 4: "83.87", 5: "93.33", 6: "97.13",
                          7: "97.47", 8: "95.74", 9: "82.50", 10: "85.00"}, scoring.EXACT)
    assert seed_like.overall_display == D("90.42") and seed_like.level.name == "ผ่าน"


@pytest.mark.parametrize("value, published, exact", [
    ("84.995", "85.00", "84.99"),  # would cross 85 upward
    ("84.994", "84.99", "84.99"),
    ("85.004", "85.00", "85.00"),  # at or above the threshold already
    ("94.999", "95.00", "94.99"),  # would cross 95
    ("69.995", "70.00", "69.99"),  # would cross 70
    ("90.4172", "90.42", "90.42"),  # no threshold in between: half up under both rules
])
def test_shown_figure_under_each_rule(value, published, exact):
    marks = [D(95), D(85), D(70), D(0)]
    assert scoring.shown(D(value), scoring.PUBLISHED, marks) == D(published)
    assert scoring.shown(D(value), scoring.EXACT, marks) == D(exact)


@pytest.fixture
def border(org):
    return make_assessment(org, 2568, BORDER_OVERALL, published_overall=D("85.00"), published_level="ผ่าน")


def fresh(assessment):
    return Assessment.objects.with_scores().get(pk=assessment.pk)


def test_every_page_and_the_check_follow_the_default_rule(border, client_for):
    """The dashboard, the printed report, the public page, the list, the JSON and the check all
    say 85.00 and ผ่าน: none prints 85.00 beside ต้องปรับปรุง, and the published 85.00 ผ่าน is
    not reported as differing."""
    admin = client_for("org_admin")
    dashboard = admin.get(reverse("dashboard:latest")).content.decode()
    assert 'data-testid="overall">85.00<' in dashboard and 'data-testid="level">ผ่าน<' in dashboard
    assert 'data-testid="reason">ไม่ถึงระดับผ่านดี เพราะ IIT 84.85 ต่ำกว่า 85<' in dashboard
    report = admin.get(reverse("reports:ita", args=[border.pk]), {"digits": "arabic"}).content.decode()
    assert "ได้คะแนนภาพรวม 85.00 คะแนน จัดอยู่ในระดับ ผ่าน" in report
    assert "ไม่ถึงระดับผ่านดี เพราะ IIT 84.85 ต่ำกว่า 85" in report
    listing = admin.get(reverse("assessment_list")).content.decode()
    assert "85.00" in listing and "84.99" not in listing
    data = json.loads(admin.get(reverse("reports:data", args=[border.pk, "scores", "json"])).content)
    assert data["overall"] == "85.00" and data["level"] == "ผ่าน"
    assert check_assessment(fresh(border)) == []


def test_every_page_and_the_check_follow_the_exact_rule(border, client_for):
    FiscalYear.objects.filter(year=2568).update(rounding=FiscalYear.Rounding.EXACT)
    admin = client_for("org_admin")
    dashboard = admin.get(reverse("dashboard:latest")).content.decode()
    assert 'data-testid="overall">84.99<' in dashboard and 'data-testid="level">ต้องปรับปรุง<' in dashboard
    report = admin.get(reverse("reports:ita", args=[border.pk]), {"digits": "arabic"}).content.decode()
    assert "ได้คะแนนภาพรวม 84.99 คะแนน จัดอยู่ในระดับ ต้องปรับปรุง" in report
    data = json.loads(admin.get(reverse("reports:data", args=[border.pk, "scores", "json"])).content)
    assert data["overall"] == "84.99" and data["level"] == "ต้องปรับปรุง"
    # The document's 85.00 ผ่าน is now what the check reports, each against what the page shows.
    assert {issue.key for issue in check_assessment(fresh(border))} == {
        "overall:85.00:84.99", "level:ผ่าน:ต้องปรับปรุง",
    }


def test_the_pdf_prints_the_shown_figures(border, client_for):
    FiscalYear.objects.filter(year=2568).update(rounding=FiscalYear.Rounding.EXACT)
    Assessment.objects.filter(pk=border.pk).update(published_level="ต้องปรับปรุง", published_overall=D("84.99"))
    response = client_for("org_admin").get(reverse("reports:ita_pdf", args=[border.pk]), {"digits": "arabic"})
    text = squeezed(pdf_text(response.content))
    assert "ได้คะแนนภาพรวม84.99คะแนนจัดอยู่ในระดับต้องปรับปรุง" in text
    assert "คะแนนภาพรวม84.99ระดับผลการประเมินต้องปรับปรุงค่าเฉลี่ยIIT84.85" in text


def test_what_if_and_live_entry_use_the_years_rule(border, client_for):
    admin = client_for("org_admin")
    targets = {f"score_{n}": v for n, v in BORDER_OIT.items()}
    response = admin.get(reverse("dashboard:what_if", args=[border.pk]), targets, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'data-testid="projected-level">ผ่านดี<' in html and "OIT 85.00 ต่ำกว่า" not in html
    live = admin.post(reverse("assessment_preview", args=[2568]), targets).content.decode()
    assert "ผ่านดี" in live and "ต่ำกว่า 85" not in live

    FiscalYear.objects.filter(year=2568).update(rounding=FiscalYear.Rounding.EXACT)
    live = admin.post(reverse("assessment_preview", args=[2568]), targets).content.decode()
    assert "ไม่ถึงระดับผ่านดี เพราะ OIT 84.99 ต่ำกว่า 85" in live and ">84.99<" in live


def test_the_rounding_rule_comes_from_the_reference_data(reference):
    data = read_json(REFERENCE_FILE)
    assert {entry["rounding"] for entry in data["fiscal_years"]} == {"published"}
    assert set(FiscalYear.objects.values_list("rounding", flat=True)) == {"published"}


def test_weights_that_do_not_add_up_to_1_are_refused_by_the_model(reference):
    year = FiscalYear.objects.get(year=2568)
    year.oit_weight = D("0.50")
    with pytest.raises(ValidationError) as raised:
        year.full_clean()
    assert "น้ำหนักของปี 2568 รวมกันได้ 1.1 (IIT 0.3 + EIT 0.3 + OIT 0.5) ต้องรวมกันได้ 1" in str(raised.value)
    year.oit_weight = D("0.40")
    year.full_clean()


def test_weights_that_do_not_add_up_to_1_are_refused_by_the_database(reference):
    with pytest.raises(IntegrityError), transaction.atomic():
        FiscalYear.objects.filter(year=2568).update(oit_weight=D("0.399"))
    FiscalYear.objects.filter(year=2568).update(iit_weight=D("0.333"), eit_weight=D("0.333"), oit_weight=D("0.334"))


def test_a_reference_file_with_wrong_weights_is_refused_whole(db, tmp_path):
    # Into an empty database, as on a first install: the session's reference data is gone
    # until this test's transaction is rolled back.
    FiscalYear.objects.all().delete()
    data = read_json(REFERENCE_FILE)
    data["fiscal_years"][-1]["weights"]["EIT"] = "0.35"
    with pytest.raises(ReferenceDataError) as raised:
        load_reference(data)
    assert "น้ำหนักของปี 2570 รวมกันได้ 1.05" in str(raised.value)
    assert not FiscalYear.objects.exists()  # the years before it in the file were not written

    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_reference", "--file", str(path), stdout=io.StringIO())
    assert str(raised.value).startswith("ไม่ได้โหลดข้อมูลอ้างอิง: น้ำหนักของปี 2570")
    assert not FiscalYear.objects.exists()


def test_the_admin_form_refuses_wrong_weights(reference, django_user_model, client):
    staff = django_user_model.objects.create_superuser("platform", password="pw-for-tests-2569")
    client.force_login(staff)
    url = reverse("admin:assessments_fiscalyear_change", args=[2568])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"oit_weight": "0.5", "oit_list_complete": "on",
                 "levels-TOTAL_FORMS": "0", "levels-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ต้องรวมกันได้ 1" in response.content.decode()
    assert FiscalYear.objects.get(year=2568).oit_weight == D("0.400")
