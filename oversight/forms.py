from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from lib.forms import FastSelect


class AreaFilterForm(forms.Form):
    SORT_CHOICES = [
        ("-overall", _("คะแนนภาพรวม มากไปน้อย")),
        ("overall", _("คะแนนภาพรวม น้อยไปมาก")),
        ("-change", _("เปลี่ยนแปลงจากปีก่อน มากไปน้อย")),
        ("change", _("เปลี่ยนแปลงจากปีก่อน น้อยไปมาก")),
        ("weakest", _("ตัวชี้วัดที่อ่อนที่สุด น้อยไปมาก")),
        ("-progress", _("ความก้าวหน้าของแผน มากไปน้อย")),
        ("progress", _("ความก้าวหน้าของแผน น้อยไปมาก")),
        ("name", _("ชื่อหน่วยงาน")),
    ]

    q = forms.CharField(label=_("ค้นหาชื่อหน่วยงาน"), required=False, max_length=100)
    district = forms.ChoiceField(label=_("อำเภอ"), required=False, widget=FastSelect)
    kind = forms.ChoiceField(
        label=_("ประเภท"), required=False, choices=[("", _("ทุกประเภท"))] + Organisation.Kind.choices,
        widget=FastSelect,
    )
    passed = forms.ChoiceField(
        label=_("ผลการประเมิน"), required=False,
        choices=[("", _("ทั้งหมด")), ("yes", _("ผ่าน")), ("no", _("ไม่ผ่าน"))], widget=FastSelect,
    )
    sort = forms.ChoiceField(label=_("เรียงตาม"), required=False, choices=SORT_CHOICES, widget=FastSelect)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, districts):
        super().__init__(data)
        self.fields["district"].choices = [("", _("ทุกอำเภอ"))] + [(d, d) for d in districts]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_organisations(self, organisations):
        """The organisations (annotated with their latest result) that the filters select."""
        data = self.cleaned_data
        if data["q"]:
            organisations = organisations.filter(Q(name__icontains=data["q"]) | Q(short_name__icontains=data["q"]))
        if data["district"]:
            organisations = organisations.filter(district=data["district"])
        if data["kind"]:
            organisations = organisations.filter(kind=data["kind"])
        if data["passed"]:
            organisations = organisations.filter(passed=data["passed"] == "yes")
        return organisations


class AreaReportsForm(forms.Form):
    """The fiscal year of the reports to zip; offered: the years that are some organisation's
    latest result on the page (any other year in range is accepted and may find none)."""

    YEAR_MESSAGE = _("เลือกปีงบประมาณ (พ.ศ. 2500 ถึง 2700)")
    year = forms.IntegerField(label=_("ปีงบประมาณ"), min_value=2500, max_value=2700, error_messages={
        "required": YEAR_MESSAGE, "invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE,
    })

    def __init__(self, data=None, years=()):
        super().__init__(data)
        self.fields["year"].widget = FastSelect(choices=[(y, y) for y in years], attrs={"class": "form-select"})


class ResultsImportForm(forms.Form):
    """Rows of results pasted from a PDF's text, or an .xlsx/.csv file; the preview sends the
    rows back as text with the apply button, so that what is saved is what was shown."""

    MAX_TEXT = 2_000_000
    text = forms.CharField(
        label=_("วางข้อความจากรายงานของ ป.ป.ช."), required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
        error_messages={"max_length": _("ข้อความยาวเกินไป แบ่งเป็นหลายครั้ง")},
    )
    file = forms.FileField(
        label=_("หรือเลือกไฟล์ .xlsx หรือ .csv"), required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("วางข้อความหรือเลือกไฟล์ก่อน"), code="empty")
        return cleaned
