import copy
import re
import uuid
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib.forms import FastSelect, ThaiDateField
from assessments.models import FiscalYear, Indicator
from lib import thai
from lib.packages import PackageRefused, check_package
from lib.i18n import use_thai_errors

from . import evidence
from .models import Measure, Plan, PlanEvent, ProgressNote

# What `evidence.detect` accepts, in words.
ACCEPTED_TYPES = _("PDF, รูปภาพ (JPEG, PNG, GIF, WebP), Word, Excel, PowerPoint หรือ OpenDocument")

TRACKING = ["status", "progress", "start_date", "end_date"]
LATE = "late"
# The largest plan file accepted: a 100,000-row plan exported by the portal is about 10 MB.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024


def limit_length(field, limit=Measure.LONG_TEXT_MAX_LENGTH):
    """A length limit on a form field made from a TextField, which has none of its own."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class MeasureForm(forms.ModelForm):
    """One plan row: the six official columns and the tracking, with the version it was read at.

    Only an admin sees the units and "every unit" fields, since they decide who may change the
    row; a staff member adding a row picks among their own units.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Measure
        fields = ["indicator", *Measure.OFFICIAL_COLUMNS, *TRACKING, "units", "for_all_units"]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 3}),
            "activity": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "units": forms.CheckboxSelectMultiple,
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        field_classes = {"start_date": ThaiDateField, "end_date": ThaiDateField}
        help_texts = {"indicator_label": _("เว้นว่างได้: ใช้ชื่อตัวชี้วัดที่เลือก")}

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance
        if measure.pk:
            self.fields["version"].initial = measure.version
        else:
            del self.fields["version"]
        self.fields["indicator"].queryset = Indicator.objects.filter(
            fiscal_year_id=measure.assessment.fiscal_year_id
        )
        self.fields["indicator"].required = True
        self.fields["indicator_label"].required = False
        self.fields["progress"].min_value = 0
        for name in ("analysis", "activity", "method"):
            limit_length(self.fields[name])
        if membership.is_admin:
            # Retired units are offered only where the row already names them.
            current = measure.units.all() if measure.pk else ()
            self.fields["units"].queryset = membership.organisation.units.for_picker(current)
        elif measure.pk:
            del self.fields["units"], self.fields["for_all_units"]
        else:
            del self.fields["for_all_units"]
            self.fields["units"].queryset = membership.units.active()
            self.fields["units"].required = True
            self.fields["units"].help_text = _("เลือกได้เฉพาะสำนัก/กองของท่าน")
            if not self.fields["units"].queryset.exists():
                self.fields["units"].help_text = _(
                    "ท่านยังไม่มีสำนัก/กองที่ใช้งานอยู่ จึงเพิ่มแถวไม่ได้: ขอให้ผู้ดูแลระบบของหน่วยงานกำหนดสำนัก/กองให้ท่าน")
        use_thai_errors(self)

    @property
    def edited_fields(self):
        """The model fields this form writes (what `save_if_current` saves)."""
        return [name for name in self.fields if name not in ("version", "units")]

    def clean_indicator_label(self):
        label = self.cleaned_data["indicator_label"].strip()
        indicator = self.cleaned_data.get("indicator")
        if not label and indicator:
            label = f"ตัวชี้วัดที่ {thai.to_thai(str(indicator.number))} {indicator.name}"
        return label

    def clean(self):
        cleaned = super().clean()
        check_tracking(self, cleaned)
        if not cleaned.get("indicator_label") and not self.has_error("indicator"):
            self.add_error("indicator_label", ValidationError(_("กรุณากรอกตัวชี้วัด"), code="required"))
        return cleaned


def check_tracking(form, cleaned):
    """The row's own rules on its status, progress and dates (Measure.tracking_errors), on the
    row as the form would save it; an error of a field the form lacks is the form's own."""
    row = copy.copy(form.instance)
    for name in TRACKING:
        if name in form.fields:
            setattr(row, name, cleaned.get(name))
    for name, error in row.tracking_errors().items():
        form.add_error(name if name in form.fields else None, error)


def _same_text(posted, stored):
    """A browser sends a textarea's line breaks as CRLF and the form strips the ends."""
    def normal(value):
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
    return normal(posted) == normal(stored)


class TrackingForm(forms.ModelForm):
    """A row of a locked (approved) plan: only its status and progress change.

    A form that posts the plan's content as well (the full form, opened before the approval)
    is refused as a whole when it would change any of that content, so that nothing the
    executive approved changes and nothing typed is silently dropped; content posted as it
    stands passes, and its status and progress are saved.
    """

    tracking_only = True
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Measure
        fields = list(Measure.TRACKING_FIELDS)
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1})}

    def __init__(self, *args, membership, refusal, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership, self.refusal = membership, refusal
        self.fields["version"].initial = self.instance.version
        use_thai_errors(self)

    @property
    def edited_fields(self):
        return list(Measure.TRACKING_FIELDS)

    def clean(self):
        cleaned = super().clean()
        check_tracking(self, cleaned)
        changed = self.content_changes()
        if changed:
            raise ValidationError(
                gettext("%(reason)s ยังไม่ได้บันทึกสิ่งใด (ช่องที่แก้: %(fields)s)")
                % {"reason": self.refusal, "fields": ", ".join(changed)},
                code="locked",
            )
        return cleaned

    def content_changes(self):
        """The labels of the content fields the posted data would change, read the way the full
        form reads them. Data with any content field is a full form, so every content field is
        compared: a box left unticked counts as a change as much as an edited text."""
        if not any(name in self.data for name in MeasureForm.Meta.fields if name not in Measure.TRACKING_FIELDS):
            return []
        current = self.instance
        # A detached copy: binding the full form writes its values onto the instance it edits.
        shadow = Measure(**{f.attname: getattr(current, f.attname) for f in Measure._meta.concrete_fields})
        shadow.assessment = current.assessment
        full = MeasureForm(self.data, instance=shadow, membership=self.membership)
        full.is_valid()
        data = full.cleaned_data
        changed = [
            str(full.fields[name].label) for name in full.edited_fields
            if name not in Measure.TRACKING_FIELDS
            and (name not in data or not _same_text(data[name], getattr(current, name)))
        ]
        if "units" in full.fields and ("units" not in data or set(data["units"]) != set(current.units.all())):
            changed.append(str(full.fields["units"].label))
        return changed


class StartYearForm(forms.Form):
    """Start a fiscal year: the year, and which unfinished rows of the previous plan go on."""

    KEEP, RESET = "keep", "reset"

    year = forms.IntegerField(
        label=_("ปีงบประมาณที่จะเริ่ม (พ.ศ.)"), min_value=2400, max_value=2800,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    carry = forms.ModelMultipleChoiceField(
        label=_("มาตรการที่ยังไม่เสร็จที่จะยกไปแผนใหม่"), queryset=Measure.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tracking = forms.ChoiceField(
        label=_("สถานะและความก้าวหน้าของแถวที่ยกไป"), widget=forms.RadioSelect, initial=KEEP,
        choices=[
            (KEEP, _("ทำต่อจากเดิม: คงสถานะและความก้าวหน้าของแถวต้นทาง")),
            (RESET, _("เริ่มใหม่: ยังไม่เริ่ม 0%")),
        ],
    )

    def __init__(self, *args, organisation, candidates, newest, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation, self.newest = organisation, newest
        self.fields["carry"].queryset = candidates
        use_thai_errors(self)
        self.fields["carry"].error_messages["invalid_choice"] = _(
            "แถวที่เลือกไม่ใช่มาตรการที่ยังไม่เสร็จของแผนก่อนหน้า (อาจถูกแก้ไขไปแล้ว) กรุณาโหลดหน้าใหม่"
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if thai.mixes_digits(str(self.data.get("year", ""))):
            raise ValidationError(_("เขียนปีด้วยเลขไทยหรือเลขอารบิกอย่างใดอย่างหนึ่ง"), code="digits")
        known = {fy.year: fy for fy in FiscalYear.objects.prefetch_related("indicators")}
        if year not in known:
            raise ValidationError(
                _("ไม่มีปีงบประมาณ %(year)s ในข้อมูลอ้างอิง (มีปี %(first)s ถึง %(last)s)"), code="unknown_year",
                params={"year": year, "first": min(known, default="–"), "last": max(known, default="–")},
            )
        if Plan.objects.filter(assessment__organisation=self.organisation, assessment__fiscal_year_id=year).exists():
            raise ValidationError(
                _("ปีงบประมาณ %(year)s เริ่มแล้ว (มีแผนปี %(next)s แล้ว)"), code="started",
                params={"year": year, "next": year + 1},
            )
        if self.newest is not None and year < self.newest:
            raise ValidationError(
                _("ปีงบประมาณ %(year)s เก่ากว่าปีล่าสุดที่เริ่มแล้ว (%(newest)s) ปีที่ผ่านมาแล้วอ่านได้อย่างเดียว"),
                code="past", params={"year": year, "newest": self.newest},
            )
        if not known[year].indicators.all():
            raise ValidationError(
                _("ปีงบประมาณ %(year)s ยังไม่มีตัวชี้วัดในข้อมูลอ้างอิง จึงยังกรอกผลการประเมินไม่ได้"),
                code="no_indicators", params={"year": year},
            )
        if year + 1 not in known:
            raise ValidationError(
                _("ยังไม่มีปีงบประมาณ %(next)s ในข้อมูลอ้างอิง จึงยังสร้างแผนปี %(next)s ไม่ได้"),
                code="no_next_year", params={"next": year + 1},
            )
        return year

    @property
    def keep_tracking(self):
        return self.cleaned_data["tracking"] == self.KEEP


class StepForm(forms.Form):
    """A step of the plan's cycle with its comment: a reason, required to reopen or send back."""

    comment = forms.CharField(
        label=_("หมายเหตุ (ถ้ามี)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
    )
    LABELS = {
        PlanEvent.Kind.REOPENED: _("เหตุผลที่เปิดแผนเพื่อแก้ไข"),
        PlanEvent.Kind.RETURNED: _("เหตุผลที่ส่งกลับไปแก้ไข"),
        PlanEvent.Kind.REPORTED: _("หมายเหตุ เช่น ลิงก์รายงานที่เผยแพร่ (ถ้ามี)"),
    }
    REASON_REQUIRED = (PlanEvent.Kind.REOPENED, PlanEvent.Kind.RETURNED)

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        comment = self.fields["comment"]
        comment.label = self.LABELS.get(kind, comment.label)
        if kind in self.REASON_REQUIRED:
            comment.required = True
            comment.error_messages["required"] = _("กรุณาระบุเหตุผล: เหตุผลจะถูกบันทึกไว้ในบันทึกของแผน")

    def step_data(self):
        return {"comment": self.cleaned_data["comment"]}


def executive_title(name):
    """The head of a local government by its name: นายกเทศมนตรี of a เทศบาล, นายก of the others.

    >>> executive_title("เทศบาลตำบลหนองบัว"), executive_title("องค์การบริหารส่วนตำบลทดสอบ")
    ('นายกเทศมนตรีตำบลหนองบัว', 'นายกองค์การบริหารส่วนตำบลทดสอบ')
    """
    if name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
    return "นายก" + name


class ApprovalForm(forms.Form):
    """The executive's approval, as they sign it: name and position typed, the date, a comment."""

    signer_name = forms.CharField(label=_("ชื่อผู้อนุมัติ"), max_length=200,
                                  help_text=_("ตามที่จะพิมพ์ในวงเล็บใต้ลายมือชื่อ เช่น นายสมชาย ใจดี"))
    signer_position = forms.CharField(label=_("ตำแหน่ง"), max_length=200)
    signed_on = ThaiDateField(label=_("วันที่อนุมัติ"))
    comment = forms.CharField(label=_("ความเห็น (ถ้ามี)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        self.fields["signer_position"].help_text = gettext("เช่น %(position)s") % {
            "position": executive_title(organisation.name)}
        self.fields["signer_name"].error_messages["required"] = _("กรุณาพิมพ์ชื่อผู้อนุมัติ")
        self.fields["signer_position"].error_messages["required"] = _("กรุณาพิมพ์ตำแหน่งผู้อนุมัติ")
        self.fields["signed_on"].error_messages["required"] = _("กรุณาระบุวันที่อนุมัติ")

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("วันที่อนุมัติต้องไม่เป็นวันในอนาคต"), code="future")
        return day

    def step_data(self):
        return dict(self.cleaned_data)


class PlanFilterForm(forms.Form):
    """The plan page's filters, read from the query string so that a filtered view has a URL."""

    # The three menus are choice fields whose choices are read once, in __init__ (a model
    # choice field would read its units again, through a server-side cursor, to draw them).
    indicator = forms.TypedChoiceField(label=_("ตัวชี้วัด"), coerce=int, required=False, empty_value=None,
                                       widget=FastSelect(attrs={"class": "form-select form-select-sm"}))
    unit = forms.TypedChoiceField(label=_("สำนัก/กอง"), coerce=int, required=False, empty_value=None,
                                  widget=FastSelect(attrs={"class": "form-select form-select-sm"}))
    status = forms.ChoiceField(label=_("สถานะ"), required=False,
                               widget=FastSelect(attrs={"class": "form-select form-select-sm"}))
    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("เฉพาะแถวที่ฉันแก้ไขได้"), required=False)

    def __init__(self, data, *, indicators, units):
        super().__init__(data)
        self.fields["indicator"].choices = [("", _("ทุกตัวชี้วัด"))] + [
            (i.number, f"{i.number} {i.display_name}") for i in indicators
        ]
        self.fields["unit"].choices = [("", _("ทุกสำนัก/กอง"))] + [(unit.pk, str(unit)) for unit in units]
        self.fields["status"].choices = [
            ("", _("ทุกสถานะ")), *Measure.Status.choices, (LATE, _("ล่าช้า"))
        ]
        use_thai_errors(self)

    def filter(self, rows):
        """Apply the valid filters; an invalid one is shown as an error and ignored."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("indicator"):
            rows = rows.filter(indicator__number=data["indicator"])
        if data.get("unit"):
            rows = rows.for_unit(data["unit"])
        if data.get("status") == LATE:
            rows = rows.late()
        elif data.get("status"):
            rows = rows.filter(status=data["status"])
        if data.get("q", "").strip():
            rows = rows.search(data["q"].strip())
        return rows

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("ขึ้น")), ("down", _("ลง"))])


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def safe_display_name(raw_name, extension):
    """The sender's file name reduced to a harmless base name, with the detected extension."""
    base = PurePosixPath(raw_name.replace("\\", "/")).name
    stem = re.sub(r"[\x00-\x1f\x7f/]", "", base.rsplit(".", 1)[0]).strip(" .")[:150]
    return f"{stem or 'หลักฐาน'}.{extension}"


def check_evidence_upload(upload):
    """The safe-file rules of every evidence upload of the portal: (its Kind, the name to show);
    raises ValidationError (in Thai) for a file too large, of a kind not accepted, or that may
    carry code (measures.evidence). The upload is renamed to a random name of ours, set before a
    model takes the file; the sender's name is only displayed."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("ไฟล์ใหญ่เกินไป (%(size)s) รับได้ไม่เกิน %(limit)s"),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
        )
    try:
        kind = evidence.detect(upload)
    except evidence.Refused as refusal:
        raise ValidationError(refusal.message, code="active_content") from None
    if kind is None:
        raise ValidationError(
            _("ไม่รับไฟล์ชนิดนี้ (ตรวจจากเนื้อไฟล์ ไม่ใช่จากชื่อ) รับเฉพาะ %(types)s"),
            code="file_type", params={"types": ACCEPTED_TYPES},
        )
    display_name = safe_display_name(upload.name, kind.extension)
    upload.name = f"{uuid.uuid4().hex}.{kind.extension}"
    return kind, display_name


class ProgressNoteForm(forms.ModelForm):
    """A dated note of what was done, with optional evidence: a link and/or a file."""

    class Meta:
        model = ProgressNote
        fields = ["date", "text", "link", "file"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"date": ThaiDateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)
        # Worded here, not in Meta: a lazy text formatted at import would keep the start-up language.
        self.fields["file"].help_text = _("รับ %(types)s ขนาดไม่เกิน %(size)s") % {
            "types": ACCEPTED_TYPES, "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        }
        self.fields["file"].error_messages["empty"] = _("ไฟล์ที่ส่งมาว่างเปล่า")
        limit_length(self.fields["text"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        self.evidence_kind, self.display_name = check_evidence_upload(upload)
        return upload

    def save(self, *, measure, author):
        note = super().save(commit=False)
        note.measure = measure
        note.author = author
        if self.cleaned_data.get("file"):
            note.file_name = self.display_name
            note.file_type = self.evidence_kind.content_type
        with transaction.atomic():
            Plan.objects.lock(measure.plan_id, Plan.TRACKING)  # a note is tracking: refused only in a past year
            note.save()
        return note


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


class DraftForm(forms.Form):
    """One drafted measure: accepted into the plan only when ticked, and then complete."""

    accept = forms.BooleanField(label=_("รับเข้าแผน"), required=False)
    code = forms.CharField(widget=forms.HiddenInput, required=False)
    indicator = forms.ModelChoiceField(label=_("ตัวชี้วัด"), queryset=None, required=False)
    indicator_label = forms.CharField(label=_("ตัวชี้วัด (ตามที่เขียน)"), max_length=300, required=False)
    analysis = forms.CharField(label=_("ผลการวิเคราะห์"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=Measure.LONG_TEXT_MAX_LENGTH)
    activity = forms.CharField(label=_("มาตรการ/โครงการ/กิจกรรม"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}), max_length=Measure.LONG_TEXT_MAX_LENGTH)
    method = forms.CharField(label=_("วิธีการดำเนินการ"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                             max_length=Measure.LONG_TEXT_MAX_LENGTH)
    period = forms.CharField(label=_("ระยะเวลา"), max_length=200, required=False)
    responsible = forms.CharField(label=_("ผู้รับผิดชอบ (ตามที่เขียน)"), max_length=300, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("สำนัก/กองที่รับผิดชอบ"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    for_all_units = forms.BooleanField(label=_("ทุกสำนัก/กอง"), required=False)

    REQUIRED = {
        "indicator": _("เลือกตัวชี้วัด"),
        "indicator_label": _("เขียนชื่อตัวชี้วัดตามที่จะแสดงในแผน"),
        "activity": _("เขียนชื่อมาตรการ/โครงการ/กิจกรรม"),
        "method": _("เขียนวิธีการดำเนินการ"),
        "period": _("ระบุระยะเวลา"),
        "responsible": _("ระบุผู้รับผิดชอบ"),
    }

    def __init__(self, *args, indicators, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["units"].queryset = units
        # The choices are read once for the whole formset (the view passes the same lists), not
        # once per draft as a queryset would be when each draft's form is drawn.
        self.fields["indicator"].choices = [("", self.fields["indicator"].empty_label)] + [
            (indicator.pk, str(indicator)) for indicator in indicators]
        self.fields["units"].choices = [(unit.pk, str(unit)) for unit in units]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("accept"):
            return cleaned
        for name, message in self.REQUIRED.items():
            if not cleaned.get(name):
                self.add_error(name, ValidationError(message, code="required"))
        if not cleaned.get("units") and not cleaned.get("for_all_units"):
            self.add_error("units", ValidationError(
                gettext("เลือกสำนัก/กองที่รับผิดชอบอย่างน้อยหนึ่งแห่ง หรือเลือกทุกสำนัก/กอง"), code="no_unit"
            ))
        return cleaned


class BaseDraftFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data.get("accept") for form in self.forms):
            raise ValidationError(gettext("เลือกอย่างน้อยหนึ่งมาตรการที่จะรับเข้าแผน"), code="none_accepted")


DraftFormSet = forms.formset_factory(DraftForm, formset=BaseDraftFormSet, extra=0)
