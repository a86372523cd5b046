"""Reading PDFs back in tests: poppler's pdftotext and pdffonts (poppler-utils)."""

import re
import subprocess
import tempfile


def pdf_text(pdf, *options):
    """The PDF's text as pdftotext extracts it (default reading order unless options say)."""
    result = subprocess.run(
        ["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def squeezed(text):
    """Text without whitespace: a table cell's lines join up whatever the line breaks."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(pdf):
    """pdffonts' table of the fonts in the PDF (name, type, embedded ...)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True)
    return result.stdout.decode()


def body_text(pdf):
    """The PDF's text in drawing order without the page footers, squeezed, so that a
    paragraph or table row that runs onto the next page reads as one."""
    lines = pdf_text(pdf, "-raw").splitlines()
    return squeezed("".join(line for line in lines if "พิมพ์เมื่อ" not in line))
