"""Time the area PDF zip job: `.venv/bin/python bench/bench_jobs.py [organisations] [processes]`.

Builds a province of `organisations` (default 20) from the national dataset generator (plans of
about 12 rows, 3 findings a year, like the national figures) plus the seed's อบต.วังหมี, then
runs the zip job of the whole province as a worker does (jobs.tasks.run, the same code as the
Celery task) and prints the time per organisation's PDF, the zip's size and peak memory. With
`processes` > 1 it runs that many zips at once in separate processes, as that many worker
processes would, and prints how long they took together.

Uses a scratch SQLite file (or DATABASE_URL). A PDF is CPU work: the CPU time per organisation
is what an idle core takes; the wall time also holds whatever else the machine was doing, so
the load average is printed with the figures.
"""

import multiprocessing
import os
import sys
import tempfile
import time

from _setup import django_on_scratch_database, peak_mb

PROVINCE = "นครราชสีมา"


def build(organisations):
    from django.core.management import call_command

    from assessments.models import Organisation
    from dataset import PROVINCES
    from national_dataset import build as build_dataset

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    # The generator spreads organisations over the provinces evenly, years 2564-2568.
    total = organisations * len(PROVINCES)
    build_dataset(organisations=total, measures=total * 12, log=lambda line: None)
    Organisation.objects.filter(short_name="อบต.วังหมี").update(province=PROVINCE)
    return Organisation.objects.filter(province=PROVINCE).count()


def rss_mb():
    """This process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def zip_province(label):
    """Run one area zip job in this process; (seconds, CPU seconds, steps, bytes)."""
    from django.contrib.auth import get_user_model

    from jobs.models import Job
    from jobs.tasks import run

    user, _ = get_user_model().objects.get_or_create(username=f"bench-office-{label}")
    job = Job.objects.create(kind="area_reports", user=user, province=PROVINCE, params={"year": 2568})
    start, cpu = time.perf_counter(), time.process_time()
    run(job.pk)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    job.refresh_from_db()
    assert job.state == Job.State.DONE, (job.state, job.outcome)
    return seconds, cpu, job.total, job.result.size


def _child(label, queue):
    from django.db import connections

    connections.close_all()
    queue.put(zip_province(label))


def main(organisations, processes):
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ita-bench-jobs-"))
    path = django_on_scratch_database("jobs")
    if "sqlite" in os.environ["DATABASE_URL"]:
        path.unlink(missing_ok=True)
        import django.conf

        django.conf.settings.DATABASES["default"]["OPTIONS"] = {"timeout": 60}
    start = time.perf_counter()
    count = build(organisations)
    print(f"province of {count} organisations built in {time.perf_counter() - start:.1f} s")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    before = rss_mb()
    seconds, cpu, steps, size = zip_province("one")
    print(f"one zip, one process: {steps} PDFs in {seconds:.1f} s = {seconds / steps:.2f} s per organisation "
          f"({cpu / steps:.2f} s of CPU), {size / 1024 / 1024:.1f} MiB; resident memory {before:.0f} MB before, "
          f"{rss_mb():.0f} MB after (peak of the whole run {peak_mb():.0f} MB, building the data included)")

    if processes > 1:
        from django.db import connections

        connections.close_all()
        queue = multiprocessing.get_context("fork").Queue()
        children = [multiprocessing.get_context("fork").Process(target=_child, args=(f"p{n}", queue))
                    for n in range(processes)]
        start = time.perf_counter()
        for child in children:
            child.start()
        results = [queue.get() for _ in children]
        for child in children:
            child.join()
        wall = time.perf_counter() - start
        pdfs = sum(r[2] for r in results)
        print(f"{processes} zips at once in {processes} processes: {pdfs} PDFs in {wall:.1f} s "
              f"= {wall / pdfs:.2f} s per organisation overall, each zip {max(r[0] for r in results):.1f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if "sqlite" in os.environ["DATABASE_URL"]:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
