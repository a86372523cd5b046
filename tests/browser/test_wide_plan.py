"""In Chromium: the approved plan in English fits a laptop window (no sideways scroll), whoever
reads it. English joins words with slashes ("Measure/project/activity", "Update
status/progress") that did not wrap, which made the table 1,318 px at least."""

import pytest

from accounts.models import Membership
from assessments.models import Assessment
from measures.models import Plan
from tests.conftest import make_user
from tests.plan_helpers import approve

from .test_plan_approval import signed_in

# A 1366 px window less a classic scrollbar, and a smaller laptop's.
WIDTHS = [1366 - 17, 1024]
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("username", ["seed_admin", "seed_executive", "seed_staff"])
def test_the_approved_english_plan_is_no_wider_than_a_laptop_window(browser, live_server, seed, username, output_dir):
    personas = {
        "org_admin": make_user("seed_admin", seed, Membership.Role.ADMIN),
        "executive": make_user("seed_executive", seed, Membership.Role.EXECUTIVE),
    }
    make_user("seed_staff", seed, Membership.Role.STAFF, list(seed.units.all()[:1]))
    approve(Plan.objects.get(assessment=Assessment.objects.get(organisation=seed, fiscal_year=2568)), personas)
    page = signed_in(browser, live_server, username)
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/plan/2569/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=output_dir / f"plan-approved-english-{username}-{width}.png", full_page=True)
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], (width, sizes, page.evaluate(OVERFLOWING))
