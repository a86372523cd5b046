"""The portal's icon: named by every page, and /favicon.ico answered for those that name none."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_every_page_names_the_shipped_icon(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in html
    assert f'href="{static("img/favicon.ico")}"' in html
    svg = finders.find("img/favicon.svg")
    assert svg and open(svg, encoding="utf-8").read().startswith("<svg")
    ico = finders.find("img/favicon.ico")
    assert ico and open(ico, "rb").read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_favicon_ico_at_the_root_leads_to_the_icon_not_a_404(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.ico")
