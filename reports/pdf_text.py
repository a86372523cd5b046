"""Keep the PDF text layer true to the source text where one character is drawn as several glyphs.

HarfBuzz draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA, in one cluster (after a tone
mark as a tone+NIKHAHIT glyph and SARA AA). WeasyPrint 70 maps each glyph to text once per
document through the font's ToUnicode table, so the first glyph of such a cluster maps to
nothing and SARA AA maps to whatever it met first: "ดำเนินงาน" extracts as "ดาเนินงาน" or
"ดำเนินงำน", "น้ำ" as "นำ". One glyph cannot map to both "า" and "ำ", so no ToUnicode table can
be right. PDF has the tool for this (ISO 32000-1, 14.9.4): a marked-content span whose
/ActualText replaces the text of the glyphs inside it, honoured by poppler (pdftotext), pdf.js
and Acrobat.

A second defect is poppler's: in its default and -layout modes it orders zero-width marks by
position, and the second of two stacked marks (ที่, สู่) lands after the next consonant
("อยูท่ ี่"). So the span is put around every grapheme drawn as more than one glyph (a base
with its marks), which extracts as written in every mode; measured on the seed document: PDF
+19 % in size (compressed), +0.05 s per render, pages identical pixel for pixel.

`install()` wraps WeasyPrint's `draw_first_line`: after WeasyPrint has written a line, its
"TJ" operators are split around each such grapheme, which is wrapped in
`/Span <</ActualText ...>> BDC ... EMC`, and every glyph that alone draws its text gets that
text in the ToUnicode table (so SARA AA maps to "า" for tools that ignore ActualText).
Splitting a TJ array between two glyphs moves nothing on the page: the next TJ starts where
the previous one ended. In a tagged PDF (the portal's PDF/UA and PDF/A reports) WeasyPrint opens
each text box's marked content (/Span <</MCID n>> BDC) before it draws the line and closes it
after, so these spans nest inside it; tests/test_pdf_archive.py walks the content streams. Written against weasyprint==70.0 (pinned); tests/test_pdf_text_layer.py
fails if an upgrade changes what this relies on.
"""

import itertools
import logging
import re
import unicodedata

from weasyprint.draw import text as weasy_text
from weasyprint.text.ffi import ffi, pango

logger = logging.getLogger(__name__)

SARA_AM = "\u0e33"
GLYPH_EMPTY, GLYPH_UNKNOWN = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
TJ_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|([-+0-9.eE]+)")


def _starts_with_mark(text):
    # SARA AM counts as a mark: HarfBuzz moves its NIKHAHIT onto the consonant before it.
    return bool(text) and (unicodedata.category(text[0]) == "Mn" or text[0] == SARA_AM)


def _line_glyphs(stream, textbox):
    """Every glyph WeasyPrint wrote for the textbox's line, in order, as
    (font, id, its own text or None, span).

    Glyphs are grouped by grapheme: a base character with the marks above or below it. A span
    is (text, number of glyphs, index of the glyph within it). Glyphs that Pango marks empty
    are left out because WeasyPrint writes nothing for them.
    """
    text = textbox.pango_layout.text.encode()
    line, _ = textbox.pango_layout.get_first_line()
    graphemes = []
    run = line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        font, _ = stream.add_font(item.analysis.font)
        string = glyph_item.glyphs
        # One unpack per run rather than a cffi call per glyph.
        starts = ffi.unpack(string.log_clusters, string.num_glyphs)
        ids = [info.glyph for info in ffi.unpack(string.glyphs, string.num_glyphs)]
        offset = item.offset  # read once: each read of a C struct field goes through cffi
        ends = dict(zip(sorted(set(starts)), sorted(set(starts))[1:] + [item.length]))
        for start, members in itertools.groupby(zip(starts, ids), key=lambda pair: pair[0]):
            cluster_text = text[offset + start:offset + ends[start]].decode()
            glyphs = [g for _, g in members if g != GLYPH_EMPTY]
            # A glyph that alone draws its cluster's text can carry that text in ToUnicode.
            own_text = cluster_text if len(glyphs) == 1 else None
            glyphs = [(font, g, own_text) for g in glyphs]
            if graphemes and _starts_with_mark(cluster_text):
                graphemes[-1][0] += cluster_text
                graphemes[-1][1].extend(glyphs)
            else:
                graphemes.append([cluster_text, glyphs])
    return [
        (font, glyph, own_text, (grapheme_text, len(glyphs), position))
        for grapheme_text, glyphs in graphemes
        for position, (font, glyph, own_text) in enumerate(glyphs)
    ]


def _actual_text(text):
    return b"/Span <</ActualText <FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">>> BDC"


def _rewrite(entries, glyphs):
    """The stream entries with each multi-glyph cluster wrapped in an ActualText span, or None
    when the glyphs written do not match the line's glyphs (then the line is left as it is)."""
    out = []
    index = 0
    for entry in entries:
        if not (isinstance(entry, bytes) and entry.startswith(b"[") and entry.endswith(b"] TJ")):
            out.append(entry)
            continue
        segment = []
        for match in TJ_TOKEN.finditer(entry[1:-4]):
            hex_ids, number = match.groups()
            if number is not None:
                segment.append(number)
                continue
            for k in range(0, len(hex_ids), 4):
                if index >= len(glyphs):
                    return None
                _, glyph, _, (span_text, size, position) = glyphs[index]
                written = int(hex_ids[k:k + 4], 16)
                # Unknown characters are drawn with a stand-in glyph of WeasyPrint's choosing.
                if written != glyph and not glyph & GLYPH_UNKNOWN:
                    return None
                index += 1
                if size > 1 and position == 0:
                    _flush(out, segment)
                    out.append(_actual_text(span_text))
                segment.append(b"<" + hex_ids[k:k + 4] + b">")
                if size > 1 and position == size - 1:
                    _flush(out, segment)
                    out.append(b"EMC")
        _flush(out, segment)
    return out if index == len(glyphs) else None


def _flush(out, segment):
    if segment:
        out.append(b"[" + b" ".join(segment) + b"] TJ")
        segment.clear()


def draw_first_line(stream, textbox, *args, **kwargs):
    start = len(stream.stream)
    emojis = _original_draw_first_line(stream, textbox, *args, **kwargs)
    if len(stream.stream) == start:
        return emojis
    glyphs = _line_glyphs(stream, textbox)
    if any(font.bitmap for font, _, _, _ in glyphs):
        return emojis
    if any(size > 1 for _, _, _, (_, size, _) in glyphs):
        rewritten = _rewrite(stream.stream[start:], glyphs)
        if rewritten is None:
            logger.warning("PDF text layer left as drawn for %r", textbox.text[:40])
        else:
            stream.stream[start:] = rewritten
    for font, glyph, own_text, _ in glyphs:
        if own_text is not None and not glyph & GLYPH_UNKNOWN:
            font.to_unicode[glyph] = own_text
    return emojis


_original_draw_first_line = weasy_text.draw_first_line


def install():
    """Route WeasyPrint's line drawing through `draw_first_line` (idempotent)."""
    weasy_text.draw_first_line = draw_first_line
