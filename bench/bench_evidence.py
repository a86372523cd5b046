"""Time the evidence check (measures/evidence.py) on PDFs of growing size:
`.venv/bin/python bench/bench_evidence.py`.

pypdf is pure Python, so the check of a PDF costs time in proportion to its objects. Prints,
for WeasyPrint PDFs of N pages with a few links each, and for one with 60 links a page (an
object per link), the file's size, its objects and the check's time; and the same for the old
Office files and a .docx from the bad-input corpus.
"""

import io
import time

from _setup import django_on_scratch_database, peak_mb


def timed(check, data, repeat=3):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        check(io.BytesIO(data))
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def main():
    django_on_scratch_database("evidence")
    import pypdf
    from weasyprint import HTML

    from measures import evidence
    from tests.bad_input import make_corpus

    paragraph = "ข้อความทดสอบภาษาไทยสำหรับหลักฐานการดำเนินงาน " * 40
    for pages, links in [(10, 2), (100, 2), (40, 60)]:
        html = "".join(
            f'<h2 style="break-before: page">หน้า {n}</h2><p>{paragraph}</p>'
            + "".join(f'<a href="https://www.example.go.th/{n}/{k}">ลิงก์ {k}</a> ' for k in range(links))
            for n in range(pages)
        )
        data = HTML(string=html).write_pdf()
        objects = len(pypdf.PdfReader(io.BytesIO(data)).xref_objStm) or sum(
            len(v) for v in pypdf.PdfReader(io.BytesIO(data)).xref.values())
        seconds = timed(evidence.detect, data)
        print(f"PDF {pages:4d} pages, {links:2d} links a page: {len(data) / 1024:7.0f} KiB, "
              f"{objects:6d} objects, check {seconds:6.3f} s")
    for name in ("plain.doc", "plain.xls", "hyperlink.docx"):
        data = make_corpus.BENIGN[name]()
        print(f"{name:15s} {len(data) / 1024:5.0f} KiB, check {timed(evidence.detect, data) * 1000:6.1f} ms")
    print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
