"""Builds the hostile and broken files of the bad-input corpus (tests/test_bad_input.py).

    .venv/bin/python tests/bad_input/make_corpus.py    # rewrites the files beside this script

The small files are committed so that anyone can open them; the few that must be large to mean
anything (over the upload limits, a zip that unpacks to tens of megabytes) are built by the
functions at the end while the tests run, so that the repository stays small.
"""

import io
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
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
}


# Built while the tests run.
def zip_bomb_xlsx(unpacked_bytes):
    """A workbook whose sheet XML pads out to `unpacked_bytes` (it compresses a thousandfold)."""
    padding = b" " * unpacked_bytes
    xml = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + padding + b"</sheetData></worksheet>"
    return rewrite_members(workbook([HEADER]), {SHEET: xml})


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
