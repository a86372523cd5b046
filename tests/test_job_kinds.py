"""The kinds of job are registered by the apps that do the work (jobs/registry.py), under the
names existing Job rows hold."""

import pytest

from jobs import registry
from jobs.models import Job


def test_every_kind_that_job_rows_hold_is_registered_by_its_app():
    assert {name: kind.run.__module__ for name, kind in registry.KINDS.items()} == {
        "area_reports": "oversight.jobs",
        "area_xlsx": "oversight.jobs",
        "plan_xlsx": "reports.jobs",
        "import_preview": "measures.jobs",
        "import_commit": "measures.jobs",
        "oit_links": "oit.links",
    }


def test_a_job_shows_the_label_its_app_registered():
    assert Job(kind="plan_xlsx").get_kind_display() == "ส่งออกแผนพัฒนา (Excel)"
    assert ("import_commit", "นำเข้าแผนจากไฟล์") in [(k, str(label)) for k, label in Job._meta.get_field("kind").choices]


def test_a_kind_registered_twice_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("plan_xlsx", lambda job, progress: None, label="again")
    assert registry.KINDS["plan_xlsx"].run.__module__ == "reports.jobs"
