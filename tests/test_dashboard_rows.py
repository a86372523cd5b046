"""The dashboard's lists of plan rows, written by dashboard/tables.py: the indicators weakest
first with their plan rows, and the late list; every value escaped, each cell labelled."""

import re
from datetime import date, timedelta

from django.urls import reverse

from assessments.models import Unit
from measures.models import Measure

from .conftest import make_measure

HOSTILE = '<script>alert("x")</script> & \'q\''
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def table(html, testid):
    found = re.search(rf'data-testid="{testid}">.*?</table>', html, re.S)
    assert found, testid
    return found.group(0)


def test_the_weakest_first_rows_link_each_indicator_and_its_plan_rows(assessment, palad, client_for):
    """The test organisation's 2568 holds the seed's scores: indicator 9 (82.50) first, then 10."""
    measure = make_measure(assessment, [palad], number=9, activity=HOSTILE, status=Measure.Status.IN_PROGRESS)
    page = client_for("staff").get(reverse("dashboard:year", args=[assessment.pk])).content.decode()
    weakest = table(page, "weakest")
    assert "<script>" not in weakest
    rows = re.findall(r"<tr>\s*<th scope=\"row\".*?</tr>", weakest, re.S)
    assert len(rows) == 10
    first = rows[0]
    assert f'href="/dashboard/{assessment.pk}/indicators/9/"' in first
    assert '<td class="score below-pass" data-label="คะแนน">82.50</td>' in first
    assert '<td class="score below-pass" data-label="เทียบเกณฑ์ 85">-2.50</td>' in first
    assert (f'<a href="/plan/measure/{measure.pk}/">{ESCAPED}</a> '
            '<span class="badge status-in_progress">กำลังดำเนินการ</span>') in first
    assert 'data-label="มาตรการในแผน"><span class="text-muted">ไม่มีมาตรการ</span>' in rows[1]


def test_the_late_list_writes_each_rows_units_dates_and_progress(assessment, palad, client_for):
    hostile_unit = Unit.objects.create(organisation=assessment.organisation, name=HOSTILE, position=99)
    late = make_measure(assessment, [palad, hostile_unit], end_date=date(2026, 1, 15), progress=30,
                        status=Measure.Status.IN_PROGRESS)
    for_all = make_measure(assessment, for_all_units=True, end_date=date.today() - timedelta(days=1))
    page = client_for("staff").get(reverse("dashboard:year", args=[assessment.pk])).content.decode()
    rows = table(page, "plan-late-rows")
    assert "<script>" not in rows
    assert f'<td data-label="ผู้รับผิดชอบ">{palad.name}, {ESCAPED}</td>' in rows
    assert '<td class="text-nowrap" data-label="สิ้นสุดตามแผน">15 ม.ค. 2569</td>' in rows
    assert '<td class="score" data-label="ความก้าวหน้า">30%</td>' in rows
    assert rows.count(f'<a href="/plan/measure/{late.pk}/">') == 1
    assert f'<a href="/plan/measure/{for_all.pk}/">' in rows and ">ทุกสำนัก/กอง</td>" in rows
