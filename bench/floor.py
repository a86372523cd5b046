"""The portal against its floor, in one run and as ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench \\
        .venv/bin/python bench/national_dataset.py     # once, a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ita_bench .venv/bin/python bench/floor.py

What it compares (goal in brackets):
  a. the plan's Excel export of 100,000 rows vs csv.writer over the same query (<= 5x, and the
     export's peak memory < 300 MB);
  b. the seed's ITA report by WeasyPrint vs Chromium printing the same HTML (<= 1.5x), against a
     cold Chromium (a new process per PDF, start-up included) and a warm one (one browser kept
     open, a new page per PDF, start-up excluded);
  c. the import of 10,000 rows vs their export (<= 10x);
  d. the dashboard, the plan page and the oversight view of a province and of the nation vs
     the reports index (a light signed-in page), in-process (Django's test client, warm,
     production settings) on the national dataset in DATABASE_URL, with query counts (each
     within 3x and at most 12 queries), with persistent connections and without; and the
     dashboard and the oversight pages for the first reader after a change to the results,
     when what is kept in the cache under the results version is made again.

a-c run on a scratch PostgreSQL database of their own (DATABASE_URL's name + "_floor": made,
migrated and seeded here, dropped at the end), so the national dataset is left as it is apart
from one area-office account for the oversight page (named load_..., so
`bench/national_dataset.py --clear` removes it). Every measurement runs in a subprocess of its
own, so its peak memory is its own: peak RSS from getrusage (what the kernel counted, C
libraries included) next to the RSS the process had before the measured work started.
Times are medians of --runs runs (pages: of --requests requests after 3 warm-up requests), as
wall-clock time and as CPU time: this process with its PostgreSQL backend, or every Chromium
process. On a machine shared with other work the CPU ratios are the ones to trust; the wall
times then include waiting for the neighbours. `--only ab` runs some parts only.
"""

import argparse
import csv
import ctypes
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--no-pdf-header-footer",
]
PR_SET_CHILD_SUBREAPER = 36
BIG_PLAN = "ทดสอบความเร็ว แผน 100,000 แถว"
SMALL_PLAN = "ทดสอบความเร็ว แผน 10,000 แถว"
OFFICE = "load_floor_area_office"
PLATFORM = "load_floor_platform_staff"
PRODUCTION = {
    "DEBUG": "false", "SECRET_KEY": "floor-benchmark-only-" + "x" * 40, "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0", "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false", "LANGUAGE_COOKIE_SECURE": "false",
}


# --- inside a step's subprocess -------------------------------------------------------------

def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def rss_mb():
    """This process's resident memory now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb():
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def backend_cpu():
    """CPU seconds of this process's PostgreSQL backend so far, when the server runs on this
    machine (its /proc entry is readable); else 0."""
    from django.db import connection

    connection.ensure_connection()
    try:
        fields = Path(f"/proc/{connection.connection.get_backend_pid()}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, AttributeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def python_and_database_cpu():
    """CPU seconds of this process and of its PostgreSQL backend."""
    return time.process_time() + backend_cpu()


def become_subreaper():
    """Chromium's helper processes outlive the browser by a moment and would be re-parented to
    init, their CPU time lost; as a subreaper this process inherits and reaps them instead."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def children_cpu():
    """CPU seconds of this process's finished descendants (a cold Chromium and its helpers)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            time.sleep(0.05)  # a helper still exiting
            continue
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def browser_cpu():
    """CPU seconds of the Chromium processes running under this one (a warm browser), with
    those of their children that have ended."""
    parents, own = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().split(" (", 1)[1].rsplit(") ", 1)
        except (OSError, IndexError, ValueError):
            continue
        fields = fields.split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        if name.startswith("chrom"):
            own[pid] = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    total = 0
    for pid, ticks in own.items():
        ancestor = parents.get(pid)
        while ancestor and ancestor != os.getpid():
            ancestor = parents.get(ancestor)
        if ancestor:
            total += ticks
    return total / os.sysconf("SC_CLK_TCK")


def timed(function, runs, cpu=python_and_database_cpu, before=None):
    """Wall-clock seconds of each run, and the CPU seconds of each run under "cpu": on a
    shared machine the CPU time shows how much of the wall time was waiting for other work.
    `before`, if given, runs before each run, untimed."""
    times, cpu_times = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), cpu()
        function()
        times.append(time.perf_counter() - start)
        cpu_times.append(cpu() - start_cpu)
    return {"wall": times, "cpu": cpu_times}


def plan_assessment(name):
    from assessments.models import Assessment

    return Assessment.objects.with_scores().get(organisation__name=name, fiscal_year_id=2568)


def step_build(rows_big, rows_small):
    """The scratch database: the seed, and two organisations whose 2568 plans are the seed's
    ten rows repeated to `rows_big` and `rows_small` rows (scores copied from the seed)."""
    from django.core.management import call_command

    from assessments.models import Assessment, IndicatorScore, Organisation
    from measures.models import Measure, Plan

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    seed = Assessment.objects.get(fiscal_year_id=2568, organisation__short_name="อบต.วังหมี")
    seed_rows = list(Measure.objects.filter(assessment=seed).order_by("position"))
    for name, rows in ((BIG_PLAN, rows_big), (SMALL_PLAN, rows_small)):
        organisation = Organisation.objects.create(name=name, short_name=name[:100])
        assessment = Assessment.objects.create(organisation=organisation, fiscal_year_id=2568)
        IndicatorScore.objects.bulk_create(
            IndicatorScore(assessment=assessment, indicator_id=s.indicator_id, score=s.score)
            for s in seed.scores.all()
        )
        plan = Plan.objects.create(assessment=assessment, fiscal_year_id=2569)
        Measure.objects.bulk_create(
            (
                Measure(
                    assessment=assessment, plan=plan, fiscal_year_id=2569, indicator_id=row.indicator_id,
                    indicator_label=row.indicator_label, analysis=row.analysis,
                    activity=f"{row.activity} ({n + 1})", method=row.method, period=row.period,
                    responsible=row.responsible, position=n + 1, status=row.status,
                    progress=row.progress, start_date=row.start_date, end_date=row.end_date,
                )
                for n in range(rows)
                for row in [seed_rows[n % len(seed_rows)]]
            ),
            batch_size=5000,
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"rows": Measure.objects.count()}


def step_export_xlsx(runs):
    from reports.exports import plan_xlsx

    assessment = plan_assessment(BIG_PLAN)
    base = rss_mb()
    out = Path(tempfile.gettempdir()) / f"ita-floor-{os.getpid()}.xlsx"

    def export():
        with open(out, "wb") as handle:
            plan_xlsx(assessment, handle)

    times = timed(export, runs)
    size = out.stat().st_size
    out.unlink()
    return {"times": times, "base_mb": base, "peak_mb": peak_mb(), "bytes": size}


def step_export_csv(runs):
    """The floor: csv.writer over the export's own query, nothing else."""
    from measures.imports import PLAN_COLUMNS
    from reports.exports import CHUNK, plan_queryset

    assessment = plan_assessment(BIG_PLAN)
    base = rss_mb()
    out = Path(tempfile.gettempdir()) / f"ita-floor-{os.getpid()}.csv"

    def export():
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([title for _, title, _ in PLAN_COLUMNS])
            writer.writerows(plan_queryset(assessment).iterator(chunk_size=CHUNK))

    times = timed(export, runs)
    size = out.stat().st_size
    out.unlink()
    return {"times": times, "base_mb": base, "peak_mb": peak_mb(), "bytes": size}


def step_import(runs):
    """Export the 10,000-row plan; check that file (every row unchanged); import the same rows
    as new rows (ids left out: check and write with history), rolled back after each run."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from openpyxl import Workbook, load_workbook

    from reports.exports import plan_xlsx
    from measures.imports import apply_plan, read_plan

    assessment = plan_assessment(SMALL_PLAN)
    work = Path(tempfile.mkdtemp(prefix="ita-floor-"))
    exported, new_rows = work / "plan.xlsx", work / "new.xlsx"

    def export():
        with open(exported, "wb") as handle:
            plan_xlsx(assessment, handle)

    export_times = timed(export, runs)
    data = exported.read_bytes()
    check_times = timed(lambda: read_plan(data, assessment), runs)
    preview = read_plan(data, assessment)
    assert preview.unchanged == assessment.measures.count() and not preview.errors, preview.errors[:3]

    source = load_workbook(exported, read_only=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in source.worksheets[0].iter_rows(values_only=True):
        sheet.append(row if row[0] == "รหัส" else ("", *row[1:]))
    workbook.save(new_rows)
    new_data = new_rows.read_bytes()
    user, _ = get_user_model().objects.get_or_create(username="floor-importer")
    counts = []

    def import_new():
        with transaction.atomic():
            preview = read_plan(new_data, assessment)
            counts.append(apply_plan(preview, assessment, user))
            transaction.set_rollback(True)

    import_times = timed(import_new, runs)
    shutil.rmtree(work)
    return {
        "rows": preview.unchanged, "added": counts[0][0], "export": export_times,
        "check": check_times, "import": import_times, "peak_mb": peak_mb(),
    }


def report_html():
    """The seed's ITA report as the PDF renders it, as a file Chromium can open: the same HTML
    with the report stylesheet linked from static/ (its fonts are reachable beside it)."""
    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string
    from django.utils import translation

    from assessments.models import Assessment
    from reports.reports import STYLESHEET, ita_report_context

    assessment = Assessment.objects.with_scores().get(fiscal_year_id=2568, organisation__short_name="อบต.วังหมี")
    with translation.override("th"):
        context = ita_report_context(assessment)
        html = render_to_string("reports/ita_report.html", {**context, "for_pdf": True})
    link = f'<link rel="stylesheet" href="{Path(finders.find(STYLESHEET)).as_uri()}">'
    return assessment, context, html.replace("</head>", f"{link}\n</head>", 1)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    pages = next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")
    return pages, sorted({line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()})


def step_pdf(runs):
    from django.utils import translation

    from reports.reports import ita_report_pdf, render_pdf

    assessment, context, html = report_html()
    work = Path(tempfile.mkdtemp(prefix="ita-floor-pdf-"))
    page = work / "ita_report.html"
    page.write_text(html, encoding="utf-8")
    result = {"html_bytes": len(html.encode())}

    with translation.override("th"):
        ita_report_pdf(assessment)  # first render: fonts and Pango warm, as in a running server
        result["weasy_end_to_end"] = timed(lambda: ita_report_pdf(assessment), runs)
        pdfs = []
        result["weasy"] = timed(lambda: pdfs.append(render_pdf("reports/ita_report.html", context)), runs)
    weasy_pdf = work / "weasy.pdf"
    weasy_pdf.write_bytes(pdfs[-1])
    result["weasy_pdf"] = (len(pdfs[-1]), *pdf_pages(weasy_pdf))
    result["peak_mb"] = peak_mb()

    cold_pdf = work / "cold.pdf"
    become_subreaper()

    def cold():
        with tempfile.TemporaryDirectory(prefix="ita-floor-chromium-") as profile:
            subprocess.run(
                [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={cold_pdf}",
                 page.as_uri()],
                check=True, capture_output=True,
            )

    result["chromium_cold"] = timed(cold, runs, cpu=children_cpu)
    result["chromium_cold_pdf"] = (cold_pdf.stat().st_size, *pdf_pages(cold_pdf))

    def start_only():
        with tempfile.TemporaryDirectory(prefix="ita-floor-chromium-") as profile:
            subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", "about:blank"],
                           check=True, capture_output=True)

    result["chromium_start"] = timed(start_only, runs, cpu=children_cpu)

    from playwright.sync_api import sync_playwright

    warm_pdf = work / "warm.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=[f for f in CHROMIUM_FLAGS if f not in ("--headless", "--no-pdf-header-footer")],
        )

        def warm():
            tab = browser.new_page()
            tab.goto(page.as_uri(), wait_until="load")
            tab.pdf(path=str(warm_pdf), prefer_css_page_size=True, print_background=True)
            tab.close()

        warm()
        result["chromium_warm"] = timed(warm, runs, cpu=browser_cpu)
        browser.close()
    result["chromium_warm_pdf"] = (warm_pdf.stat().st_size, *pdf_pages(warm_pdf))
    shutil.rmtree(work)
    return result


def step_pages(requests):
    """Dashboard, plan page and oversight view against /healthz/, warm, in-process."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Membership
    from assessments.models import Assessment
    sys.path.insert(0, str(ROOT / "bench"))
    from dataset import NAME_PREFIX
    from oversight.models import OversightMembership

    call_command("collectstatic", "--noinput", verbosity=0)  # production static storage wants its manifest
    membership = (
        Membership.objects.filter(organisation__name__startswith=NAME_PREFIX)
        .select_related("user", "organisation").order_by("organisation__name").first()
    )
    if membership is None:
        sys.exit("No national dataset here: run `bench/national_dataset.py` on DATABASE_URL first.")
    organisation = membership.organisation
    latest = Assessment.objects.filter(organisation=organisation).order_by("-fiscal_year_id").first()
    office, _ = get_user_model().objects.get_or_create(username=OFFICE)
    OversightMembership.objects.update_or_create(
        user=office, defaults={"province": organisation.province, "district": "", "region": None, "national": False}
    )
    platform, _ = get_user_model().objects.get_or_create(username=PLATFORM, defaults={"is_staff": True})
    staff, area, nation = Client(), Client(), Client()
    staff.force_login(membership.user)
    area.force_login(office)
    nation.force_login(platform)
    pages = [
        ("/healthz/", staff, "/healthz/"),
        ("reports index", staff, "/reports/"),
        ("dashboard", staff, f"/dashboard/{latest.pk}/"),
        ("plan page", staff, f"/plan/{latest.fiscal_year_id + 1}/"),
        ("province oversight", area, "/oversight/"),
        ("nation oversight", nation, "/oversight/"),
        ("province .xlsx", area, "/oversight/export.xlsx"),
    ]
    results = {}
    for name, client, url in pages:
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries = []
        # Counted by a wrapper rather than CaptureQueriesContext: each request resets Django's
        # query log (reset_queries on request_started), which that context reads.
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            client.get(url)

        def get():
            response = client.get(url)
            return b"".join(response) if response.streaming else response.content

        # With a persistent connection the CPU time is this process's and its PostgreSQL
        # backend's; with CONN_MAX_AGE 0 each request opens a new connection (a new backend),
        # so the CPU time is this process's only and the wall time holds the connecting.
        persistent = bool(connection.settings_dict["CONN_MAX_AGE"])
        cpu = python_and_database_cpu if persistent else time.process_time
        results[name] = {**timed(get, requests, cpu=cpu), "queries": len(queries), "url": url}
    # The same pages for the first reader after a change to the results: the summaries and
    # drawings kept under the results version (ResultsVersion) are made again.
    from assessments.models import ResultsVersion
    after_change = {}
    for name, client, url in pages:
        if name in ("dashboard", "province oversight", "nation oversight"):
            after_change[name] = timed(lambda: client.get(url), requests, cpu=cpu, before=ResultsVersion.bump)
    organisations = organisation.__class__.objects.filter(province=organisation.province).count()
    return {
        "pages": results, "after_change": after_change, "organisation": organisation.name, "province": organisation.province,
        "area_organisations": organisations, "plan_rows": latest.measures.count(),
        "nation_organisations": organisation.__class__.objects.count(),
        "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    }


STEPS = {
    "build": step_build, "export_xlsx": step_export_xlsx, "export_csv": step_export_csv,
    "import": step_import, "pdf": step_pdf, "pages": step_pages,
}


# --- the orchestrating process ----------------------------------------------------------------

def run_step(name, env, *args):
    """Run one step in its own Python process and return what it measured."""
    output = subprocess.run(
        [sys.executable, __file__, "--step", name, *[str(a) for a in args]],
        env={**os.environ, **env}, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def median(measured, kind="wall"):
    return statistics.median(measured[kind])


def line(label, measured, note=""):
    """One measurement: the median wall time, every run, and the median CPU time."""
    runs = ", ".join(f"{t:.2f}" for t in measured["wall"])
    return f"   {label:<34}{median(measured):7.2f} s  (cpu {median(measured, 'cpu'):6.2f} s; runs {runs}){note}"


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    import django
    import openpyxl
    import weasyprint

    versions = f"Python {platform.python_version()}, Django {django.get_version()}, openpyxl {openpyxl.__version__}"
    try:
        import xlsxwriter

        versions += f", XlsxWriter {xlsxwriter.__version__}"
    except ImportError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; load average {os.getloadavg()[0]:.2f} at start\n"
        f"{platform.platform()}; {versions}, WeasyPrint {weasyprint.__version__}; {chromium}"
    )


def verdict(value, goal):
    return "met" if value <= goal else "NOT met"


def scratch_database(url):
    """DATABASE_URL's server with a database of its own for a-c, made anew."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_floor"
    admin = psycopg2.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"], host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
        version = admin.server_version
    return admin, name, url.rsplit("/", 1)[0] + f"/{name}", f"PostgreSQL {version // 10000}.{version % 10000}"


def part_a(scratch, options):
    xlsx = run_step("export_xlsx", scratch, options.runs)
    floor = run_step("export_csv", scratch, options.runs)
    ratio = median(xlsx["times"]) / median(floor["times"])
    cpu_ratio = median(xlsx["times"], "cpu") / median(floor["times"], "cpu")
    print(f"a. plan export, {options.rows:,} rows (goal <= 5x, peak memory < 300 MB)")
    for label, step in (("Excel (.xlsx), the portal", xlsx), ("csv.writer, same query (floor)", floor)):
        print(line(label, step["times"]))
        print(f"   {'':<34}{step['bytes'] / 2**20:7.1f} MiB, peak RSS {step['peak_mb']:.0f} MB "
              f"(RSS before the export {step['base_mb']:.0f} MB)")
    print(f"   ratio {ratio:.1f}x: {verdict(ratio, 5)} (cpu {cpu_ratio:.1f}x: {verdict(cpu_ratio, 5)}); "
          f"peak {xlsx['peak_mb']:.0f} MB: {verdict(xlsx['peak_mb'], 300)}\n")


def part_b(scratch, options):
    pdf = run_step("pdf", scratch, options.runs)
    weasy, cold, warm = median(pdf["weasy"]), median(pdf["chromium_cold"]), median(pdf["chromium_warm"])
    print(f"b. the seed's ITA report to PDF (goal <= 1.5x), load average {os.getloadavg()[0]:.2f}")

    def about(pdf_file):
        size, pages, fonts = pdf_file
        return f"\n   {'':<34}{size / 1024:7.0f} KiB, {pages} pages, fonts: {', '.join(fonts)}"

    print(line("WeasyPrint (template + PDF)", pdf["weasy"], about(pdf["weasy_pdf"])))
    print(line("  the portal's ita_report_pdf", pdf["weasy_end_to_end"], " with its queries"))
    print(line("Chromium cold (new process)", pdf["chromium_cold"], about(pdf["chromium_cold_pdf"])))
    print(line("  start-up alone (about:blank)", pdf["chromium_start"]))
    print(line("Chromium warm (open browser)", pdf["chromium_warm"], about(pdf["chromium_warm_pdf"])))
    print(f"   WeasyPrint peak RSS {pdf['peak_mb']:.0f} MB; Chromium's cpu: all its processes")
    cold_cpu = median(pdf["weasy"], "cpu") / median(pdf["chromium_cold"], "cpu")
    warm_cpu = median(pdf["weasy"], "cpu") / median(pdf["chromium_warm"], "cpu")
    print(f"   ratio vs cold Chromium, start-up included: {weasy / cold:.2f}x: {verdict(weasy / cold, 1.5)} "
          f"(cpu {cold_cpu:.2f}x: {verdict(cold_cpu, 1.5)})")
    print(f"   ratio vs warm Chromium, start-up excluded: {weasy / warm:.2f}x: {verdict(weasy / warm, 1.5)} "
          f"(cpu {warm_cpu:.2f}x: {verdict(warm_cpu, 1.5)})\n")


def part_c(scratch, options):
    imported = run_step("import", scratch, options.runs)
    export_t, import_t = median(imported["export"]), median(imported["import"])
    cpu_ratio = median(imported["import"], "cpu") / median(imported["export"], "cpu")
    print(f"c. import of {imported['rows']:,} rows vs their export (goal <= 10x)")
    print(line("export (.xlsx)", imported["export"]))
    print(line("check of the exported file", imported["check"],
               f" {median(imported['check']) / export_t:.1f}x: preview, every row unchanged"))
    print(line("import as new rows", imported["import"],
               f" check + write with history, {imported['added']:,} rows, rolled back"))
    print(f"   peak RSS {imported['peak_mb']:.0f} MB")
    print(f"   ratio {import_t / export_t:.1f}x: {verdict(import_t / export_t, 10)} "
          f"(cpu {cpu_ratio:.1f}x: {verdict(cpu_ratio, 10)})\n")


def part_d(options):
    """The pages against the reports index (a light signed-in page), with persistent database
    connections (the production default) and without (a new connection per request). Goals:
    each page within 3x the reports index, with at most 12 queries."""
    for age in ("60", "0"):
        pages = run_step("pages", {**PRODUCTION, "DATABASE_CONN_MAX_AGE": age}, options.requests)
        floor_t = median(pages["pages"]["reports index"])
        print(f"d. pages in-process on the national dataset, DEBUG off, CONN_MAX_AGE {pages['conn_max_age']}, "
              f"load average {os.getloadavg()[0]:.2f}")
        print(f"   ({pages['organisation']}: {pages['plan_rows']} plan rows; province {pages['province']}: "
              f"{pages['area_organisations']} organisations; nation: {pages['nation_organisations']})")
        for label, page in pages["pages"].items():
            t = median(page)
            goal = ""
            if label in ("dashboard", "plan page", "province oversight", "nation oversight"):
                goal = f"  {verdict(t / floor_t, 3)}, queries {verdict(page['queries'], 12)}"
            cpu_ratio = median(page, "cpu") / median(pages["pages"]["reports index"], "cpu")
            print(f"   {label:<20}{t * 1000:8.1f} ms  (cpu {median(page, 'cpu') * 1000:6.1f} ms)  "
                  f"{page['queries']:3d} queries  {t / floor_t:5.1f}x the reports index "
                  f"(cpu {cpu_ratio:4.1f}x){goal}")
        print("   the first reader after a change to the results (nothing kept in the cache):")
        for label, page in pages["after_change"].items():
            t = median(page)
            cpu_ratio = median(page, "cpu") / median(pages["pages"]["reports index"], "cpu")
            print(f"   {label:<20}{t * 1000:8.1f} ms  (cpu {median(page, 'cpu') * 1000:6.1f} ms)  "
                  f"             {t / floor_t:5.1f}x the reports index (cpu {cpu_ratio:4.1f}x)")
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each export, import and PDF (median)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests of each page (median)")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the exported plan")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the imported plan")
    parser.add_argument("--only", default="abcd", help="the parts to run, e.g. --only ad")
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step:
        setup_django()
        print(json.dumps(STEPS[options.step](*options.args)))
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database holding the national dataset (see the docstring).")

    print(machine())
    print(f"medians of {options.runs} runs; pages: of {options.requests} requests after 3 warm-up requests; "
          f"cpu = this process and its PostgreSQL backend\n")
    if set("abc") & set(options.only):
        admin, name, scratch_url, server = scratch_database(url)
        try:
            started = time.perf_counter()
            # Only the plans a part measures: building 100,000 rows takes a minute or two.
            rows = options.rows if "a" in options.only else 0
            import_rows = options.import_rows if "c" in options.only else 0
            built = run_step("build", {"DATABASE_URL": scratch_url}, rows, import_rows)
            print(f"{server}; scratch database {name} for a-c built in {time.perf_counter() - started:.0f} s "
                  f"({built['rows']:,} plan rows)\n")
            for part in (part_a, part_b, part_c):
                if part.__name__[-1] in options.only:
                    part({"DATABASE_URL": scratch_url}, options)
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.close()
    if "d" in options.only:
        part_d(options)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
