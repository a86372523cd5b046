import zipfile

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import ThaiDateField
from ita_portal.packages import PackageRefused, check_package

# The largest plan file accepted: a 100,000-row plan exported by the portal is about 10 MB.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DIGITS = [("thai", _("เลขไทย")), ("arabic", _("เลขอารบิก"))]
VARIANTS = [("pdfa", _("PDF/A สำหรับเก็บถาวร"))]


class ReportOptionsForm(forms.Form):
    """?digits=thai|arabic; Thai digits when left out, as official documents use them."""

    digits = forms.ChoiceField(label=_("ตัวเลข"), choices=DIGITS, required=False)

    def thai_digits(self):
        return self.cleaned_data["digits"] != "arabic"


class PdfOptionsForm(ReportOptionsForm):
    """A PDF download: ?variant=pdfa asks for the archival PDF/A copy instead of the tagged
    PDF everyone else gets."""

    variant = forms.ChoiceField(label=_("รูปแบบ PDF"), choices=VARIANTS, required=False)

    def archive(self):
        return self.cleaned_data["variant"] == "pdfa"


class ProgressOptionsForm(ReportOptionsForm):
    as_of = ThaiDateField(label=_("ณ วันที่"), required=False)

    def as_of_date(self):
        return self.cleaned_data["as_of"] or timezone.localdate()


class ProgressPdfOptionsForm(ProgressOptionsForm, PdfOptionsForm):
    pass


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์แผน (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, code="too_large"
            )
        if not zipfile.is_zipfile(upload):
            raise forms.ValidationError(_("ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx)"), code="not_xlsx")
        try:  # before the file is kept for a job or read
            check_package(upload)
        except PackageRefused as refused:
            raise forms.ValidationError(refused.message, code="package_too_large") from None
        upload.seek(0)
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


class PublishForm(forms.Form):
    is_public = forms.BooleanField(required=False)
