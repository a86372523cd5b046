"""WCAG 2.1 AA with axe-core on every page each role opens, on a desktop screen: no serious or
critical violation. The phone width is checked in test_phone_layout.py. Every run writes what
axe found, by page and rule, to test-output/axe/."""

import json

import pytest

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
        found[visit.path] = walk.run_axe(page)
    context.close()
    record(output_dir, f"desktop-{role}", found)
    assert blocking(found) == {}
