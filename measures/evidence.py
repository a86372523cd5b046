"""What kind of evidence file an upload is, decided from its bytes alone.

The name and the browser's content type are whatever the sender chose, so neither is read.
Accepted: PDF, JPEG/PNG/GIF/WebP images (which Pillow must be able to open), Office Open XML
and OpenDocument files (which must be valid zip packages with the right parts, and without
macros) and the older Word/Excel/PowerPoint files. Everything else, executables included, is
refused.
"""

import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


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
# The older Office files are OLE2 compound files; the name of their main stream (UTF-16 in the
# file's directory) tells which program wrote them.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_STREAMS = [
    ("WordDocument", Kind("doc", "application/msword")),
    ("Workbook", Kind("xls", "application/vnd.ms-excel")),
    ("Book", Kind("xls", "application/vnd.ms-excel")),
    ("PowerPoint Document", Kind("ppt", "application/vnd.ms-powerpoint")),
]


def detect(fileobj):
    """The Kind of an accepted evidence file, or None. Leaves the file at its start."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(OLE2_SIGNATURE):
            return _ole2_kind(fileobj)
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


def _zip_kind(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                if any(name.startswith(("Basic/", "Scripts/")) for name in names):
                    return None  # macros
                # At most the longest known type: the member could unpack to gigabytes.
                with package.open("mimetype") as member:
                    mimetype = member.read(MIMETYPE_MAX_BYTES)
                return OPENDOCUMENT.get(mimetype.decode("ascii", "replace").strip())
    # A damaged package fails in zlib or with an unsupported (e.g. encrypted) compression method.
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        return None
    if "[Content_Types].xml" not in names or any(name.endswith("vbaProject.bin") for name in names):
        return None
    for part, kind in OOXML_PARTS.items():
        if part in names:
            return kind
    return None


def _ole2_kind(fileobj):
    data = fileobj.read()
    for stream, kind in OLE2_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return None
