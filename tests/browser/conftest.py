"""Playwright driving Debian's Chromium against pytest-django's live server.

Every test in this folder is marked `browser`. Where /usr/bin/chromium (or Playwright's driver)
is missing, the tests are skipped with a message that says so, unless REQUIRE_BROWSER_TESTS is
set (as CI sets it), in which case they fail. Screenshots go to test-output/ for people to see.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"

# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop in the
# test's thread, which Django would otherwise take for async code touching the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _browser_missing_reason():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium libatomic1 fonts-thai-tlwg)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_missing_reason()
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(str(item.fspath)).parents]
    if reason and browser_items and os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError(f"REQUIRE_BROWSER_TESTS is set but the browser tests cannot run: {reason}")
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


def pytest_terminal_summary(terminalreporter):
    reason = _browser_missing_reason()
    if reason:
        terminalreporter.write_line(f"BROWSER TESTS DID NOT RUN: {reason}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture
def output_dir():
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def sign_in(live_server, page):
    """sign_in(username, password) signs the Playwright page in through the real login form."""

    def do(username, password="pw-for-tests-2569"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        # The sign-in form's own button: the navbar's language switch has submit buttons too.
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page

    return do
