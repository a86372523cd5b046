from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms import EmailAddressField
from accounts.services import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, emails_in_use
from assessments.models import Organisation
from lib.i18n import use_thai_errors
from lib.places import PROVINCES

from . import organisations

# A province's list is a few hundred organisations; the whole country's is a few thousand.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class OrganisationFieldsForm(forms.Form):
    """An organisation's name, short name, type and place. An area office's province (and
    district) is fixed to its area: the field is disabled and what is posted for it ignored."""

    name = forms.CharField(label=_("ชื่อหน่วยงาน"), max_length=200,
                           help_text=_("ชื่อเต็ม เช่น องค์การบริหารส่วนตำบลวังหมี (พิมพ์ อบต.วังหมี ได้)"))
    short_name = forms.CharField(label=_("ชื่อย่อ"), max_length=100, required=False,
                                 help_text=_("เว้นว่างได้: ระบบย่อจากชื่อเต็ม เช่น อบต.วังหมี"))
    kind = forms.ChoiceField(label=_("ประเภท"), required=False,
                             choices=[("", _("ตามชื่อหน่วยงาน"))] + Organisation.Kind.choices)
    province = forms.ChoiceField(label=_("จังหวัด"), choices=[("", "---------")] + [(p, p) for p in PROVINCES])
    district = forms.CharField(label=_("อำเภอ"), max_length=100, required=False)

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        if area.province:
            self.fields["province"].initial = area.province
            self.fields["province"].disabled = True
        if area.district:
            self.fields["district"].initial = area.district
            self.fields["district"].disabled = True
        use_thai_errors(self)

    def _values(self, cleaned):
        return {name: cleaned.get(name) or "" for name in organisations.COLUMNS}

    def _show(self, entry):
        for column, message in entry.errors:
            self.add_error(column if column in self.fields else None, message)


class OrganisationForm(OrganisationFieldsForm):
    """One organisation and its first admin, checked exactly as a line of an import file is."""

    units = forms.CharField(
        label=_("สำนัก/กอง"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("บรรทัดละหนึ่งสำนัก/กอง (หรือคั่นด้วยจุลภาค) ผู้ดูแลระบบของหน่วยงานเพิ่มหรือแก้ไขภายหลังได้"),
    )
    admin_name = forms.CharField(label=_("ชื่อ-นามสกุลผู้ดูแลระบบของหน่วยงาน"), max_length=NAME_MAX_LENGTH)
    admin_email = EmailAddressField(label=_("อีเมลผู้ดูแลระบบ"), max_length=EMAIL_MAX_LENGTH,
                                    help_text=_("ผู้ดูแลระบบจะได้รับอีเมลพร้อมลิงก์สำหรับตั้งรหัสผ่านของตนเอง"))

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, area=area, **kwargs)
        use_thai_errors(self)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        [self.entry] = organisations.check_entries([organisations.entry_from(self._values(cleaned), self.area)])
        self._show(self.entry)
        return cleaned


class OrganisationEditForm(OrganisationFieldsForm):
    """An onboarded organisation's name, short name, type and place, checked as a new one's."""

    def __init__(self, *args, area, organisation, **kwargs):
        initial = {name: getattr(organisation, name) for name in organisations.EDITABLE}
        super().__init__(*args, area=area, initial=initial, **kwargs)
        self.organisation = organisation

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.entry = organisations.organisation_changes(self._values(cleaned), self.area, self.organisation)
        self._show(self.entry)
        return cleaned


class AdminInviteForm(forms.Form):
    """Another admin for an onboarded organisation (when the first has left or never came)."""

    name = forms.CharField(label=_("ชื่อ-นามสกุล"), max_length=NAME_MAX_LENGTH)
    email = EmailAddressField(label=_("อีเมล"), max_length=EMAIL_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_thai_errors(self)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if emails_in_use([email]):
            raise ValidationError(_("อีเมลนี้มีผู้ใช้ในระบบแล้ว"), code="email_in_use")
        return email


class UploadForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์รายชื่อหน่วยงาน (.xlsx หรือ .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                                  code="too_large")
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(max_length=64)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("ค้นหาชื่อหน่วยงาน"), required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1)
