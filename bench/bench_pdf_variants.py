"""What tagging and PDF/A cost: `.venv/bin/python bench/bench_pdf_variants.py [renders]`.

Renders the seed's ITA report as the portal writes it (tagged PDF/UA-1), as the archival copy
(PDF/A-3b, tagged) and untagged (WeasyPrint's default, what the portal wrote before), and
prints the median time and the size of each.
"""

import statistics
import sys
import time

from _setup import django_on_scratch_database, peak_mb


def main(renders):
    path = django_on_scratch_database("pdf-variants")
    path.unlink(missing_ok=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    from assessments.models import Assessment
    from reports import reports

    assessment = Assessment.objects.with_scores().get(fiscal_year=2568)
    tagged = dict(reports.PDF_OPTIONS)

    def untagged():
        reports.PDF_OPTIONS = {}
        try:
            return reports.ita_report_pdf(assessment)
        finally:
            reports.PDF_OPTIONS = tagged

    variants = {
        "untagged (before)": untagged,
        "tagged PDF/UA-1 (download)": lambda: reports.ita_report_pdf(assessment),
        "PDF/A-3b, tagged (archive)": lambda: reports.ita_report_pdf(assessment, archive=True),
    }
    times = {name: [] for name in variants}
    # Round robin, so that the machine's load falls on every variant alike.
    for _ in range(renders):
        for name, render in variants.items():
            start = time.perf_counter()
            pdf = render()
            times[name].append((time.perf_counter() - start, len(pdf)))
    for name, runs in times.items():
        print(f"{name}: median {statistics.median(t for t, _ in runs):.2f} s of {renders}, {runs[-1][1] / 1024:.0f} KiB")
    print(f"peak memory: {peak_mb():.0f} MB")
    path.unlink(missing_ok=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
