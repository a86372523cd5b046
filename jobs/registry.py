"""The kinds of job: each app registers what its jobs do, and jobs imports no app.

An app declares its kinds in its own `jobs.py`, loaded from its AppConfig.ready():

    register("plan_xlsx", plan_export, label=_("ส่งออกแผนพัฒนา (Excel)"), downloaded=record_export)

`run(job, progress)` does the work (jobs/runner.py says how it reports); `downloaded(job)`, if
given, is called when someone downloads the job's file (the apps record it in the audit log).
A kind's name is what Job rows store: it never changes once rows of it exist.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable
    label: str
    downloaded: Callable | None = None


KINDS = {}


def register(kind, run, *, label, downloaded=None):
    if kind in KINDS:
        raise ValueError(f"job kind {kind!r} is registered twice")
    KINDS[kind] = JobKind(kind, run, label, downloaded)


def choices():
    """The Job model's kind choices: every registered kind with its label."""
    return [(kind.name, kind.label) for kind in KINDS.values()]
