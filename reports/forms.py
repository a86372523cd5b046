from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.forms import ThaiDateField

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


class PublishForm(forms.Form):
    is_public = forms.BooleanField(required=False)
