"""On a phone (390 x 844, touch): the main pages of every role do not scroll sideways, every
chart is drawn for the phone (its text at least 11 px as rendered and inside the drawing) and
axe finds no serious or critical violation; every other page (sign-in, public page, print views, forms ...) does not
scroll sideways at 320 px, the narrowest phone still in use (iPhone SE, small Android phones)."""

import re

import pytest
from playwright.sync_api import expect

from . import walk
from .test_accessibility import blocking, record

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NARROWEST = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
SMALLEST_TEXT = 11

# Every visible chart's text as rendered: its font size times the SVG's scale on the page.
CHART_TEXT = """() => {
    const texts = [];
    for (const svg of document.querySelectorAll('svg[viewBox]')) {
        const box = svg.getBoundingClientRect();
        if (!box.width || !svg.checkVisibility()) continue;
        const scale = box.width / svg.viewBox.baseVal.width;
        const width = svg.viewBox.baseVal.width;  // 2 units of slack: Thai leading vowels overhang
        for (const text of svg.querySelectorAll('text')) {
            const bbox = text.getBBox();
            texts.push({chart: svg.querySelector('title').textContent, text: text.textContent,
                        px: parseFloat(getComputedStyle(text).fontSize) * scale,
                        outside: (bbox.x < -2 || bbox.x + bbox.width > width + 2) && [bbox.x, bbox.x + bbox.width, width]});
        }
    }
    return texts;
}"""


@pytest.fixture
def world(personas, assessment, palad, klang):
    return walk.build_world(personas, assessment, palad, klang)


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("role", [role for role, visits in walk.PAGES.items() if any(v.main for v in visits)])
def test_the_main_pages_fit_a_phone_with_readable_charts(role, browser, live_server, world, output_dir):
    context, page = walk.open_role(browser, live_server, world, role, **PHONE)
    widths, small, cut, found, layout = {}, {}, {}, {}, {}
    for visit in [v for v in walk.PAGES[role] if v.main]:
        walk.go(page, live_server, world, visit)
        widths[visit.key] = page_width(page)
        texts = page.evaluate(CHART_TEXT)
        small[visit.key] = [t for t in texts if t["px"] < SMALLEST_TEXT]
        cut[visit.key] = [(t["text"], t["outside"]) for t in texts if t["outside"]]
        if visit.path in ("/dashboard/", "/dashboard/{a}/what-if/"):
            assert texts, f"no chart drawn on {visit.path}"
        found[visit.key] = walk.run_axe(page)
        layout[visit.key] = {"width": widths[visit.key], "smallest_chart_text": min((t["px"] for t in texts), default=None)}
        name = re.sub(r"[^\w]+", "-", visit.key.replace("{", "").replace("}", "")).strip("-")
        page.screenshot(path=output_dir / f"phone-{role}-{name}.png", full_page=True)
    context.close()
    record(output_dir, f"phone-{role}", found)
    record(output_dir, f"layout-{role}", layout)
    assert {path: width for path, width in widths.items() if width > 390} == {}
    assert {path: texts for path, texts in small.items() if texts} == {}
    assert {path: texts for path, texts in cut.items() if texts} == {}, "chart text runs out of its drawing"
    assert blocking(found) == {}


def test_the_dashboard_draws_the_phone_charts_on_a_phone_and_the_wide_ones_on_a_desktop(
    browser, live_server, world
):
    """The same four charts, chosen by the stylesheet: one drawing of each is shown."""
    context, page = walk.open_role(browser, live_server, world, "executive", **PHONE)
    page.goto(live_server.url + "/dashboard/")
    expect(page.locator(".chart-phone svg")).to_have_count(4)
    for index in range(4):
        expect(page.locator(".chart-phone svg").nth(index)).to_be_visible()
        expect(page.locator(".chart-wide svg").nth(index)).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 900})
    for index in range(4):
        expect(page.locator(".chart-wide svg").nth(index)).to_be_visible()
        expect(page.locator(".chart-phone svg").nth(index)).to_be_hidden()
    context.close()


def test_no_other_page_of_any_role_scrolls_sideways_on_the_narrowest_phone(browser, live_server, world):
    too_wide = {}
    for role, visits in walk.PAGES.items():
        context, page = walk.open_role(browser, live_server, world, role, **NARROWEST)
        for visit in [v for v in visits if not v.main]:
            walk.go(page, live_server, world, visit)
            if page_width(page) > NARROWEST["viewport"]["width"]:
                too_wide[f"{role} {visit.key}"] = page_width(page)
        context.close()
    assert too_wide == {}
