"""The PDF's text layer gives back the Thai that was written (reports/pdf_text.py).

WeasyPrint 70 alone loses SARA AM (ำ) in the text layer and poppler misorders stacked marks;
the fix wraps multi-glyph graphemes in /ActualText spans and must not move a single pixel.
"""

import subprocess

import pytest
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.draw import text as weasy_text
from weasyprint.text.fonts import FontConfiguration

from reports import pdf_text

from .pdftext import pdf_text as extract, squeezed

WORDS = "ดำเนินงาน กำหนด จำนวน ทำ น้ำ คำ ผู้นำ ซ้ำ ค่ำ งาน ที่ อยู่ สู่การ ผู้รับผิดชอบ กิ่งไม้"
PARAGRAPH = (
    "องค์การบริหารส่วนตำบลวังหมี ได้กำหนดมาตรการ/แนวทางเพื่อนำไปสู่การปฏิบัติ "
    "และดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต (o25) อย่างต่อเนื่อง น้ำประปา 90.42 คะแนน"
)


def render(html):
    font_config = FontConfiguration()
    stylesheet = CSS(filename=finders.find("css/report.css"), font_config=font_config)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=font_config)


def document():
    return render(f"<p>{WORDS}</p><p><b>{WORDS}</b></p><p>{PARAGRAPH * 6}</p>")


@pytest.mark.parametrize("mode", [(), ("-raw",), ("-layout",)])
def test_pdftotext_returns_thai_as_written_in_every_mode(mode):
    text = extract(document(), *mode)
    for word in WORDS.split():
        assert word in text, word
    assert squeezed(PARAGRAPH * 6) in squeezed(text)
    assert "ดาเนินงาน" not in text and "งำน" not in text


def test_without_the_fix_weasyprint_loses_sara_am(monkeypatch):
    """Documents the defect the fix exists for; if this fails, WeasyPrint has fixed it and
    reports/pdf_text.py may be unnecessary."""
    monkeypatch.setattr(weasy_text, "draw_first_line", pdf_text._original_draw_first_line)
    text = extract(render(f"<p>{WORDS}</p>"))
    assert "ดำเนินงาน" not in text or "งาน" not in text.replace("ดำเนินงาน", "")


def test_the_fix_leaves_every_pixel_where_it_was(monkeypatch, tmp_path):
    fixed = document()
    monkeypatch.setattr(weasy_text, "draw_first_line", pdf_text._original_draw_first_line)
    plain = document()
    for name, pdf in (("fixed", fixed), ("plain", plain)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", tmp_path / f"{name}.pdf", tmp_path / name], check=True
        )
    pages = sorted(tmp_path.glob("fixed*.png"))
    assert pages
    for page in pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("fixed", "plain")).read_bytes()


def test_spans_carry_the_grapheme_text():
    span = pdf_text._actual_text("ดำ")
    assert span == b"/Span <</ActualText <FEFF0E140E33>>> BDC"
