"""The plan's .xlsx written by XlsxWriter is the file openpyxl wrote before, cell by cell.

The export moved from openpyxl's write-only mode to XlsxWriter's constant_memory mode for speed
(bench/floor.py). `openpyxl_plan_xlsx` below is the export as it was before the switch,
kept as the reference: every value, type, number format, bold, font, fill, wrap, column width and
frozen pane of both sheets must stay as it wrote them.
"""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.models import Assessment
from assessments.scoring import round2
from lib.formulas import neutralise
from measures.imports import PLAN_COLUMNS
from reports.exports import plan_values, plan_xlsx, score_rows

from .conftest import make_measure


def openpyxl_plan_xlsx(assessment, out):
    """reports.exports.plan_xlsx as it was with openpyxl (commit aa37b9c), unchanged."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("แผนพัฒนา")
    bold = Font(name="Sarabun", bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="E9ECEF")
    for index, (_field, _header, width) in enumerate(PLAN_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for _field, title, _width in PLAN_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.alignment, cell.fill = bold, wrap, header_fill
        header.append(cell)
    sheet.append(header)
    for values in plan_values(assessment):
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str):
                cell.alignment = wrap
            elif value is not None and hasattr(value, "isoformat"):
                cell.number_format = "dd/mm/yyyy"
            row.append(cell)
        sheet.append(row)

    scores = workbook.create_sheet("คะแนน")
    for index, width in enumerate((12, 36, 10, 12), start=1):
        scores.column_dimensions[get_column_letter(index)].width = width
    scores.freeze_panes = "A2"
    header = []
    for title in ("ตัวชี้วัดที่", "ตัวชี้วัด", "เครื่องมือ", "คะแนน"):
        cell = WriteOnlyCell(scores, value=title)
        cell.font, cell.fill = bold, header_fill
        header.append(cell)
    scores.append(header)
    number = lambda value: None if value is None else float(value)  # noqa: E731
    for row in score_rows(assessment):
        scores.append([row["number"], neutralise(row["name"]), row["tool"], number(row["score"])])
    result = assessment.result
    for tool, mean in result.tool_means.items():
        scores.append(["", "ค่าเฉลี่ย %(tool)s" % {"tool": tool}, tool, number(round2(mean))])
    scores.append(["", "คะแนนภาพรวม", "", number(round2(assessment.overall))])
    scores.append(["", "ระดับ", "", assessment.level_name])
    workbook.save(out)


def described(cell):
    """Everything of a cell that the export sets or a reader sees."""
    fill = cell.fill
    return {
        "value": cell.value,
        # An empty cell has no type worth the name: openpyxl wrote <c t="inlineStr"/>.
        "type": cell.data_type if cell.value is not None else None,
        "number_format": cell.number_format,
        "bold": bool(cell.font.b),
        "font": cell.font.name,
        "wrap": bool(cell.alignment.wrap_text),
        "vertical": cell.alignment.vertical,
        # Excel ignores the alpha byte: openpyxl wrote 00E9ECEF, XlsxWriter writes FFE9ECEF.
        "fill": (fill.fill_type, fill.fgColor.rgb[-6:] if fill.fill_type else None),
    }


def sheets(workbook):
    return {
        sheet.title: {
            "freeze_panes": sheet.freeze_panes,
            # XlsxWriter stores neighbouring columns of one width as one range (J:K).
            "widths": {
                get_column_letter(index): d.width
                for d in sheet.column_dimensions.values() if d.customWidth
                for index in range(d.min, d.max + 1)
            },
            "cells": [[described(cell) for cell in row] for row in sheet.iter_rows()],
        }
        for sheet in workbook.worksheets
    }


def written(writer, assessment):
    out = io.BytesIO()
    with translation.override("th"):
        writer(assessment, out)
    return load_workbook(io.BytesIO(out.getvalue()))


@pytest.fixture
def awkward_plan(assessment, palad):
    """Rows with everything the writer treats differently: text that looks like a formula,
    dates and no dates, percents, an empty text, line breaks, spaces at the ends, Thai digits."""
    return [
        make_measure(assessment, [palad], activity="=HYPERLINK(\"http://x\")", method="+ขั้นตอน\nที่ ๒",
                     start_date=date(2025, 10, 1), end_date=date(2026, 9, 30), progress=40,
                     status="in_progress", position=1),
        make_measure(assessment, [palad], number=4, indicator_label="ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ",
                     analysis="-คะแนนต่ำ", activity="  เว้นวรรคหน้าและหลัง  ", method="@ผู้รับผิดชอบ",
                     period="", status="done", progress=100, position=2),
        make_measure(assessment, [palad], activity="\tแท็บ", analysis="ข้อความยาว " * 300,
                     start_date=date(2026, 2, 28), status="cancelled", position=3),
    ]


def test_xlsxwriter_file_matches_the_openpyxl_file_cell_by_cell(awkward_plan, assessment):
    assessment = Assessment.objects.with_scores().get(pk=assessment.pk)
    before = sheets(written(openpyxl_plan_xlsx, assessment))
    after = sheets(written(plan_xlsx, assessment))
    assert list(after) == ["แผนพัฒนา", "คะแนน"]
    assert len(after["แผนพัฒนา"]["cells"]) == 1 + len(awkward_plan)
    assert after["แผนพัฒนา"]["widths"]["E"] == 48
    header = after["แผนพัฒนา"]["cells"][0][0]
    assert header["bold"] and header["font"] == "Sarabun" and header["wrap"]
    assert after["แผนพัฒนา"]["cells"][1][3]["value"] == "'=HYPERLINK(\"http://x\")"
    for title in before:
        assert after[title]["freeze_panes"] == before[title]["freeze_panes"] == "A2"
        assert after[title]["widths"] == before[title]["widths"]
        assert len(after[title]["cells"]) == len(before[title]["cells"])
        for number, (old, new) in enumerate(zip(before[title]["cells"], after[title]["cells"]), start=1):
            assert new == old, f"{title} row {number}"


def test_an_assessment_without_scores_or_plan_exports_the_same(assessment):
    """No plan rows, no scores: the empty score cells and the level stay blank in both."""
    assessment.scores.all().delete()
    assessment = Assessment.objects.with_scores().get(pk=assessment.pk)
    assert sheets(written(plan_xlsx, assessment)) == sheets(written(openpyxl_plan_xlsx, assessment))
