"""An area office zips its organisations' ITA reports in Chromium: the job page's bar moves
report by report to done (HTMX polling, under the strict CSP), and the zip downloads.
Runs on the real Celery worker (tests/celery_worker.py)."""

import io
import time
import zipfile

import pytest
from playwright.sync_api import expect

from tests.job_helpers import area_office, make_area

pytestmark = pytest.mark.worker

ORGANISATIONS = 4
# Whether the job's status on the page differs from [state, value] as last read.
CHANGED = """([state, value]) => {
    const status = document.querySelector("#job-status");
    if (!status) return false;
    const bar = status.querySelector("progress");
    return status.dataset.state !== state || (bar ? bar.getAttribute("value") : null) !== value;
}"""


def test_the_bar_moves_to_done_for_an_area_pdf_zip(worker, reference, live_server, sign_in, output_dir):
    make_area(ORGANISATIONS)
    area_office()
    page = sign_in("korat_office")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/oversight/")
    page.select_option("#id_year", "2568")
    page.get_by_test_id("area-reports-zip").click()
    page.wait_for_url("**/jobs/*/")

    status = page.locator("#job-status")
    seen = []
    deadline = time.monotonic() + 120
    while (state := status.get_attribute("data-state")) != "done":
        assert state in ("queued", "running"), status.inner_text()
        left = deadline - time.monotonic()
        assert left > 0, f"the bar did not reach done: {seen}"
        value = page.locator("#job-status progress").get_attribute("value")
        if value is not None and (not seen or seen[-1] != int(value)):
            seen.append(int(value))
            if len(seen) == 2:
                page.screenshot(path=output_dir / "job-running.png", full_page=True)
        # Until the page shows another state or another value (the status is swapped in place).
        page.wait_for_function(CHANGED, arg=[state, value], timeout=left * 1000)
    assert seen == sorted(seen) and any(0 < value < ORGANISATIONS for value in seen), seen
    progress = page.locator("#job-status progress")
    expect(progress).to_have_attribute("value", str(ORGANISATIONS))
    expect(progress).to_have_attribute("max", str(ORGANISATIONS))
    expect(page.get_by_test_id("job-state")).to_have_text("เสร็จแล้ว")
    expect(page.get_by_test_id("job-progress-text")).to_contain_text(f"100% ({ORGANISATIONS} จาก {ORGANISATIONS}")
    expect(page.get_by_test_id("job-message")).to_contain_text(f"รวมรายงาน {ORGANISATIONS} ฉบับแล้ว")
    page.screenshot(path=output_dir / "job-done.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click()
    download = download_info.value
    assert download.suggested_filename == "ita-reports-2568.zip"
    archive = zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read()))
    assert len(archive.namelist()) == ORGANISATIONS

    page.goto(f"{live_server.url}/jobs/")
    expect(page.locator("table")).to_contain_text("ita-reports-2568.zip")
    assert problems == []
