"""Time the Excel export and import of a plan of 100,000 rows:
`.venv/bin/python bench/bench_excel.py [rows]`.

Each step runs in its own process so that its peak memory is its own: building the plan,
exporting it (openpyxl write-only, streamed to a file), checking the exported file (the round
trip: every row unchanged), and importing a file of the same rows without ids (every row
added, with history, in one transaction).
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import django_on_scratch_database, peak_mb

WORK = Path(tempfile.gettempdir())
EXPORTED = WORK / "ita-bench-plan.xlsx"
NEW_ROWS = WORK / "ita-bench-new-rows.xlsx"


def assessment():
    from assessments.models import Assessment

    return Assessment.objects.with_scores().get(fiscal_year=2568, organisation__short_name="อบต.วังหมี")


def build(rows):
    """The seed organisation with its ten plan rows repeated to `rows` rows."""
    from django.core.management import call_command

    from measures.models import Measure

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    target = assessment()
    seed = list(Measure.objects.filter(assessment=target))
    Measure.objects.bulk_create(
        (
            target.plan.new_row(
                indicator_id=row.indicator_id,
                indicator_label=row.indicator_label, analysis=row.analysis, activity=f"{row.activity} ({n})",
                method=row.method, period=row.period, responsible=row.responsible, position=n,
            )
            for n in range(len(seed), rows)
            for row in [seed[n % len(seed)]]
        ),
        batch_size=2000,
    )
    print(f"built a plan of {Measure.objects.filter(assessment=target).count():,} rows")


def export():
    from reports.exports import plan_xlsx

    start = time.perf_counter()
    with open(EXPORTED, "wb") as out:
        plan_xlsx(assessment(), out)
    took = time.perf_counter() - start
    print(f"export: {took:.1f} s, {EXPORTED.stat().st_size / 2**20:.1f} MiB, peak memory {peak_mb():.0f} MB")


def round_trip():
    from measures.imports import read_plan

    start = time.perf_counter()
    preview = read_plan(EXPORTED.read_bytes(), assessment())
    took = time.perf_counter() - start
    print(f"import check of the exported file: {took:.1f} s, {preview.unchanged:,} unchanged, "
          f"{len(preview.changed)} changed, {len(preview.errors)} errors, peak memory {peak_mb():.0f} MB")


def import_new():
    from openpyxl import Workbook, load_workbook

    from django.contrib.auth import get_user_model
    from measures.models import Measure
    from measures.imports import apply_plan, read_plan

    # The exported rows without their ids: every row is new.
    source = load_workbook(EXPORTED, read_only=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in source.worksheets[0].iter_rows(values_only=True):
        sheet.append(("", *row[1:]) if row[0] != "รหัส" else row)
    workbook.save(NEW_ROWS)
    target = assessment()
    user = get_user_model().objects.create_user("bench-importer")
    before = Measure.objects.count()
    start = time.perf_counter()
    preview = read_plan(NEW_ROWS.read_bytes(), target)
    checked = time.perf_counter() - start
    added, changed = apply_plan(preview, target, user)
    took = time.perf_counter() - start
    assert Measure.objects.count() == before + added
    print(f"import of {added:,} new rows: check {checked:.1f} s, write {took - checked:.1f} s, "
          f"total {took:.1f} s, peak memory {peak_mb():.0f} MB")


STEPS = {"build": build, "export": export, "round_trip": round_trip, "import_new": import_new}


def main(rows):
    path = django_on_scratch_database("excel")
    path.unlink(missing_ok=True)
    for step in STEPS:
        args = [sys.executable, __file__, step] + ([str(rows)] if step == "build" else [])
        subprocess.run(args, check=True)
    for leftover in (path, EXPORTED, NEW_ROWS):
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        django_on_scratch_database("excel")
        STEPS[sys.argv[1]](*[int(a) for a in sys.argv[2:]])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
