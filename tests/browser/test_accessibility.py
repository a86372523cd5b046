"""WCAG 2.1 AA with axe-core on every page each role opens, on a desktop screen: no serious or
critical violation. The phone width is checked in test_phone_layout.py. Every run writes what
axe found, by page and rule, to test-output/axe/."""

import json

import pytest
from playwright.sync_api import expect

from . import walk


@pytest.fixture
def world(personas, assessment, palad, klang):
    return walk.build_world(personas, assessment, palad, klang)


def record(output_dir, name, found):
    folder = output_dir / "axe"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))


def blocking(found):
    """{page: [rule (impact): first elements]} for the serious and critical violations."""
    return {
        path: [f"{v['id']} ({v['impact']}, {v['nodes']}x): {v['targets']}" for v in violations
               if v["impact"] in walk.BLOCKING]
        for path, violations in found.items()
        if any(v["impact"] in walk.BLOCKING for v in violations)
    }


@pytest.mark.parametrize("role", list(walk.PAGES))
def test_every_page_of_every_role_passes_axe_on_a_desktop(role, browser, live_server, world, output_dir):
    context, page = walk.open_role(browser, live_server, world, role, viewport={"width": 1280, "height": 900})
    found = {}
    for visit in walk.PAGES[role]:
        walk.go(page, live_server, world, visit)
        found[visit.key] = walk.run_axe(page)
    context.close()
    record(output_dir, f"desktop-{role}", found)
    assert blocking(found) == {}


FOCUS_RING = """() => { const style = getComputedStyle(document.activeElement);
                        return [document.activeElement.tagName, style.outlineStyle, parseFloat(style.outlineWidth)]; }"""


def test_keyboard_users_skip_to_the_content_and_see_where_the_focus_is(browser, live_server, world):
    context, page = walk.open_role(browser, live_server, world, "executive", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/dashboard/{world.assessment.pk}/what-if/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["width"] > 50  # shown once it has the focus
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    page.keyboard.press("Tab")  # the first link of the page's content: a ring of 3 px
    assert page.evaluate(FOCUS_RING) == ["A", "solid", 3]
    page.focus("#id_score_9")
    assert page.evaluate(FOCUS_RING) == ["INPUT", "solid", 3]
    context.close()
