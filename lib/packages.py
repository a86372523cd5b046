"""Limits on ZIP-based uploads (Office Open XML, OpenDocument, the plan and onboarding imports),
checked from the package's directory before any member is unpacked.

A few hundred kilobytes of zip can unpack to gigabytes. Every upload that is a zip passes
`check_package` first, wherever it goes next (openpyxl, the evidence checks), and is refused
with a Thai message when its members declare more than UPLOAD_ZIP_MAX_UNPACKED_BYTES in all,
a member is compressed more than UPLOAD_ZIP_MAX_RATIO to one, or it has more than
UPLOAD_ZIP_MAX_MEMBERS members. The declared sizes bind: Python's zipfile stops reading a
member at its declared size, so a member cannot unpack to more than the directory says.
"""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

# A member this small is never a bomb, however well it compresses (a sheet of blank cells).
RATIO_FLOOR_BYTES = 1024 * 1024


class PackageRefused(ValueError):
    """A zip past the limits; the message says why in Thai."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_package(fileobj):
    """Raise PackageRefused if the zip in `fileobj` (a file or bytes) is past the limits; a file
    that is not a zip passes (its reader refuses it). Leaves the file at its start."""
    source = fileobj if hasattr(fileobj, "read") else io.BytesIO(fileobj)
    try:
        source.seek(0)
        with zipfile.ZipFile(source) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return
    finally:
        source.seek(0)
    if len(members) > settings.UPLOAD_ZIP_MAX_MEMBERS:
        raise PackageRefused(_("ไฟล์นี้มีส่วนประกอบมากเกินไป (%(count)s ส่วน เกิน %(limit)s ส่วน) จึงไม่รับไฟล์")
                             % {"count": len(members), "limit": settings.UPLOAD_ZIP_MAX_MEMBERS})
    unpacked = sum(info.file_size for info in members)
    if unpacked > settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES:
        raise PackageRefused(
            _("ไฟล์นี้เมื่อแตกออกมีขนาด %(size)s MB เกิน %(limit)s MB จึงไม่รับไฟล์ "
              "กรุณาแบ่งเป็นไฟล์เล็กลงหรือบันทึกเป็น PDF แล้วส่งใหม่")
            % {"size": unpacked // (1024 * 1024), "limit": settings.UPLOAD_ZIP_MAX_UNPACKED_BYTES // (1024 * 1024)})
    for info in members:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > info.compress_size * settings.UPLOAD_ZIP_MAX_RATIO:
            raise PackageRefused(
                _("ไฟล์นี้ถูกบีบอัดมากผิดปกติ (เกิน %(ratio)s เท่า) ซึ่งเป็นลักษณะของไฟล์ที่แตกออกแล้วใหญ่มาก "
                  "จึงไม่รับไฟล์") % {"ratio": settings.UPLOAD_ZIP_MAX_RATIO})
