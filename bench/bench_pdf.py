"""Time the seed report's PDF: `.venv/bin/python bench/bench_pdf.py [renders]`.

Prints the time of each render of the ITA report for อบต.วังหมี 2568, its pages and size, the
progress report's time, the cost of the Thai text-layer fix (the same render with WeasyPrint's
own line drawing), and the process's peak memory.
"""

import statistics
import sys
import time

from _setup import django_on_scratch_database, peak_mb


def main(renders):
    path = django_on_scratch_database("pdf")
    path.unlink(missing_ok=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    from django.utils import timezone
    from weasyprint.draw import text as weasy_text

    from assessments.models import Assessment
    from reports import pdf_text
    from reports.reports import ita_report_pdf, progress_report_pdf

    assessment = Assessment.objects.with_scores().get(fiscal_year=2568)
    print(f"peak memory after setup: {peak_mb():.0f} MB")
    times = []
    for _ in range(renders):
        start = time.perf_counter()
        pdf = ita_report_pdf(assessment)
        times.append(time.perf_counter() - start)
    print(f"ITA report PDF: {renders} renders, first {times[0]:.2f} s, median {statistics.median(times):.2f} s, "
          f"{len(pdf) / 1024:.0f} KiB")
    print(f"peak memory after the reports: {peak_mb():.0f} MB")

    start = time.perf_counter()
    progress_report_pdf(assessment, timezone.localdate())
    print(f"progress report PDF: {time.perf_counter() - start:.2f} s")

    weasy_text.draw_first_line = pdf_text._original_draw_first_line
    plain = []
    for _ in range(renders):
        start = time.perf_counter()
        unfixed = ita_report_pdf(assessment)
        plain.append(time.perf_counter() - start)
    pdf_text.install()
    print(f"without the text-layer fix: median {statistics.median(plain):.2f} s, {len(unfixed) / 1024:.0f} KiB "
          f"(fix costs {statistics.median(times) - statistics.median(plain):+.2f} s, "
          f"{(len(pdf) - len(unfixed)) / 1024:+.0f} KiB)")
    print(f"peak memory: {peak_mb():.0f} MB")
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
