"""What kind of evidence file an upload is, decided from its bytes alone, and whether it can carry code.

The name and the browser's content type are whatever the sender chose, so neither is read.
Accepted: PDF, JPEG/PNG/GIF/WebP images (which Pillow must be able to open), Office Open XML
and OpenDocument files (which must be valid zip packages with the right parts) and the older
Word/Excel/PowerPoint files (which must be valid OLE2 compound files). Everything else,
executables included, is not a kind we accept (`detect` returns None).

A file of an accepted kind is still refused (`Refused`, with a message that says why) when it
can run something or fetch something as it is opened: macros (VBA storages, vbaProject.bin,
Excel 4.0 macro sheets, OpenDocument Basic), ActiveX controls, embedded packages and files,
Office relationships to outside files (a remote template, a link to another workbook, a frame),
PDF JavaScript, actions that run on opening or launch programs, and PDF attachments. A file
that looks like one of these kinds but cannot be parsed as one is refused too: what cannot be
read cannot be checked. Nothing here unpacks more than a bounded number of bytes.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree import ElementTree

import olefile
import pypdf
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from lib.packages import PackageRefused, check_package


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


class Refused(Exception):
    """An upload of an accepted kind that may carry code, or that cannot be read to be sure."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


MACROS = _("ไฟล์นี้มีมาโคร (VBA หรือมาโครของ Excel 4.0) ซึ่งเป็นโค้ดที่ทำงานได้ "
           "กรุณาบันทึกเป็นไฟล์ที่ไม่มีมาโคร (เช่น .docx, .xlsx หรือ PDF) แล้วส่งใหม่")
ACTIVEX = _("ไฟล์นี้มีตัวควบคุม ActiveX ซึ่งเป็นโค้ดที่ทำงานได้ กรุณาลบออกหรือบันทึกเป็น PDF แล้วส่งใหม่")
EMBEDDED = _("ไฟล์นี้มีไฟล์หรือโปรแกรมอื่นฝังอยู่ข้างใน ซึ่งตรวจไม่ได้ว่าปลอดภัย กรุณาส่งแต่ละไฟล์แยกกัน")
EXTERNAL = _("ไฟล์นี้ดึงเนื้อหาจากภายนอกเมื่อเปิด (%(kind)s: %(target)s) ซึ่งเป็นช่องทางของโค้ดอันตราย "
             "กรุณาตัดการเชื่อมโยงนั้นแล้วบันทึกใหม่")
LINK_SCHEME = _("ไฟล์นี้มีลิงก์ที่เปิดไฟล์หรือโปรแกรมในเครื่องได้ (%(target)s) "
                "รับเฉพาะลิงก์ที่ขึ้นต้นด้วย http://, https:// หรือ mailto:")
ENCRYPTED = _("ไฟล์นี้ใส่รหัสผ่านหรือเข้ารหัสไว้ จึงตรวจเนื้อไฟล์ไม่ได้ กรุณาส่งไฟล์ที่ไม่ใส่รหัสผ่าน")
OLE_DAMAGED = _("ไฟล์นี้ขึ้นต้นเหมือนไฟล์ Office แบบเก่า (.doc, .xls, .ppt) แต่อ่านไม่ได้ (เสียหายหรือไม่ใช่ไฟล์ Office จริง)")
PDF_DAMAGED = _("ไฟล์นี้ขึ้นต้นเหมือน PDF แต่อ่านเป็น PDF ไม่ได้ (เสียหายหรือไม่ใช่ PDF จริง)")
PDF_SCRIPT = _("ไฟล์ PDF นี้มี JavaScript (หรือแบบฟอร์ม XFA ที่มีสคริปต์ได้) "
               "กรุณาพิมพ์เป็น PDF ใหม่ (Microsoft Print to PDF หรือบันทึกเป็น PDF) แล้วส่งใหม่")
PDF_ACTION = _("ไฟล์ PDF นี้สั่งให้โปรแกรมอ่านทำงานเอง (%(action)s) เช่น เปิดโปรแกรม ไฟล์อื่น หรือเว็บไซต์ "
               "กรุณาพิมพ์เป็น PDF ใหม่แล้วส่งใหม่")
PDF_ATTACHMENT = _("ไฟล์ PDF นี้มีไฟล์อื่นแนบอยู่ข้างใน กรุณาส่งแต่ละไฟล์แยกกัน")
PDF_TOO_COMPLEX = _("ไฟล์ PDF นี้มีโครงสร้างซับซ้อนเกินกว่าจะตรวจได้")

PDF = Kind("pdf", "application/pdf")
IMAGES = {
    "JPEG": Kind("jpg", "image/jpeg"),
    "MPO": Kind("jpg", "image/jpeg"),  # the JPEG that many phone cameras write
    "PNG": Kind("png", "image/png"),
    "GIF": Kind("gif", "image/gif"),
    "WEBP": Kind("webp", "image/webp"),
}
# Office Open XML: the part that only that kind of package has.
OOXML_PARTS = {
    "word/document.xml": Kind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xl/workbook.xml": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/presentation.xml": Kind(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": Kind("odt", "application/vnd.oasis.opendocument.text"),
    "application/vnd.oasis.opendocument.spreadsheet": Kind(
        "ods", "application/vnd.oasis.opendocument.spreadsheet"
    ),
    "application/vnd.oasis.opendocument.presentation": Kind(
        "odp", "application/vnd.oasis.opendocument.presentation"
    ),
}
MIMETYPE_MAX_BYTES = max(len(name) for name in OPENDOCUMENT) + 2
# The parts of a package that are read whole ([Content_Types].xml, relationships, embedded
# objects) are read up to this many bytes; a larger one is refused rather than unpacked.
PART_MAX_BYTES = 8 * 1024 * 1024
# Embedded packages are checked like the file itself, but only so deep.
MAX_NESTING = 2
# The only relationship an Office file may have to something outside it: a hyperlink, which is
# common in evidence (the page where an item is published) and opens only when clicked. Every
# other external relationship (attachedTemplate, oleObject, externalLinkPath, frame,
# subDocument, a remote image ...) is fetched by Office as the file opens: the way remote
# templates and CVE-2017-0199/CVE-2022-30190 ("Follina") bring code in.
HYPERLINK = "hyperlink"
LINK_SCHEMES = {"http", "https", "mailto"}
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# The older Office files are OLE2 compound files; the name of their main stream tells which
# program wrote them.
OLE2_SIGNATURE = olefile.MAGIC
OLE2_STREAMS = [
    ("WordDocument", Kind("doc", "application/msword")),
    ("Workbook", Kind("xls", "application/vnd.ms-excel")),
    ("Book", Kind("xls", "application/vnd.ms-excel")),
    ("PowerPoint Document", Kind("ppt", "application/vnd.ms-powerpoint")),
]
# Storages that hold a VBA project: Word's "Macros", Excel's "_VBA_PROJECT_CUR", and "VBA"
# inside either (and inside embedded objects, whose storages are part of the same file).
VBA_STORAGES = {"macros", "_vba_project_cur", "_vba_project", "vba"}
# An OLE "Package" object: any file at all (an .exe, a script) wrapped to be opened by a click.
OLE_PACKAGE_STREAM = "\x01ole10native"
# Excel BIFF records: BoundSheet8 (its sheet type 1 is an Excel 4.0 macro sheet), FilePass, EOF.
BIFF_BOUNDSHEET, BIFF_FILEPASS, BIFF_EOF = 0x0085, 0x002F, 0x000A
# PowerPoint records that hold the VBA project (VBAInfoContainer, VBAInfoAtom).
PPT_VBA_RECORDS = {0x03FF, 0x0400}
# Word's FIB flag fEncrypted.
WORD_ENCRYPTED = 0x0100

# PDF actions that run something or reach outside the file; GoTo (a page of this file) and URI
# (a link the reader follows on a click, as in Office files) are allowed.
PDF_RUNNING_ACTIONS = {
    "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/GoToE", "/Rendition", "/RichMediaExecute",
}
# What may run by itself when the file is opened or a page is shown (/OpenAction, /AA).
PDF_AUTOMATIC_ACTIONS = {"/GoTo"}
# pypdf parses in Python, about a millisecond per object on this machine under load
# (bench/bench_evidence.py); a 100-page report is about 1,200 nodes. A file that makes the walk
# visit more than this is refused rather than given tens of seconds of a worker.
PDF_MAX_NODES = 100_000


def detect(fileobj):
    """The Kind of an accepted evidence file, or None; raises Refused for a file of an accepted
    kind that may carry code. Leaves the file at its start."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            _check_pdf(fileobj)
            return PDF
        if head.startswith(OLE2_SIGNATURE):
            return _ole2_kind(fileobj.read())
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(fileobj)
        return _image_kind(fileobj)
    finally:
        fileobj.seek(0)


def _image_kind(fileobj):
    try:
        with Image.open(fileobj) as image:
            kind = IMAGES.get(image.format)
            image.verify()
    except Exception:  # Pillow raises many kinds of error for bytes that are not an image.
        return None
    return kind


# Office Open XML and OpenDocument

def _zip_kind(fileobj, depth=0):
    try:
        check_package(fileobj)  # before any member is unpacked
    except PackageRefused as refused:
        raise Refused(refused.message) from None
    try:
        with zipfile.ZipFile(fileobj) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    raise Refused(MACROS)
                # At most the longest known type: the member could unpack to gigabytes.
                with package.open("mimetype") as member:
                    mimetype = member.read(MIMETYPE_MAX_BYTES)
                return OPENDOCUMENT.get(mimetype.decode("ascii", "replace").strip())
            if "[Content_Types].xml" not in names:
                return None
            kind = next((kind for part, kind in OOXML_PARTS.items() if part in names), None)
            if kind is None or not _ooxml_is_inert(package, depth):
                return None
            return kind
    # A damaged package fails in zlib or with an unsupported (e.g. encrypted) compression method.
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        return None


def _read_part(package, info):
    """The part's bytes, or None when it unpacks to more than PART_MAX_BYTES (the header's
    size is not trusted: reading stops at the limit)."""
    with package.open(info) as member:
        data = member.read(PART_MAX_BYTES + 1)
    return data if len(data) <= PART_MAX_BYTES else None


def _ooxml_is_inert(package, depth):
    """Raises Refused for macros, ActiveX, embedded packages and external relationships;
    False when a part that must be read is too large to read."""
    for info in package.infolist():
        name = info.filename.lower()
        if "vbaproject" in name or "vbadata" in name:
            raise Refused(MACROS)
        if "/activex/" in name:
            raise Refused(ACTIVEX)
    types = _read_part(package, package.getinfo("[Content_Types].xml"))
    if types is None:
        return False
    # A VBA project or a control renamed to an innocent part name still has its content type.
    if b"vbaproject" in types.lower():
        raise Refused(MACROS)
    if b"activex" in types.lower():
        raise Refused(ACTIVEX)
    for info in package.infolist():
        name = info.filename.lower()
        if name.endswith(".rels"):
            data = _read_part(package, info)
            if data is None or not _relationships_are_inert(data):
                return False
        elif "/embeddings/" in name:
            data = _read_part(package, info)
            if data is None:
                return False
            _check_embedded(data, depth)
    return True


def _relationships_are_inert(data):
    """Raises Refused for an external relationship other than a web or mail link; False for a
    relationships part that is not well-formed (a damaged package)."""
    # Relationship parts never have a document type; one would be an entity bomb.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return False
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    for relationship in root.iter(RELATIONSHIPS):
        if relationship.get("TargetMode", "").lower() != "external":
            continue
        kind = relationship.get("Type", "").rsplit("/", 1)[-1]
        target = relationship.get("Target", "")[:120]
        if kind != HYPERLINK:
            raise Refused(EXTERNAL % {"kind": kind, "target": target})
        if urlsplit(target.strip()).scheme.lower() not in LINK_SCHEMES:
            # file:, \\server\share, ms-msdt:, a relative path: opens something on the reader's machine.
            raise Refused(LINK_SCHEME % {"target": target})
    return True


def _check_embedded(data, depth):
    """An object embedded in an Office file: an OLE object is checked like an old-format file
    (and an OLE Package, which wraps any file at all, is refused); an embedded Office package
    like the file itself. Anything else (a picture of the object) is inert."""
    if depth >= MAX_NESTING:
        raise Refused(EMBEDDED)
    if data.startswith(OLE2_SIGNATURE):
        _check_ole2(data, embedded=True)
    elif data.startswith(b"PK\x03\x04") and _zip_kind(io.BytesIO(data), depth + 1) is None:
        raise Refused(EMBEDDED)


# Old-format Office (OLE2 compound files)

def _ole2_kind(data):
    streams = _check_ole2(data)
    for stream, kind in OLE2_STREAMS:
        if stream.lower() in streams:
            return kind
    return None


def _check_ole2(data, embedded=False):
    """The streams of a compound file by lower-case path (["macros", "vba", "dir"] as
    "macros/vba/dir"); raises Refused for macros, packages, encryption or a damaged file."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            paths = [[part.lower() for part in path] for path in ole.listdir(streams=True, storages=True)]
            streams = {"/".join(path) for path in paths}
            main = {
                name: ole.openstream(name).read(PART_MAX_BYTES)
                for name in ("Workbook", "Book", "PowerPoint Document", "WordDocument")
                if ole.exists(name)
            }
    # olefile raises OSError for a bad header and struct, index or value errors for a damaged
    # directory or sector chain.
    except Exception:
        raise Refused(OLE_DAMAGED) from None
    if any(VBA_STORAGES.intersection(path) for path in paths):
        raise Refused(MACROS)
    if any(path[-1] == OLE_PACKAGE_STREAM for path in paths):
        raise Refused(EMBEDDED)
    if "encryptedpackage" in streams:  # an encrypted .docx/.xlsx inside a compound file
        raise Refused(ENCRYPTED)
    for name in ("Workbook", "Book"):
        if name in main:
            _check_biff(main[name])
    if "PowerPoint Document" in main and _ppt_has_vba(main["PowerPoint Document"]):
        raise Refused(MACROS)
    word = main.get("WordDocument", b"")
    if len(word) >= 12 and struct.unpack_from("<H", word, 10)[0] & WORD_ENCRYPTED:
        raise Refused(ENCRYPTED)
    return streams


def _check_biff(data):
    """The workbook globals of an .xls: a macro sheet (Excel 4.0 macros, which need no VBA
    storage) or encryption (the rest could not be read) is refused."""
    position = 0
    while position + 4 <= len(data):
        record, length = struct.unpack_from("<HH", data, position)
        body = data[position + 4:position + 4 + length]
        if record == BIFF_FILEPASS:
            raise Refused(ENCRYPTED)
        if record == BIFF_BOUNDSHEET and len(body) >= 6 and body[5] == 1:
            raise Refused(MACROS)
        if record == BIFF_EOF:
            return
        position += 4 + length


def _ppt_has_vba(data):
    """Whether the PowerPoint document stream holds a VBA project: PowerPoint keeps it in a
    record of its own, not in a storage. Containers (version 0xF) are walked into."""
    stack = [(0, len(data))]
    while stack:
        position, end = stack.pop()
        while position + 8 <= end:
            version_instance, record, length = struct.unpack_from("<HHI", data, position)
            if record in PPT_VBA_RECORDS:
                return True
            if version_instance & 0x000F == 0x000F:
                stack.append((position + 8, min(end, position + 8 + length)))
            position += 8 + length
    return False


# PDF

def _check_pdf(fileobj):
    """Raises Refused unless the file is a PDF that pypdf can read and nothing in it runs,
    reaches outside or is attached. Every object the cross-reference table lists is walked,
    as well as everything reachable from the catalogue, so an object the catalogue does not
    reach today (but a viewer repairing the file might) is checked too."""
    try:
        reader = pypdf.PdfReader(fileobj)
        if reader.is_encrypted:
            raise Refused(ENCRYPTED)
        stack = [reader.trailer.raw_get("/Root")]
        for generation, objects in reader.xref.items():
            stack.extend(IndirectObject(number, generation, reader) for number in objects)
        stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
        _walk_pdf(stack)
    except Refused:
        raise
    # pypdf raises its own errors and many plain ones (ValueError, KeyError, struct.error,
    # RecursionError ...) for bytes that are not a PDF.
    except Exception:
        raise Refused(PDF_DAMAGED) from None


CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)


def _walk_pdf(stack):
    seen = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        visited += 1
        if visited > PDF_MAX_NODES:
            raise Refused(PDF_TOO_COMPLEX)
        if isinstance(node, DictionaryObject):  # streams too: their dictionary, not their data
            _check_pdf_dictionary(node)
            stack.extend(value for value in node.values() if isinstance(value, CONTAINERS))
        elif isinstance(node, ArrayObject):
            stack.extend(value for value in node if isinstance(value, CONTAINERS))


def _get(node, key):
    """A PDF dictionary's value with an indirect reference followed (a name can be one too)."""
    value = node.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _check_pdf_dictionary(node):
    if "/JS" in node or "/JavaScript" in node or "/XFA" in node:
        raise Refused(PDF_SCRIPT)
    action = _get(node, "/S")
    if action == "/JavaScript":
        raise Refused(PDF_SCRIPT)
    if action in PDF_RUNNING_ACTIONS:
        raise Refused(PDF_ACTION % {"action": action[1:]})
    if "/EmbeddedFiles" in node or "/EF" in node or _get(node, "/Type") == "/EmbeddedFile":
        raise Refused(PDF_ATTACHMENT)
    subtype = _get(node, "/Subtype")
    if subtype == "/FileAttachment":
        raise Refused(PDF_ATTACHMENT)
    if subtype == "/RichMedia":
        raise Refused(PDF_ACTION % {"action": "RichMedia"})
    opening = _get(node, "/OpenAction")
    # An array is a destination (the page to open at); a dictionary is an action.
    if isinstance(opening, DictionaryObject):
        _check_automatic_action(opening, "OpenAction")
    triggers = _get(node, "/AA")
    if isinstance(triggers, DictionaryObject):
        for trigger in triggers:
            _check_automatic_action(_get(triggers, trigger), "AA " + trigger[1:])


def _check_automatic_action(action, label):
    """An action a viewer runs by itself (on opening the file, showing a page, leaving a
    field): only going to a page of this file is allowed."""
    kind = _get(action, "/S") if isinstance(action, DictionaryObject) else None
    if kind == "/JavaScript":
        raise Refused(PDF_SCRIPT)
    if kind not in PDF_AUTOMATIC_ACTIONS:
        raise Refused(PDF_ACTION % {"action": label})
