"""The PDF renderer reads the portal's static files and nothing else (reports/fetcher.py)."""

import threading

import pytest
from PIL import Image
from weasyprint import HTML

from reports import fetcher, reports

from .conftest import make_measure
from .pdftext import pdf_fonts

STATIC = fetcher.static_base()


def test_the_fetcher_serves_the_portals_static_files():
    response = fetcher.StaticFilesOnly().fetch(STATIC + "css/report.css")
    assert b"@font-face" in response.read() and response.content_type == "text/css"
    font = fetcher.StaticFilesOnly().fetch(STATIC + "fonts/sarabun/Sarabun-Regular.ttf")
    assert len(font.read()) > 50_000


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file:///work/wt/i12b/db.sqlite3",
    "http://127.0.0.1:8000/healthz/",
    "https://www.example.com/logo.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://ita-portal.invalid/static/css/report.css",
    "http://ita-portal.invalid/static/css/report.css",
    "https://ita-portal.invalid.evil.example/static/css/report.css",
    "https://user@ita-portal.invalid/static/css/report.css",
    "https://ita-portal.invalid:8443/static/css/report.css",
    "https://ita-portal.invalid/media/evidence/1/a.pdf",
    "https://ita-portal.invalid/static/../ita_portal/settings.py",
    "https://ita-portal.invalid/static/%2e%2e/ita_portal/settings.py",
    "https://ita-portal.invalid/static/css/../../ita_portal/settings.py",
    "https://ita-portal.invalid/static//etc/passwd",
    "https://ita-portal.invalid/static/css/report.css?x=1",
    "https://ita-portal.invalid/static/no-such-file.css",
])
def test_the_fetcher_refuses_every_other_url(url):
    with pytest.raises(ValueError, match="reads only the portal's static files"):
        fetcher.StaticFilesOnly().fetch(url)


@pytest.fixture
def secret_png(tmp_path):
    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(path)
    return path


def embeds_an_image(pdf):
    return b"/Subtype /Image" in pdf


def test_markup_that_reached_the_renderer_still_reads_no_local_file_or_network(secret_png):
    """The second wall, with the first (escaping) taken away: the page itself asks for a local
    file as an <img>, as a CSS background and as a stylesheet, and for the network. The
    default fetcher would embed the picture (the control below), ours embeds nothing."""
    hostile = (
        f'<img src="file://{secret_png}"><div style="background: url(file://{secret_png}); height: 4cm"></div>'
        '<link rel="stylesheet" href="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        f'<img src="data:image/png;base64,{png_base64(secret_png)}">'
    )
    assert embeds_an_image(HTML(string=hostile).write_pdf())  # what the default would do
    assert not embeds_an_image(reports.html_to_pdf(hostile))


def png_base64(path):
    import base64

    return base64.b64encode(path.read_bytes()).decode()


def test_a_plan_row_with_an_image_or_url_attempt_fetches_only_static_files(assessment, palad, secret_png,
                                                                        monkeypatch):
    attempt = f'<img src="file://{secret_png}"> <span style="background:url(http://127.0.0.1:9/x)">x</span>'
    make_measure(assessment, [palad], activity=attempt, method=f"url(file://{secret_png})")
    asked = []
    fetch = fetcher.StaticFilesOnly.fetch

    def recording(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(fetcher.StaticFilesOnly, "fetch", recording)
    # A stylesheet cached by an earlier render would skip the font fetches this test watches.
    monkeypatch.setattr(reports, "_renderer", threading.local())
    pdf = reports.ita_report_pdf(assessment)
    assert asked and all(url.startswith(STATIC) for url in asked)
    assert not embeds_an_image(pdf)
    assert pdf.startswith(b"%PDF-")


def test_the_report_still_embeds_the_sarabun_font_through_the_fetcher(assessment):
    fonts = [line for line in pdf_fonts(reports.ita_report_pdf(assessment)).splitlines()[2:] if line.strip()]
    assert fonts and all("Sarabun" in line and " yes yes yes " in line for line in fonts)
